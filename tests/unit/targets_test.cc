#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/targets.h"
#include "test_paths.h"

using namespace bc;

namespace {

const char* kGood = R"TOML(
[crawl]
user_agent = "beta-crawler-test/0.1 (qa@example.org)"
concurrency = 16
per_host_concurrency = 4

[account.qa]
username = "CrawlerQA"
password_env = "BC_TEST_PASSWORD"

[[wiki]]
dbname = "enwiki"
url = "http://127.0.0.1:8101"
script_path = ""
account = "qa"

[page.recentchanges]
strategy = "cartesian"
expect_filter_groups = ["damaging", "goodfaith"]
[page.recentchanges.axes]
limit = ["50", "500"]
[page.recentchanges.ores]
damaging = ["", "likelybad"]
)TOML";

// Parses `text` and returns the error line ("FILE:LINE:COL: message"); fails the test if it parsed.
std::string ErrorOf(const std::string& text) {
  auto r = ParseTargets(text, "t.toml");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Error::Code::kConfig);
  return r.error().ToString();
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("a complete targets file parses into plain structs", "[config]") {
  auto t = ParseTargets(kGood, "t.toml");
  REQUIRE(t.has_value());
  CHECK(t->crawl.concurrency == 16);
  CHECK(t->crawl.per_host_concurrency == 4);
  CHECK(t->crawl.retries == 2);  // default
  REQUIRE(t->wikis.size() == 1);
  CHECK(t->wikis[0].url == "http://127.0.0.1:8101");
  CHECK(t->wikis[0].script_path.empty());
  CHECK(t->accounts.at("qa").username == "CrawlerQA");
  REQUIRE(t->pages.size() == 1);
  CHECK(t->pages[0].axes.size() == 2);
  CHECK(t->pages[0].axes[1].ores);
  CHECK(t->pages[0].axes[1].model == "damaging");
  CHECK(t->pages[0].axes[1].values[0].empty());  // "" = parameter absent
}

TEST_CASE("a TOML syntax error names file, line and column", "[config]") {
  CHECK_THAT(ErrorOf("[crawl]\nuser_agent = \"x\n"), Catch::StartsWith("t.toml:2:"));
  CHECK_THAT(ErrorOf("[crawl\n"), Catch::StartsWith("t.toml:1:") && Catch::Contains("TOML syntax error"));
}

TEST_CASE("an unknown key is an error at its position that lists the known keys", "[config]") {
  auto msg = ErrorOf(Replace(kGood, "concurrency = 16", "concurency = 16"));
  CHECK_THAT(msg, Catch::StartsWith("t.toml:4:1: unknown key 'concurency' in [crawl]"));
  CHECK_THAT(msg, Catch::Contains("known keys: user_agent, concurrency"));
}

TEST_CASE("a value of the wrong type says what type is expected", "[config]") {
  CHECK_THAT(ErrorOf(Replace(kGood, "concurrency = 16", "concurrency = \"16\"")),
             Catch::StartsWith("t.toml:4:15: 'concurrency' must be an integer"));
  CHECK_THAT(ErrorOf(Replace(kGood, "script_path = \"\"", "script_path = 3")),
             Catch::StartsWith("t.toml:14:15: 'script_path' must be a string"));
}

TEST_CASE("a missing required key names the table and what to add", "[config]") {
  CHECK_THAT(ErrorOf(Replace(kGood, "user_agent = \"beta-crawler-test/0.1 (qa@example.org)\"", "")),
             Catch::Contains("[crawl] needs user_agent"));
  CHECK_THAT(ErrorOf(Replace(kGood, "url = \"http://127.0.0.1:8101\"", "")),
             Catch::StartsWith("t.toml:11:1: wiki 'enwiki' needs url"));
  CHECK_THAT(ErrorOf(Replace(kGood, "username = \"CrawlerQA\"", "")), Catch::Contains("account.qa needs username"));
}

TEST_CASE("a user agent without contact is refused (Wikimedia User-Agent policy)", "[config]") {
  CHECK_THAT(ErrorOf(Replace(kGood, "beta-crawler-test/0.1 (qa@example.org)", "curl/7.88")),
             Catch::StartsWith("t.toml:3:14: user_agent must name the tool and a contact"));
}

TEST_CASE("an empty axis is an error at the axis", "[config]") {
  CHECK_THAT(ErrorOf(Replace(kGood, "limit = [\"50\", \"500\"]", "limit = []")),
             Catch::StartsWith("t.toml:21:9: axis 'limit' is empty"));
}

TEST_CASE("a password written inline is refused and points to password_env/password_file", "[config]") {
  auto msg = ErrorOf(Replace(kGood, "password_env = \"BC_TEST_PASSWORD\"", "password = \"hunter2hunter2\""));
  CHECK_THAT(msg, Catch::StartsWith("t.toml:9:12: account.qa: passwords never go in a targets file"));
  CHECK_THAT(msg, !Catch::Contains("hunter2"));
}

TEST_CASE("impossible limits are refused", "[config]") {
  CHECK_THAT(ErrorOf(Replace(kGood, "per_host_concurrency = 4", "per_host_concurrency = 64")),
             Catch::StartsWith("t.toml:5:24: per_host_concurrency (64) is larger than concurrency (16)"));
  CHECK_THAT(ErrorOf(Replace(kGood, "concurrency = 16", "concurrency = 0")),
             Catch::StartsWith("t.toml:4:15: 'concurrency' = 0 is out of range"));
  CHECK_THAT(ErrorOf(Replace(kGood, "concurrency = 16", "concurrency = 16\nmemory_budget_mb = 8")),
             Catch::StartsWith("t.toml:5:20: 'memory_budget_mb' = 8 is out of range; use 16 to"));
  CHECK_THAT(ErrorOf(Replace(kGood, "concurrency = 16", "concurrency = 16\nevidence_per_group = -1")),
             Catch::StartsWith("t.toml:5:22: 'evidence_per_group' = -1 is out of range; use 0 to 100"));
}

TEST_CASE("the memory budget and evidence per group: defaults and [crawl] keys", "[config]") {
  auto d = ParseTargets(kGood, "t.toml");
  REQUIRE(d.has_value());
  CHECK(d->crawl.memory_budget_bytes == int64_t{256} << 20);
  CHECK(d->crawl.evidence_per_group == 3);
  auto t = ParseTargets(Replace(kGood, "concurrency = 16", "concurrency = 16\nmemory_budget_mb = 64\nevidence_per_group = 0"),
                        "t.toml");
  REQUIRE(t.has_value());
  CHECK(t->crawl.memory_budget_bytes == int64_t{64} << 20);
  CHECK(t->crawl.evidence_per_group == 0);
}

TEST_CASE("a URL that is not http(s) is refused at the url key", "[config]") {
  CHECK_THAT(ErrorOf(Replace(kGood, "http://127.0.0.1:8101", "ftp://127.0.0.1")),
             Catch::StartsWith("t.toml:13:7: url 'ftp://127.0.0.1' is not an http(s) URL"));
  CHECK_THAT(ErrorOf(Replace(kGood, "http://127.0.0.1:8101", "not a url")), Catch::Contains("is not an http(s) URL"));
  CHECK_THAT(ErrorOf(Replace(kGood, "http://127.0.0.1:8101", "http://127.0.0.1/w/index.php")),
             Catch::Contains("has a path"));
}

TEST_CASE("a duplicate wiki and an undefined account are refused", "[config]") {
  std::string dup = std::string(kGood) + "\n[[wiki]]\ndbname = \"enwiki\"\nurl = \"http://127.0.0.1:8102\"\naccount = \"qa\"\n";
  CHECK_THAT(ErrorOf(dup), Catch::Contains("wiki 'enwiki' is listed twice"));
  CHECK_THAT(ErrorOf(Replace(kGood, "account = \"qa\"", "account = \"nobody\"")),
             Catch::StartsWith("t.toml:15:11: wiki 'enwiki' uses account 'nobody', which is not defined"));
}

TEST_CASE("watchlist needs an account on every wiki", "[config]") {
  std::string t = Replace(kGood, "account = \"qa\"\n", "\n");
  t += "\n[page.watchlist]\n[page.watchlist.axes]\ndays = [\"7\"]\n";
  CHECK_THAT(ErrorOf(t), Catch::Contains("wiki 'enwiki' has no account, but [page.watchlist] needs"));
}

TEST_CASE("passwords come from the environment or a 0600 file, never printed", "[config]") {
  namespace fs = std::filesystem;
  auto targets = ParseTargets(kGood, "t.toml");
  REQUIRE(targets.has_value());
  Account env = targets->accounts.at("qa");

  SECTION("an unset environment variable is an error naming the variable") {
    ::unsetenv("BC_TEST_PASSWORD");
    auto r = ReadPassword(env);
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error().ToString(), Catch::StartsWith("t.toml:9:16: account.qa: environment variable BC_TEST_PASSWORD"));
  }
  SECTION("a set environment variable is read") {
    ::setenv("BC_TEST_PASSWORD", "s3cret-value", 1);
    auto r = ReadPassword(env);
    REQUIRE(r.has_value());
    CHECK(*r == "s3cret-value");
    ::unsetenv("BC_TEST_PASSWORD");
  }
  const fs::path dir = fs::temp_directory_path() / ("bc-pw-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "pw";
  { std::ofstream(file) << "file-secret\n"; }
  Account f = env;
  f.password_env.clear();
  f.password_file = file.string();
  SECTION("a world-readable password file is refused, the secret not printed") {
    ::chmod(file.c_str(), 0644);
    auto r = ReadPassword(f);
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error().message, Catch::Contains("readable by others (mode 644); chmod 600"));
    CHECK_THAT(r.error().message, !Catch::Contains("file-secret"));
  }
  SECTION("a 0600 password file is read without its newline") {
    ::chmod(file.c_str(), 0600);
    auto r = ReadPassword(f);
    REQUIRE(r.has_value());
    CHECK(*r == "file-secret");
  }
  SECTION("a missing password file is an error naming the file") {
    f.password_file = (dir / "missing").string();
    auto r = ReadPassword(f);
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error().message, Catch::Contains("cannot read password file") && Catch::Contains("missing"));
  }
  fs::remove_all(dir);
}

TEST_CASE("a relative password_file is resolved next to the targets file", "[config]") {
  auto t = ParseTargets(Replace(kGood, "password_env = \"BC_TEST_PASSWORD\"", "password_file = \"state/qa.password\""),
                        "targets/local.toml");
  REQUIRE(t.has_value());
  CHECK(t->accounts.at("qa").password_file == "targets/state/qa.password");
}

TEST_CASE("a missing targets file is a config error naming the path", "[config]") {
  auto r = LoadTargets("/nonexistent/targets.toml");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().where == "/nonexistent/targets.toml");
  CHECK_THAT(r.error().message, Catch::Contains("cannot read targets file"));
}

TEST_CASE("the checked-in targets files and the README example parse", "[config]") {
  for (const char* name : {"/targets/local.toml", "/targets/beta.toml", "/targets/production.toml"}) {
    auto t = LoadTargets(std::string(BC_SOURCE_DIR) + name);
    INFO(name << ": " << (t ? "" : t.error().ToString()));
    CHECK(t.has_value());
  }
  {
    // Its ca_file exists only while the beta farm runs: parse without loading it.
    std::ifstream farm(std::string(BC_SOURCE_DIR) + "/targets/beta-farm.toml");
    std::stringstream text;
    text << farm.rdbuf();
    auto t = ParseTargets(text.str(), std::string(BC_SOURCE_DIR) + "/targets/beta-farm.toml");
    INFO((t ? "" : t.error().ToString()));
    REQUIRE(t.has_value());
    CHECK(t->crawl.resolve.size() == 12);
    CHECK(t->crawl.ca_file.ends_with("tests/farm/beta/state/tls/ca.pem"));
  }
  std::ifstream in(std::string(BC_SOURCE_DIR) + "/targets/README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string md = ss.str();
  const auto begin = md.find("```toml\n");
  REQUIRE(begin != std::string::npos);
  const auto end = md.find("```", begin + 8);
  REQUIRE(end != std::string::npos);
  auto t = ParseTargets(md.substr(begin + 8, end - begin - 8), "README.md");
  INFO((t ? "" : t.error().ToString()));
  REQUIRE(t.has_value());
  CHECK(t->pages.size() == 3);
}

TEST_CASE("[crawl] resolve entries are kept in order; a bad one names its position and what is wrong", "[config]") {
  auto t = ParseTargets(Replace(kGood, "per_host_concurrency = 4",
                                "per_host_concurrency = 4\nresolve = [\"en.wikipedia.beta.test:8343:127.0.0.1\", "
                                "\"fr.wikipedia.beta.test:443:[::1],127.0.0.2\"]"),
                        "t.toml");
  REQUIRE(t.has_value());
  CHECK(t->crawl.resolve ==
        std::vector<std::string>{"en.wikipedia.beta.test:8343:127.0.0.1", "fr.wikipedia.beta.test:443:[::1],127.0.0.2"});

  auto bad = [](const std::string& entry) {
    return ErrorOf(Replace(kGood, "per_host_concurrency = 4", "per_host_concurrency = 4\nresolve = [\"ok.test:1:127.0.0.1\", \"" + entry + "\"]"));
  };
  // Line 6; the second string starts at column 35.
  CHECK_THAT(bad("en.wikipedia.beta.test:8343"),
             Catch::StartsWith("t.toml:6:35: resolve: 'en.wikipedia.beta.test:8343' is not HOST:PORT:ADDR (it needs two ':'"));
  CHECK_THAT(bad("host.test:0:127.0.0.1"), Catch::Contains("port '0' is not 1-65535"));
  CHECK_THAT(bad("host.test:99999:127.0.0.1"), Catch::Contains("port '99999' is not 1-65535"));
  CHECK_THAT(bad("host.test:443:localhost"), Catch::Contains("address 'localhost' is not an IPv4 address"));
  CHECK_THAT(bad("host.test:443:::1"), Catch::Contains("is not an IPv4 address or a bracketed IPv6"));
  CHECK_THAT(bad("host.test:443:127.0.0.1,"), Catch::Contains("address ''"));
  CHECK_THAT(bad("ho st:443:127.0.0.1"), Catch::Contains("host 'ho st' may only have"));
  CHECK_THAT(bad(":443:127.0.0.1"), Catch::Contains("no host name"));
  CHECK_THAT(ErrorOf(Replace(kGood, "per_host_concurrency = 4", "per_host_concurrency = 4\nresolve = \"a:1:127.0.0.1\"")),
             Catch::StartsWith("t.toml:6:11: 'resolve' must be an array"));
}

TEST_CASE("[crawl] ca_file is relative to the targets file and must hold a PEM certificate", "[config]") {
  const auto dir = std::filesystem::temp_directory_path() / "bc-targets-ca-test";
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "ca.pem") << "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"; }
  { std::ofstream(dir / "empty.pem") << "not a certificate\n"; }
  const std::string path = (dir / "t.toml").string();
  auto with = [&](const std::string& value) {
    std::ofstream(path) << Replace(kGood, "per_host_concurrency = 4", "per_host_concurrency = 4\nca_file = \"" + value + "\"");
    return LoadTargets(path);
  };
  auto t = with("ca.pem");
  REQUIRE(t.has_value());
  CHECK(t->crawl.ca_file == (dir / "ca.pem").string());
  auto missing = with("nope.pem");
  REQUIRE_FALSE(missing.has_value());
  CHECK_THAT(missing.error().ToString(), Catch::StartsWith(path + ":6:11: ca_file: cannot read CA file " + (dir / "nope.pem").string()));
  auto empty = with("empty.pem");
  REQUIRE_FALSE(empty.has_value());
  CHECK_THAT(empty.error().ToString(), Catch::Contains("holds no PEM certificate"));
  auto device = with("/dev/zero");
  REQUIRE_FALSE(device.has_value());
  CHECK_THAT(device.error().ToString(), Catch::Contains("is not a regular file"));
  // Parsing alone never touches the file (the fuzzer feeds ParseTargets).
  CHECK(ParseTargets(Replace(kGood, "per_host_concurrency = 4", "per_host_concurrency = 4\nca_file = \"/dev/zero\""), path));
  std::filesystem::remove_all(dir);
}
