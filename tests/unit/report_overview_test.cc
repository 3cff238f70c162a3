// The run overview (src/report/overview.h): worst verdict per wiki x page
// kind, clean wikis, latency percentiles, and the status sentence.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "report/overview.h"
#include "report_fixtures.h"

namespace bc {
namespace {

using testing::MakeOutcome;
using testing::MakeProbe;

TEST_CASE("the overview keeps the worst verdict per cell and names clean and failing wikis", "[report][overview]") {
  std::vector<ProbeResult> rs;
  auto add = [&](const char* wiki, PageKind kind, Verdict v, double seconds, long status = 200) {
    Outcome o = MakeOutcome(v, status);
    o.timings.total = seconds;
    rs.push_back({MakeProbe(std::to_string(rs.size()), wiki, kind, {}), o});
  };
  for (int i = 1; i <= 20; ++i) add("enwiki", PageKind::kRecentChanges, Verdict::kOk, 0.1 * i);
  add("frwiki", PageKind::kRecentChanges, Verdict::kOk, 1);
  add("frwiki", PageKind::kRecentChanges, Verdict::kException, 2, 500);
  add("frwiki", PageKind::kWatchlist, Verdict::kNotRun, 0, 0);
  add("ruwiki", PageKind::kWatchlist, Verdict::kAuth, 0.3);
  add("ruwiki", PageKind::kWatchlist, Verdict::kWarning, 0.3);

  const Overview o = MakeOverview(rs, false);
  CHECK(o.wikis == std::vector<std::string>{"enwiki", "frwiki", "ruwiki"});
  CHECK(o.kinds == std::vector<PageKind>{PageKind::kRecentChanges, PageKind::kWatchlist});
  REQUIRE(o.Cell("frwiki", PageKind::kRecentChanges) != nullptr);
  CHECK(o.Cell("frwiki", PageKind::kRecentChanges)->worst == Verdict::kException);
  CHECK(o.Cell("frwiki", PageKind::kWatchlist)->worst == Verdict::kNotRun);
  CHECK(o.Cell("ruwiki", PageKind::kWatchlist)->worst == Verdict::kAuth);
  CHECK(o.Cell("enwiki", PageKind::kWatchlist) == nullptr);
  CHECK(o.clean == std::vector<std::string>{"enwiki"});
  CHECK(o.failing == std::vector<std::string>{"frwiki"});
  // Latency over probes with a response: RC has 22 (20 enwiki + 2 frwiki); not-run has none.
  REQUIRE(o.latency.size() == 2);
  CHECK(o.latency[0].fetched == 22);
  CHECK(o.latency[0].p50 == Approx(1.0).epsilon(0.01));  // 11th of 22
  CHECK(o.latency[0].p95 == Approx(2.0).epsilon(0.01));  // 21st of 22
  CHECK(o.latency[1].fetched == 2);
  // A warning fails only when the targets say so.
  CHECK(MakeOverview(rs, true).Cell("ruwiki", PageKind::kWatchlist)->worst == Verdict::kWarning);
  CHECK(Severity(Verdict::kWarning, true) > Severity(Verdict::kAuth, true));
}

TEST_CASE("the status sentence says how many probes ran when some did not", "[report][overview]") {
  std::vector<ProbeResult> rs;
  rs.push_back({MakeProbe("a", "frwiki", PageKind::kRecentChanges, {}), MakeOutcome(Verdict::kException, 500)});
  for (int i = 0; i < 3; ++i)
    rs.push_back({MakeProbe("n" + std::to_string(i), "enwiki", PageKind::kRecentChanges, {}),
                  MakeOutcome(Verdict::kNotRun, 0)});
  RunSummary s;
  for (const auto& r : rs) Count(s, r.outcome, false);
  RunInfo info;
  info.exit_code = 1;
  info.planned = 4;
  const RunStatus st = DescribeRunStatus(info, s, MakeOverview(rs, false), 1);
  CHECK(st.word == "FAIL");
  CHECK(st.sentence == "1 product failure on frwiki in 1 group; no wiki is clean. Partial: 1 probe of 4 fetched, 3 not run.");
  info.exit_code = 2;
  CHECK(DescribeRunStatus(info, s, MakeOverview(rs, false), 1).sentence ==
        "The crawl could not be done properly: 3 probes not run; 1 product failure.");
}

}  // namespace
}  // namespace bc
