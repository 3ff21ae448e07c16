#include "data/csv.hpp"

#include <stdexcept>

namespace kbc::emulator::data {

namespace {
constexpr std::size_t kBufferSize = 256 * 1024;
}

CsvReader::CsvReader(ByteReader& input, CsvDialect dialect) : input_(input), dialect_(dialect) {
  buffer_.resize(kBufferSize);
}

bool CsvReader::fill() {
  if (eof_) return false;
  end_ = input_.read(buffer_.data(), buffer_.size());
  pos_ = 0;
  if (end_ == 0) eof_ = true;
  if (first_ && end_ >= 3 && static_cast<unsigned char>(buffer_[0]) == 0xEF &&
      static_cast<unsigned char>(buffer_[1]) == 0xBB && static_cast<unsigned char>(buffer_[2]) == 0xBF) {
    pos_ = 3;  // UTF-8 byte order mark
  }
  first_ = false;
  return end_ > 0;
}

bool CsvReader::next(std::vector<std::string>& row) {
  row.clear();
  std::string field;
  enum class State { field_start, unquoted, quoted, quote_in_quoted } state = State::field_start;
  bool any = false;  // saw any character of this row
  for (;;) {
    if (pos_ >= end_ && !fill()) break;
    char c = buffer_[pos_++];
    switch (state) {
      case State::field_start:
      case State::unquoted:
        if (dialect_.escaped_by && c == dialect_.escaped_by) {
          if (pos_ >= end_ && !fill()) throw InputError("escape character at the end of the file");
          field += buffer_[pos_++];
          state = State::unquoted;
          any = true;
        } else if (state == State::field_start && dialect_.enclosure && c == dialect_.enclosure) {
          state = State::quoted;
          any = true;
        } else if (c == dialect_.delimiter) {
          row.push_back(std::move(field));
          field.clear();
          state = State::field_start;
          any = true;
        } else if (c == '\n' || c == '\r') {
          if (c == '\r') {
            if (pos_ >= end_) fill();
            if (pos_ < end_ && buffer_[pos_] == '\n') ++pos_;
          }
          if (!any) continue;  // blank line
          row.push_back(std::move(field));
          ++rows_;
          return true;
        } else {
          // Copy the run of ordinary characters at once.
          auto run_end = pos_;
          while (run_end < end_) {
            char d = buffer_[run_end];
            if (d == dialect_.delimiter || d == '\n' || d == '\r' || (dialect_.escaped_by && d == dialect_.escaped_by)) break;
            ++run_end;
          }
          field += c;
          field.append(buffer_, pos_, run_end - pos_);
          pos_ = run_end;
          state = State::unquoted;
          any = true;
        }
        break;
      case State::quoted:
        if (c != dialect_.enclosure && c != dialect_.escaped_by) {
          // Copy the run up to the next enclosure or escape character at once.
          auto run_end = pos_;
          while (run_end < end_ && buffer_[run_end] != dialect_.enclosure &&
                 (!dialect_.escaped_by || buffer_[run_end] != dialect_.escaped_by)) {
            ++run_end;
          }
          field += c;
          field.append(buffer_, pos_, run_end - pos_);
          pos_ = run_end;
        } else if (dialect_.escaped_by && c == dialect_.escaped_by && dialect_.escaped_by != dialect_.enclosure) {
          if (pos_ >= end_ && !fill()) throw InputError("escape character at the end of the file");
          field += buffer_[pos_++];
        } else if (c == dialect_.enclosure) {
          state = State::quote_in_quoted;
        } else {
          field += c;
        }
        break;
      case State::quote_in_quoted:
        if (c == dialect_.enclosure) {
          field += c;  // doubled enclosure
          state = State::quoted;
        } else if (c == dialect_.delimiter) {
          row.push_back(std::move(field));
          field.clear();
          state = State::field_start;
        } else if (c == '\n' || c == '\r') {
          if (c == '\r') {
            if (pos_ >= end_) fill();
            if (pos_ < end_ && buffer_[pos_] == '\n') ++pos_;
          }
          row.push_back(std::move(field));
          ++rows_;
          return true;
        } else {
          throw InputError("unexpected character after a closing enclosure in row " +
                                   std::to_string(rows_ + 1));
        }
        break;
    }
  }
  if (state == State::quoted) throw InputError("unterminated enclosure in row " + std::to_string(rows_ + 1));
  if (!any) return false;
  row.push_back(std::move(field));
  ++rows_;
  return true;
}

void append_csv_row(std::string& out, const std::vector<std::string_view>& values) {
  bool first = true;
  for (auto value : values) {
    if (!first) out += ',';
    first = false;
    out += '"';
    // Copy runs between quotes at once; a quote inside a value is doubled.
    std::size_t start = 0;
    for (auto quote = value.find('"'); quote != std::string_view::npos; quote = value.find('"', start)) {
      out.append(value.data() + start, quote - start + 1);
      out += '"';
      start = quote + 1;
    }
    out.append(value.data() + start, value.size() - start);
    out += '"';
  }
  out += '\n';
}

}  // namespace kbc::emulator::data
