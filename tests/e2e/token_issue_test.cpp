// token create / token refresh against the emulator: the new token is the one `run` wants
// (read-only, one bucket), its string is the only thing on stdout, a refresh makes the old
// string useless, and every refusal names what is wrong with the exit code docs/cli.md gives.
#include <regex>

#include "run_fixture.hpp"

using namespace kbc::e2e;
using nlohmann::json;

namespace {

std::string single_line(const std::string& out) {
  REQUIRE(!out.empty());
  REQUIRE(out.back() == '\n');
  const std::string line = out.substr(0, out.size() - 1);
  REQUIRE(line.find('\n') == std::string::npos);
  return line;
}

// A new token's string, created through the CLI with the source project's master token.
std::string create_token(RunWorld& world, std::vector<std::string> extra = {}) {
  world.env["KBC_MASTER_TOKEN"] = source_master;
  std::vector<std::string> args = {"token", "create", "--url", world.source_url, "--bucket", "in.c-sales"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto created = world.run(args);
  REQUIRE(created.exit_code == 0);
  const auto token = single_line(created.out);
  CHECK(created.err.find(token) == std::string::npos);
  CHECK(created.err.find(source_master) == std::string::npos);
  return token;
}

json verify_json(RunWorld& world, const std::string& token, int expected_exit) {
  world.env["KBC_SOURCE_TOKEN"] = token;
  const auto verified = world.run({"token", "verify", "--url", world.source_url, "--json"});
  REQUIRE(verified.exit_code == expected_exit);
  return expected_exit == 0 ? json::parse(verified.out) : json();
}

std::size_t token_count(const RunWorld& world) { return world.source.get("/v2/storage/tokens").json().size(); }

}  // namespace

TEST_CASE("token create with a master token prints only a read-only token on one bucket, which token verify accepts") {
  RunWorld world;
  const auto before = token_count(world);
  world.env["KBC_MASTER_TOKEN"] = source_master;
  const auto created = world.run({"token", "create", "--url", world.source_url, "--bucket", "in.c-sales",
                                  "--description", "nightly copy to US", "--expires-in", "2d"});
  REQUIRE(created.exit_code == 0);
  const auto token = single_line(created.out);
  CHECK(std::regex_match(token, std::regex(R"(101-\d+-[A-Za-z0-9]{20,})")));
  CHECK_THAT(created.err, Catch::Contains("read-only on in.c-sales") && Catch::Contains("shown only this once"));
  CHECK(created.err.find(token) == std::string::npos);
  CHECK(token_count(world) == before + 1);

  const auto verdict = verify_json(world, token, 0);
  CHECK(verdict["usableAsSource"] == true);
  CHECK(verdict["bucketPermissions"] == json{{"in.c-sales", "read"}});
  CHECK(verdict["isMasterToken"] == false);
  CHECK(verdict["canManageBuckets"] == false);
  CHECK(verdict["description"] == "nightly copy to US");
  REQUIRE(verdict["expires"].is_string());

  // And `run` copies with it.
  world.env["KBC_SOURCE_TOKEN"] = token;
  const auto config = world.config(json::array({{{"name", "customers"}, {"destination", "c_new"}}}));
  const auto run = world.run({"run", config.string()});
  CHECK(run.exit_code == 0);
  CHECK(world.destination_rows("in.c-from-eu.c_new") == Rows{{"10", "Alice", "CZ"}, {"11", "Bob", "DE"}});
}

TEST_CASE("token create without --expires-in makes a token that never expires, described by its bucket") {
  RunWorld world;
  const auto token = create_token(world);
  const auto verdict = verify_json(world, token, 0);
  CHECK(verdict["expires"].is_null());
  CHECK(verdict["description"] == "kbc-storage-extract: read in.c-sales");
}

TEST_CASE("token refresh gives a token a new string and the old one stops working") {
  RunWorld world;
  const auto old_token = create_token(world);
  const auto file = world.dir.path() / "source.token";
  std::ofstream(file) << old_token << "\n";

  const auto refreshed = world.run({"token", "refresh", "--url", world.source_url, "--token-file", file.string()});
  REQUIRE(refreshed.exit_code == 0);
  const auto new_token = single_line(refreshed.out);
  CHECK(new_token != old_token);
  CHECK_THAT(refreshed.err, Catch::Contains("the old string no longer works"));
  CHECK(refreshed.err.find(new_token) == std::string::npos);
  CHECK(refreshed.err.find(old_token) == std::string::npos);

  world.env["KBC_SOURCE_TOKEN"] = old_token;
  const auto old_verify = world.run({"token", "verify", "--url", world.source_url});
  CHECK(old_verify.exit_code == 3);
  CHECK_THAT(old_verify.err, Catch::Contains("Invalid access token"));
  CHECK(verify_json(world, new_token, 0)["usableAsSource"] == true);
}

TEST_CASE("token refresh --id with a master token refreshes another token") {
  RunWorld world;
  const auto old_token = create_token(world);
  const auto id = verify_json(world, old_token, 0)["id"].get<std::string>();
  world.env["KBC_MASTER_TOKEN"] = source_master;
  const auto refreshed = world.run({"token", "refresh", "--url", world.source_url, "--id", id});
  REQUIRE(refreshed.exit_code == 0);
  const auto new_token = single_line(refreshed.out);
  CHECK(new_token.rfind("101-" + id + "-", 0) == 0);
  verify_json(world, old_token, 3);
  CHECK(verify_json(world, new_token, 0)["id"] == id);
  // The master token itself still works.
  CHECK(world.source.get("/v2/storage/tokens/verify").status == 200);

  const auto unknown = world.run({"token", "refresh", "--url", world.source_url, "--id", "999"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("no token with id 999"));
  CHECK(unknown.out.empty());
}

TEST_CASE("token create refuses a token that is not a master token, with exit 3 and no token made") {
  RunWorld world;
  const auto before = token_count(world);
  world.env["KBC_MASTER_TOKEN"] = source_reader;
  const auto refused = world.run({"token", "create", "--url", world.source_url, "--bucket", "in.c-sales"});
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Catch::Contains("token 2 (extractor) is not a master token") &&
                              Catch::Contains("Users & Settings > API Tokens"));
  CHECK(refused.err.find(source_reader) == std::string::npos);
  CHECK(refused.out.empty());
  CHECK(token_count(world) == before);

  world.env["KBC_MASTER_TOKEN"] = source_reader;
  const auto refresh_other = world.run({"token", "refresh", "--url", world.source_url, "--id", "3"});
  CHECK(refresh_other.exit_code == 3);
  CHECK_THAT(refresh_other.err, Catch::Contains("is not a master token"));
}

TEST_CASE("token create names the project's buckets when the bucket does not exist, exit 2") {
  RunWorld world;
  const auto before = token_count(world);
  world.env["KBC_MASTER_TOKEN"] = source_master;
  const auto refused = world.run({"token", "create", "--url", world.source_url, "--bucket", "in.c-salse"});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("bucket in.c-salse does not exist in project Sales EU (101)") &&
                              Catch::Contains("in.c-sales") && Catch::Contains("in.c-other"));
  CHECK(refused.err.find(source_master) == std::string::npos);
  CHECK(refused.out.empty());
  CHECK(token_count(world) == before);
}

TEST_CASE("token create checks its flags before contacting anything") {
  RunWorld world;
  world.env["KBC_MASTER_TOKEN"] = source_master;
  const auto bad_bucket = world.run({"token", "create", "--url", world.source_url, "--bucket", "sales"});
  CHECK(bad_bucket.exit_code == 2);
  CHECK_THAT(bad_bucket.err, Catch::Contains("--bucket \"sales\""));
  const auto bad_expiry =
      world.run({"token", "create", "--url", world.source_url, "--bucket", "in.c-sales", "--expires-in", "2 weeks"});
  CHECK(bad_expiry.exit_code == 2);
  CHECK_THAT(bad_expiry.err, Catch::Contains("--expires-in \"2 weeks\""));
  const auto no_where = world.run({"token", "create", "--bucket", "in.c-sales"});
  CHECK(no_where.exit_code == 2);
  CHECK_THAT(no_where.err, Catch::Contains("token create needs --region NAME or --url URL"));
  world.env["KBC_MASTER_TOKEN"] = kbc::test::kUnsetEnv;
  const auto no_token = world.run({"token", "create", "--url", world.source_url, "--bucket", "in.c-sales"});
  CHECK(no_token.exit_code == 2);
  CHECK_THAT(no_token.err, Catch::Contains("KBC_MASTER_TOKEN"));
  // A token has no flag of its own: it never sits in argv.
  const auto as_flag = world.run({"token", "create", "--url", world.source_url, "--bucket", "in.c-sales", "--token",
                                  source_master});
  CHECK(as_flag.exit_code == 2);
  CHECK(as_flag.err.find(source_master) == std::string::npos);
}
