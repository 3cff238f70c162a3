#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "report/html_report.h"
#include "report/summary_md.h"
#include "report_fixtures.h"

namespace bc {
namespace {

using Catch::Contains;
using testing::WithGroups;
using testing::MakeOutcome;
using testing::MakeProbe;
using testing::SummaryOf;

RunInfo SummaryInfo() {
  RunInfo info;
  info.run_id = "20261127T031845Z-abcd";
  info.targets_path = "targets/local.toml";
  info.started_unix_ms = 1795749525000;
  info.finished_unix_ms = 1795749537500;
  info.exit_code = 1;
  info.planned = 4;
  info.user_agent = "beta-crawler/0.1";
  info.cookie_names["ruwiki"] = {"ruwiki_session"};
  return info;
}

std::vector<ProbeResult> OresIncident() {
  std::vector<ProbeResult> rs;
  auto add = [&](std::string wiki, Params params, Outcome o) {
    Probe p = MakeProbe("p" + std::to_string(rs.size()), wiki, PageKind::kRecentChanges, std::move(params));
    p.account = "qa";
    rs.push_back({p, o});
  };
  add("ruwiki", {{"title", "Special:RecentChanges"}}, MakeOutcome(Verdict::kOk));
  add("ruwiki", {{"damaging", "likelybad"}, {"title", "Special:RecentChanges"}},
      MakeOutcome(Verdict::kException, 500, "MWException: Threshold is null", "MWException",
                  "Threshold is null <script>alert(1)</script> `x`", "W1abc"));
  add("ruwiki", {{"damaging", "verylikelybad"}, {"title", "Special:RecentChanges"}},
      MakeOutcome(Verdict::kException, 500, "MWException: Threshold is null", "MWException", "Threshold is null",
                  "W2def"));
  Outcome t = MakeOutcome(Verdict::kTransport, 0);
  t.transport_error = "Operation timed out";
  add("enwiki", {{"title", "Special:RecentChanges"}}, t);
  return rs;
}

TEST_CASE("summary.md names the group, its wikis, minimal parameters, request ids and a curl line",
          "[report][summary]") {
  const auto rs = OresIncident();
  auto md = RenderSummaryMarkdown(WithGroups(SummaryInfo(), rs), SummaryOf(rs), rs);
  REQUIRE(md.has_value());
  const std::string& s = *md;
  CHECK_THAT(s, Contains("# beta-crawler run 20261127T031845Z-abcd"));
  CHECK_THAT(s, Contains("duration:** 12.5 s"));
  CHECK_THAT(s, Contains("| ok | 1 |\n| exception | 2 |\n"));
  CHECK_THAT(s, Contains("| transport | 1 |"));
  CHECK_THAT(s, Contains("## Product failures (1 group)"));
  CHECK_THAT(s, Contains("### 1. exception — `MWException: Threshold is null` (2 probes)"));
  CHECK_THAT(s, Contains("- **Wikis:** ruwiki\n"));
  CHECK_THAT(s, Contains("- **Pages:** recentchanges\n"));
  CHECK_THAT(s, Contains("- **Minimal failing parameters:** `damaging=*` on ruwiki\n"));
  CHECK_THAT(s, Contains("- **Request ids:** `W1abc`, `W2def`\n"));
  CHECK_THAT(s, Contains("- **HTTP status:** 500\n"));
  CHECK_THAT(s, Contains("-b 'ruwiki_session=...'"));
  CHECK_THAT(s, Contains("```sh\ncurl -sS --compressed -A 'beta-crawler/0.1'"));
  // The attacker-controlled message sits in a code span with a longer fence.
  CHECK_THAT(s, Contains("`` Threshold is null <script>alert(1)</script> `x` ``"));
  CHECK_THAT(s, Contains("## Tool failures"));
  CHECK_THAT(s, Contains("### 2. transport — `transport: Operation timed out` (1 probe)"));
  CHECK_THAT(s, Contains("- **HTTP status:** none\n"));
}

// The groups are made once per run (RunReport::Finish) and handed over: a
// writer renders info.groups, it does not group again.
TEST_CASE("summary.md and report.html render the run's groups as given", "[report][summary]") {
  const auto rs = OresIncident();
  RunInfo info = WithGroups(SummaryInfo(), rs);
  REQUIRE(info.groups.size() == 2);
  info.groups.erase(info.groups.begin());  // keep only the transport group
  auto md = RenderSummaryMarkdown(info, SummaryOf(rs), rs);
  REQUIRE(md.has_value());
  CHECK_THAT(*md, Contains("## Product failures\n\nNone.\n"));
  CHECK_THAT(*md, Contains("### 1. transport — `transport: Operation timed out` (1 probe)"));
  auto html = RenderHtmlReport(info, SummaryOf(rs), rs);
  REQUIRE(html.has_value());
  CHECK_THAT(*html, Contains("<h2>Failure groups (1)</h2>"));
}

TEST_CASE("a clean run says there are no product failures", "[report][summary]") {
  std::vector<ProbeResult> rs = {{MakeProbe("a", "enwiki", PageKind::kWatchlist, {}), MakeOutcome(Verdict::kOk)}};
  auto md = RenderSummaryMarkdown(WithGroups(SummaryInfo(), rs), SummaryOf(rs), rs);
  REQUIRE(md.has_value());
  CHECK_THAT(*md, Contains("## Product failures\n\nNone.\n"));
  CHECK_THAT(*md, !Contains("Tool failures"));
}

TEST_CASE("a partial run is marked as such in the summary", "[report][summary]") {
  RunInfo info = SummaryInfo();
  info.partial = true;
  auto md = RenderSummaryMarkdown(WithGroups(info, {}), RunSummary{}, {});
  REQUIRE(md.has_value());
  CHECK_THAT(*md, Contains("PARTIAL run"));
  CHECK_THAT(*md, Contains("0 of 4 planned probes done"));
}

}  // namespace
}  // namespace bc

namespace bc {
namespace {

TEST_CASE("summary.md names the clean wikis and shows 5 request ids and a count of the rest", "[report][summary]") {
  std::vector<ProbeResult> rs;
  for (int i = 0; i < 8; ++i) {
    Probe p = MakeProbe("f" + std::to_string(i), "frwiki", PageKind::kWatchlist, {{"days", std::to_string(i)}});
    rs.push_back({p, MakeOutcome(Verdict::kException, 500, "RuntimeException", "RuntimeException", "",
                                 "req" + std::to_string(i))});
  }
  rs.push_back({MakeProbe("e1", "enwiki", PageKind::kWatchlist, {}), MakeOutcome(Verdict::kOk)});
  rs.push_back({MakeProbe("d1", "dewiki", PageKind::kWatchlist, {}), MakeOutcome(Verdict::kWarning, 200, "Warning: x")});
  auto md = RenderSummaryMarkdown(WithGroups(SummaryInfo(), rs), SummaryOf(rs), rs);
  REQUIRE(md.has_value());
  // A non-failing warning leaves a wiki clean; a failure does not.
  CHECK_THAT(*md, Contains("**Clean:** dewiki, enwiki (no failure on any page)\n"));
  CHECK_THAT(*md, Contains("- **Request ids:** `req0`, `req1`, `req2`, `req3`, `req4` and 3 more"));
  CHECK_THAT(*md, !Contains("`req5`"));
  // The reproduction that needs no cookie comes first, then curl.
  const size_t repro = md->find("```sh\n./crawler repro f0 --run 20261127T031845Z-abcd --save repro/\n```");
  REQUIRE(repro != std::string::npos);
  CHECK(repro < md->find("```sh\ncurl "));

  const auto incident = OresIncident();  // enwiki has a transport failure, ruwiki exceptions
  auto none = RenderSummaryMarkdown(WithGroups(SummaryInfo(), incident), SummaryOf(incident), incident);
  REQUIRE(none.has_value());
  CHECK_THAT(*none, Contains("**Clean:** none"));
}

}  // namespace
}  // namespace bc
