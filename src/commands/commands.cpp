// `run`: load-time checks are done by the CLI; this connects the two projects, runs the
// extraction (or the plan), prints the summary and writes the report.
#include "kbc_storage_extract/commands.hpp"

#include <algorithm>
#include <iostream>

#include <spdlog/spdlog.h>

#include "commands/connect.hpp"
#include "commands/interrupt.hpp"
#include "kbc_storage_extract/extract/runner.hpp"
#include "kbc_storage_extract/logging.hpp"
#include "kbc_storage_extract/redact.hpp"
#include "kbc_storage_extract/report/report.hpp"
#include "kbc_storage_extract/state/run_state.hpp"

namespace kbc::commands {

namespace {

// The destination table ids this run may copy: the shard's tables, or every configured one.
std::vector<std::string> destination_ids(const Config& config, const RunOptions& options) {
  std::vector<std::string> ids;
  const auto held = options.shard ? extract::shard_tables(config, *options.shard) : std::vector<std::string>{};
  for (const auto& table : config.tables)
    if (!options.shard || std::find(held.begin(), held.end(), table.name) != held.end())
      ids.push_back(extract::destination_table_id(config, table));
  return ids;
}

// Where the run state is: --state FILE as given; else the config's default name (per shard
// with --shard) beside the config, or in --state DIR. Only default names have a config lock
// (the unsharded state's, shared by the shards) and siblings to continue bookmarks from.
struct StatePlace {
  std::filesystem::path file;
  std::optional<std::filesystem::path> config_lock;
};

StatePlace state_place(const Config& config, const RunOptions& options) {
  std::error_code ec;
  if (options.state_file && !std::filesystem::is_directory(*options.state_file, ec)) return {*options.state_file, {}};
  const auto unsharded = state::default_state_file(config.file);
  const auto own = options.shard ? state::shard_state_file(config.file, options.shard->index, options.shard->count)
                                 : unsharded;
  if (!options.state_file) return {own, unsharded};
  return {*options.state_file / own.filename(), *options.state_file / unsharded.filename()};
}

// A table that moved between shard layouts (N changed, or --shard added or dropped) keeps its
// bookmark: the newest entry among the config's default state files is taken; an import that
// another layout's file still journals is left for that layout to settle.
void adopt_sibling_states(const Config& config, const RunOptions& options, state::RunState& own,
                          extract::RunSettings& settings) {
  const auto ids = destination_ids(config, options);
  for (const auto& file : state::sibling_state_files(own.file(), config.file.stem().string())) {
    auto sibling = state::RunState::load(file);
    if (!sibling) {
      spdlog::warn("{} (ignored: bookmarks in it are not continued)", sibling.error().message);
      continue;
    }
    for (const auto& id : own.adopt_newer(*sibling, ids)) settings.foreign_in_flight.emplace(id, file);
  }
}

}  // namespace

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
  settings.shard = options.shard;
  settings.dry_run = options.dry_run;
  settings.parallel = options.parallel;
  settings.part_size = static_cast<std::uint64_t>(options.part_size_mib) << 20;
  settings.now = now;
  settings.changed_since = options.changed_since;
  settings.replace_with_changed_rows = options.replace_with_changed_rows;
  settings.full = options.full;
  settings.network = options.network;
  // Progress consumers (docs/progress.md): JSON events for JSON logs; otherwise the terminal
  // view, or else the 5-second log lines. Destroyed (view erased) before the summary prints.
  auto consumers = std::make_unique<progress::Fanout>();
  if (!options.quiet && !options.dry_run) {
    if (options.json_events) consumers->add(progress::make_json_events());
    if (progress::view_wanted(options.view, options.json_events, options.quiet, logging::stderr_terminal()))
      consumers->add(progress::make_terminal_view());
    else if (!options.json_events)
      consumers->add(progress::make_log_lines());
  }
  settings.progress = consumers.get();
  install_interrupt_handlers();

  // One run of a config (or of one shard of it) at a time; the state is read before anything
  // is contacted. A dry run reads it (to show bookmarks) but neither locks nor writes it.
  const auto place = state_place(config, options);
  std::vector<state::StateLock> locks;
  if (!options.dry_run) {
    // Shards share the config's own lock (they hold disjoint tables), so an unsharded run of
    // the config, which holds it alone, never overlaps any of them; each shard also holds its
    // state file's lock alone.
    if (options.shard && place.config_lock) {
      auto shared = state::StateLock::acquire(*place.config_lock, state::StateLock::Mode::shared);
      if (!shared) return fail("run", shared.error());
      locks.push_back(std::move(*shared));
    }
    auto locked = state::StateLock::acquire(place.file);
    if (!locked) return fail("run", locked.error());
    locks.push_back(std::move(*locked));
  }
  auto loaded = state::RunState::load(place.file);
  if (!loaded) return fail("run", loaded.error());
  std::optional<state::RunState> run_state;
  run_state.emplace(options.dry_run ? state::RunState::read_only(std::move(*loaded)) : std::move(*loaded));
  settings.state = &*run_state;
  if (place.config_lock) adopt_sibling_states(config, options, *run_state, settings);

  auto run = extract::run_extraction(config, source, destination, settings);
  settings.progress = nullptr;
  consumers.reset();
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
      if (options.shard) {
        const auto held = extract::shard_tables(config, *options.shard);
        stopped.shard = report::ShardReport{options.shard->index, options.shard->count, held, config.tables.size()};
      }
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
