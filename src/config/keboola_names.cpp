#include "config/keboola_names.hpp"

#include <algorithm>
#include <cctype>

#include "config/json_reader.hpp"

namespace kbc::config {

namespace {
constexpr std::size_t kMaxTableName = 96;   // Storage API limit for table (and bucket) names
constexpr std::size_t kMaxColumnName = 64;  // Storage API limit for column names

bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool name_char(char c) { return alnum(c) || c == '_' || c == '-'; }

// "in.c-NAME" or "out.c-NAME", NAME of letters, digits, '_' and '-'.
bool bucket_id_shape(std::string_view id) {
  for (const std::string_view prefix : {"in.c-", "out.c-"}) {
    if (!id.starts_with(prefix)) continue;
    const auto name = id.substr(prefix.size());
    return !name.empty() && std::all_of(name.begin(), name.end(), name_char);
  }
  return false;
}
}  // namespace

std::optional<std::string> bucket_id_problem(std::string_view bucket_id) {
  if (!bucket_id_shape(bucket_id))
    return "invalid bucket id " + quote(bucket_id) +
           "; expected \"in.c-NAME\" or \"out.c-NAME\" with NAME of letters, digits, '_' and '-' (e.g. \"in.c-from-eu\")";
  if (bucket_id.size() - bucket_id.find("c-") - 2 > kMaxTableName)
    return "bucket name is longer than " + std::to_string(kMaxTableName) + " characters";
  return std::nullopt;
}

std::optional<std::string> table_name_problem(std::string_view name) {
  if (name.size() > kMaxTableName)
    return "table name is " + std::to_string(name.size()) + " characters long; at most " + std::to_string(kMaxTableName) +
           " are allowed";
  if (!std::all_of(name.begin(), name.end(), name_char))
    return "invalid table name " + quote(name) +
           "; only letters, digits, '_' and '-' are allowed (give the table name alone, without the bucket id)";
  return std::nullopt;
}

std::optional<std::string> column_name_problem(std::string_view name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > kMaxColumnName)
    return "column name is longer than " + std::to_string(kMaxColumnName) + " characters";
  if (!std::all_of(name.begin(), name.end(), [](char c) { return alnum(c) || c == '_'; }) || name.front() == '_')
    return "invalid column name " + quote(name) + "; only letters, digits and '_' are allowed, not starting with '_'";
  return std::nullopt;
}

}  // namespace kbc::config
