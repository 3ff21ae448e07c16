#pragma once
// What a program's command line offers, read once from its CLI11 definition: the one model the
// man page and the completion scripts are rendered from, so none of them can drift from --help.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace kbc::cli_docs {

// What the value of an option (or a positional argument) is, for completing it.
enum class ValueKind { none, file, directory, choice, text };

struct OptionDoc {
  std::vector<std::string> names;  // "-q", "--quiet"; a positional has its name ("CONFIG")
  bool positional = false;
  bool takes_value = false;
  bool repeatable = false;  // may be given again (--table NAME ..., -vv)
  bool required = false;
  std::string value_name;  // "NAME", "FILE", "text|json"
  ValueKind value_kind = ValueKind::none;
  std::vector<std::string> choices;  // from an IsMember check
  std::string constraint;            // other checks as CLI11 words them: "INT in [1 - 64]"
  std::string default_value;
  std::string description;
  std::string group;  // "Options" unless the definition names one
};

struct CommandDoc {
  std::string program;            // "kbc-storage-extract"
  std::vector<std::string> path;  // {} for the program itself, {"token", "verify"}
  std::string description;
  std::string footer;                   // the program's help footer (examples, exit codes)
  std::vector<OptionDoc> options;       // flags and options, as --help lists them
  std::vector<OptionDoc> positionals;   // in order
  std::vector<CommandDoc> subcommands;  // in definition order
  bool fallthrough = false;             // the parent's flags are accepted here too

  // "kbc-storage-extract token verify"
  std::string full_name() const;
};

// Walk `app` (and its subcommands) into the model; options hidden from --help are left out.
CommandDoc describe(CLI::App& app, const std::string& program);

// The option names of `command` and, where it falls through, of the commands above it: every
// flag a user may type at that point (the completions' value-skipping needs them all).
std::vector<const OptionDoc*> accepted_options(const std::vector<const CommandDoc*>& lineage);

}  // namespace kbc::cli_docs
