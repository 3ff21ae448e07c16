#include "seed/seed.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "api/table_operations.hpp"
#include "data/csv.hpp"
#include "seed/generated_csv.hpp"
#include "services.hpp"
#include "util/time_format.hpp"

namespace kbc::emulator {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw std::runtime_error("seed " + where + ": " + what);
}

const json& require(const json& object, const char* key, const std::string& where) {
  if (!object.is_object() || !object.contains(key)) fail(where, std::string("\"") + key + "\" is required");
  return object[key];
}

std::string csv_of_rows(const json& table, const std::string& where) {
  const auto& columns = require(table, "columns", where);
  if (!columns.is_array() || columns.empty()) fail(where + ".columns", "must be a non-empty array");
  std::string out;
  std::vector<std::string_view> values;
  std::vector<std::string> header = columns.get<std::vector<std::string>>();
  for (const auto& name : header) values.emplace_back(name);
  data::append_csv_row(out, values);
  std::size_t index = 0;
  for (const auto& row : table["rows"]) {
    auto at = where + ".rows[" + std::to_string(index++) + "]";
    if (!row.is_array() || row.size() != header.size()) fail(at, "must be an array of " + std::to_string(header.size()) + " values");
    std::vector<std::string> texts;
    for (const auto& v : row) texts.push_back(v.is_string() ? v.get<std::string>() : (v.is_null() ? "" : v.dump()));
    values.assign(texts.begin(), texts.end());
    data::append_csv_row(out, values);
  }
  return out;
}

void seed_table(Services& services, const Seed& seed, std::int64_t project_id, const std::string& bucket_id,
                const json& table, const std::string& where) {
  auto name = require(table, "name", where).get<std::string>();
  std::vector<std::string> primary_key;
  if (table.contains("primaryKey")) primary_key = table["primaryKey"].get<std::vector<std::string>>();
  std::unique_ptr<data::ByteReader> input;
  if (table.contains("generate")) {
    input = std::make_unique<seed::GeneratedCsv>(seed::GeneratorSpec::parse(table["generate"], where + ".generate"));
  } else if (table.contains("csvFile")) {
    auto path = seed.directory / table["csvFile"].get<std::string>();
    if (!std::filesystem::is_regular_file(path)) fail(where + ".csvFile", "file " + path.string() + " not found");
    input = std::make_unique<data::FilesReader>(std::vector<std::filesystem::path>{path});
  } else if (table.contains("csv")) {
    input = std::make_unique<StringReader>(table["csv"].get<std::string>());
  } else if (table.contains("rows")) {
    input = std::make_unique<StringReader>(csv_of_rows(table, where));
  } else if (table.contains("columns")) {
    input = std::make_unique<StringReader>(csv_of_rows(json{{"columns", table["columns"]}, {"rows", json::array()}}, where));
  } else {
    fail(where, "a table needs rows, csv, csvFile or generate");
  }
  auto started = std::chrono::steady_clock::now();
  auto created = create_table(services, project_id, bucket_id, name, primary_key, *input, data::CsvDialect{},
                              services.clock.now_seconds());
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("seed: table {} of project {}: {} rows in {:.1f} s", created.id, project_id, created.rows_count, seconds);
}

void seed_token(Services& services, const Project& project, const json& spec, const std::string& where) {
  Token token;
  token.project_id = project.id;
  token.token = require(spec, "token", where).get<std::string>();
  static const std::regex kShape(R"((\d+)-(\d+)-(.+))");
  std::smatch match;
  if (std::regex_match(token.token, match, kShape)) {
    if (std::stoll(match[1].str()) != project.id) fail(where + ".token", "must start with the project id " + std::to_string(project.id) + "-");
    token.id = std::stoll(match[2].str());
  }
  token.description = spec.value("description", "");
  token.is_master = spec.value("isMasterToken", false);
  token.can_manage_buckets = spec.value("canManageBuckets", false);
  token.can_read_all_file_uploads = spec.value("canReadAllFileUploads", false);
  token.can_purge_trash = spec.value("canPurgeTrash", false);
  if (spec.contains("bucketPermissions")) {
    token.bucket_permissions = spec["bucketPermissions"].get<std::map<std::string, std::string>>();
    for (const auto& [bucket, permission] : token.bucket_permissions) {
      if (permission != "read" && permission != "write") fail(where + ".bucketPermissions." + bucket, "must be read or write");
    }
  }
  if (spec.contains("componentAccess")) token.component_access = spec["componentAccess"].get<std::vector<std::string>>();
  auto now = services.clock.now_seconds();
  if (spec.contains("expiresIn")) token.expires = now + spec["expiresIn"].get<std::int64_t>();
  if (spec.contains("expires") && !spec["expires"].is_null()) {
    auto expires = parse_datetime(spec["expires"].get<std::string>());
    if (!expires) fail(where + ".expires", "must be an ISO 8601 datetime");
    token.expires = expires;
  }
  token.created = token.refreshed = now;
  if (services.store.find_token_by_string(token.token)) fail(where + ".token", "is used twice");
  if (token.id > 0 && services.store.token_id_taken(token.id)) {
    fail(where + ".token", "token id " + std::to_string(token.id) + " is already used (token ids are unique across projects)");
  }
  services.store.insert_token(token);
}

}  // namespace

Seed Seed::empty() {
  Seed seed;
  seed.document = json::object();
  seed.regions = {"us-east-1"};
  seed.providers = {{"us-east-1", "aws"}};
  return seed;
}

Seed Seed::read(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) throw std::runtime_error("seed file " + file.string() + " does not exist");
  std::ifstream in(file);
  if (!in || std::filesystem::is_directory(file, ec)) throw std::runtime_error("cannot read seed file " + file.string());
  Seed seed;
  seed.document = json::parse(in, nullptr, false);
  if (seed.document.is_discarded() || !seed.document.is_object()) {
    throw std::runtime_error("seed file " + file.string() + " is not a JSON object");
  }
  seed.directory = std::filesystem::absolute(file).parent_path();
  for (const auto& region : seed.document.value("regions", json::array())) {
    auto name = require(region, "name", "regions[]").get<std::string>();
    auto provider = region.value("provider", "aws");
    if (provider != "aws" && provider != "gcp" && provider != "azure") {
      fail("regions[" + name + "].provider", "must be aws, gcp or azure");
    }
    seed.regions.push_back(name);
    seed.providers[name] = provider;
  }
  if (seed.regions.empty()) {
    seed.regions = {"us-east-1"};
    seed.providers = {{"us-east-1", "aws"}};
  }
  return seed;
}

void apply_seed(const Seed& seed, Services& services) {
  std::size_t p = 0;
  for (const auto& spec : seed.document.value("projects", json::array())) {
    auto where = "projects[" + std::to_string(p++) + "]";
    Project project;
    project.id = require(spec, "id", where).get<std::int64_t>();
    project.name = spec.value("name", "Project " + std::to_string(project.id));
    project.region = spec.value("region", seed.regions.front());
    if (std::find(seed.regions.begin(), seed.regions.end(), project.region) == seed.regions.end()) {
      fail(where + ".region", "\"" + project.region + "\" is not among the seed's regions");
    }
    project.organization_id = spec.value("organizationId", std::int64_t{1});
    project.type = spec.value("type", "production");
    project.created = services.clock.now_seconds();
    services.store.insert_project(project);
    std::size_t b = 0;
    for (const auto& bucket_spec : spec.value("buckets", json::array())) {
      auto bucket_where = where + ".buckets[" + std::to_string(b++) + "]";
      Bucket bucket;
      bucket.project_id = project.id;
      bucket.id = require(bucket_spec, "id", bucket_where).get<std::string>();
      static const std::regex kBucketId(R"((in|out)\.(c-[A-Za-z0-9_-]+))");
      std::smatch match;
      if (!std::regex_match(bucket.id, match, kBucketId)) fail(bucket_where + ".id", "must look like in.c-name or out.c-name");
      bucket.stage = match[1].str();
      bucket.name = match[2].str();
      bucket.display_name = bucket_spec.value("displayName", bucket.name.substr(2));
      bucket.description = bucket_spec.value("description", "");
      bucket.created = services.clock.now_seconds();
      services.store.insert_bucket(bucket);
      std::size_t t = 0;
      for (const auto& table : bucket_spec.value("tables", json::array())) {
        seed_table(services, seed, project.id, bucket.id, table, bucket_where + ".tables[" + std::to_string(t++) + "]");
      }
    }
    std::size_t k = 0;
    for (const auto& token : spec.value("tokens", json::array())) {
      seed_token(services, project, token, where + ".tokens[" + std::to_string(k++) + "]");
    }
  }
}

}  // namespace kbc::emulator
