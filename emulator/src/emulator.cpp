#include "emulator.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <fstream>

#include "api/auth.hpp"
#include "api/branches.hpp"
#include "api/fault_http.hpp"
#include "api/http_util.hpp"
#include "api/routes.hpp"
#include "db/database.hpp"
#include "faults.hpp"
#include "azure/azure_blob_store.hpp"
#include "gcs/gcs_store.hpp"
#include "jobs/interrupted_jobs.hpp"
#include "jobs/job_runner.hpp"
#include "model/store.hpp"
#include "listener.hpp"
#include "s3/file_store.hpp"
#include "seed/seed.hpp"
#include "services.hpp"
#include "util/clock.hpp"

namespace kbc::emulator {

using nlohmann::json;

struct Emulator::Impl {
  EmulatorOptions options;
  std::filesystem::path data_dir;
  bool remove_data_dir = false;
  Clock clock;
  FaultInjector faults;
  std::unique_ptr<db::Database> metadata;
  std::unique_ptr<db::Database> rows;
  std::unique_ptr<Store> store;
  std::unique_ptr<FileStore> files;
  std::unique_ptr<GcsStore> gcs;
  std::unique_ptr<azure::AzureBlobStore> azure;
  std::unique_ptr<JobRunner> jobs;
  std::unique_ptr<Services> services;
  std::vector<std::pair<std::string, std::unique_ptr<httplib::Server>>> storage_servers;
  std::unique_ptr<httplib::Server> s3_server;
  std::unique_ptr<httplib::Server> gcs_server;
  std::vector<std::thread> threads;
  bool stopped = false;

  void open_data_dir() {
    if (options.data_dir.empty()) {
      auto pattern = (std::filesystem::temp_directory_path() / "kbc-emulator-XXXXXX").string();
      if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary data directory");
      data_dir = pattern;
      remove_data_dir = true;
    } else {
      data_dir = options.data_dir;
      std::filesystem::create_directories(data_dir);
    }
    std::filesystem::create_directories(data_dir / "staging");
    std::filesystem::remove_all(data_dir / "staging");
    std::filesystem::create_directories(data_dir / "staging");
  }

  int bind(httplib::Server& server, int index) {
    if (options.port == 0) {
      int port = bind_listener(server, options.host, 0);
      if (port <= 0) throw std::runtime_error("cannot bind a free port on " + options.host);
      return port;
    }
    int port = options.port + index;
    if (bind_listener(server, options.host, port) != port) {
      throw std::runtime_error("cannot bind " + options.host + ":" + std::to_string(port) + " (in use?)");
    }
    return port;
  }

  void configure(httplib::Server& server, const std::string& name) {
    // A kept-alive connection holds a pool thread: room for parallel clients and job polling.
    server.new_task_queue = [] { return new httplib::ThreadPool(32); };
    server.set_keep_alive_max_count(1000);
    server.set_read_timeout(60);
    server.set_write_timeout(60);
    server.set_payload_max_length(64 * 1024 * 1024);
    server.set_logger([name](const httplib::Request& req, const httplib::Response& res) {
      auto token = req.get_header_value("X-StorageApi-Token");
      spdlog::info("{} {} {} {} token={}", name, req.method, req.path, res.status,
                   token.empty() ? std::string("-") : mask_token(token));
    });
  }
};

Emulator::Emulator(EmulatorOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = std::move(options); }

Emulator::~Emulator() {
  stop();
  if (impl_->remove_data_dir) {
    std::error_code ec;
    std::filesystem::remove_all(impl_->data_dir, ec);
  }
}

json Emulator::start() {
  auto& d = *impl_;
  auto seed = d.options.seed.empty() ? Seed::empty() : Seed::read(d.options.seed);
  for (const auto& [region, provider] : seed.providers) {
    if (provider == "azure" && d.options.azure_blob_endpoint.empty()) {
      throw std::runtime_error("region " + region +
                               " has provider azure: start the emulator with --azure-blob-endpoint URL (an azurite blob "
                               "endpoint such as http://127.0.0.1:10000/devstoreaccount1)");
    }
  }
  if (!d.options.azure_blob_endpoint.empty()) {
    try {
      azure::base64_decode(d.options.azure_account_key);
    } catch (const std::invalid_argument&) {
      throw std::runtime_error("--azure-account-key is not a base64 storage account key");
    }
    try {
      d.azure = std::make_unique<azure::AzureBlobStore>(azure::BlobStoreConfig{
          d.options.azure_blob_endpoint, d.options.azure_account, d.options.azure_account_key, d.options.azure_block_size});
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(e.what());
    }
    d.azure->check_reachable();
  }
  d.open_data_dir();
  d.metadata = std::make_unique<db::Database>(d.data_dir / "metadata.sqlite", db::Database::Kind::metadata);
  d.rows = std::make_unique<db::Database>(d.data_dir / "tables.sqlite", db::Database::Kind::table_rows);
  d.store = std::make_unique<Store>(*d.metadata);
  d.files = std::make_unique<FileStore>(d.data_dir / "files", seed.regions.front(), d.faults);
  d.gcs = std::make_unique<GcsStore>(d.files->objects(), d.faults);
  d.jobs = std::make_unique<JobRunner>(*d.store, d.clock, std::chrono::milliseconds(d.options.job_delay_ms),
                                       d.options.job_workers);
  end_interrupted_jobs(*d.store, d.clock);  // jobs a previous run of this --data dir left unfinished
  d.services = std::unique_ptr<Services>(new Services{d.options, d.clock, d.faults, *d.store, *d.rows, *d.files, *d.jobs,
                                                      d.data_dir / "staging", {}, {}});
  d.services->next_storage_id = d.store->max_storage_id() + 1;
  d.services->gcs = d.gcs.get();
  d.services->region_providers = seed.providers;
  d.services->azure = d.azure.get();

  json ready = {{"regions", json::object()}};
  int index = 0;
  for (const auto& region : seed.regions) {
    auto server = std::make_unique<httplib::Server>();
    int port = d.bind(*server, index++);
    auto url = "http://" + d.options.host + ":" + std::to_string(port);
    d.services->region_urls[region] = url;
    ready["regions"][region] = url;
    d.storage_servers.emplace_back(region, std::move(server));
  }
  d.s3_server = std::make_unique<httplib::Server>();
  int s3_port = d.bind(*d.s3_server, index);
  d.services->s3_url = "http://" + d.options.host + ":" + std::to_string(s3_port);
  ready["s3"] = d.services->s3_url;
  d.gcs_server = std::make_unique<httplib::Server>();
  int gcs_port = d.bind(*d.gcs_server, index + 1);
  d.services->gcs_url = "http://" + d.options.host + ":" + std::to_string(gcs_port);
  ready["gcs"] = d.services->gcs_url;
  if (d.azure) ready["azure"] = d.azure->endpoint();

  // A persisted --data directory keeps its state: the seed applies to a fresh one only.
  if (!d.store->find_project(0) && d.store->next_project_id() == 1) apply_seed(seed, *d.services);

  for (auto& [region, server] : d.storage_servers) {
    d.configure(*server, region);
    // /v2/storage/branch/{default branch}/… is routed as /v2/storage/… (api/branches.hpp).
    install_storage_faults(*server, *d.services, [services = d.services.get(), region](const auto& req, auto& res) {
      return route_branch_alias(*services, region, req, res);
    });
    mount_index_and_jobs(*server, *d.services, region);
    mount_tokens(*server, *d.services, region);
    mount_buckets(*server, *d.services, region);
    mount_tables(*server, *d.services, region);
    mount_table_jobs(*server, *d.services, region);
    mount_table_columns(*server, *d.services, region);
    mount_table_rows(*server, *d.services, region);
    mount_branches(*server, *d.services, region);
    mount_data_preview(*server, *d.services, region);
    mount_metadata(*server, *d.services, region);
    mount_files(*server, *d.services, region);
    mount_file_list(*server, *d.services, region);
    mount_file_tags(*server, *d.services, region);
    if (!d.options.manage_token.empty()) mount_manage(*server, *d.services, region);
    if (d.options.faults) mount_admin(*server, *d.services);
    // Answers httplib makes itself (unknown route, unreadable request) get the API's error body.
    server->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      if (res.status == 404) {
        send_error(res, 404, "notFound", "Route " + req.method + " " + req.path + " not found");
      } else if (res.status >= 400) {
        send_error(res, res.status, "invalidRequest",
                   "The request could not be read (HTTP " + std::to_string(res.status) + ").");
      }
    });
  }
  d.files->mount(*d.s3_server, d.services->s3_url);
  d.gcs->mount(*d.gcs_server, d.services->gcs_url);

  for (auto& [region, server] : d.storage_servers) {
    d.threads.emplace_back([s = server.get()] { s->listen_after_bind(); });
  }
  d.threads.emplace_back([s = d.s3_server.get()] { s->listen_after_bind(); });
  d.threads.emplace_back([s = d.gcs_server.get()] { s->listen_after_bind(); });
  auto all_running = [&] {
    for (auto& [region, server] : d.storage_servers) {
      if (!server->is_running()) return false;
    }
    return d.s3_server->is_running() && d.gcs_server->is_running();
  };
  for (int i = 0; i < 1000 && !all_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (!all_running()) throw std::runtime_error("listeners did not start");

  if (!d.options.ready_file.empty()) {
    auto temp = d.options.ready_file;
    temp += ".tmp";
    {
      std::ofstream out(temp);
      out << ready.dump() << "\n";
      if (!out) throw std::runtime_error("cannot write the ready file " + temp.string());
    }
    std::filesystem::rename(temp, d.options.ready_file);
  }
  return ready;
}

void Emulator::stop() {
  auto& d = *impl_;
  if (d.stopped) return;
  d.stopped = true;
  for (auto& [region, server] : d.storage_servers) server->stop();
  if (d.s3_server) d.s3_server->stop();
  if (d.gcs_server) d.gcs_server->stop();
  for (auto& thread : d.threads) {
    if (thread.joinable()) thread.join();
  }
  if (d.jobs) d.jobs->stop();
}

}  // namespace kbc::emulator
