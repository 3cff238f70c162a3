// Known issues: the [[known]] file, matching failures to it, and what the
// reports and the exit code make of known and flaky failures.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cli/crawl.h"
#include "config/known.h"
#include "report/grouping.h"
#include "report/junit_xml.h"
#include "report/known_match.h"
#include "report/summary_md.h"
#include "report_fixtures.h"

namespace bc {
namespace {

using Catch::Contains;
using testing::WithGroups;
using testing::MakeOutcome;
using testing::MakeProbe;

constexpr const char* kFile = R"(# filed issues
[[known]]
task = "T181191"
note = "ORES thresholds null"
class = "MWException"
wiki = "ruwiki"

[[known]]
task = "T200000"
verdict = "fatal"
page = "watchlist"
param = "damaging=likelybad"

[[known]]
task = "T300000"
signature = "Threshold is"
)";

KnownIssues Known() {
  auto k = ParseKnownIssues(kFile, "known.toml");
  REQUIRE(k);
  return *k;
}

Result<KnownIssues> Parse(const std::string& text) { return ParseKnownIssues(text, "k.toml"); }

TEST_CASE("known-issues file: entries with task, note and matchers in file order", "[known]") {
  const KnownIssues k = Known();
  REQUIRE(k.entries.size() == 3);
  CHECK(k.entries[0].task == "T181191");
  CHECK(k.entries[0].note == "ORES thresholds null");
  CHECK(k.entries[0].exception_class == "MWException");
  CHECK(k.entries[0].wiki == "ruwiki");
  CHECK(k.entries[0].where == "known.toml:2:1");
  CHECK(k.entries[1].verdict == Verdict::kFatal);
  CHECK(k.entries[1].page == PageKind::kWatchlist);
  CHECK(k.entries[1].param_key == "damaging");
  CHECK(k.entries[1].param_value == "likelybad");
  CHECK(TaskUrl("T181191") == "https://phabricator.wikimedia.org/T181191");
  CHECK(Parse("")->entries.empty());
}

TEST_CASE("known-issues file: exception_class and kind, and their old names class and page with a note", "[known][names]") {
  // kFile uses the old names: read as before, one note per old key, naming the new one.
  const KnownIssues old = Known();
  REQUIRE(old.entries.size() == 3);
  CHECK(old.entries[0].exception_class == "MWException");
  CHECK(old.entries[1].page == PageKind::kWatchlist);
  REQUIRE(old.deprecations.size() == 2);
  CHECK(old.deprecations[0] == "known.toml:5:1: note: 'class' is the old name of 'exception_class'; write exception_class = ...");
  CHECK(old.deprecations[1] == "known.toml:11:1: note: 'page' is the old name of 'kind'; write kind = ...");

  auto now = Parse("[[known]]\ntask = \"T1\"\nexception_class = \"MWException\"\nkind = \"contributions\"\n");
  REQUIRE(now);
  CHECK(now->entries[0].exception_class == "MWException");
  CHECK(now->entries[0].page == PageKind::kContributions);
  CHECK(now->deprecations.empty());

  // Both names of one key: an error at the old one, never a silent pick.
  auto both = Parse("[[known]]\ntask = \"T1\"\nexception_class = \"A\"\nclass = \"B\"\n");
  REQUIRE_FALSE(both);
  CHECK(both.error().where == "k.toml:4:1");
  CHECK_THAT(both.error().message, Contains("keep 'exception_class'"));
  auto bad_kind = Parse("[[known]]\ntask = \"T1\"\nverdict = \"exception\"\nkind = \"history\"\n");
  REQUIRE_FALSE(bad_kind);
  CHECK(bad_kind.error().where == "k.toml:4:8");
}

TEST_CASE("known-issues file: every mistake names FILE:LINE:COL", "[known]") {
  const std::pair<std::string, std::string> bad[] = {
      {"[[known]]\ntask = \"181191\"\nverdict = \"exception\"\n", "k.toml:2:8"},        // not T...
      {"[[known]]\nverdict = \"exception\"\n", "k.toml:1:1"},                          // no task
      {"[[known]]\ntask = \"T1\"\nwiki = \"ruwiki\"\n", "k.toml:1:1"},                  // no matcher
      {"[[known]]\ntask = \"T1\"\nverdict = \"transport\"\n", "k.toml:3:11"},           // a tool failure
      {"[[known]]\ntask = \"T1\"\nverdict = \"exception\"\nclas = \"X\"\n", "k.toml:4:1"},  // typo
      {"[[known]]\ntask = \"T1\"\nclass = \"X\"\npage = \"history\"\n", "k.toml:4:8"},
      {"[[known]]\ntask = \"T1\"\nclass = \"X\"\nparam = \"damaging\"\n", "k.toml:4:9"},
      {"[[known]]\ntask = \"T1\"\nclass = \"\"\n", "k.toml:3:9"},
      {"[[known]]\ntask = \"T1\"\nclass = 3\n", "k.toml:3:9"},
      {"[known]\ntask = \"T1\"\n", "k.toml:1:1"},                                       // a table, not [[known]]
      {"[[known]]\ntask = \"T1\"\nclass = \"X\n", "k.toml:3:"},                          // syntax
      {"[[issue]]\ntask = \"T1\"\n", "k.toml:1:3"},
  };
  for (const auto& [text, where] : bad) {
    INFO(text);
    auto k = Parse(text);
    REQUIRE_FALSE(k);
    CHECK(k.error().code == Error::Code::kConfig);
    CHECK_THAT(k.error().where, Catch::StartsWith(where));
  }
  auto missing = LoadKnownIssues("/nonexistent/known.toml");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().where == "/nonexistent/known.toml");
}

TEST_CASE("a failure matches the first entry whose matchers all hold; ok and tool failures never", "[known]") {
  const KnownIssues k = Known();
  const Probe ru = MakeProbe("a", "ruwiki", PageKind::kRecentChanges, {{"damaging", "likelybad"}});
  const Probe fr = MakeProbe("b", "frwiki", PageKind::kWatchlist, {{"damaging", "likelybad"}});
  const Probe fr2 = MakeProbe("c", "frwiki", PageKind::kWatchlist, {{"damaging", "maybebad"}});
  const Outcome ex = MakeOutcome(Verdict::kException, 500, "MWException: Threshold is null", "MWException");
  const Outcome fatal = MakeOutcome(Verdict::kFatal, 500, "PHP Fatal error");
  const Outcome other = MakeOutcome(Verdict::kException, 500, "RuntimeException: boom", "RuntimeException");

  const KnownIssue* m = MatchKnownIssue(k, ru, ex, false);
  REQUIRE(m);
  CHECK(m->task == "T181191");
  m = MatchKnownIssue(k, fr, ex, false);  // not ruwiki: the signature entry
  REQUIRE(m);
  CHECK(m->task == "T300000");
  m = MatchKnownIssue(k, fr, fatal, false);
  REQUIRE(m);
  CHECK(m->task == "T200000");
  CHECK(MatchKnownIssue(k, fr2, fatal, false) == nullptr);  // param differs
  CHECK(MatchKnownIssue(k, ru, other, false) == nullptr);
  CHECK(MatchKnownIssue(k, ru, MakeOutcome(Verdict::kOk), false) == nullptr);
  Outcome t = MakeOutcome(Verdict::kTransport, 0, "Threshold is");
  CHECK(MatchKnownIssue(k, ru, t, false) == nullptr);
}

std::vector<ProbeResult> Mixed() {
  std::vector<ProbeResult> rs;
  const Outcome ex = MakeOutcome(Verdict::kException, 500, "MWException: Threshold is null", "MWException");
  Outcome known = ex;
  known.known_task = "T181191";
  known.confirm_fetches = known.confirm_failed = 1;
  Outcome flaky = ex;
  flaky.confirm_fetches = 1;
  Outcome confirmed = ex;
  confirmed.confirm_fetches = confirmed.confirm_failed = 1;
  rs.push_back({MakeProbe("p1", "ruwiki", PageKind::kRecentChanges, {{"damaging", "likelybad"}}), known});
  rs.push_back({MakeProbe("p2", "frwiki", PageKind::kRecentChanges, {{"damaging", "likelybad"}}), flaky});
  rs.push_back({MakeProbe("p3", "enwiki", PageKind::kRecentChanges, {{"damaging", "likelybad"}}), confirmed});
  rs.push_back({MakeProbe("p4", "enwiki", PageKind::kRecentChanges, {}), MakeOutcome(Verdict::kOk)});
  return rs;
}

TEST_CASE("known and flaky failures are counted apart and fail the run only when asked", "[known]") {
  const auto rs = Mixed();
  RunSummary s;
  for (const auto& r : rs) Count(s, r.outcome, false);
  CHECK(s.product_failures == 3);
  CHECK(s.known == 1);
  CHECK(s.flaky == 1);
  CHECK(s.Failing(false, false) == 1);
  CHECK(s.Failing(true, true) == 3);
  CHECK(CrawlExitCode(s, false, false, 0.2) == 1);

  RunSummary only_known_and_flaky;
  for (size_t i = 0; i < 2; ++i) Count(only_known_and_flaky, rs[i].outcome, false);
  CHECK(CrawlExitCode(only_known_and_flaky, false, false, 0.2) == 0);
  CHECK(CrawlExitCode(only_known_and_flaky, false, false, 0.2, /*fail_on_known=*/true) == 1);
  CHECK(CrawlExitCode(only_known_and_flaky, false, false, 0.2, false, /*fail_on_flaky=*/true) == 1);
}

TEST_CASE("groups keep known, flaky and confirmed failures of one cause apart and count fetches", "[known]") {
  const auto rs = Mixed();
  const auto groups = GroupFailures(ResultList(rs), false);
  REQUIRE(groups.size() == 3);
  CHECK(groups[0].known_task.empty());  // the one that fails the run comes first
  CHECK_FALSE(groups[0].flaky);
  CHECK(DescribeConfirmation(groups[0]) == "reproduced on 2 of 2 fetches");
  int known = 0, flaky = 0;
  for (const auto& g : groups) {
    CHECK(g.key == "MWException: Threshold is null");
    if (g.known_task == "T181191") ++known;
    if (g.flaky) {
      ++flaky;
      CHECK(DescribeConfirmation(g) == "not reproduced: failed on 1 of 2 fetches (the first ones only)");
    }
  }
  CHECK(known == 1);
  CHECK(flaky == 1);
}

TEST_CASE("summary.md and junit.xml show the task and the flaky failure; unseen entries are possibly fixed", "[known]") {
  const auto rs = Mixed();
  RunInfo info;
  info.run_id = "20261127T031845Z-abcd";
  info.planned = rs.size();
  info.exit_code = 1;
  info.known = {{"T181191", "ORES thresholds null", 1}, {"T999999", "", 0}};
  RunSummary s;
  for (const auto& r : rs) Count(s, r.outcome, false);
  auto md = RenderSummaryMarkdown(WithGroups(info, ResultList(rs)), s, ResultList(rs));
  REQUIRE(md);
  CHECK_THAT(*md, Contains("3 product failures (1 known, 1 flaky: 1 fail the run)"));
  CHECK_THAT(*md, Contains("- **Known issue:** [T181191](https://phabricator.wikimedia.org/T181191) — `ORES thresholds null` (does not fail the run)"));
  CHECK_THAT(*md, Contains("- **Confirmation:** not reproduced: failed on 1 of 2 fetches (the first ones only); flaky, does not fail the run"));
  CHECK_THAT(*md, Contains("- **Confirmation:** reproduced on 2 of 2 fetches\n"));
  CHECK_THAT(*md, Contains("[T999999](https://phabricator.wikimedia.org/T999999): not seen this run: possibly fixed"));
  info.scope = "--wiki ruwiki";  // not the whole plan: an unseen entry says nothing
  md = RenderSummaryMarkdown(WithGroups(info, ResultList(rs)), s, ResultList(rs));
  CHECK_THAT(*md, !Contains("possibly fixed"));

  auto xml = RenderJunitXml(info, s, ResultList(rs));
  REQUIRE(xml);
  CHECK_THAT(*xml, Contains("failures=\"1\""));
  CHECK_THAT(*xml, Contains("<skipped message=\"known issue T181191 (https://phabricator.wikimedia.org/T181191)"));
  CHECK_THAT(*xml, Contains("flaky: exception on the first fetch, not on 1 re-fetch"));
  info.fail_on_flaky = info.fail_on_known = true;
  xml = RenderJunitXml(info, s, ResultList(rs));
  CHECK_THAT(*xml, Contains("failures=\"3\""));
}

}  // namespace
}  // namespace bc
