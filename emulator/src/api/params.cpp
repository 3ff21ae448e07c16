#include "api/params.hpp"

#include <httplib.h>

#include <algorithm>

#include "api/api_error.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

// "a[b][]" -> {"a", "b", ""}
std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  auto open = key.find('[');
  if (open == std::string::npos || key.back() != ']') return {key};
  parts.push_back(key.substr(0, open));
  while (open != std::string::npos && open < key.size()) {
    auto close = key.find(']', open);
    if (close == std::string::npos) break;
    parts.push_back(key.substr(open + 1, close - open - 1));
    open = close + 1;
    if (open < key.size() && key[open] != '[') break;
  }
  return parts;
}

void put(json& root, const std::vector<std::string>& parts, const std::string& value) {
  json* node = &root;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    bool last = i + 1 == parts.size();
    const auto& part = parts[i];
    if (part.empty()) {
      if (!node->is_array()) *node = json::array();
      node->push_back(last ? json(value) : json::object());
      node = &node->back();
    } else {
      if (!node->is_object()) *node = json::object();
      node = &(*node)[part];
      if (last) *node = value;
    }
  }
}

bool all_numeric_keys(const json& object) {
  if (!object.is_object() || object.empty()) return false;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.key().empty() || !std::all_of(it.key().begin(), it.key().end(), ::isdigit)) return false;
  }
  return true;
}

// {"0":{…},"1":{…}} from `name[0][x]` fields becomes an array, as PHP would read it.
void normalize(json& node) {
  if (node.is_object()) {
    for (auto& [key, child] : node.items()) normalize(child);
    if (all_numeric_keys(node)) {
      std::vector<std::pair<long, json>> items;
      for (auto it = node.begin(); it != node.end(); ++it) items.emplace_back(std::stol(it.key()), it.value());
      std::sort(items.begin(), items.end(), [](auto& a, auto& b) { return a.first < b.first; });
      json array = json::array();
      for (auto& [index, value] : items) array.push_back(std::move(value));
      node = std::move(array);
    }
  } else if (node.is_array()) {
    for (auto& child : node) normalize(child);
  }
}

}  // namespace

std::string json_scalar_to_string(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "1" : "0";
  if (value.is_null()) return "";
  return value.dump();
}

Params Params::from(const httplib::Request& request) {
  json values = json::object();
  for (const auto& [key, value] : request.params) put(values, split_key(key), value);
  for (const auto& [key, part] : request.files) {  // multipart/form-data fields
    if (part.filename.empty()) put(values, split_key(key), part.content);
  }
  normalize(values);
  auto content_type = request.get_header_value("Content-Type");
  if (content_type.find("application/json") != std::string::npos && !request.body.empty()) {
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      throw bad_request("The request body is not a valid JSON object.", "validation.invalidJson");
    }
    for (auto& [key, value] : body.items()) values[key] = value;
  }
  return Params(std::move(values));
}

bool Params::has(const std::string& name) const { return values_.contains(name) && !values_[name].is_null(); }

const json& Params::raw(const std::string& name) const {
  static const json null_value;
  auto it = values_.find(name);
  return it == values_.end() ? null_value : *it;
}

std::optional<std::string> Params::string(const std::string& name) const {
  if (!has(name)) return std::nullopt;
  const auto& value = raw(name);
  if (value.is_array() || value.is_object()) throw bad_request("Parameter \"" + name + "\" must be a string.");
  return json_scalar_to_string(value);
}

std::string Params::required_string(const std::string& name) const {
  auto value = string(name);
  if (!value || value->empty()) throw bad_request("Parameter \"" + name + "\" is required.");
  return *value;
}

bool Params::boolean(const std::string& name, bool fallback) const {
  if (!has(name)) return fallback;
  const auto& value = raw(name);
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number()) return value.get<double>() != 0;
  auto text = json_scalar_to_string(value);
  std::transform(text.begin(), text.end(), text.begin(), ::tolower);
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off" || text.empty()) return false;
  throw bad_request("Parameter \"" + name + "\" must be a boolean (0/1/true/false).");
}

std::optional<std::int64_t> Params::integer(const std::string& name) const {
  if (!has(name)) return std::nullopt;
  const auto& value = raw(name);
  if (value.is_number_integer()) return value.get<std::int64_t>();
  auto text = json_scalar_to_string(value);
  if (text.empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    auto number = std::stoll(text, &used);
    if (used == text.size()) return number;
  } catch (...) {
  }
  throw bad_request("Parameter \"" + name + "\" must be an integer.");
}

std::vector<std::string> Params::list(const std::string& name, bool comma_separated) const {
  std::vector<std::string> out;
  if (!has(name)) return out;
  const auto& value = raw(name);
  if (value.is_array()) {
    for (const auto& item : value) out.push_back(json_scalar_to_string(item));
  } else if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) out.push_back(json_scalar_to_string(it.value()));
  } else {
    auto text = json_scalar_to_string(value);
    if (!comma_separated) {
      if (!text.empty()) out.push_back(text);
      return out;
    }
    std::size_t start = 0;
    while (start <= text.size()) {
      auto comma = text.find(',', start);
      auto item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      item.erase(0, item.find_first_not_of(' '));
      item.erase(item.find_last_not_of(' ') + 1);
      if (!item.empty()) out.push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

std::map<std::string, std::string> Params::map(const std::string& name) const {
  std::map<std::string, std::string> out;
  if (!has(name)) return out;
  const auto& value = raw(name);
  if (!value.is_object()) {
    if (value.is_array() && value.empty()) return out;
    throw bad_request("Parameter \"" + name + "\" must be an object.");
  }
  for (auto it = value.begin(); it != value.end(); ++it) out[it.key()] = json_scalar_to_string(it.value());
  return out;
}

}  // namespace kbc::emulator
