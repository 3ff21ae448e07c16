#pragma once
// How bytes flow between layers without being held whole: a range of an object, a sink that
// receives a download in order, a source that fills an upload. Shared by http/ and transfer/.
#include <cstddef>
#include <cstdint>
#include <functional>

namespace kbc {

struct ByteRange {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;  // 0 with offset 0 means "the whole object"
};

// Receives downloaded bytes in order. Return false to abort the transfer (cancelled).
using ByteSink = std::function<bool(const char* data, std::size_t size)>;
// Fills `buffer` with up to `capacity` upload bytes and returns how many; 0 means the source
// failed or was cancelled before the announced length was reached.
using ByteSource = std::function<std::size_t(char* buffer, std::size_t capacity)>;

}  // namespace kbc
