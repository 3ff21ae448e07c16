#pragma once
// Finding the bucket, table or file a request names, with the token's permission checked first
// (403 accessDenied), then existence (404 storage.buckets.notFound / storage.tables.notFound);
// a file is looked up first (404 storage.files.notFound), then the token's right to it.
#include <string>
#include <utility>

#include "api/auth.hpp"

namespace kbc::emulator {

enum class Access { read, write };

// "in.c-main.orders" -> {"in.c-main", "orders"}; 400 when not that shape.
std::pair<std::string, std::string> split_table_id(const std::string& table_id);

Bucket require_bucket(Services& services, const Caller& caller, const std::string& bucket_id, Access access);
TableMeta require_table(Services& services, const Caller& caller, const std::string& table_id, Access access);

// apiary "List Files": a token reads the files it prepared; a master token or one with
// canReadAllFileUploads reads all of its project's.
bool reads_all_files(const Token& token);
FileRecord require_file(Services& services, const Caller& caller, std::int64_t file_id);

}  // namespace kbc::emulator
