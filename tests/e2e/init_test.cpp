// `init`: without a terminal it never asks (flags, defaults, the token's tables listed from the
// emulator); on a terminal (a tmux pseudo-terminal) it asks for the region, the hidden token
// and the tables. Either way the file it writes passes `validate`.
#include <thread>

#include <unistd.h>

#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json read_json(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in);
}

std::vector<std::string> table_names(const json& config) {
  std::vector<std::string> names;
  for (const auto& table : config["tables"]) names.push_back(table["name"]);
  return names;
}

void require_valid(const RunWorld& world, const fs::path& file) {
  const auto validated = world.run({"validate", file.string()});
  REQUIRE(validated.exit_code == 0);
  CHECK_THAT(validated.out, Catch::Contains("is valid"));
}

// A tmux server of this test alone (its own socket), killed at the end.
struct Tmux {
  std::string socket = "kbc-init-test-" + std::to_string(getpid());
  ~Tmux() { kbc::test::run_process({"/usr/bin/tmux", "-L", socket, "kill-server"}); }
  kbc::test::ProcessResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"/usr/bin/tmux", "-L", socket});  // scripts/install-deps.sh installs it
    return kbc::test::run_process(args, {}, std::chrono::seconds(20));
  }
  std::string screen() const { return run({"capture-pane", "-p", "-t", "init", "-S", "-100"}).out; }
  // Wait (bounded) until the screen shows `text`.
  void wait_for(const std::string& text) const {
    for (int i = 0; i < 300; ++i) {
      if (screen().find(text) != std::string::npos) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("the terminal never showed \"" << text << "\":\n" << screen());
  }
  void type(const std::string& line) const { run({"send-keys", "-t", "init", "-l", line}), run({"send-keys", "-t", "init", "Enter"}); }
};

}  // namespace

TEST_CASE("init without a terminal lists the token's tables and writes a config that validates") {
  RunWorld world;
  const auto file = world.dir.path() / "new.json";
  const auto written = world.run({"init", file.string(), "--url", world.source_url, "--destination-url", world.destination_url});
  REQUIRE(written.exit_code == 0);
  CHECK(written.out.empty());
  CHECK(written.err.find(source_reader) == std::string::npos);
  const auto config = read_json(file);
  CHECK(config.contains("//"));
  CHECK(config["source"]["url"] == world.source_url);
  CHECK(config["source"]["token"] == json{{"env", "KBC_SOURCE_TOKEN"}});
  CHECK(config["destination"]["bucket"] == "in.c-from-sales");
  CHECK(table_names(config) == std::vector<std::string>{"customers", "events", "order_items", "orders"});
  require_valid(world, file);
  // The token is never written to the file.
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find(source_reader) == std::string::npos);
}

TEST_CASE("init refuses to overwrite without --force and takes --table, --bucket and --region as given") {
  RunWorld world;
  const auto file = world.dir.path() / "new.json";
  std::ofstream(file) << "{}";
  const auto refused = world.run({"init", file.string(), "--region", "eu-central-1"});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("exists; give --force to overwrite it"));
  CHECK(read_json(file) == json::object());

  world.env["KBC_SOURCE_TOKEN"] = kbc::test::kUnsetEnv;  // nothing to list: no network at all
  const auto forced = world.run({"init", file.string(), "--force", "--region", "north-europe", "--bucket", "in.c-eu",
                                 "--table", "orders", "--table", "customers"});
  REQUIRE(forced.exit_code == 0);
  const auto config = read_json(file);
  CHECK(config["source"]["region"] == "north-europe");
  CHECK(config["destination"]["region"] == "us-east-1");
  CHECK(config["destination"]["bucket"] == "in.c-eu");
  CHECK(table_names(config) == std::vector<std::string>{"orders", "customers"});
  world.env["KBC_SOURCE_TOKEN"] = source_reader;
  require_valid(world, file);

  const auto bad_bucket = world.run({"init", (world.dir.path() / "x.json").string(), "--bucket", "eu"});
  CHECK(bad_bucket.exit_code == 2);
  CHECK_FALSE(fs::exists(world.dir.path() / "x.json"));
}

TEST_CASE("init with a source token that is not read-only on one bucket writes nothing, exit 3") {
  RunWorld world;
  world.env["KBC_SOURCE_TOKEN"] = source_master;
  const auto file = world.dir.path() / "new.json";
  const auto refused = world.run({"init", file.string(), "--url", world.source_url});
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Catch::Contains("no-master-token"));
  CHECK(refused.err.find(source_master) == std::string::npos);
  CHECK_FALSE(fs::exists(file));
}

TEST_CASE("init on a terminal asks for the region, the hidden token and the tables") {
  RunWorld world;
  Tmux tmux;
  const auto file = world.dir.path() / "asked.json";
  const auto done = world.dir.path() / "exit-code";
  // The tool's own environment only: no source token, so it must ask for one.
  const std::string command = "env -u KBC_SOURCE_TOKEN AWS_ENDPOINT_URL_S3=" + world.emulator.s3_url() + " " +
                              KBC_EXTRACT_BIN + " init " + file.string() + " --destination-url " +
                              world.destination_url + "; echo $? > " + done.string() + "; sleep 30";
  REQUIRE(tmux.run({"new-session", "-d", "-x", "200", "-y", "60", "-s", "init", command}).exit_code == 0);
  tmux.wait_for("Number, region name, or a Storage API URL:");
  CHECK_THAT(tmux.screen(), Catch::Contains("eu-central-1") && Catch::Contains("AWS EU Frankfurt"));
  tmux.type(world.source_url);
  tmux.wait_for("Source token (input hidden");
  tmux.type(source_reader);
  tmux.wait_for("Tables to copy");
  CHECK_THAT(tmux.screen(), Catch::Contains("1) customers") && Catch::Contains("4) orders"));
  tmux.type("4, 1");
  tmux.wait_for("Destination bucket [in.c-from-sales]:");
  tmux.type("");
  for (int i = 0; i < 100 && !fs::exists(done); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  REQUIRE(fs::exists(done));
  const auto screen = tmux.screen();
  UNSCOPED_INFO(screen);
  std::ifstream exit_code(done);
  int code = -1;
  exit_code >> code;
  CHECK(code == 0);
  // Hidden input: the token never reached the screen.
  CHECK(screen.find(source_reader) == std::string::npos);
  CHECK(screen.find("readerreader") == std::string::npos);
  const auto config = read_json(file);
  CHECK(config["source"]["url"] == world.source_url);
  CHECK(table_names(config) == std::vector<std::string>{"orders", "customers"});
  CHECK(config["destination"]["bucket"] == "in.c-from-sales");
  require_valid(world, file);
}
