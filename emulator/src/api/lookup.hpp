#pragma once
// Finding the bucket or table a request names, with the token's permission checked first
// (403 accessDenied), then existence (404 storage.buckets.notFound / storage.tables.notFound).
#include <string>
#include <utility>

#include "api/auth.hpp"

namespace kbc::emulator {

enum class Access { read, write };

// "in.c-main.orders" -> {"in.c-main", "orders"}; 400 when not that shape.
std::pair<std::string, std::string> split_table_id(const std::string& table_id);

Bucket require_bucket(Services& services, const Caller& caller, const std::string& bucket_id, Access access);
TableMeta require_table(Services& services, const Caller& caller, const std::string& table_id, Access access);

}  // namespace kbc::emulator
