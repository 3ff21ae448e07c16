#include "ranged_get.hpp"

#include <optional>

#include <spdlog/spdlog.h>

namespace kbc::transfer {
namespace {

// One GET of what is still missing: bytes [offset + received, offset + total).
Status read_once(const RangedGet& get, ByteRange range, std::uint64_t& received, std::optional<std::uint64_t> total,
                 const ByteSink& sink) {
  if (total && received == *total) return {};
  auto request = get.make_request();
  const std::uint64_t first = range.offset + received;
  if (total) request.headers.emplace_back("Range", "bytes=" + std::to_string(first) + "-" + std::to_string(range.offset + *total - 1));
  else if (first > 0) request.headers.emplace_back("Range", "bytes=" + std::to_string(first) + "-");
  bool overrun = false;
  request.download_sink = [&](const char* data, std::size_t size) {
    if (total && received + size > *total) {
      overrun = true;  // the server ignored the Range: never hand the caller bytes it did not ask for
      return false;
    }
    received += size;
    return sink(data, size);
  };
  auto response = get.send(request);
  if (overrun) return make_error(ErrorKind::protocol, get.what + ": the server sent more bytes than the requested range");
  if (!response) return response.error();
  if (total && received != *total)
    return make_error(ErrorKind::transient, get.what + ": the answer ended after " + std::to_string(received) + " of " +
                                                std::to_string(*total) + " bytes");
  return {};
}

}  // namespace

Status read_with_resume(const RangedGet& get, ByteRange range, const ByteSink& sink) {
  std::uint64_t received = 0;
  std::optional<std::uint64_t> total;  // bytes wanted; unknown for a whole-object read until needed
  if (range.length > 0) total = range.length;
  for (int attempt = 1;; ++attempt) {
    auto status = read_once(get, range, received, total, sink);
    if (status.ok()) return status;
    if (get.retry.gives_up(attempt, status.error())) {
      RetryPolicy::settle(status.error());
      return status;
    }
    if (!total && received > 0) {
      // Resuming needs to know where the object ends.
      auto whole = get.object_size();
      if (!whole) return whole.error();
      total = *whole - range.offset;
    }
    if (!get.retry.before_next_attempt(attempt, status.error(), fmt::format("{} after {} bytes", get.what, received)))
      return status;
  }
}

}  // namespace kbc::transfer
