#include "config/json_reader.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "config/suggest.hpp"

namespace kbc::config {

std::string child_path(std::string_view parent, std::string_view key) {
  std::string path(parent);
  path += '/';
  for (const char c : key) {
    if (c == '~') path += "~0";
    else if (c == '/') path += "~1";
    else path += c;
  }
  return path;
}

std::string child_path(std::string_view parent, std::size_t index) { return std::string(parent) + "/" + std::to_string(index); }

std::string describe_type(const json& value) {
  switch (value.type()) {
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "true or false";
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    default: return "an unsupported value";
  }
}

std::string quote(std::string_view text) {
  constexpr std::size_t kMaxShown = 60;
  std::string shown(text.substr(0, kMaxShown));
  if (text.size() > kMaxShown) shown += "...";
  return json(shown).dump(-1, ' ', false, json::error_handler_t::replace);
}

const json* ObjectReader::find(std::string_view key) const {
  const auto it = object_.find(key);
  return it == object_.end() ? nullptr : &*it;
}

bool is_comment_key(std::string_view key) { return key.substr(0, 2) == "//"; }

void ObjectReader::reject_unknown_keys(std::initializer_list<std::string_view> known) const {
  const std::vector<std::string_view> candidates(known);
  for (const auto& [key, value] : object_.items()) {
    if (std::find(candidates.begin(), candidates.end(), key) != candidates.end()) continue;
    if (is_comment_key(key)) continue;  // {"//": "..."}: JSON has no comments, so a key is one
    std::string message = "unknown key " + quote(key);
    if (auto suggestion = closest_match(key, candidates)) {
      message += "; did you mean \"" + *suggestion + "\"?";
    } else {
      message += "; expected one of: ";
      for (std::size_t i = 0; i < candidates.size(); ++i) message += (i ? ", " : "") + std::string(candidates[i]);
    }
    issues_.error(path_of(key), message);
  }
}

bool ObjectReader::require(std::string_view key, std::string_view what) const {
  if (has(key)) return true;
  issues_.error(path_of(key), "missing required key \"" + std::string(key) + "\" (" + std::string(what) + ")");
  return false;
}

std::optional<std::string> ObjectReader::string(std::string_view key) const {
  const json* value = find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    issues_.error(path_of(key), "expected a string, got " + describe_type(*value));
    return std::nullopt;
  }
  const auto& text = value->get_ref<const std::string&>();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    issues_.error(path_of(key), "must not be empty");
    return std::nullopt;
  }
  return text;
}

std::optional<bool> ObjectReader::boolean(std::string_view key) const {
  const json* value = find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    std::string message = "expected true or false, got " + describe_type(*value);
    if (value->is_string()) message += " (write true or false without quotes)";
    issues_.error(path_of(key), message);
    return std::nullopt;
  }
  return value->get<bool>();
}

bool expect_object(const json& value, const std::string& path, std::string_view what, Issues& issues) {
  if (value.is_object()) return true;
  issues.error(path, "expected " + std::string(what) + ", got " + describe_type(value));
  return false;
}

}  // namespace kbc::config
