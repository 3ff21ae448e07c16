#pragma once
// A program's man page (roff, section 1) from its command-line model.
#include <string>
#include <vector>

#include "command_doc.hpp"

namespace kbc::cli_docs {

// `version` goes in the page's footer; `see_also` names the other programs of the project.
std::string man_page(const CommandDoc& program, const std::string& version, const std::vector<std::string>& see_also);

}  // namespace kbc::cli_docs
