#pragma once
// Questions on a terminal for `init`: prompts on stderr, answers from stdin, a token read
// without echo. Only used when both stdin and stderr are terminals.
#include <optional>
#include <string>

namespace kbc::cli {

bool interactive_terminal();  // stdin and stderr are both TTYs
// Print `question` on stderr and read one line; nullopt at end of input.
std::optional<std::string> ask(const std::string& question);
// The same with echo off (the terminal is restored whatever happens); a newline is printed after.
std::optional<std::string> ask_hidden(const std::string& question);

}  // namespace kbc::cli
