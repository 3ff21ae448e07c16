// `init FILE`: a configuration to start from. JSON has no comments, so the explanations are
// "//" keys, which the config reader ignores in every object (docs/configuration.md). Without
// a terminal it never asks: flags and defaults fill it, and the source bucket's tables are
// listed when a source token can be read. On a terminal it asks for what the flags left open:
// the region (from the table of regions), the token (hidden; used to list the tables, never
// written to the file), and which tables to copy.
#include <algorithm>
#include <iostream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/config_loading.hpp"
#include "cli/terminal.hpp"
#include "cli/token_source.hpp"
#include "config/keboola_names.hpp"
#include "kbc_storage_extract/atomic_file.hpp"
#include "kbc_storage_extract/commands.hpp"
#include "kbc_storage_extract/regions.hpp"
#include "kbc_storage_extract/redact.hpp"

namespace kbc::cli {

namespace {

using ordered = nlohmann::ordered_json;

struct Answers {
  ordered source_place;       // {"region": ...} or {"url": ...}
  std::string source_url;     // for listing tables
  ordered destination_place;  // {"region": ...} or {"url": ...}
  std::string bucket;         // destination bucket
  std::vector<std::string> tables;
  ordered source_token;       // {"env": NAME} or {"file": PATH}
  bool tables_listed = false;
};

// "1".."N" or a region name or an https:// URL; nullopt (after a message) otherwise.
std::optional<ordered> region_answer(const std::string& answer) {
  const auto regions = known_regions();
  std::size_t number = 0;
  if (std::istringstream(answer) >> number && std::to_string(number) == answer && number >= 1 && number <= regions.size())
    return ordered{{"region", std::string(regions[number - 1].name)}};
  if (find_region(answer)) return ordered{{"region", answer}};
  if (auto url = parse_storage_url(answer)) return ordered{{"url", *url}};
  return std::nullopt;
}

std::string url_of(const ordered& place) {
  if (place.contains("url")) return place["url"].get<std::string>();
  return std::string(find_region(place["region"].get<std::string>())->url);
}

bool ask_region(Answers& answers) {
  const auto regions = known_regions();
  std::cerr << "Source project's region:\n";
  for (std::size_t i = 0; i < regions.size(); ++i)
    std::cerr << "  " << i + 1 << ") " << regions[i].name << "  " << regions[i].location << "  (" << regions[i].url << ")\n";
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto answer = ask("Number, region name, or a Storage API URL: ");
    if (!answer) return false;
    if (auto place = region_answer(*answer)) {
      answers.source_place = *place;
      return true;
    }
    std::cerr << "\"" << redact(*answer) << "\" is none of those.\n";
  }
  return false;
}

// "1,3", "orders, customers", "" (all) against the listed names.
std::optional<std::vector<std::string>> pick_tables(const std::string& answer, const std::vector<std::string>& names) {
  if (answer.empty()) return names;
  std::vector<std::string> picked;
  std::stringstream items(answer);
  for (std::string item; std::getline(items, item, ',');) {
    const auto first = item.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    item = item.substr(first, item.find_last_not_of(' ') - first + 1);
    std::size_t number = 0;
    if (std::istringstream(item) >> number && std::to_string(number) == item && number >= 1 && number <= names.size())
      picked.push_back(names[number - 1]);
    else if (std::find(names.begin(), names.end(), item) != names.end())
      picked.push_back(item);
    else
      return std::nullopt;
  }
  return picked;
}

bool ask_tables(Answers& answers, const std::vector<std::string>& names) {
  std::cerr << "Tables in the token's bucket:\n";
  for (std::size_t i = 0; i < names.size(); ++i) std::cerr << "  " << i + 1 << ") " << names[i] << "\n";
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto answer = ask("Tables to copy (numbers or names, comma-separated; empty for all): ");
    if (!answer) return false;
    if (auto picked = pick_tables(*answer, names)) {
      answers.tables = *picked;
      return true;
    }
    std::cerr << "Give numbers from 1 to " << names.size() << " or names from the list.\n";
  }
  return false;
}

std::string default_bucket(const std::optional<std::string>& source_bucket) {
  if (!source_bucket) return "in.c-copy";
  const auto dash = source_bucket->find(".c-");
  return "in.c-from-" + (dash == std::string::npos ? std::string("source") : source_bucket->substr(dash + 3));
}

ordered config_document(const Answers& answers) {
  ordered source = {{"//", "The project to copy from: \"region\" (us-east-1, eu-central-1, north-europe, europe-west3, "
                           "us-east4) or \"url\". Its token must be read-only on exactly one bucket (`kbc-storage-extract "
                           "token create` makes one); it is read from \"token\": {\"env\": NAME} or {\"file\": PATH}."}};
  source.update(answers.source_place);
  source["token"] = answers.source_token;
  ordered destination = {{"//", "The project and bucket to copy into. Its token must be able to write the bucket, or "
                                "create it when it does not exist."}};
  destination.update(answers.destination_place);
  destination["token"] = {{"env", kDestinationTokenEnv}};
  destination["bucket"] = answers.bucket;
  ordered tables = ordered::array();
  for (const auto& name : answers.tables) tables.push_back({{"name", name}});
  if (tables.empty()) tables.push_back({{"name", "orders"}, {"enabled", false}});
  return {{"//", "kbc-storage-extract configuration, written by `kbc-storage-extract init`. Keys starting with // are "
                 "comments; the tool ignores them. Every key: docs/configuration.md. Check it: kbc-storage-extract "
                 "validate FILE; list the source tables: kbc-storage-extract tables FILE."},
          {"source", source},
          {"destination", destination},
          {"defaults", {{"//", "What every table gets unless it says otherwise. changedSince: \"-1 days\", an ISO 8601 "
                               "time or \"auto\" (the rows changed since the last run); incremental: false replaces the "
                               "destination table, true appends, or upserts by primaryKey."},
                        {"incremental", false}}},
          {"tables", tables}};
}

}  // namespace

ExitCode init_command(const Invocation& invocation) {
  const auto& flags = invocation.init;
  std::error_code ec;
  if (std::filesystem::exists(flags.file, ec) && !flags.force) {
    print_error(flags.file.string() + " exists; give --force to overwrite it");
    return ExitCode::usage_error;
  }
  if (!flags.bucket.empty()) {
    if (auto problem = config::bucket_id_problem(flags.bucket)) {
      print_error("--bucket \"" + flags.bucket + "\": " + *problem);
      return ExitCode::usage_error;
    }
  }
  const bool interactive = interactive_terminal();
  Answers answers;

  // Where the source is.
  if (!flags.region.empty() || !flags.url.empty()) {
    if (!api_url_of(flags.region, flags.url, "init")) return ExitCode::usage_error;
    answers.source_place = flags.region.empty() ? ordered{{"url", *parse_storage_url(flags.url)}} : ordered{{"region", flags.region}};
  } else if (interactive) {
    if (!ask_region(answers)) {
      print_error("init: no region chosen; nothing was written");
      return ExitCode::usage_error;
    }
  } else {
    answers.source_place = {{"region", "eu-central-1"}};
    spdlog::info("init: no --region or --url, the config says eu-central-1: change it, or give --region");
  }
  answers.source_url = url_of(answers.source_place);
  // Where the destination is.
  if (!flags.destination_region.empty() || !flags.destination_url.empty()) {
    if (!api_url_of(flags.destination_region, flags.destination_url, "init")) return ExitCode::usage_error;
    answers.destination_place = flags.destination_region.empty()
                                    ? ordered{{"url", *parse_storage_url(flags.destination_url)}}
                                    : ordered{{"region", flags.destination_region}};
  } else {
    answers.destination_place = {{"region", "us-east-1"}};
  }

  // The source token: where the config reads it, and (when it can be had) its bucket's tables.
  const TokenSpec spec = token_spec_of(flags.token_env, flags.token_file, kSourceTokenEnv);
  answers.source_token = spec.kind == TokenSpec::Kind::file ? ordered{{"file", spec.reference}} : ordered{{"env", spec.reference}};
  std::optional<Secret> token;
  if (auto readable = resolve_token(spec)) token = *readable;
  if (!token && interactive) {
    auto typed = ask_hidden("Source token (input hidden; used to list the tables, not written to the file; empty to skip): ");
    if (typed && !typed->empty()) {
      token = Secret(*typed);
      register_secret(*token);
    }
  }
  std::optional<std::string> source_bucket;
  if (token && flags.tables.empty()) {
    auto bucket = commands::source_bucket_tables(answers.source_url, *token);
    if (!bucket) {
      print_error("init: " + bucket.error().describe());
      return exit_code_for(bucket.error());
    }
    source_bucket = bucket->bucket_id;
    answers.tables_listed = true;
    if (interactive && !bucket->tables.empty()) {
      if (!ask_tables(answers, bucket->tables)) {
        print_error("init: no tables chosen; nothing was written");
        return ExitCode::usage_error;
      }
    } else {
      answers.tables = bucket->tables;
    }
  } else {
    answers.tables = flags.tables;
  }
  answers.bucket = !flags.bucket.empty() ? flags.bucket : default_bucket(source_bucket);
  if (interactive && flags.bucket.empty()) {
    auto typed = ask("Destination bucket [" + answers.bucket + "]: ");
    if (typed && !typed->empty()) {
      if (auto problem = config::bucket_id_problem(*typed)) {
        print_error("destination bucket \"" + *typed + "\": " + *problem + "; nothing was written");
        return ExitCode::usage_error;
      }
      answers.bucket = *typed;
    }
  }

  const auto text = config_document(answers).dump(2) + "\n";
  if (auto written = write_file_atomically(flags.file, text, "the configuration"); !written) {
    print_error(written.error().describe());
    return exit_code_for(written.error());
  }
  spdlog::info("wrote {}: {} table{}{}; keys starting with // are comments. Next: set {} and {}, then "
               "kbc-storage-extract validate {}",
               flags.file.string(), answers.tables.size(), answers.tables.size() == 1 ? "" : "s",
               answers.tables.empty() ? " (an example entry, disabled: no source token to list the bucket's tables)" : "",
               spec.kind == TokenSpec::Kind::file ? "the token file " + spec.reference : spec.reference, kDestinationTokenEnv,
               flags.file.string());
  return ExitCode::success;
}

}  // namespace kbc::cli
