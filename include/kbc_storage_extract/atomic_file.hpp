#pragma once
// Replacing a file so that readers (and a crash) see either the old content or the new one,
// never a half-written file: a temp file beside it, written, fsync'ed, renamed over it.
#include <filesystem>
#include <string>
#include <string_view>

#include "kbc_storage_extract/result.hpp"

namespace kbc {

// The temp file write_file_atomically uses for `file` (beside it, so the rename stays on one
// file system; the pid keeps two processes apart).
std::filesystem::path temp_file_of(const std::filesystem::path& file);

// `what` names the file in errors ("the report", "the run state").
Status write_file_atomically(const std::filesystem::path& file, std::string_view content, const std::string& what);

}  // namespace kbc
