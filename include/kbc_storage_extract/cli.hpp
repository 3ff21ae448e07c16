#pragma once
// The command line: parses flags with CLI11, runs a subcommand, returns the process exit code.
namespace kbc::cli {

int main(int argc, char** argv);

}  // namespace kbc::cli
