#include "s3/byte_range.hpp"

#include <algorithm>
#include <cctype>

namespace kbc::emulator::s3 {

namespace {
std::optional<std::uint64_t> number(const std::string& text) {
  if (text.empty() || text.size() > 19 ||
      !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  return std::stoull(text);
}
}  // namespace

RangeRequest parse_range(const std::string& header, std::uint64_t object_size) {
  RangeRequest whole;
  constexpr std::string_view unit = "bytes=";
  if (header.rfind(unit, 0) != 0) return whole;
  auto spec = header.substr(unit.size());
  auto dash = spec.find('-');
  if (dash == std::string::npos || spec.find(',') != std::string::npos) return whole;
  auto first_text = spec.substr(0, dash);
  auto last_text = spec.substr(dash + 1);
  RangeRequest result;
  result.kind = RangeRequest::Kind::range;
  if (first_text.empty()) {  // suffix: the last n bytes
    auto suffix = number(last_text);
    if (!suffix) return whole;
    if (*suffix == 0 || object_size == 0) return {RangeRequest::Kind::unsatisfiable, {}};
    result.range = {object_size - std::min(*suffix, object_size), object_size - 1};
    return result;
  }
  auto first = number(first_text);
  if (!first) return whole;
  std::optional<std::uint64_t> last = object_size == 0 ? 0 : object_size - 1;
  if (!last_text.empty()) {
    auto requested_last = number(last_text);
    if (!requested_last || *requested_last < *first) return whole;
    last = std::min(*requested_last, object_size == 0 ? 0 : object_size - 1);
  }
  if (*first >= object_size) return {RangeRequest::Kind::unsatisfiable, {}};
  result.range = {*first, *last};
  return result;
}

}  // namespace kbc::emulator::s3
