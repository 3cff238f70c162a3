// Page latency per wiki x page kind in the history, and the `slow` finding
// against a baseline (report/latency.h; issue 14 point 10).
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "report/history.h"
#include "report/latency.h"
#include "report/run_dir.h"
#include "report/summary_md.h"
#include "report_fixtures.h"

namespace bc {
namespace {

using testing::WithGroups;
using testing::MakeOutcome;
using testing::MakeProbe;

ProbeResult Timed(std::string wiki, PageKind kind, double seconds, long status = 200) {
  Outcome o = MakeOutcome(Verdict::kOk, status);
  o.timings.total = seconds;
  return {MakeProbe("p" + std::to_string(seconds), std::move(wiki), kind, {}), o};
}

TEST_CASE("latency is kept per wiki x page kind over the probes that got a response", "[report][latency]") {
  std::vector<ProbeResult> rs;
  for (int i = 1; i <= 20; ++i) rs.push_back(Timed("enwiki", PageKind::kRecentChanges, i * 0.1));
  rs.push_back(Timed("enwiki", PageKind::kWatchlist, 0.5));
  rs.push_back(Timed("enwiki", PageKind::kWatchlist, 30, /*status=*/0));  // no response: no latency
  rs.push_back(Timed("frwiki", PageKind::kContributions, 0, /*status=*/0));
  const auto rows = ComputeLatencies(rs);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].wiki == "enwiki");
  CHECK(rows[0].kind == "recentchanges");
  CHECK(rows[0].fetched == 20);
  CHECK(rows[0].p50 == Approx(1.0));  // nearest rank: the 10th of 20
  CHECK(rows[0].p95 == Approx(1.9));  // the 19th of 20
  CHECK(rows[1].kind == "watchlist");
  CHECK(rows[1].fetched == 1);
  CHECK(rows[1].p95 == Approx(0.5));
}

TEST_CASE("slow: p95 over 2x the baseline's and over 1 s slower, both", "[report][latency]") {
  const auto row = [](std::string wiki, std::string kind, double p95) { return LatencyRow{wiki, kind, 10, p95 / 2, p95}; };
  const std::vector<LatencyRow> base = {row("enwiki", "recentchanges", 0.4), row("enwiki", "watchlist", 2.0),
                                        row("frwiki", "recentchanges", 0.3), row("ruwiki", "watchlist", 0.2)};
  const std::vector<LatencyRow> now = {
      row("enwiki", "recentchanges", 1.5),  // 3.75x and 1.1 s slower: slow
      row("enwiki", "watchlist", 3.5),      // 1.5 s slower but 1.75x: not slow
      row("frwiki", "recentchanges", 1.2),  // 4x but 0.9 s slower: not slow
      row("dewiki", "recentchanges", 9.0),  // no baseline: says nothing
  };
  const auto slow = FindSlow(base, now);
  REQUIRE(slow.size() == 1);
  CHECK(slow[0].wiki == "enwiki");
  CHECK(slow[0].kind == "recentchanges");
  CHECK(DescribeSlow(slow[0]) == "enwiki recentchanges: p95 1.5 s, baseline 0.4 s (3.8x)");
  CHECK(FindSlow({}, now).empty());
}

TEST_CASE("the history keeps each run's latencies and summary.md shows slow page kinds", "[report][latency]") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("bc-latency-" + MakeRunId());
  std::filesystem::create_directories(dir);
  {
    auto h = History::Open((dir / "history.sqlite").string());
    REQUIRE(h);
    std::vector<ProbeResult> rs = {Timed("enwiki", PageKind::kRecentChanges, 0.2),
                                   Timed("enwiki", PageKind::kRecentChanges, 0.4)};
    RunInfo info;
    info.run_id = "20261205T000000Z-aaaa";
    info.targets_path = "/t.toml";
    RunSummary summary;
    REQUIRE(h->RecordRun(info, summary, rs));
    auto back = h->LoadLatencies(info.run_id);
    REQUIRE(back);
    REQUIRE(back->size() == 1);
    CHECK((*back)[0].fetched == 2);
    CHECK((*back)[0].p95 == Approx(0.4));
    CHECK(h->LoadLatencies("20261205T000000Z-none")->empty());
    REQUIRE(h->DeleteRun(info.run_id));
    CHECK(h->LoadLatencies(info.run_id)->empty());

    info.slow = {{"enwiki", "recentchanges", 0.4, 2.5}};
    auto md = RenderSummaryMarkdown(WithGroups(info, rs), summary, rs);
    REQUIRE(md);
    CHECK_THAT(*md, Catch::Contains("## Slower than the baseline (1)"));
    CHECK_THAT(*md, Catch::Contains("does not fail the run without --fail-on slow"));
    CHECK_THAT(*md, Catch::Contains("`enwiki recentchanges: p95 2.5 s, baseline 0.4 s (6.2x)`"));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bc
