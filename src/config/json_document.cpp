#include "config/json_document.hpp"

#include <set>

namespace kbc::config {

namespace {

// Where the parser is: one frame per open object/array, each knowing its current child.
class DuplicateKeyFinder {
 public:
  explicit DuplicateKeyFinder(Issues& issues) : issues_(issues) {}

  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: frames_.push_back({true, {}, {}, 0}); break;
      case json::parse_event_t::array_start: frames_.push_back({false, {}, {}, 0}); break;
      case json::parse_event_t::key: {
        auto& frame = frames_.back();
        frame.key = parsed.get<std::string>();
        if (!frame.keys.insert(frame.key).second)
          issues_.error(current_path(), "duplicate key " + quote(frame.key) + "; only its last value would count");
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        frames_.pop_back();
        element_done();
        break;
      case json::parse_event_t::value: element_done(); break;
    }
    return true;
  }

 private:
  struct Frame {
    bool object;
    std::set<std::string> keys;
    std::string key;
    std::size_t index;
  };

  void element_done() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
  }
  std::string current_path() const {
    std::string path;
    for (const auto& frame : frames_) path = frame.object ? child_path(path, frame.key) : child_path(path, frame.index);
    return path;
  }

  Issues& issues_;
  std::vector<Frame> frames_;
};

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

std::optional<json> parse_document(std::string_view text, Issues& issues) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    issues.error("", "the file is empty; expected a JSON object with \"source\", \"destination\" and \"tables\"");
    return std::nullopt;
  }
  try {
    return json::parse(text, DuplicateKeyFinder(issues));
  } catch (const json::parse_error& error) {
    // nlohmann's what(): "[json.exception.parse_error.101] parse error at line 3, column 1: <detail>".
    const std::string what = error.what();
    const auto detail_at = what.find(": ");
    std::string detail = detail_at == std::string::npos ? what : what.substr(detail_at + 2);
    const auto [line, column] = line_and_column(text, error.byte);
    std::string message = "not valid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + detail;
    if (detail.find("unexpected end of input") != std::string::npos) message += " (is the file truncated?)";
    issues.error("", message);
    return std::nullopt;
  } catch (const json::out_of_range& error) {
    // A number no double holds ("1e999"): nlohmann reports it as out_of_range.406, with no
    // position; the message names the literal.
    const std::string what = error.what();
    const auto detail_at = what.find("] ");
    issues.error("", "not valid JSON: " + (detail_at == std::string::npos ? what : what.substr(detail_at + 2)) +
                         "; write numbers a double can hold (and true/false for flags)");
    return std::nullopt;
  }
}

}  // namespace kbc::config
