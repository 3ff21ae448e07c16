// `component` (or no command with KBC_DATADIR set): config.json from the data folder, every
// problem printed with its JSON path, then the job; exit codes in the component convention.
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "kbc_storage_extract/commands.hpp"
#include "kbc_storage_extract/component/component.hpp"

namespace kbc::cli {

int component_command(const Invocation& invocation) {
  auto environment = component::Environment::from_process();
  if (!invocation.component_data_dir.empty()) environment.data_dir = invocation.component_data_dir;
  const auto file = (environment.data_dir / "config.json").string();
  auto load = component::load_job(environment);
  const auto line = [&file](const ConfigIssue& issue) {
    return file + ": " + (issue.json_path.empty() ? "" : issue.json_path + ": ") + issue.message;
  };
  for (const auto& warning : load.warnings) spdlog::warn("{}", line(warning));
  if (!load.job) {
    for (const auto& issue : load.issues) spdlog::error("{}", line(issue));
    spdlog::error("{}: {} problem{} found; nothing was contacted", file, load.issues.size(),
                  load.issues.size() == 1 ? "" : "s");
    return component::component_exit_code(ExitCode::usage_error);
  }
  // Read the tokens now: a missing one is the configuration's fault, and each gets masked.
  if (auto token = resolve_token(load.job->config.source.token); !token) {
    spdlog::error("{}: {}", file, token.error().describe());
    return component::component_exit_code(ExitCode::usage_error);
  }
  if (load.job->output == component::Output::storage) {
    if (auto token = resolve_token(load.job->config.destination.token); !token) {
      spdlog::error("{}: {}", file, token.error().describe());
      return component::component_exit_code(ExitCode::usage_error);
    }
  }
  return component::component_exit_code(commands::component(*load.job));
}

}  // namespace kbc::cli
