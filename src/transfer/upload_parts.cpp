#include "upload_parts.hpp"

#include <spdlog/spdlog.h>

namespace kbc::transfer {

Status check_part(int number, std::uint64_t length, std::uint64_t part_size, std::uint64_t size, const std::string& what) {
  const auto count = size == 0 ? 1 : static_cast<int>((size + part_size - 1) / part_size);
  if (number < 1 || number > count)
    return make_error(ErrorKind::internal, what + ": part " + std::to_string(number) + " is outside 1.." + std::to_string(count));
  const std::uint64_t offset = static_cast<std::uint64_t>(number - 1) * part_size;
  const std::uint64_t expected = std::min(part_size, size - offset);
  if (length != expected)
    return make_error(ErrorKind::internal, what + ": part " + std::to_string(number) + " must be " + std::to_string(expected) +
                                               " bytes, not " + std::to_string(length));
  return {};
}

SingleRequestUpload::SingleRequestUpload(std::string name, std::uint64_t size, Write write, Remove remove)
    : name_(std::move(name)), size_(size), write_(std::move(write)), remove_(std::move(remove)) {}

Status SingleRequestUpload::write_part(int number, std::uint64_t length, const ByteSource& source) {
  if (auto ok = check_part(number, length, std::max<std::uint64_t>(size_, 1), size_, "writing " + name_); !ok) return ok;
  if (auto written = write_(length, source); !written) return written;
  written_ = true;
  return {};
}

Status SingleRequestUpload::commit() {
  if (!written_) return make_error(ErrorKind::internal, "committing " + name_ + " before its bytes were written");
  return {};
}

void SingleRequestUpload::abort() noexcept {
  if (!written_) return;
  try {
    const CleanupScope cleanup;  // also after a stop: a partial object must not stay
    auto removed = remove_();
    if (!removed && removed.error().kind != ErrorKind::not_found) spdlog::warn("{}", removed.error().describe());
  } catch (...) {
  }
}

}  // namespace kbc::transfer
