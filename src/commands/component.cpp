// Component mode after config.json is loaded: storage output runs `run` itself (its run
// state kept where the platform keeps a component's state: in/state.json -> out/state.json);
// out/tables output exports each table into the data folder.
#include <fstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "commands/connect.hpp"
#include "commands/interrupt.hpp"
#include "kbc_storage_extract/commands.hpp"
#include "kbc_storage_extract/component/out_tables.hpp"

namespace kbc::commands {

namespace {

namespace fs = std::filesystem;

// The platform hands the last run's out/state.json back as in/state.json ("{}" the first
// time). Ours is carried over when it is a run state; anything else starts afresh.
Result<fs::path> carried_state(const fs::path& data_dir) {
  const fs::path in = data_dir / "in" / "state.json";
  const fs::path out = data_dir / "out" / "state.json";
  std::error_code ec;
  fs::create_directories(out.parent_path(), ec);
  if (ec) return make_error(ErrorKind::io, "cannot create " + out.parent_path().string() + ": " + ec.message());
  if (fs::exists(out, ec) || !fs::exists(in, ec)) return out;
  std::ifstream text(in);
  const auto document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_object() && document.contains("format")) {
    fs::copy_file(in, out, ec);
    if (ec) return make_error(ErrorKind::io, "cannot copy " + in.string() + " to " + out.string() + ": " + ec.message());
  }
  return out;
}

}  // namespace

ExitCode component(const component::Job& job) {
  spdlog::info("component mode: {} tables from {} into {}", job.config.tables.size(), job.config.source.url,
               job.output == component::Output::storage ? "this project's storage (KBC_URL), bucket " +
                                                              job.config.destination_bucket
                                                        : std::string("out/tables"));
  if (job.output == component::Output::storage) {
    auto state = carried_state(job.data_dir);
    if (!state) return fail("component", state.error());
    RunOptions options;
    options.state_file = *state;
    return run(job.config, options);
  }
  auto token = token_of(job.config.source);
  if (!token) return fail("component", token.error());
  NetworkOptions network;
  http::Client http(network.http_limits());
  auto source = storage_client(job.config.source.url, *token, http, network);
  install_interrupt_handlers();
  auto written = component::write_out_tables(job, source, {std::chrono::system_clock::now(), network});
  if (!written) return fail("component", written.error());
  return *written;
}

}  // namespace kbc::commands
