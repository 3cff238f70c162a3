// The command line as a user meets it (src/cli/main.cc, src/cli/suggest.cc,
// RequireSelection in src/cli/options.cc): a mistyped command or option is
// answered with the nearest real one and exit 2; `help [COMMAND]` and
// `version` work; filters that select nothing are an error, never a pass.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli/options.h"
#include "cli/suggest.h"
#include "run_binary.h"
#include "test_paths.h"

using namespace bc;
using bc_test::Ran;
namespace fs = std::filesystem;

namespace {
struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("bc-cli-main-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() { fs::remove_all(dir); }
};
const std::string kLocal = std::string(BC_SOURCE_DIR) + "/targets/local.toml";
}  // namespace

TEST_CASE("NearestName suggests the command or option a typo meant, and nothing for noise", "[cli][suggest]") {
  const std::vector<std::string> commands = {"run", "plan", "login", "watch", "classify", "recheck", "history", "diff"};
  CHECK(NearestName("rnu", commands) == "run");      // swapped letters count once
  CHECK(NearestName("runn", commands) == "run");
  CHECK(NearestName("plna", commands) == "plan");
  CHECK(NearestName("histroy", commands) == "history");
  CHECK(NearestName("class", commands) == "classify");  // a prefix
  CHECK(NearestName("xyzzy", commands).empty());
  CHECK(NearestName("", commands).empty());
  CHECK(NearestName("--fial-fast", {"--fail-fast", "--format", "--wiki"}) == "--fail-fast");
  CHECK(NearestName("--per-hots", {"--per-host", "--param"}) == "--per-host");
  CHECK(EditDistance("kitten", "sitting") == 3);
  CHECK(EditDistance("ab", "ba") == 1);
}

TEST_CASE("an unknown command is answered with the nearest one and exit 2", "[cli][main]") {
  Scratch s;
  const Ran r = bc_test::RunCrawler({"rnu", "targets/local.toml"}, s.dir);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("'rnu' is not a crawler command. Did you mean 'run'?"));
  CHECK_THAT(r.err, Catch::Contains("commands: run, plan"));
  CHECK(r.out.empty());
  const Ran none = bc_test::RunCrawler({"frobnicate"}, s.dir);
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, !Catch::Contains("Did you mean"));
}

TEST_CASE("an unknown option names the command and the nearest option, exit 2", "[cli][main]") {
  Scratch s;
  const Ran r = bc_test::RunCrawler({"run", kLocal, "--fial-fast"}, s.dir);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("crawler run: unknown option '--fial-fast'. Did you mean '--fail-fast'?"));
  CHECK_THAT(r.err, Catch::Contains("crawler help run"));
  const Ran eq = bc_test::RunCrawler({"plan", kLocal, "--knid=watchlist"}, s.dir);
  CHECK(eq.exit_code == 2);
  CHECK_THAT(eq.err, Catch::Contains("unknown option '--knid'. Did you mean '--kind'?"));
}

TEST_CASE("help, help COMMAND and version", "[cli][main]") {
  Scratch s;
  const Ran help = bc_test::RunCrawler({"help"}, s.dir);
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("run") && Catch::Contains("classify") && Catch::Contains("version"));
  const Ran run = bc_test::RunCrawler({"help", "run"}, s.dir);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("--fail-fast") && Catch::Contains("--baseline"));
  const Ran typo = bc_test::RunCrawler({"help", "rnu"}, s.dir);
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::Contains("Did you mean 'run'?"));
  const Ran version = bc_test::RunCrawler({"version"}, s.dir);
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::StartsWith("beta-crawler " BC_VERSION));
  CHECK(bc_test::RunCrawler({"--version"}, s.dir).out == version.out);
  const Ran nothing = bc_test::RunCrawler({}, s.dir);
  CHECK(nothing.exit_code == 2);
  CHECK_THAT(nothing.err, Catch::Contains("run"));
}

TEST_CASE("filters that select no probe are an error naming the filter and the values there are", "[cli][select]") {
  PlanOptions o;
  o.targets = kLocal;
  REQUIRE(LoadPlan(o).has_value());

  o.params = {"damaging=nosuchlevel"};
  auto r = LoadPlan(o);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Error::Code::kUsage);
  CHECK_THAT(r.error().message, Catch::StartsWith("no probe matches --param damaging=nosuchlevel (values in the plan: "));
  CHECK_THAT(r.error().message, Catch::Contains("damaging=likelygood"));

  o.params = {"nosuchkey=1"};
  r = LoadPlan(o);
  REQUIRE_FALSE(r.has_value());
  CHECK_THAT(r.error().message, Catch::Contains("(no probe has nosuchkey; parameters in the plan: ") &&
                                    Catch::Contains("damaging"));

  // After other filters: what those left is what is offered.
  o.wikis = {"enwiki"};
  o.kinds = {"contributions"};
  o.params = {"days=7"};
  r = LoadPlan(o);
  REQUIRE_FALSE(r.has_value());
  CHECK_THAT(r.error().message, Catch::StartsWith("no probe matches --wiki enwiki --kind contributions --param days=7"));
  CHECK_THAT(r.error().message, Catch::Contains("with --wiki enwiki --kind contributions"));

  // More shards than probes: the empty shard is named.
  o.params = {};
  auto few = LoadPlan(o);
  REQUIRE(few.has_value());
  o.shard = fmt::format("{}/{}", few->second.size() + 1, few->second.size() + 2);
  r = LoadPlan(o);
  REQUIRE_FALSE(r.has_value());
  CHECK_THAT(r.error().message, Catch::Contains("--shard") && Catch::Contains("fewer than the"));
}

TEST_CASE("run and plan exit 2 when nothing is selected, with the values on stderr", "[cli][select][main]") {
  Scratch s;
  for (const std::vector<std::string>& cmd :
       {std::vector<std::string>{"plan"}, std::vector<std::string>{"run", "--results", "res"}}) {
    INFO(cmd[0]);
    std::vector<std::string> args = cmd;
    args.insert(args.end(), {kLocal, "--param", "damaging=nosuchlevel"});
    const Ran r = bc_test::RunCrawler(args, s.dir);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("crawler: no probe matches --param damaging=nosuchlevel (values in the plan:"));
    CHECK_FALSE(fs::exists(s.dir / "res"));  // nothing ran, nothing written
  }
}

TEST_CASE("old flag names still work and are not shown: --page, --per-host, --notify", "[cli][main][names]") {
  Scratch s;
  const Ran help = bc_test::RunCrawler({"help", "run"}, s.dir);
  CHECK_THAT(help.out, Catch::Contains("--kind") && Catch::Contains("--per-host-concurrency") &&
                           Catch::Contains("--notify-when"));
  CHECK_THAT(help.out, !Catch::Contains("--page ") && !Catch::Contains("--per-host ") && !Catch::Contains("--notify "));
  CHECK_THAT(help.out, !Catch::Contains("Old name"));

  // --page and --kind select the same probes.
  const Ran by_kind = bc_test::RunCrawler({"plan", kLocal, "--kind", "watchlist", "--format", "json"}, s.dir);
  const Ran by_page = bc_test::RunCrawler({"plan", kLocal, "--page", "watchlist", "--format", "json"}, s.dir);
  CHECK(by_kind.exit_code == 0);
  CHECK(by_page.exit_code == 0);
  CHECK_THAT(by_kind.out, Catch::Contains("\"kind\":\"watchlist\"") && !Catch::Contains("\"kind\":\"recentchanges\""));
  CHECK(by_page.out == by_kind.out);
  // plan's old --format jsonl is its --format json, and not shown.
  CHECK_THAT(bc_test::RunCrawler({"help", "plan"}, s.dir).out, Catch::Contains("{text,json}") && !Catch::Contains("jsonl"));
  const Ran jsonl = bc_test::RunCrawler({"plan", kLocal, "--kind", "watchlist", "--format", "jsonl"}, s.dir);
  CHECK(jsonl.exit_code == 0);
  CHECK(jsonl.out == by_kind.out);

  // The old --per-host and the new --per-host-concurrency reach the same check.
  fs::create_directories(s.dir);
  { std::FILE* f = std::fopen((s.dir / "urls.txt").c_str(), "w"); REQUIRE(f); std::fputs("http://127.0.0.1:9/x\n", f); std::fclose(f); }
  for (const char* flag : {"--per-host-concurrency", "--per-host"}) {
    INFO(flag);
    const Ran r = bc_test::RunCrawler({"run", "--urls", "urls.txt", "--concurrency", "2", flag, "3"}, s.dir);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--per-host-concurrency cannot be larger than --concurrency"));
  }
  // --notify and --notify-when take the same values; an unknown one is refused by both.
  for (const char* flag : {"--notify-when", "--notify"}) {
    INFO(flag);
    const Ran r = bc_test::RunCrawler({"run", kLocal, flag, "sometimes"}, s.dir);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("sometimes"));
  }
  // --kind with --urls says what the pages are: one kind only.
  const Ran two = bc_test::RunCrawler({"run", "--urls", "urls.txt", "--kind", "watchlist", "--kind", "api"}, s.dir);
  CHECK(two.exit_code == 2);
  CHECK_THAT(two.err, Catch::Contains("--kind: with --urls give one page kind"));
}

TEST_CASE("plan --format json: only JSON on stdout, one probe a line, --explain on stderr", "[cli][main][names]") {
  Scratch s;
  const Ran r = bc_test::RunCrawler({"plan", kLocal, "--wiki", "enwiki", "--explain", "--format", "json"}, s.dir);
  CHECK(r.exit_code == 0);
  std::istringstream lines(r.out);
  size_t n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    INFO(line);
    const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    REQUIRE(j.is_object());
    CHECK(j.contains("id"));
    CHECK(j["wiki"] == "enwiki");
    CHECK(j.contains("kind"));
  }
  CHECK(n > 0);
  CHECK_THAT(r.err, Catch::Contains("no [discovery]"));
}
