#include "kbc_storage_extract/secret.hpp"

#include <algorithm>

namespace kbc {

// Storage API tokens look like "<projectId>-<tokenId>-<secret>": the ids are not secret and
// help a user tell tokens apart, so they stay visible.
std::string Secret::masked() const {
  if (value_.empty()) return "";
  const auto first = value_.find('-');
  if (first != std::string::npos) {
    const auto second = value_.find('-', first + 1);
    if (second != std::string::npos && second > first + 1 && second + 1 < value_.size()) {
      const auto ids = value_.substr(0, second);
      if (std::all_of(ids.begin(), ids.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); }))
        return ids + "-***";
    }
  }
  return "***";
}

}  // namespace kbc
