#pragma once
// Request parameters as the Storage API accepts them: query string, form fields (PHP-style
// `name[]`, `name[key]`, `name[0][key]`, booleans 0/1/true/false) or a JSON body, merged into
// one JSON object so handlers read them one way.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace httplib { struct Request; }

namespace kbc::emulator {

class Params {
 public:
  static Params from(const httplib::Request& request);
  explicit Params(nlohmann::json values) : values_(std::move(values)) {}

  bool has(const std::string& name) const;
  std::optional<std::string> string(const std::string& name) const;
  std::string required_string(const std::string& name) const;  // 400 when missing or empty
  bool boolean(const std::string& name, bool fallback = false) const;
  std::optional<std::int64_t> integer(const std::string& name) const;
  // A JSON array, `name[]` fields, or (for `comma_separated`) a "a,b" string.
  std::vector<std::string> list(const std::string& name, bool comma_separated = false) const;
  std::map<std::string, std::string> map(const std::string& name) const;
  const nlohmann::json& raw(const std::string& name) const;
  const nlohmann::json& all() const { return values_; }

 private:
  nlohmann::json values_;
};

std::string json_scalar_to_string(const nlohmann::json& value);

}  // namespace kbc::emulator
