#include "seed/generated_csv.hpp"

#include <cstring>
#include <ctime>
#include <stdexcept>

#include "util/time_format.hpp"

namespace kbc::emulator::seed {

using nlohmann::json;

namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finalizer
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

void append_quoted(std::string& out, const std::string& value) {
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

GeneratorSpec GeneratorSpec::parse(const json& spec, const std::string& where) {
  if (!spec.is_object()) throw std::runtime_error(where + ": generate must be an object");
  GeneratorSpec out;
  out.rows = spec.value("rows", std::int64_t{0});
  out.seed = spec.value("seed", std::uint64_t{1});
  if (out.rows < 0) throw std::runtime_error(where + ".rows must not be negative");
  if (!spec.contains("columns") || !spec["columns"].is_array() || spec["columns"].empty()) {
    throw std::runtime_error(where + ".columns must be a non-empty array");
  }
  std::size_t index = 0;
  for (const auto& c : spec["columns"]) {
    auto at = where + ".columns[" + std::to_string(index++) + "]";
    GeneratedColumn column;
    column.name = c.value("name", "");
    if (column.name.empty()) throw std::runtime_error(at + ".name is required");
    column.kind = c.value("kind", "text");
    column.min = c.value("min", column.kind == "decimal" ? std::int64_t{0} : std::int64_t{1});
    column.max = c.value("max", column.kind == "decimal" ? std::int64_t{1000} : std::int64_t{1000000});
    column.scale = c.value("scale", 2);
    column.length = c.value("length", 16);
    column.days = c.value("days", std::int64_t{365});
    if (c.contains("start")) {
      auto start = parse_datetime(c["start"].get<std::string>());
      if (!start) throw std::runtime_error(at + ".start must be a date like 2024-01-01");
      column.start_day = *start / 86400;
    }
    if (c.contains("values")) column.values = c["values"].get<std::vector<std::string>>();
    static const char* kKinds[] = {"seq", "int", "decimal", "text", "date", "choice"};
    bool known = false;
    for (auto* kind : kKinds) known = known || column.kind == kind;
    if (!known) throw std::runtime_error(at + ".kind must be one of seq, int, decimal, text, date, choice");
    if (column.kind == "choice" && column.values.empty()) throw std::runtime_error(at + ".values is required for choice");
    if (column.max < column.min) throw std::runtime_error(at + ": max must not be below min");
    out.columns.push_back(std::move(column));
  }
  return out;
}

GeneratedCsv::GeneratedCsv(GeneratorSpec spec) : spec_(std::move(spec)) {}

void GeneratedCsv::produce_row() {
  pending_.clear();
  pending_pos_ = 0;
  const auto row = next_row_++;
  for (std::size_t i = 0; i < spec_.columns.size(); ++i) {
    if (i) pending_ += ',';
    const auto& column = spec_.columns[i];
    if (row == 0) {
      append_quoted(pending_, column.name);
      continue;
    }
    auto random = mix(spec_.seed * 0x100000001b3ull ^ (static_cast<std::uint64_t>(row) << 8) ^ i);
    auto span = static_cast<std::uint64_t>(column.max - column.min) + 1;
    if (column.kind == "seq") {
      pending_ += '"' + std::to_string(column.min + row - 1) + '"';
    } else if (column.kind == "int") {
      pending_ += '"' + std::to_string(column.min + static_cast<std::int64_t>(random % span)) + '"';
    } else if (column.kind == "decimal") {
      std::uint64_t factor = 1;
      for (int s = 0; s < column.scale; ++s) factor *= 10;
      auto units = column.min * static_cast<std::int64_t>(factor) + static_cast<std::int64_t>(random % (span * factor));
      auto text = std::to_string(units / static_cast<std::int64_t>(factor));
      if (column.scale > 0) {
        auto fraction = std::to_string(units % static_cast<std::int64_t>(factor));
        text += '.' + std::string(static_cast<std::size_t>(column.scale) - fraction.size(), '0') + fraction;
      }
      pending_ += '"' + text + '"';
    } else if (column.kind == "date") {
      auto day = column.start_day + static_cast<std::int64_t>(random % static_cast<std::uint64_t>(std::max<std::int64_t>(column.days, 1)));
      pending_ += '"' + format_datetime(day * 86400).substr(0, 10) + '"';
    } else if (column.kind == "choice") {
      append_quoted(pending_, column.values[random % column.values.size()]);
    } else {  // text
      static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
      pending_ += '"';
      auto state = random;
      for (int k = 0; k < column.length; ++k) {
        state = mix(state);
        pending_ += kAlphabet[state % (sizeof(kAlphabet) - 1)];
      }
      pending_ += '"';
    }
  }
  pending_ += '\n';
}

std::size_t GeneratedCsv::read(char* buffer, std::size_t size) {
  std::size_t written = 0;
  while (written < size) {
    if (pending_pos_ >= pending_.size()) {
      if (next_row_ > spec_.rows) break;
      produce_row();
    }
    auto n = std::min(size - written, pending_.size() - pending_pos_);
    std::memcpy(buffer + written, pending_.data() + pending_pos_, n);
    pending_pos_ += n;
    written += n;
  }
  return written;
}

}  // namespace kbc::emulator::seed
