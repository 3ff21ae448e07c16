#pragma once
// Process exit codes, defined once; docs/cli.md documents the same table.
#include "kbc_storage_extract/error.hpp"

namespace kbc {

enum class ExitCode : int {
  success = 0,          // everything asked for was done
  runtime_failure = 1,  // nothing (or not all) could be done for a reason outside the input
  usage_error = 2,      // bad flags or an invalid configuration; nothing was contacted
  auth_error = 3,       // a token is invalid, expired, or has the wrong permissions
  partial_failure = 4,  // some tables copied, some failed (see the report)
  check_differs = 5,    // check: some destination table differs from its source
  check_incomplete = 6, // check: none differs, but some table could not be checked
  interrupted = 130,    // SIGINT/SIGTERM; finished work is kept, the rest can be re-run
};

inline int to_int(ExitCode code) { return static_cast<int>(code); }

// The exit code a run that stopped with `error` ends with.
ExitCode exit_code_for(const Error& error);

}  // namespace kbc
