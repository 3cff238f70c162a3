// What `crawler run` prints (src/cli/progress.cc, PrintCrawlReport in
// src/cli/run_command.cc), issue 14 point 5: login failures first, once per
// wiki, with the real cause (a refused connection is transport, a wrong
// password quotes the wiki); probes that never ran are one count, never a
// line or a failure group; the totals say "1 of 21 probes fetched, 20 not run
// (--fail-fast)"; the smoke tier is named when it is done.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/progress.h"
#include "engine_servers.h"
#include "report_fixtures.h"
#include "run_binary.h"
#include "test_paths.h"

namespace bc {
namespace {

namespace fs = std::filesystem;
using testing::MakeOutcome;
using testing::MakeProbe;
using Catch::Matchers::Contains;
using Catch::Matchers::Matches;

// A ProgressDisplay writing into a string (not a terminal: no progress line).
struct Captured {
  char* buf = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&buf, &size);
  ~Captured() {
    if (out) std::fclose(out);
    std::free(buf);
  }
  std::string Text() {
    std::fflush(out);
    return std::string(buf, size);
  }
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

LoginResult Failed(std::string wiki, std::string message, bool unreachable) {
  LoginResult l;
  l.wiki = std::move(wiki);
  l.account = "qa";
  l.message = std::move(message);
  l.unreachable = unreachable;
  l.refused = !unreachable;
  return l;
}

Outcome LoginFailedOutcome() {
  Outcome o = MakeOutcome(Verdict::kAuth, 0, "login failed");
  o.result.evidence.detail = "not fetched: login to frwiki failed: clientlogin FAIL: Incorrect password.";
  return o;
}

TEST_CASE("login failures are said first, once per wiki, with the cause; their probes add no line", "[cli][progress]") {
  Captured c;
  REQUIRE(c.out != nullptr);
  ProgressDisplay p(8, /*tty=*/false, /*failures=*/true, c.out, c.out);
  LoginResult ok;
  ok.wiki = "enwiki";
  ok.ok = true;
  p.Logins({ok, Failed("frwiki", "clientlogin FAIL: Incorrect username or password entered.\u00a0Please try again.", false),
            Failed("ruwiki", "login token request failed: Failed to connect to 127.0.0.1 port 8193 after 0 ms: "
                             "Couldn't connect to server", true)});
  for (int i = 0; i < 3; ++i) p.Add(MakeProbe("f", "frwiki", PageKind::kWatchlist, {{"days", "7"}}), LoginFailedOutcome());
  Outcome refused = MakeOutcome(Verdict::kTransport, 0);
  refused.transport_error = "Couldn't connect to server";
  for (int i = 0; i < 2; ++i) p.Add(MakeProbe("r", "ruwiki", PageKind::kRecentChanges, {{"days", "7"}}), refused);
  // A real finding on a wiki that logged in is still a line of its own.
  p.Add(MakeProbe("e", "enwiki", PageKind::kRecentChanges, {{"damaging", "maybebad"}}),
        MakeOutcome(Verdict::kException, 500, "MWException: x"));
  p.Finish();
  CHECK(p.logins_said());
  const auto lines = Lines(c.Text());
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "login failed on frwiki (auth): the wiki said \"Incorrect username or password entered.\u00a0Please "
                    "try again.\" (clientlogin FAIL); its probes are not fetched (auth)");
  CHECK(lines[1] == "login failed on ruwiki (transport): login token request failed: Failed to connect to 127.0.0.1 "
                    "port 8193 after 0 ms: Couldn't connect to server; the wiki did not answer, its pages are loaded "
                    "anyway");
  CHECK_THAT(lines[2], Matches("exception +enwiki +recentchanges +damaging=maybebad"));
}

TEST_CASE("an account refused once is one line for the wikis it was not tried on", "[cli][progress]") {
  std::vector<LoginResult> logins = {Failed("enwiki", "clientlogin FAIL: Wrong password.", false)};
  for (const char* wiki : {"frwiki", "ruwiki"}) {
    LoginResult s;
    s.wiki = wiki;
    s.account = "qa";
    s.skipped = true;
    s.refused_on = "enwiki";
    logins.push_back(s);
  }
  const auto lines = DescribeLoginFailures(logins);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "login failed on enwiki (auth): the wiki said \"Wrong password.\" (clientlogin FAIL); its probes "
                    "are not fetched (auth)");
  CHECK_THAT(lines[1], Contains("account 'qa' not tried on 2 other wikis (frwiki, ruwiki) after enwiki refused it"));
  // The wiki's words come from the network: a terminal escape in them is shown, not obeyed.
  CHECK_THAT(DescribeLoginFailures({Failed("enwiki", "clientlogin FAIL: Bad\x1b[2Jpassword", false)})[0],
             Contains("the wiki said \"Bad\\x1b[2Jpassword\""));
  logins.pop_back();
  CHECK_THAT(DescribeLoginFailures(logins)[1], Contains("not tried on 1 other wiki (frwiki)"));
}

TEST_CASE("probes that never ran are counted, never listed; the smoke tier is named when done", "[cli][progress]") {
  Captured c;
  REQUIRE(c.out != nullptr);
  std::vector<Probe> probes;
  for (const char* wiki : {"enwiki", "frwiki"})
    for (PageKind kind : {PageKind::kRecentChanges, PageKind::kWatchlist}) {
      Probe smoke = MakeProbe("s", wiki, kind, {{"days", "7"}});
      smoke.tier = 0;
      probes.push_back(smoke);
      probes.push_back(MakeProbe("t", wiki, kind, {{"days", "30"}}));
    }
  ProgressDisplay p(probes.size(), false, true, c.out, c.out);
  p.SetSmokeTier(probes);
  for (size_t i = 0; i < probes.size(); ++i)
    if (probes[i].tier == 0) p.Add(probes[i], MakeOutcome(Verdict::kOk));
  const auto smoke = Lines(c.Text());
  REQUIRE(smoke.size() == 1);
  CHECK_THAT(smoke[0], Matches(R"(smoke: 2 wikis x 2 pages, all ok, [0-9]+\.[0-9] s)"));
  Outcome not_run = MakeOutcome(Verdict::kNotRun, 0, "not run: --fail-fast");
  for (size_t i = 0; i < probes.size(); ++i)
    if (probes[i].tier != 0) p.Add(probes[i], not_run);
  p.Finish();
  CHECK(p.not_run() == 4);
  CHECK(Lines(c.Text()).size() == 1);  // not a line per not-run probe

  // One smoke probe failing: said in the smoke line, and as its own line.
  Captured c2;
  ProgressDisplay q(probes.size(), false, true, c2.out, c2.out);
  q.SetSmokeTier(probes);
  q.Add(probes[0], MakeOutcome(Verdict::kFatal, 500, "fatal"));
  q.Add(probes[2], MakeOutcome(Verdict::kOk));
  q.Add(probes[4], MakeOutcome(Verdict::kOk));
  q.Add(probes[6], MakeOutcome(Verdict::kOk));
  const auto lines = Lines(c2.Text());
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[1], Matches(R"(smoke: 2 wikis x 2 pages, 1 not ok, [0-9.]+ s)"));
}

TEST_CASE("the pre-flight pages fetched with the facts belong to the smoke tier", "[cli][progress][smoke]") {
  // Each wiki's RecentChanges page judged with its facts comes first; the
  // smoke line waits for the crawl's own tier-0 probes too.
  Captured c;
  std::vector<std::pair<Probe, Outcome>> preflight;
  std::vector<Probe> probes;
  for (const char* wiki : {"enwiki", "frwiki"}) {
    Probe page = MakeProbe("f", wiki, PageKind::kRecentChanges, {{"days", "1"}, {"limit", "1"}});
    page.tier = 0;
    preflight.emplace_back(page, MakeOutcome(Verdict::kOk));
    Probe smoke = MakeProbe("s", wiki, PageKind::kWatchlist, {{"days", "7"}});
    smoke.tier = 0;
    probes.push_back(smoke);
  }
  ProgressDisplay p(probes.size() + preflight.size(), false, true, c.out, c.out);
  p.SetSmokeTier(probes, preflight);
  for (const auto& [probe, outcome] : preflight) p.Add(probe, outcome);
  CHECK(Lines(c.Text()).empty());  // the crawl's smoke probes have not ended
  p.Add(probes[0], MakeOutcome(Verdict::kOk));
  p.Add(probes[1], MakeOutcome(Verdict::kOk));
  const auto lines = Lines(c.Text());
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Matches(R"(smoke: 2 wikis x 2 pages, all ok, [0-9.]+ s)"));
}

TEST_CASE("watch lines carry the UTC time", "[cli][progress]") {
  Captured c;
  ProgressDisplay p(1, false, true, c.out, c.out);
  p.SetTimestamps(true);
  p.Add(MakeProbe("e", "enwiki", PageKind::kRecentChanges, {{"days", "7"}}), MakeOutcome(Verdict::kFatal, 500));
  CHECK_THAT(c.Text(), Matches(R"(20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z fatal +enwiki .*\n)"));
}

TEST_CASE("a heartbeat says what the crawl is doing while nothing else is said", "[cli][progress]") {
  // A file, read through its own descriptor while the heartbeat writes.
  const fs::path path = fs::temp_directory_path() / ("bc-heartbeat-" + std::to_string(::getpid()));
  std::FILE* out = std::fopen(path.c_str(), "w");
  REQUIRE(out != nullptr);
  const auto read = [&] {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  {
    ProgressDisplay p(81, /*tty=*/false, /*failures=*/true, out, out);
    p.SetActivity("logging in to 3 wikis");
    p.StartHeartbeat(0.2);
    // Waits for the line rather than timing it (2 shared cores): up to 10 s.
    for (int i = 0; i < 100 && read().find("logging in") == std::string::npos; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    p.Finish();
  }
  const std::string text = read();
  CHECK_THAT(text, Matches(R"(([0-9]+ s: logging in to 3 wikis: 0 of 81 probes, 0 not ok\n)+)"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(read() == text);  // nothing after Finish
  std::fclose(out);
  fs::remove(path);
}

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("bc-cli-output-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() { fs::remove_all(dir); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir / name) << text; }
};

TEST_CASE("run: a wiki that refuses connections is one transport line first, never auth", "[cli][progress][net]") {
  testing::RefusedPort port;
  REQUIRE(port.port() > 0);
  Scratch s;
  s.Write("pw", "not-a-real-password\n");
  fs::permissions(s.dir / "pw", fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  s.Write("t.toml", fmt::format(R"T([crawl]
user_agent = "beta-crawler-test/1.0 (cli output test; qa@example.org)"
retries = 0
confirm_after_ms = 0
[account.qa]
username = "CrawlerQA"
password_file = "pw"
[[wiki]]
dbname = "enwiki"
url = "http://127.0.0.1:{}"
script_path = ""
account = "qa"
[page.watchlist]
[page.watchlist.axes]
days = ["7", "30"]
enhanced = ["0", "1"]
)T",
                                port.port()));
  const bc_test::Ran r = bc_test::RunCrawler({"run", "t.toml", "--results", "res"}, s.dir);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  const auto lines = Lines(r.out);
  REQUIRE(!lines.empty());
  CHECK_THAT(lines[0], Matches("login failed on enwiki \\(transport\\): .*Couldn't connect to server; the wiki did not "
                               "answer, its pages are loaded anyway"));
  for (const auto& line : lines) {
    CHECK_FALSE(line.starts_with("transport "));  // no line per probe of the wiki that is down
    CHECK_FALSE(line.starts_with("auth "));
  }
  CHECK(std::count_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("login failed"); }) == 1);
  CHECK_THAT(r.out, Contains(" 4 of 4 probes fetched in "));
  CHECK_THAT(r.out, Contains("ERROR: the crawl could not be done properly: 4 probes could not be judged (transport 4)"));
}

TEST_CASE("run --fail-fast: the probes not run are one count, not a failure group", "[cli][progress][net]") {
  const auto corpus = [](const char* name) {
    std::ifstream in(std::string(BC_SOURCE_DIR) + "/tests/corpus/" + name, std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    return body.str();
  };
  const std::string exception = corpus("en-rc-exception.body"), page = corpus("en-rc-enhanced1.body");
  REQUIRE(exception.size() > 1000);
  REQUIRE(page.size() > 10000);
  testing::NginxServer nginx({{"page.html", page}, {"exception.html", exception}},
                             R"(
    location /page/ { try_files /page.html =404; }
    location /fail/ { return 500; }
    error_page 500 /exception.html;
    location = /exception.html { internal; }
)");
  INFO(nginx.error());
  REQUIRE(nginx.ok());
  Scratch s;
  std::string urls = nginx.Url("/fail/0") + "\n";
  for (int i = 1; i <= 20; ++i) urls += nginx.Url("/page/" + std::to_string(i)) + "\n";
  s.Write("urls.txt", urls);
  const bc_test::Ran r = bc_test::RunCrawler({"run", "--urls", "urls.txt", "--kind", "recentchanges", "--concurrency", "1",
                                              "--per-host", "1", "--fail-fast", "--confirm-after-ms", "0", "--results",
                                              "res"},
                                             s.dir);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains(": 1 of 21 probes fetched, 20 not run (--fail-fast) in "));
  CHECK_THAT(r.out, Matches(R"((.|\n)*pages/s\): exception 1\n(.|\n)*)"));
  CHECK_THAT(r.out, !Contains("not-run"));  // no line per probe, no group
  CHECK_THAT(r.out, !Contains("not run: --fail-fast"));
  // summary.md says it the same way.
  std::string md;
  for (const auto& e : fs::directory_iterator(s.dir / "res"))
    if (e.is_directory() && fs::exists(e.path() / "summary.md")) {
      std::ifstream f(e.path() / "summary.md");
      std::stringstream ss;
      ss << f.rdbuf();
      md = ss.str();
    }
  CHECK_THAT(md, Contains("PARTIAL run: 20 not run (--fail-fast)"));
  CHECK_THAT(md, !Contains("not run: --fail-fast"));

  // Confirmation shows no outcome while it lasts: one line says it began.
  const bc_test::Ran again = bc_test::RunCrawler({"run", "--urls", "urls.txt", "--kind", "recentchanges",
                                                  "--confirm-after-ms", "50", "--results", "res2"},
                                                 s.dir);
  INFO(again.out << again.err);
  CHECK_THAT(again.out, Contains("\nconfirming 1 product failure: fetching each again 50 ms after its first fetch\n"));
}

}  // namespace
}  // namespace bc

namespace bc {
namespace {

// Issue 14 point 10 end to end: nginx serves the same page fast, then at
// 100 KB/s (limit_rate: ~1.9 s for the recorded 186 KB page).
TEST_CASE("run --baseline: a page kind much slower than the baseline is a slow finding", "[cli][latency][net]") {
  std::ifstream in(std::string(BC_SOURCE_DIR) + "/tests/corpus/en-rc-enhanced1.body", std::ios::binary);
  std::stringstream page;
  page << in.rdbuf();
  REQUIRE(page.str().size() > 150000);
  testing::NginxServer nginx({{"page.html", page.str()}}, R"(
    location /fast/ { try_files /page.html =404; }
    location /slow/ { limit_rate 100k; try_files /page.html =404; }
)");
  INFO(nginx.error());
  REQUIRE(nginx.ok());
  Scratch s;
  const auto urls = [&](const char* where) {
    s.Write("urls.txt", nginx.Url(std::string("/") + where + "/1") + "\n" + nginx.Url(std::string("/") + where + "/2") + "\n");
  };
  const std::vector<std::string> common = {"run", "--urls", "urls.txt", "--kind", "recentchanges", "--results", "res",
                                           "--confirm-after-ms", "0"};
  const auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = common;
    args.insert(args.end(), extra.begin(), extra.end());
    return bc_test::RunCrawler(args, s.dir);
  };
  urls("fast");
  const bc_test::Ran base = run({"--format", "json", "--quiet"});
  INFO(base.out << base.err);
  REQUIRE(base.exit_code == 0);
  const size_t at = base.out.find("\"run_id\":\"") + 10;
  const std::string base_id = base.out.substr(at, base.out.find('"', at) - at);
  urls("slow");
  // --fail-on slow implies --baseline last: the fast run.
  const bc_test::Ran gated = run({"--fail-on", "slow"});
  INFO(gated.out << gated.err);
  CHECK(gated.exit_code == 1);
  CHECK_THAT(gated.out, Contains("slow (p95 over 2x the baseline's and over 1 s slower; fails the run):"));
  CHECK_THAT(gated.out, Matches(R"((.|\n)*\n  127\.0\.0\.1:[0-9]+ recentchanges: p95 [0-9.]+ s, baseline 0\.[0-9] s \([0-9.]+x\)\n(.|\n)*)"));
  CHECK_THAT(gated.out, Contains("FAIL: 1 page kind slower than the baseline (--fail-on slow)"));
  // Without --fail-on slow it is shown, and the run passes.
  const bc_test::Ran shown = run({"--baseline", base_id});
  INFO(shown.out << shown.err);
  CHECK(shown.exit_code == 0);
  CHECK_THAT(shown.out, Contains("does not fail the run without --fail-on slow"));
  CHECK_THAT(shown.out, Contains("PASS: no product failure"));
  std::string md, html;
  for (const auto& e : fs::directory_iterator(s.dir / "res"))
    if (e.is_directory() && !e.is_symlink() && e.path().filename().string() > base_id) {
      std::ifstream m(e.path() / "summary.md"), h(e.path() / "report.html");
      std::stringstream a, b;
      a << m.rdbuf();
      b << h.rdbuf();
      if (a.str().find("Slower than the baseline") != std::string::npos) md = a.str(), html = b.str();
    }
  CHECK_THAT(md, Contains("## Slower than the baseline (1)"));
  CHECK_THAT(html, Contains("<section id=\"slow\">"));
}

}  // namespace
}  // namespace bc
