#include "cli/invocation.hpp"

namespace kbc::cli {

namespace {

constexpr const char* kExamples = R"(
Examples:
  kbc-storage-extract validate config.json
  kbc-storage-extract run config.json --dry-run
  kbc-storage-extract run config.json --table orders --table customers --report report.json
  kbc-storage-extract run config.json --shard 2/4
  kbc-storage-extract tables config.json --search order
  kbc-storage-extract check config.json
  kbc-storage-extract token verify --config config.json
  kbc-storage-extract token verify --region eu-central-1 --token-env KBC_SOURCE_TOKEN
  KBC_MASTER_TOKEN=... kbc-storage-extract token create --region eu-central-1 --bucket in.c-sales > source.token
  kbc-storage-extract token refresh --region eu-central-1 --token-file source.token
  kbc-storage-extract --log-format json -v run config.json

Tokens: KBC_SOURCE_TOKEN / KBC_DESTINATION_TOKEN unless the config says otherwise.
Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error,
3 authentication or permission error, 4 some tables failed, 5 check: some table differs,
6 check: some table could not be checked, 130 interrupted.
Documentation: docs/cli.md, docs/configuration.md
)";

// Each subcommand's --help ends with examples of its own (the top level's list them all).
struct SubcommandExamples {
  std::vector<std::string> path;
  const char* text;
};
const SubcommandExamples kSubcommandExamples[] = {
    {{"run"}, R"(
Examples:
  kbc-storage-extract run config.json --dry-run            # the plan: what would be copied, nothing written
  kbc-storage-extract run config.json
  kbc-storage-extract run config.json --table orders --report report.json
  kbc-storage-extract run config.json --parallel 4 --progress never
  kbc-storage-extract run config.json --changed-since "-2 days"   # incremental tables only
  kbc-storage-extract run config.json --shard 2/4
  kbc-storage-extract --log-format json run config.json 2>&1 >/dev/null | jq -c 'select(.event)'
Exit codes: 0 all ok, 1 runtime failure, 2 usage or config error, 3 token refused, 4 some tables failed,
130 interrupted. Documentation: docs/run.md, docs/progress.md
)"},
    {{"validate"}, R"(
Examples:
  kbc-storage-extract validate config.json
  KBC_SOURCE_TOKEN=... KBC_DESTINATION_TOKEN=... kbc-storage-extract validate config.json
Exit codes: 0 valid, 2 every problem found listed (with its JSON path). Documentation: docs/configuration.md
)"},
    {{"tables"}, R"(
Examples:
  kbc-storage-extract tables config.json                   # needs only the source token
  kbc-storage-extract tables config.json --search order
  kbc-storage-extract tables config.json --json | jq -r '.[] | select(.configured | not) | .name'   # not yet configured
)"},
    {{"token", "verify"}, R"(
Examples:
  kbc-storage-extract token verify --config config.json
  kbc-storage-extract token verify --region eu-central-1 --token-env KBC_SOURCE_TOKEN
  kbc-storage-extract token verify --url https://connection.keboola.com --token-file source.token --json
)"},
    {{"token", "create"}, R"(
Examples:
  KBC_MASTER_TOKEN=... kbc-storage-extract token create --region eu-central-1 --bucket in.c-sales > source.token
  KBC_MASTER_TOKEN=... kbc-storage-extract token create --region eu-central-1 --bucket in.c-sales --expires-in 90d
)"},
    {{"token", "refresh"}, R"(
Examples:
  kbc-storage-extract token refresh --region eu-central-1 --token-file source.token
)"},
    {{"init"}, R"(
Examples:
  kbc-storage-extract init config.json                     # asks on a terminal, writes a config to edit
  kbc-storage-extract init config.json --region eu-central-1 --token-env KBC_SOURCE_TOKEN --destination-region us-east-1
)"},
    {{"component"}, R"(
Examples:
  KBC_DATADIR=/data kbc-storage-extract component
  kbc-storage-extract component --data-dir ./data
Documentation: docs/component.md
)"},
};

void add_subcommand_examples(CLI::App& app) {
  for (const auto& examples : kSubcommandExamples) {
    CLI::App* command = &app;
    for (const auto& name : examples.path) command = command->get_subcommand(name);
    command->footer(examples.text);
  }
}

void add_config_argument(CLI::App& command, Invocation& invocation) {
  command.add_option("CONFIG", invocation.config_file, "Configuration file (JSON, see docs/configuration.md)")
      ->required()
      ->type_name("FILE");
}

// A whole number of seconds in [min, max] into a std::chrono::seconds field.
CLI::Option* add_seconds(CLI::App& command, const std::string& name, std::chrono::seconds& field, long min, long max,
                         const std::string& help) {
  return command
      .add_option_function<long>(name, [&field](long seconds) { field = std::chrono::seconds(seconds); }, help)
      ->type_name("SECONDS")
      ->check(CLI::Range(min, max))
      ->default_str(std::to_string(field.count()));
}

void add_network_options(CLI::App& run, NetworkOptions& network) {
  const auto group = "Retries and timeouts (docs/cli.md#retries-and-timeouts)";
  run.add_option("--retries", network.retries, "Attempts after the first for each request, download or part (0-100)")
      ->type_name("N")
      ->check(CLI::Range(0, 100))
      ->default_str(std::to_string(network.retries))
      ->group(group);
  add_seconds(run, "--retry-max-wait", network.retry_max_wait, 1, 3600,
              "Longest wait between two attempts, a server's Retry-After included")
      ->group(group);
  add_seconds(run, "--timeout", network.request_timeout, 1, 86400, "Longest time one Storage API request may take")
      ->group(group);
  add_seconds(run, "--job-timeout", network.job_timeout, 1, 7 * 86400,
              "Longest time to wait for one Storage job (export, import)")
      ->group(group);
  run.add_option("--min-speed", network.min_speed,
                 "A transfer slower than this many bytes per second for --stall-timeout is abandoned and retried (0 = never)")
      ->type_name("BYTES")
      ->check(CLI::Range(0L, 1L << 40))
      ->default_str(std::to_string(network.min_speed))
      ->group(group);
  add_seconds(run, "--stall-timeout", network.stall_timeout, 1, 3600, "How long a transfer may stay below --min-speed")
      ->group(group);
}

void define_run(CLI::App& app, Invocation& invocation) {
  auto* run = app.add_subcommand("run", "Copy the configured tables from the source project to the destination bucket");
  add_config_argument(*run, invocation);
  run->add_option("--table", invocation.run.tables, "Copy only this table (its \"name\"); repeatable")
      ->type_name("NAME")
      ->take_all();
  run->add_option("--shard", invocation.run_shard,
                  "Copy only shard I of N (1-1000) of the configured tables, by a hash of each destination table "
                  "id; auto/N: I from $JOB_COMPLETION_INDEX + 1 (Kubernetes Indexed Job)")
      ->type_name("I/N");
  run->add_flag("--dry-run", invocation.run.dry_run, "Show what would be copied; write nothing");
  run->add_option("--changed-since", invocation.run_changed_since,
                  "Copy only rows changed since VALUE (\"-2 days\" or ISO 8601), for every selected table")
      ->type_name("VALUE");
  run->add_flag("--replace-with-changed-rows", invocation.run.replace_with_changed_rows,
                "With --changed-since: also full-load tables, whose destination then holds only the changed rows");
  run->add_option("--report", invocation.run.report_file, "Write a JSON run report to FILE")->type_name("FILE");
  run->add_option("--state", invocation.run.state_file,
                  "Run state (journal of imports, bookmarks) in FILE instead of CONFIG's name with .state.json")
      ->type_name("FILE");
  run->add_flag("--full", invocation.run.full,
                "Copy every row of \"changedSince\": \"auto\" tables this once (their bookmarks restart)");
  run->add_option("--parallel", invocation.run.parallel, "Tables or slices copied at once (1-64)")
      ->type_name("N")
      ->check(CLI::Range(1, 64))
      ->default_val(1);
  run->add_option("--part-size", invocation.run.part_size_mib,
                  "MiB in each part of a large object's upload (5-4000): smaller parts make a failed part cheaper to "
                  "send again, larger ones fewer requests; memory does not depend on it")
      ->type_name("MIB")
      ->check(CLI::Range(5, 4000))
      ->default_val(64);
  run->add_option("--progress", invocation.run_progress,
                  "Show the live view of tables in flight on stderr: auto (when stderr is a terminal, text logs, no "
                  "-q), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("auto|always|never")
      ->default_val("auto");
  add_network_options(*run, invocation.run.network);
  invocation.run_command = run;
}

void define_check(CLI::App& app, Invocation& invocation) {
  auto* check = app.add_subcommand(
      "check", "Compare each configured source table with its destination: rows, columns, primary key, content");
  add_config_argument(*check, invocation);
  check->add_option("--table", invocation.check.tables, "Check only this table (its \"name\"); repeatable")
      ->type_name("NAME")
      ->take_all();
  check->add_flag("--json", invocation.check.json, "Print the result as JSON");
  check->footer(R"(
Examples:
  kbc-storage-extract check config.json
  kbc-storage-extract check config.json --table orders --json

Exit codes: 0 every table matches, 5 some table differs, 6 none differs but some could not be
checked; 2 usage or configuration error, 3 authentication or permission error.)");
  invocation.check_command = check;
}

void define_tables(CLI::App& app, Invocation& invocation) {
  auto* tables = app.add_subcommand("tables", "List the source tables the token can read, and which are configured");
  add_config_argument(*tables, invocation);
  tables->add_option("--search", invocation.tables.search, "Only tables whose name contains TEXT (case-insensitive)")
      ->type_name("TEXT");
  tables->add_flag("--json", invocation.tables.json, "Print a JSON array instead of a table");
  invocation.tables_command = tables;
}

// --region/--url (one required) and --token-env/--token-file (at most one) of token create/refresh.
void add_token_source(CLI::App& command, TokenSourceFlags& flags, const std::string& default_env) {
  auto* region = command.add_option("--region", flags.region, "A known region, e.g. eu-central-1")->type_name("NAME");
  auto* url = command.add_option("--url", flags.url, "A Storage API base URL")->type_name("URL");
  region->excludes(url);
  auto* env = command.add_option("--token-env", flags.token_env,
                                 "Read the token from this environment variable (default " + default_env + ")")
                  ->type_name("NAME");
  auto* file = command.add_option("--token-file", flags.token_file, "Read the token from this file")->type_name("PATH");
  env->excludes(file);
}

void define_token(CLI::App& app, Invocation& invocation) {
  auto* token = app.add_subcommand("token", "Storage API token tools");
  token->require_subcommand(1);
  auto* verify = token->add_subcommand(
      "verify", "Check a token and whether it is fit to be a source token (read-only, exactly one bucket)");
  auto& flags = invocation.token_verify;
  auto* config = verify->add_option("--config", flags.config, "Take the URL and token from this config's source")
                     ->type_name("FILE");
  verify->add_flag("--destination", flags.destination, "With --config: check the destination side instead")->needs(config);
  auto* region = verify->add_option("--region", flags.region, "A known region, e.g. eu-central-1")->type_name("NAME");
  auto* url = verify->add_option("--url", flags.url, "A Storage API base URL")->type_name("URL");
  config->excludes(region, url);
  region->excludes(url);
  auto* env = verify->add_option("--token-env", flags.token_env, "Read the token from this environment variable")
                  ->type_name("NAME");
  auto* file = verify->add_option("--token-file", flags.token_file, "Read the token from this file")->type_name("PATH");
  env->excludes(file);
  verify->add_flag("--json", flags.json, "Print the verdict as JSON");
  invocation.token_verify_command = verify;

  auto* create = token->add_subcommand(
      "create", "With a master token, create a read-only token on one bucket; print it once on stdout");
  add_token_source(*create, invocation.token_create.where, kMasterTokenEnv);
  create->add_option("--bucket", invocation.token_create.bucket, "The one bucket the new token may read, e.g. in.c-sales")
      ->required()
      ->type_name("ID");
  create->add_option("--description", invocation.token_create.description,
                     "The new token's description (default: \"kbc-storage-extract: read BUCKET\")")
      ->type_name("TEXT");
  create->add_option("--expires-in", invocation.token_create.expires_in,
                     "Expire after this long: seconds, or a number with s, m, h or d (\"90d\"); default never")
      ->type_name("DURATION");
  invocation.token_create_command = create;

  auto* refresh = token->add_subcommand(
      "refresh", "Give a token a new string (the old one stops working at once); print it once on stdout");
  add_token_source(*refresh, invocation.token_refresh.where, "KBC_SOURCE_TOKEN, or with --id KBC_MASTER_TOKEN");
  refresh->add_option("--id", invocation.token_refresh.id,
                      "Refresh the token with this id, using a master token; without it the token refreshes itself")
      ->type_name("ID");
  invocation.token_refresh_command = refresh;
}

void define_init(CLI::App& app, Invocation& invocation) {
  auto& flags = invocation.init;
  auto* init = app.add_subcommand(
      "init", "Write an example configuration to FILE; on a terminal, ask for the region, token and tables");
  init->add_option("FILE", flags.file, "The configuration file to write")->required()->type_name("FILE");
  init->add_flag("--force", flags.force, "Overwrite FILE when it exists");
  auto* region = init->add_option("--region", flags.region, "The source project's region, e.g. eu-central-1")->type_name("NAME");
  auto* url = init->add_option("--url", flags.url, "The source project's Storage API URL")->type_name("URL");
  region->excludes(url);
  auto* destination_region = init->add_option("--destination-region", flags.destination_region,
                                              "The destination project's region (default us-east-1)")
                                 ->type_name("NAME");
  auto* destination_url = init->add_option("--destination-url", flags.destination_url,
                                           "The destination project's Storage API URL")
                              ->type_name("URL");
  destination_region->excludes(destination_url);
  init->add_option("--bucket", flags.bucket, "The destination bucket (default in.c-from-<source bucket name>)")
      ->type_name("ID");
  init->add_option("--table", flags.tables, "A source table to copy; repeatable (default: every table the token reads)")
      ->type_name("NAME")
      ->take_all();
  auto* env = init->add_option("--token-env", flags.token_env,
                               "The source token's environment variable (default KBC_SOURCE_TOKEN)")
                  ->type_name("NAME");
  auto* file = init->add_option("--token-file", flags.token_file, "The source token's file")->type_name("PATH");
  env->excludes(file);
  invocation.init_command = init;
}

}  // namespace

void define_cli(CLI::App& app, Invocation& invocation) {
  app.description("Copy Keboola Storage tables between projects, organizations and regions.");
  app.footer(kExamples);
  app.set_version_flag("--version", std::string("kbc-storage-extract ") + KBC_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global flags may come after the subcommand too

  app.add_option("--log-format", invocation.log_format, "Log lines on stderr as text or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("text|json");
  app.add_option("--log-level", invocation.log_level, "trace, debug, info, warn, error, critical or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "warning", "error", "critical", "off"}))
      ->type_name("LEVEL");
  auto* quiet = app.add_flag("-q,--quiet", invocation.quiet, "Only warnings and errors; no progress");
  auto* verbose = app.add_flag("-v,--verbose", invocation.verbose, "More detail: -v debug, -vv trace");
  quiet->excludes(verbose);

  define_run(app, invocation);
  app.add_subcommand("validate", "Check a configuration (including that its tokens can be read); contacts nothing");
  invocation.validate_command = app.get_subcommand("validate");
  add_config_argument(*invocation.validate_command, invocation);
  define_tables(app, invocation);
  define_check(app, invocation);
  define_token(app, invocation);
  auto* component = app.add_subcommand(
      "component", "Run as a Keboola component: $KBC_DATADIR/config.json in, storage or out/tables out (docs/component.md)");
  component->add_option("--data-dir", invocation.component_data_dir, "The job's data folder instead of $KBC_DATADIR")
      ->type_name("DIR");
  invocation.component_command = component;
  define_init(app, invocation);
  add_subcommand_examples(app);
}

}  // namespace kbc::cli
