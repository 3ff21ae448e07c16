// The whole configuration file: any bytes become either a Config or a list of issues (each with
// a message), never a crash, UB or an exception (parse_config is the `validate` command).
#include "fuzz_check.hpp"
#include "kbc_storage_extract/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using kbc::fuzz::check;
  // A path below a directory that does not exist: token files named by the input resolve
  // there, and parse_config must not need to read them.
  const auto load = kbc::parse_config(kbc::fuzz::text_of(data, size), "/nonexistent-fuzz/config.json");
  check(load.config.has_value() != !load.issues.empty(), "a config, or issues, never both or neither");
  for (const auto& issue : load.issues) check(!issue.message.empty(), "every issue says what is wrong");
  for (const auto& warning : load.warnings) check(!warning.message.empty(), "every warning says what is wrong");
  if (load.config) {
    for (const auto& table : load.config->tables) {
      check(!table.name.empty() && !table.destination.empty(), "a table has a source and a destination name");
      if (table.changed_since) (void)table.changed_since->resolve(std::chrono::system_clock::time_point{});
    }
  }
  return 0;
}
