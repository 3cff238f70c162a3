// summary.remarkup: what pastes into a Phabricator task as is.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "report/escape.h"
#include "report/summary_remarkup.h"
#include "report_fixtures.h"

namespace bc {
namespace {

using Catch::Contains;
using testing::WithGroups;
using testing::MakeOutcome;
using testing::MakeProbe;

std::vector<std::string> RemarkupLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST_CASE("remarkup summary: header, table, groups with task links, lang=sh reproduction", "[remarkup]") {
  std::vector<ProbeResult> rs;
  Probe ru = MakeProbe("p1", "ruwiki", PageKind::kRecentChanges, {{"damaging", "likelybad"}, {"title", "Special:RecentChanges"}});
  ru.account = "qa";
  Outcome known = MakeOutcome(Verdict::kException, 500, "MWException: Threshold is null", "MWException",
                              "Threshold is null `x` @admin T1 **bold**", "W1abc");
  known.known_task = "T181191";
  rs.push_back({ru, known});
  Outcome flaky = MakeOutcome(Verdict::kFatal, 500, "PHP Fatal error: Allowed memory size");
  flaky.confirm_fetches = 1;
  rs.push_back({MakeProbe("p2", "frwiki", PageKind::kWatchlist, {{"days", "7"}}), flaky});
  rs.push_back({MakeProbe("p3", "frwiki", PageKind::kWatchlist, {{"days", "30"}}), MakeOutcome(Verdict::kOk)});

  RunInfo info;
  info.run_id = "20261127T031845Z-abcd";
  info.targets_path = "targets/local.toml";
  info.started_unix_ms = 1795749525000;
  info.finished_unix_ms = 1795749537500;
  info.planned = 3;
  info.user_agent = "beta-crawler/0.1";
  info.cookie_names["ruwiki"] = {"ruwiki_session"};
  info.known = {{"T181191", "ORES thresholds", 1}, {"T222222", "", 0}};
  RunSummary s;
  for (const auto& r : rs) Count(s, r.outcome, false);
  auto text = RenderSummaryRemarkup(WithGroups(info, ResultList(rs)), s, ResultList(rs));
  REQUIRE(text);
  const auto lines = RemarkupLines(*text);
  const std::vector<std::string> expected = {
      "= beta-crawler run 20261127T031845Z-abcd =",
      "- **Targets:** `targets/local.toml`",
      "- **Started:** 2026-11-27T03:18:45.000Z, **duration:** 12.5 s, **exit code:** 0",
      "- **Result:** 2 product failures (1 known, 1 flaky: 0 fail the run), 0 tool failures, 3 of 3 planned probes done",
      "| verdict | probes |",
      "| ------- | ------ |",
      "| ok | 1 |",
      "| exception | 1 |",
      "| **total** | 3 |",
      "== Product failures (2 groups) ==",
      "=== 1. exception (known): `MWException: Threshold is null` (1 probe) ===",
      "- **Known issue:** T181191 `ORES thresholds` (does not fail the run)",
      // Page text stays inert: no mention, no task link, no bold; the backtick cannot end the span.
      "- **Exception:** `MWException`: `Threshold is null 'x' @admin T1 **bold**`",
      "- **Request ids:** `W1abc`",
      "```lang=sh",
      "curl -sS --compressed -A 'beta-crawler/0.1' -b 'ruwiki_session=...' "
      "'http://127.0.0.1:8080/ruwiki/w/index.php?damaging=likelybad&title=Special:RecentChanges'",
      "```",
      "=== 2. fatal (flaky): `PHP Fatal error: Allowed memory size` (1 probe) ===",
      "- **Confirmation:** not reproduced: failed on 1 of 2 fetches (the first ones only); flaky, does not fail the run",
      "== Known issues not seen ==",
      "- T222222: not seen this run: possibly fixed",
  };
  for (const auto& want : expected) {
    INFO(want);
    CHECK(std::find(lines.begin(), lines.end(), want) != lines.end());
  }
  CHECK_THAT(*text, !Contains("# "));  // no Markdown headers
  CHECK_THAT(*text, !Contains("](http"));  // no Markdown links
}

TEST_CASE("RemarkupCode keeps any text inside one monospace span", "[remarkup][escape]") {
  CHECK(RemarkupCode("RuntimeException") == "`RuntimeException`");
  CHECK(RemarkupCode("a`b``c") == "`a'b''c`");
  CHECK(RemarkupCode("  two\nlines\t ") == "`two lines`");
  CHECK(RemarkupCode("") == "`-`");
  CHECK(RemarkupCode(" \n") == "`-`");
}

}  // namespace
}  // namespace bc
