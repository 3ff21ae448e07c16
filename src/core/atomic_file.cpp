#include "kbc_storage_extract/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace kbc {
namespace {

Error io_error(const std::string& what, const std::filesystem::path& file, const std::string& why) {
  return make_error(ErrorKind::io, fmt::format("cannot write {} to {}: {}", what, file.string(), why),
                    "check that the directory exists, is writable and has free space");
}

}  // namespace

std::filesystem::path temp_file_of(const std::filesystem::path& file) {
  return std::filesystem::path(file.string() + ".tmp-" + std::to_string(::getpid()));
}

Status write_file_atomically(const std::filesystem::path& file, std::string_view content, const std::string& what) {
  const auto temp = temp_file_of(file);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error(what, file, std::strerror(errno));
  const auto fail = [&](const std::string& why) {
    ::close(fd);
    ::unlink(temp.c_str());
    return io_error(what, file, why);
  };
  for (std::size_t written = 0; written < content.size();) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(std::strerror(errno));
    written += static_cast<std::size_t>(n);
  }
  // Without the fsync a crash right after the rename can leave an empty file behind.
  if (::fsync(fd) != 0) return fail(std::strerror(errno));
  if (::close(fd) != 0) {
    ::unlink(temp.c_str());
    return io_error(what, file, std::strerror(errno));
  }
  if (::rename(temp.c_str(), file.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    return io_error(what, file, why);
  }
  // The rename itself is durable once the directory is synced.
  const auto directory = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  if (const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

}  // namespace kbc
