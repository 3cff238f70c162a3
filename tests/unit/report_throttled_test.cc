// The `throttled` verdict (a 429 that outlasted every wait the server asked
// for) in every output: a crawl problem like auth and transport, never a
// product failure, never dropped. One run with an exception, a throttled
// probe and an ok one, rendered by each writer.
#include <catch2/catch.hpp>

#include <regex>
#include <string>
#include <vector>

#include "classify/verdict.h"
#include "cli/crawl.h"
#include "report/grouping.h"
#include "report/html_report.h"
#include "report/junit_xml.h"
#include "report/metrics_prom.h"
#include "report/summary_md.h"
#include "report/summary_remarkup.h"
#include "report_fixtures.h"

namespace bc {
namespace {

using Catch::Contains;
using testing::WithGroups;
using testing::MakeOutcome;
using testing::MakeProbe;

std::vector<ProbeResult> ThrottledRunResults() {
  Outcome throttled = MakeOutcome(Verdict::kThrottled, 429, "throttled: HTTP 429");
  throttled.transport_error = "HTTP 429 Too Many Requests after 4 attempts; Retry-After 1 s would pass the run's deadline";
  throttled.result.evidence.detail = "throttled: " + throttled.transport_error;
  return {
      {MakeProbe("a", "enwiki", PageKind::kRecentChanges, {{"days", "7"}}), std::move(throttled)},
      {MakeProbe("b", "enwiki", PageKind::kRecentChanges, {{"days", "30"}}), MakeOutcome(Verdict::kOk)},
      {MakeProbe("c", "ruwiki", PageKind::kRecentChanges, {{"damaging", "likelybad"}}),
       MakeOutcome(Verdict::kException, 500, "MWException: null", "MWException", "null threshold", "req-1")},
  };
}

RunSummary ThrottledRunSummary(const std::vector<ProbeResult>& rs) {
  RunSummary s;
  for (const auto& r : rs) Count(s, r.outcome, false);
  return s;
}

RunInfo ThrottledRunInfo(int exit_code) {
  RunInfo info;
  info.run_id = "20261205T140000Z-7a7a";
  info.targets_path = "targets/beta-farm.toml";
  info.started_unix_ms = 1796479200000;
  info.finished_unix_ms = 1796479206000;
  info.planned = 3;
  info.exit_code = exit_code;
  return info;
}

// `text` from `from` up to `to` (or the end).
std::string Between(const std::string& text, const std::string& from, const std::string& to) {
  const size_t a = text.find(from);
  if (a == std::string::npos) return "";
  const size_t b = text.find(to, a + from.size());
  return text.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

TEST_CASE("throttled is a crawl problem: a tool failure, never a product failure", "[report][throttled]") {
  CHECK(VerdictName(Verdict::kThrottled) == "throttled");
  CHECK(ParseVerdict("throttled") == Verdict::kThrottled);
  CHECK(IsToolFailure(Verdict::kThrottled));
  CHECK_FALSE(IsProductFailure(Verdict::kThrottled, false));
  CHECK_FALSE(IsProductFailure(Verdict::kThrottled, /*warnings_fail=*/true));
  const auto rs = ThrottledRunResults();
  const RunSummary s = ThrottledRunSummary(rs);
  CHECK(s.Of(Verdict::kThrottled) == 1);
  CHECK(s.tool_failures == 1);
  CHECK(s.product_failures == 1);
  CHECK(DescribeUnjudged(s) == "1 probe could not be judged (throttled 1)");
  CHECK_THAT(DescribeThrottled(s), Contains("1 probe throttled") && Contains("429") && Contains("exit code 2"));
  CHECK(DescribeThrottled(RunSummary{}).empty());
}

TEST_CASE("exit code 2 when the only problems are throttled probes", "[report][throttled][session]") {
  RunSummary s;
  s.total = 100;
  s.by_verdict[static_cast<size_t>(Verdict::kThrottled)] = 1;
  s.tool_failures = 1;  // 1% is far below max_tool_failure_share: the throttled probe alone makes it 2
  CHECK(CrawlExitCode(s, false, false, 0.2) == 2);
  s.product_failures = 1;  // a product failure found is still a failure
  CHECK(CrawlExitCode(s, false, false, 0.2) == 1);
  RunSummary clean;
  clean.total = 100;
  CHECK(CrawlExitCode(clean, false, false, 0.2) == 0);
}

TEST_CASE("junit.xml: a throttled probe is an <error>, like auth and transport, not a <failure>",
          "[report][throttled][junit]") {
  const auto rs = ThrottledRunResults();
  auto xml = RenderJunitXml(ThrottledRunInfo(1), ThrottledRunSummary(rs), rs);
  REQUIRE(xml.has_value());
  CHECK_THAT(*xml, Contains("<testsuites name=\"beta-crawler 20261205T140000Z-7a7a\" tests=\"3\" failures=\"1\" "
                            "errors=\"1\""));
  CHECK_THAT(*xml, Contains("<error type=\"throttled\" message=\"throttled:"));
  CHECK_THAT(Between(*xml, "<testcase name=\"recentchanges days=7\"", "</testcase>"),
             Contains("<error type=\"throttled\"") && !Contains("<failure") && !Contains("<skipped"));
  CHECK_FALSE(std::regex_search(*xml, std::regex("<failure type=\"throttled\"")));
  CHECK_THAT(Between(*xml, "<testsuite name=\"enwiki\"", ">"), Contains("failures=\"0\" errors=\"1\" skipped=\"0\""));
}

TEST_CASE("report.html styles every verdict and shows throttled as a crawl problem", "[report][throttled][html]") {
  const auto rs = ThrottledRunResults();
  auto html = RenderHtmlReport(WithGroups(ThrottledRunInfo(1), rs), ThrottledRunSummary(rs), rs);
  REQUIRE(html.has_value());
  const std::string style = Between(*html, "<style", "</style>");
  REQUIRE_FALSE(style.empty());
  for (size_t v = 0; v < kVerdictCount; ++v) {
    const std::string name(VerdictName(static_cast<Verdict>(v)));
    INFO("verdict " << name);
    CHECK(std::regex_search(style, std::regex("\\.v-" + name + "[ ,{]")));
  }
  CHECK_THAT(*html, Contains("<tr data-verdict=\"throttled\" data-failure=\"1\""));
  CHECK_THAT(*html, Contains("<article class=\"group tool\">\n<h3>2. <span class=\"v v-throttled\">throttled</span>"));
  CHECK_THAT(Between(*html, "<div id=\"status\"", "</div>"), Contains("1 probe throttled"));
}

TEST_CASE("summary.md and the Remarkup summary count throttled with the tool failures", "[report][throttled][summary]") {
  const auto rs = ThrottledRunResults();
  const RunSummary s = ThrottledRunSummary(rs);
  auto md = RenderSummaryMarkdown(WithGroups(ThrottledRunInfo(1), rs), s, rs);
  REQUIRE(md.has_value());
  CHECK_THAT(*md, Contains("1 product failure, 1 tool failure, 3 of 3 planned probes done"));
  CHECK_THAT(*md, Contains("- **Throttled:** 1 probe throttled: the server kept answering 429"));
  CHECK_THAT(*md, Contains("| throttled | 1 |\n"));
  CHECK_THAT(Between(*md, "## Product failures", "## Tool failures"), !Contains("throttled"));
  CHECK_THAT(Between(*md, "## Tool failures", "\n## "), Contains("throttled"));

  auto rm = RenderSummaryRemarkup(WithGroups(ThrottledRunInfo(1), rs), s, rs);
  REQUIRE(rm.has_value());
  CHECK_THAT(*rm, Contains("1 product failure, 1 tool failure, 3 of 3 planned probes done"));
  CHECK_THAT(*rm, Contains("- **Throttled:** 1 probe throttled: the server kept answering 429"));
  CHECK_THAT(*rm, Contains("| throttled | 1 |\n"));
  CHECK_THAT(Between(*rm, "== Product failures", "== Tool failures"), !Contains("throttled"));
  CHECK_THAT(Between(*rm, "== Tool failures", "\n== "), Contains("throttled"));
}

TEST_CASE("metrics.prom counts throttled per wiki and kind and among the tool failures", "[report][throttled][metrics]") {
  const auto rs = ThrottledRunResults();
  auto text = RenderMetrics(ThrottledRunInfo(1), ThrottledRunSummary(rs), rs);
  REQUIRE(text.has_value());
  CHECK_THAT(*text, Contains("beta_crawler_probes{wiki=\"enwiki\",kind=\"recentchanges\",verdict=\"throttled\"} 1\n"));
  CHECK_THAT(*text, Contains("beta_crawler_probes{wiki=\"ruwiki\",kind=\"recentchanges\",verdict=\"throttled\"} 0\n"));
  CHECK_THAT(*text, Contains("beta_crawler_tool_failures 1\n"));
  CHECK_THAT(*text, Contains("beta_crawler_product_failures 1\n"));
}

}  // namespace
}  // namespace bc
