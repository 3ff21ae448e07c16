// Storage API buckets: list, detail, create, delete.
#include <httplib.h>

#include "api/api_error.hpp"
#include "api/auth.hpp"
#include "api/http_util.hpp"
#include "api/lookup.hpp"
#include "api/params.hpp"
#include "api/routes.hpp"
#include "api/serialize.hpp"
#include "api/submit_job.hpp"
#include "data/table_data.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

bool valid_bucket_name(const std::string& name) {
  if (name.empty() || name.size() > 96) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

void drop_bucket(Services& services, const Caller& caller, const Bucket& bucket) {
  for (const auto& table : services.store.list_tables(caller.project.id, bucket.id)) {
    data::drop_rows_table(services.rows.connection(), table);
    services.store.delete_table(caller.project.id, table.id);
  }
  services.store.delete_bucket(caller.project.id, bucket.id);
  record_event(services, caller.token, "storage.bucketDeleted", "Bucket " + bucket.id + " deleted", "bucket", bucket.id);
}

}  // namespace

void mount_buckets(httplib::Server& server, Services& services, const std::string& region) {
  server.Get("/v2/storage/buckets", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    json out = json::array();
    for (const auto& bucket : services.store.list_buckets(caller.project.id)) {
      if (!bucket_permission(caller.token, bucket.id).empty()) out.push_back(bucket_json(services, bucket));
    }
    send_json(res, 200, out);
  }));

  server.Get(R"(/v2/storage/buckets/([^/]+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    auto bucket = require_bucket(services, caller, req.matches[1].str(), Access::read);
    send_json(res, 200, bucket_json(services, bucket));
  }));

  server.Post("/v2/storage/buckets", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    require_manage_buckets(caller);
    auto params = Params::from(req);
    auto name = params.required_string("name");
    auto stage = params.string("stage").value_or("in");
    if (stage != "in" && stage != "out") {
      throw bad_request("Invalid stage \"" + stage + "\": use in or out.", "storage.buckets.validation");
    }
    if (!valid_bucket_name(name)) {
      throw bad_request("Invalid bucket name \"" + name +
                            "\": only alphanumeric characters, dashes and underscores are allowed.",
                        "storage.buckets.validation");
    }
    Bucket bucket;
    bucket.project_id = caller.project.id;
    bucket.name = "c-" + name;
    bucket.id = stage + "." + bucket.name;
    bucket.stage = stage;
    bucket.description = params.string("description").value_or("");
    bucket.display_name = params.string("displayName").value_or(name);
    bucket.created = services.clock.now_seconds();
    if (services.store.find_bucket(caller.project.id, bucket.id)) {
      throw bad_request("The bucket " + bucket.id + " already exists.", "storage.buckets.alreadyExists");
    }
    services.store.insert_bucket(bucket);
    record_event(services, caller.token, "storage.bucketCreated", "Bucket " + bucket.id + " created", "bucket", bucket.id);
    send_json(res, 201, bucket_json(services, bucket));
  }));

  server.Delete(R"(/v2/storage/buckets/([^/]+))", guarded([&services, region](const auto& req, auto& res) {
    auto caller = authenticate(services, req, region);
    require_manage_buckets(caller);
    auto bucket = require_bucket(services, caller, req.matches[1].str(), Access::write);
    auto params = Params::from(req);
    if (!params.boolean("force") && !services.store.list_tables(caller.project.id, bucket.id).empty()) {
      throw bad_request("Bucket " + bucket.id + " is not empty. Use force to delete it with its tables.",
                        "buckets.deleteNotEmpty");
    }
    if (params.boolean("async")) {
      Job job;
      job.project_id = caller.project.id;
      job.operation_name = "bucketDelete";
      job.operation_params = {{"bucketId", bucket.id}, {"force", params.boolean("force")}};
      job.creator_token_id = caller.token.id;
      auto started = submit_job(services, job, [&services, caller, bucket](Job&) {
        drop_bucket(services, caller, bucket);
        return json(nullptr);
      });
      send_json(res, 202, job_json(services, started));
      return;
    }
    drop_bucket(services, caller, bucket);
    send_json(res, 204, nullptr);
  }));
}

}  // namespace kbc::emulator
