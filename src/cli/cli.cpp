#include "kbc_storage_extract/cli.hpp"

#include <iostream>

namespace kbc::cli {

int main(int, char**) {
  std::cerr << "kbc-storage-extract: not built yet\n";
  return 1;
}

}  // namespace kbc::cli
