#pragma once
// A generated table's content as a CSV byte stream (header + `rows` rows), produced on demand
// so a 1 GiB seed table never exists in memory. Deterministic: the same spec and seed give the
// same bytes. Column kinds: seq (1, 2, …), int (min..max), decimal (min..max, scale), text
// (length), date (start + 0..days), choice (one of values).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/byte_stream.hpp"

namespace kbc::emulator::seed {

struct GeneratedColumn {
  std::string name;
  std::string kind = "text";
  std::int64_t min = 0;
  std::int64_t max = 1000000;
  int scale = 2;
  int length = 16;
  std::int64_t start_day = 19723;  // 2024-01-01 as days since the epoch
  std::int64_t days = 365;
  std::vector<std::string> values;
};

// Parses {"rows":N,"seed":S,"columns":[{"name","kind",…}]}; throws std::runtime_error.
struct GeneratorSpec {
  std::int64_t rows = 0;
  std::uint64_t seed = 1;
  std::vector<GeneratedColumn> columns;
  static GeneratorSpec parse(const nlohmann::json& spec, const std::string& where);
};

class GeneratedCsv : public data::ByteReader {
 public:
  explicit GeneratedCsv(GeneratorSpec spec);
  std::size_t read(char* buffer, std::size_t size) override;

 private:
  void produce_row();
  GeneratorSpec spec_;
  std::int64_t next_row_ = 0;  // 0 = header
  std::string pending_;
  std::size_t pending_pos_ = 0;
};

}  // namespace kbc::emulator::seed
