#include <iostream>
int main() { std::cerr << "kbc-storage-emulator: not built yet\n"; return 1; }
