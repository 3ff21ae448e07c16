// The source token's bucket and its tables, for `init` to offer.
#include "commands/connect.hpp"
#include "kbc_storage_extract/commands.hpp"
#include "kbc_storage_extract/extract/token_rules.hpp"

namespace kbc::commands {

Result<SourceBucket> source_bucket_tables(const std::string& url, const Secret& token) {
  http::Client http;
  auto client = storage_client(url, token, http);
  auto info = client.verify_token();
  if (!info) return info.error();
  auto verdict = extract::check_source_token(*info, std::chrono::system_clock::now());
  if (!verdict.usable()) return verdict.refusal;
  auto tables = client.list_tables(verdict.bucket_id);
  if (!tables) return tables.error();
  SourceBucket bucket{verdict.bucket_id, {}};
  for (const auto& table : *tables) bucket.tables.push_back(table.name);
  return bucket;
}

}  // namespace kbc::commands
