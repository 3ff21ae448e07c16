// `run`: load-time checks are done by the CLI; this connects the two projects, runs the
// extraction (or the plan), prints the summary and writes the report.
#include "kbc_storage_extract/commands.hpp"

#include <iostream>

#include <spdlog/spdlog.h>

#include "commands/connect.hpp"
#include "commands/interrupt.hpp"
#include "kbc_storage_extract/extract/runner.hpp"
#include "kbc_storage_extract/redact.hpp"
#include "kbc_storage_extract/report/report.hpp"
#include "kbc_storage_extract/state/run_state.hpp"

namespace kbc::commands {

ExitCode run(const Config& config, const RunOptions& options) {
  const auto now = std::chrono::system_clock::now();  // every relative changedSince resolves against this
  auto source_token = token_of(config.source);
  if (!source_token) return fail("run", source_token.error());
  auto destination_token = token_of(config.destination);
  if (!destination_token) return fail("run", destination_token.error());

  http::Client http(options.network.http_limits());
  auto source = storage_client(config.source.url, *source_token, http, options.network);
  auto destination = storage_client(config.destination.url, *destination_token, http, options.network);

  extract::RunSettings settings;
  settings.only_tables = options.tables;
  settings.dry_run = options.dry_run;
  settings.parallel = options.parallel;
  settings.now = now;
  settings.changed_since = options.changed_since;
  settings.replace_with_changed_rows = options.replace_with_changed_rows;
  settings.full = options.full;
  settings.network = options.network;
  install_interrupt_handlers();

  // One run of a config at a time; the state is read before anything is contacted. A dry run
  // reads it (to show bookmarks) but neither locks nor writes it.
  const auto state_file = options.state_file.value_or(state::default_state_file(config.file));
  std::optional<state::StateLock> lock;
  if (!options.dry_run) {
    auto locked = state::StateLock::acquire(state_file);
    if (!locked) return fail("run", locked.error());
    lock.emplace(std::move(*locked));
  }
  auto loaded = state::RunState::load(state_file);
  if (!loaded) return fail("run", loaded.error());
  std::optional<state::RunState> run_state;
  run_state.emplace(options.dry_run ? state::RunState::read_only(std::move(*loaded)) : std::move(*loaded));
  settings.state = &*run_state;

  auto run = extract::run_extraction(config, source, destination, settings);
  if (!run) {
    const ExitCode code = fail("run", run.error());
    if (options.report_file) {
      // Scripts read the report even when the run stopped before the tables.
      report::RunReport stopped;
      stopped.started = now;
      stopped.finished = std::chrono::system_clock::now();
      stopped.dry_run = options.dry_run;
      stopped.source.url = config.source.url;
      stopped.destination.url = config.destination.url;
      stopped.destination.bucket_id = config.destination_bucket;
      stopped.stopped_by = run.error();
      stopped.exit_code = code;
      if (auto written = report::write_report(*options.report_file, stopped); !written) fail("run", written.error());
    }
    return code;
  }

  std::cout << redact(options.dry_run ? report::render_plan(*run) : report::render_summary(*run)) << std::flush;
  if (options.report_file) {
    if (auto written = report::write_report(*options.report_file, *run); !written) return fail("run", written.error());
  }
  return report::run_exit_code(*run);
}

}  // namespace kbc::commands
