#pragma once
// Parsing the config text: syntax errors with line and column, and duplicate keys (which JSON
// parsers silently resolve to the last value) reported with their path.
#include <optional>
#include <string_view>

#include "config/json_reader.hpp"

namespace kbc::config {

std::optional<json> parse_document(std::string_view text, Issues& issues);

}  // namespace kbc::config
