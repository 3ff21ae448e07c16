#pragma once
// The Range header as S3 reads it: one range "bytes=a-b", "bytes=a-" or "bytes=-n".
// Anything else (several ranges, other units, garbage) is ignored and the whole object sent.
#include <cstdint>
#include <optional>
#include <string>

namespace kbc::emulator::s3 {

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
  std::uint64_t length() const { return last - first + 1; }
};

struct RangeRequest {
  enum class Kind { whole, range, unsatisfiable };
  Kind kind = Kind::whole;
  ByteRange range;
};

RangeRequest parse_range(const std::string& header, std::uint64_t object_size);

}  // namespace kbc::emulator::s3
