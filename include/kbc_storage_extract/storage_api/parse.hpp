#pragma once
// The edge where Storage API JSON becomes value types. Each parser fails with
// ErrorKind::protocol naming the missing or mistyped field, never with an exception.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kbc_storage_extract/result.hpp"
#include "kbc_storage_extract/storage_api/types.hpp"

namespace kbc::storage_api {

Result<TokenInfo> parse_token_info(const nlohmann::json& body);
// A token answer with its string (create, refresh); the string is registered for masking.
Result<IssuedToken> parse_issued_token(const nlohmann::json& body);
Result<Bucket> parse_bucket(const nlohmann::json& body);
Result<TableDetail> parse_table(const nlohmann::json& body);
Result<Job> parse_job(const nlohmann::json& body);
Result<FileDetail> parse_file_detail(const nlohmann::json& body);
Result<PreparedFile> parse_prepared_file(const nlohmann::json& body);

// The API's datetimes: "2017-02-13T10:27:50+0100", "...+01:00", "...Z", optional fractions;
// years 1900 to 2200 (what TimePoint holds), nullopt otherwise.
std::optional<TimePoint> parse_api_time(std::string_view text);
// UTC ISO 8601 with a Z: "2026-11-25T08:00:00Z".
std::string format_iso_utc(TimePoint time);

}  // namespace kbc::storage_api
