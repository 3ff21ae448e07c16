// kbc-storage-extract: the thin executable; all logic lives in the library.
#include "kbc_storage_extract/cli.hpp"

int main(int argc, char** argv) { return kbc::cli::main(argc, argv); }
