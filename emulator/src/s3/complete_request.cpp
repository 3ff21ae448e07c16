#include "s3/complete_request.hpp"

#include <algorithm>
#include <cctype>

namespace kbc::emulator::s3 {

namespace {

std::string decode_entities(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '&') {
      auto end = text.find(';', i);
      if (end != std::string::npos) {
        auto entity = text.substr(i + 1, end - i - 1);
        const char* replacement = entity == "quot" ? "\"" : entity == "amp" ? "&" : entity == "lt" ? "<"
                                : entity == "gt" ? ">" : entity == "apos" ? "'" : nullptr;
        if (replacement == nullptr && entity == "#34") replacement = "\"";
        if (replacement != nullptr) {
          out += replacement;
          i = end;
          continue;
        }
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// Text of the first <tag>…</tag> (the open tag may carry attributes) inside `xml`.
std::optional<std::string> element_text(const std::string& xml, const std::string& tag) {
  std::size_t search = 0;
  while (true) {
    auto open = xml.find("<" + tag, search);
    if (open == std::string::npos) return std::nullopt;
    auto after = open + 1 + tag.size();
    if (after < xml.size() && (xml[after] == '>' || xml[after] == ' ')) {
      auto content = xml.find('>', after);
      auto close = xml.find("</" + tag + ">", content);
      if (content == std::string::npos || close == std::string::npos) return std::nullopt;
      return decode_entities(xml.substr(content + 1, close - content - 1));
    }
    search = after;
  }
}

std::string trim(std::string text) {
  text.erase(0, text.find_first_not_of(" \t\r\n"));
  text.erase(text.find_last_not_of(" \t\r\n") + 1);
  return text;
}

}  // namespace

std::optional<std::vector<RequestedPart>> parse_complete_request(const std::string& xml) {
  auto root = element_text(xml, "CompleteMultipartUpload");
  if (!root) return std::nullopt;
  std::vector<RequestedPart> parts;
  std::size_t search = 0;
  while (true) {
    auto open = root->find("<Part>", search);
    if (open == std::string::npos) break;
    auto close = root->find("</Part>", open);
    if (close == std::string::npos) return std::nullopt;
    auto block = root->substr(open, close - open + 7);
    auto number = element_text(block, "PartNumber");
    auto etag = element_text(block, "ETag");
    if (!number || !etag) return std::nullopt;
    auto digits = trim(*number);
    if (digits.empty() || digits.size() > 5 ||
        !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); })) {
      return std::nullopt;
    }
    parts.push_back({std::stoi(digits), trim(*etag)});
    search = close + 7;
  }
  if (parts.empty()) return std::nullopt;
  return parts;
}

}  // namespace kbc::emulator::s3
