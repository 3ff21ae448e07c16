#pragma once
// Secret: a token or credential that formats as "***" everywhere. Only reveal() gives the
// value, and only code that puts it on the wire calls reveal().
#include <ostream>
#include <string>

#include <fmt/format.h>

namespace kbc {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  // Safe to show: the part of a Storage API token before its secret ("123-4567-…"), else "***".
  std::string masked() const;

  friend bool operator==(const Secret&, const Secret&) = default;
  friend std::ostream& operator<<(std::ostream& out, const Secret& s) { return out << s.masked(); }

 private:
  std::string value_;
};

}  // namespace kbc

template <>
struct fmt::formatter<kbc::Secret> : fmt::formatter<std::string> {
  template <class Ctx>
  auto format(const kbc::Secret& s, Ctx& ctx) const { return fmt::formatter<std::string>::format(s.masked(), ctx); }
};
