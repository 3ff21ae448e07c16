#pragma once
// Which tokens the tool accepts, as pure functions over tokens/verify answers (no network).
// Source: read-only on exactly one bucket, nothing else (seed storage-api-extractor.md).
// Destination: may write to the destination bucket, or may create it when it is missing.
#include <optional>
#include <string>
#include <vector>

#include "kbc_storage_extract/error.hpp"
#include "kbc_storage_extract/storage_api/types.hpp"

namespace kbc::extract {

// One rule per way a source token can be unfit; each refusal names its rule.
enum class SourceTokenRule {
  expired,           // isExpired, or `expires` in the past
  disabled,          // isDisabled
  master_token,      // isMasterToken: can do everything in the project
  manages_buckets,   // canManageBuckets: can create and delete any bucket
  manages_tokens,    // canManageTokens: can create other tokens
  write_permission,  // a bucketPermissions value other than "read"
  no_bucket,         // no bucket at all
  several_buckets,   // more than one bucket
};
const char* to_string(SourceTokenRule rule);  // "read-only", "single-bucket", ...

struct SourceTokenVerdict {
  std::optional<SourceTokenRule> refused_by;  // the first rule the token breaks
  Error refusal;                              // ErrorKind::permission; message names the rule
  std::string bucket_id;                      // the token's one bucket, when usable
  std::vector<std::string> warnings;          // e.g. expires within 7 days
  bool usable() const { return !refused_by; }
};

// How to create the right token, for every refusal message.
extern const char* const source_token_howto;

SourceTokenVerdict check_source_token(const storage_api::TokenInfo& token, storage_api::TimePoint now);

struct DestinationVerdict {
  enum class Access { write, create_bucket, refused };
  Access access = Access::refused;
  Error refusal;  // ErrorKind::permission, when refused
  std::vector<std::string> warnings;
};

// `bucket_exists`: whether destination.bucket exists (as far as the token can see).
DestinationVerdict check_destination_token(const storage_api::TokenInfo& token, const std::string& bucket_id,
                                           bool bucket_exists, storage_api::TimePoint now);

}  // namespace kbc::extract
