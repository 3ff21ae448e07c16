#include "bash_completion.hpp"

#include <sstream>

#include "completion_walk.hpp"

namespace kbc::cli_docs {

namespace {

// A single-quoted bash word.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A $'...' word list, one word a line (the function splits on newlines only, for file names).
std::string word_list(const std::vector<std::string>& words) {
  std::string out = "$'";
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += "\\n";
    for (char c : words[i]) out += (c == '\'' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  }
  return out + "'";
}

std::string key(const CommandDoc& command, const std::string& word) { return quoted(path_words(command) + "/" + word); }

// The completion of one value: a choice, a file, a directory, or nothing to offer.
std::string complete_value(const OptionDoc& option) {
  switch (option.value_kind) {
    case ValueKind::choice: return "COMPREPLY=($(compgen -W " + word_list(option.choices) + " -- \"$cur\"))";
    case ValueKind::file: return "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))";
    case ValueKind::directory: return "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\"))";
    default: return "COMPREPLY=()";
  }
}

std::vector<std::string> flag_names(const CommandDoc& command) {
  std::vector<std::string> names;
  for (const auto& option : command.options)
    for (const auto& name : option.names) names.push_back(name);
  return names;
}

std::vector<std::string> subcommand_names(const CommandDoc& command) {
  std::vector<std::string> names;
  for (const auto& sub : command.subcommands) names.push_back(sub.path.back());
  return names;
}

}  // namespace

std::string bash_completion(const CommandDoc& program) {
  const auto function = function_name(program.program);
  std::ostringstream transitions, value_options, values, flags, words;
  for_each_command(program, [&](const std::vector<const CommandDoc*>& lineage) {
    const auto& command = *lineage.back();
    for (const auto& sub : command.subcommands)
      transitions << "            " << key(command, sub.path.back()) << ") command=" << quoted(path_words(sub))
                  << "; positionals=0; continue ;;\n";
    for (const auto* option : accepted_options(lineage)) {
      if (!option->takes_value) continue;
      for (const auto& name : option->names) {
        value_options << "                    " << key(command, name) << ") skip=1; value_of=$word ;;\n";
        values << "            " << key(command, name) << ") " << complete_value(*option) << " ;;\n";
      }
    }
    flags << "            " << quoted(path_words(command)) << ") COMPREPLY=($(compgen -W " << word_list(flag_names(command))
          << " -- \"$cur\")) ;;\n";
    // A word that is not a flag: a subcommand, else the next positional argument, else a flag.
    words << "            " << quoted(path_words(command)) << ")\n";
    if (!command.subcommands.empty()) {
      words << "                COMPREPLY=($(compgen -W " << word_list(subcommand_names(command)) << " -- \"$cur\")) ;;\n";
    } else {
      words << "                case $positionals in\n";
      for (std::size_t i = 0; i < command.positionals.size(); ++i) {
        const auto& positional = command.positionals[i];
        words << "                    " << (positional.repeatable ? std::string("*") : std::to_string(i)) << ") "
              << complete_value(positional) << " ;;\n";
        if (positional.repeatable) break;
      }
      words << "                    *) COMPREPLY=($(compgen -W " << word_list(flag_names(command))
            << " -- \"$cur\")) ;;\n"
            << "                esac ;;\n";
    }
  });

  std::ostringstream out;
  out << "# bash completion for " << program.program
      << ". Generated from its CLI definition by kbc-cli-docs (tools/cli_docs) at build time: do not edit.\n"
      << "# Installed as share/bash-completion/completions/" << program.program
      << ", where bash-completion loads it on first use; `source` it to use it without bash-completion.\n"
      << function << "() {\n"
      << "    local cur prev words cword\n"
      << "    if declare -F _get_comp_words_by_ref >/dev/null; then\n"
      << "        _get_comp_words_by_ref -n =: cur prev words cword\n"
      << "    else\n"
      << "        words=(\"${COMP_WORDS[@]}\"); cword=$COMP_CWORD; cur=${words[cword]}\n"
      << "    fi\n"
      << "    local IFS=$'\\n' command='' positionals=0 skip=0 value_of='' i word\n"
      << "    # Walk the words before the cursor: subcommands deepen the command, an option that takes a\n"
      << "    # value consumes the next word, anything else is a positional argument.\n"
      << "    for (( i = 1; i < cword; i++ )); do\n"
      << "        word=${words[i]}\n"
      << "        [[ $word == = ]] && continue  # --option = value, split by COMP_WORDBREAKS\n"
      << "        if (( skip )); then skip=0; continue; fi\n"
      << "        case \"$command/$word\" in\n"
      << transitions.str()
      << "        esac\n"
      << "        case $word in\n"
      << "            -*=*) ;;\n"
      << "            -*) case \"$command/$word\" in\n"
      << value_options.str()
      << "                esac ;;\n"
      << "            *) (( positionals++ )) ;;\n"
      << "        esac\n"
      << "    done\n"
      << "    if [[ $cur == -*=* ]]; then value_of=${cur%%=*}; cur=${cur#*=}; skip=1\n"
      << "    elif [[ $cur == = ]]; then cur=''\n"
      << "    fi\n"
      << "    if (( skip )); then  # the value of $value_of\n"
      << "        case \"$command/$value_of\" in\n"
      << values.str()
      << "            *) COMPREPLY=() ;;\n"
      << "        esac\n"
      << "        return 0\n"
      << "    fi\n"
      << "    if [[ $cur == -* ]]; then\n"
      << "        case $command in\n"
      << flags.str()
      << "        esac\n"
      << "        return 0\n"
      << "    fi\n"
      << "    case $command in\n"
      << words.str()
      << "    esac\n"
      << "    return 0\n"
      << "}\n"
      << "complete -F " << function << " " << program.program << "\n";
  return out.str();
}

}  // namespace kbc::cli_docs
