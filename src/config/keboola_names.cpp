#include "config/keboola_names.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include "config/json_reader.hpp"

namespace kbc::config {

namespace {
constexpr std::size_t kMaxTableName = 96;   // Storage API limit for table (and bucket) names
constexpr std::size_t kMaxColumnName = 64;  // Storage API limit for column names

bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
}  // namespace

std::optional<std::string> bucket_id_problem(std::string_view bucket_id) {
  static const std::regex pattern(R"((in|out)\.c-[A-Za-z0-9_-]+)");
  if (!std::regex_match(bucket_id.begin(), bucket_id.end(), pattern))
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
  if (!std::all_of(name.begin(), name.end(), [](char c) { return alnum(c) || c == '_' || c == '-'; }))
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
