#include "kbc_storage_extract/extract/shard.hpp"

#include <charconv>

#include <fmt/format.h>

namespace kbc::extract {

namespace {

Error bad_shard(std::string_view text, const std::string& why) {
  return make_error(ErrorKind::invalid_input, fmt::format("--shard \"{}\": {}", text, why),
                    fmt::format("write --shard I/N with 1 <= I <= N <= {} (shard I of N, e.g. --shard 2/4), or "
                                "--shard auto/N to take I from ${} (0-based, as a Kubernetes Indexed Job sets it)",
                                k_max_shards, k_shard_index_env));
}

// A whole decimal number, digits only (no sign, no spaces, no "0x").
std::optional<long> whole_number(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.front() == '-' || text.front() == '+')
    return std::nullopt;
  return value;
}

}  // namespace

std::string Shard::label() const { return fmt::format("{}/{}", index, count); }

Result<Shard> parse_shard(std::string_view text, const std::function<std::optional<std::string>(const char*)>& getenv) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || text.find('/', slash + 1) != std::string_view::npos)
    return bad_shard(text, "is not of the form I/N");
  const auto index_text = text.substr(0, slash);
  const auto count = whole_number(text.substr(slash + 1));
  if (!count) return bad_shard(text, fmt::format("N \"{}\" is not a whole number", text.substr(slash + 1)));
  if (*count < 1 || *count > k_max_shards)
    return bad_shard(text, fmt::format("N is {}; it must be 1 to {}", *count, k_max_shards));
  Shard shard;
  shard.count = static_cast<int>(*count);
  if (index_text == "auto") {
    const auto value = getenv(k_shard_index_env);
    if (!value)
      return bad_shard(text, fmt::format("auto takes the shard from ${}, which is not set (Kubernetes sets it in an "
                                         "Indexed Job: completionMode: Indexed)",
                                         k_shard_index_env));
    const auto zero_based = whole_number(*value);
    if (!zero_based || *zero_based >= *count)
      return bad_shard(text, fmt::format("${} is \"{}\"; with N = {} it must be 0 to {} (0-based)", k_shard_index_env,
                                         *value, *count, *count - 1));
    shard.index = static_cast<int>(*zero_based) + 1;
    return shard;
  }
  const auto index = whole_number(index_text);
  if (!index) return bad_shard(text, fmt::format("I \"{}\" is not a whole number (or auto)", index_text));
  if (*index < 1 || *index > *count)
    return bad_shard(text, fmt::format("I is {}; it must be 1 to N = {} (shards count from 1)", *index, *count));
  shard.index = static_cast<int>(*index);
  return shard;
}

std::uint64_t fnv1a_64(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const unsigned char byte : text) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

int jump_consistent_hash(std::uint64_t key, int buckets) {
  std::int64_t bucket = -1, next = 0;
  while (next < buckets) {
    bucket = next;
    key = key * 2862933555777941757ULL + 1;
    next = static_cast<std::int64_t>(static_cast<double>(bucket + 1) *
                                     (static_cast<double>(1LL << 31) / static_cast<double>((key >> 33) + 1)));
  }
  return static_cast<int>(bucket);
}

int shard_of(std::string_view destination_table_id, int count) {
  return jump_consistent_hash(fnv1a_64(destination_table_id), count) + 1;
}

std::string destination_table_id(const Config& config, const TableConfig& table) {
  return config.destination_bucket + "." + (table.destination.empty() ? table.name : table.destination);
}

std::vector<std::string> shard_tables(const Config& config, const Shard& shard) {
  std::vector<std::string> names;
  for (const auto& table : config.tables)
    if (shard_of(destination_table_id(config, table), shard.count) == shard.index) names.push_back(table.name);
  return names;
}

}  // namespace kbc::extract
