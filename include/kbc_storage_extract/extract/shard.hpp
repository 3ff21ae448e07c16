#pragma once
// `run --shard I/N`: which configured tables belong to shard I of N. A table's shard depends
// only on its destination table id and N (a stable hash, the same in every build), never on
// its position, so adding, removing or reordering other tables moves none of it; the shards
// 1..N hold every configured table exactly once. Offline: it needs no request.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kbc_storage_extract/config.hpp"
#include "kbc_storage_extract/result.hpp"

namespace kbc::extract {

struct Shard {
  int index = 1;  // 1-based
  int count = 1;
  std::string label() const;  // "2/4"
};

inline constexpr int k_max_shards = 1000;
// The variable `--shard auto/N` reads (0-based), as Kubernetes sets it in an Indexed Job.
inline constexpr const char* k_shard_index_env = "JOB_COMPLETION_INDEX";

// "I/N" (1 <= I <= N <= 1000) or "auto/N" (I = $JOB_COMPLETION_INDEX + 1, read through
// `getenv`). ErrorKind::invalid_input saying what is wrong and how to write it.
Result<Shard> parse_shard(std::string_view text,
                          const std::function<std::optional<std::string>(const char*)>& getenv);

// FNV-1a, 64 bits, of the bytes of `text`: the key a table is placed by.
std::uint64_t fnv1a_64(std::string_view text);
// Jump consistent hash (Lamping and Veach, 2014) of `key` into [0, buckets): stable, and
// growing N moves only about 1/N of the keys.
int jump_consistent_hash(std::uint64_t key, int buckets);
// The 1-based shard of N that holds the table whose destination id is `destination_table_id`.
int shard_of(std::string_view destination_table_id, int count);

// The destination table id of a configured table ("in.c-from-eu.orders").
std::string destination_table_id(const Config& config, const TableConfig& table);
// The names of the configured tables that `shard` holds, in configuration order.
std::vector<std::string> shard_tables(const Config& config, const Shard& shard);

}  // namespace kbc::extract
