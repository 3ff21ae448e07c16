#pragma once
// The Storage API's naming rules for bucket ids, table names and column names.
#include <optional>
#include <string>
#include <string_view>

namespace kbc::config {

// Each returns nullopt when the name is valid, else what is wrong and what is allowed.
std::optional<std::string> bucket_id_problem(std::string_view bucket_id);   // "in.c-main"
std::optional<std::string> table_name_problem(std::string_view name);       // "orders"
std::optional<std::string> column_name_problem(std::string_view name);      // "order_id"

}  // namespace kbc::config
