#pragma once
// Reading a JSON document while collecting every problem with its RFC 6901 path, instead of
// stopping at the first one.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kbc_storage_extract/config.hpp"

namespace kbc::config {

using nlohmann::json;

struct Issues {
  std::vector<ConfigIssue> errors;
  std::vector<ConfigIssue> warnings;
  void error(std::string path, std::string message) { errors.push_back({std::move(path), std::move(message)}); }
  void warn(std::string path, std::string message) { warnings.push_back({std::move(path), std::move(message)}); }
};

// RFC 6901: "/tables" + "0" → "/tables/0"; "~" and "/" in keys are escaped as "~0" and "~1".
std::string child_path(std::string_view parent, std::string_view key);
std::string child_path(std::string_view parent, std::size_t index);

// "a string", "a number", "true or false", "null", "an object", "an array".
std::string describe_type(const json& value);
// "\"text\"" with quotes and escapes, shortened when long: for echoing user values in messages.
std::string quote(std::string_view text);

// A JSON object at `path`, read key by key; each accessor reports a problem into `issues`.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path, Issues& issues) : object_(object), path_(std::move(path)), issues_(issues) {}

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const { return child_path(path_, key); }
  bool has(std::string_view key) const { return object_.contains(key); }
  const json* find(std::string_view key) const;

  // Report keys outside `known`, suggesting the closest known key.
  void reject_unknown_keys(std::initializer_list<std::string_view> known) const;
  // Report a missing required key at the path where it belongs.
  bool require(std::string_view key, std::string_view what) const;

  // nullopt when absent or invalid (the problem is reported). Strings must not be empty/blank.
  std::optional<std::string> string(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;

  Issues& issues() const { return issues_; }

 private:
  const json& object_;
  std::string path_;
  Issues& issues_;
};

// "//" and keys starting with it are comments (JSON has none): every object may hold them,
// and they are ignored (`init` writes its explanations this way).
bool is_comment_key(std::string_view key);

// True when `value` is an object; otherwise reports "expected <what>, got …" at `path`.
bool expect_object(const json& value, const std::string& path, std::string_view what, Issues& issues);

}  // namespace kbc::config
