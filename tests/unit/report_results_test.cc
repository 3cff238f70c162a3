// ResultList keeps plain ok outcomes compactly: every report rendered from it
// must be byte-for-byte what the same results give when kept whole.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <type_traits>

#include <fmt/format.h>

#include "report/history.h"
#include "report/html_report.h"
#include "report/junit_xml.h"
#include "report/metrics_prom.h"
#include "report/results.h"
#include "report/summary_md.h"
#include "report/text_out.h"
#include "report_fixtures.h"
#include "test_files.h"

namespace bc {
namespace {

using testing::WithGroups;
using testing::MakeOutcome;
using testing::MakeProbe;
using testing::TempResults;

std::vector<ProbeResult> MixedResults() {
  std::vector<ProbeResult> rs;
  for (int i = 0; i < 40; ++i) {
    const std::string wiki = i % 3 == 0 ? "enwiki" : i % 3 == 1 ? "frwiki" : "ruwiki";
    const PageKind kind = i % 2 ? PageKind::kRecentChanges : PageKind::kWatchlist;
    Probe p = MakeProbe(fmt::format("{:016x}", i), wiki, kind,
                        {{"damaging", i % 4 ? "likelybad" : "maybebad"}, {"limit", std::to_string(i)}});
    Outcome o = MakeOutcome(Verdict::kOk);
    o.result.evidence.detail = kind == PageKind::kWatchlist ? "HTTP 200, mw-changeslist" : "HTTP 200, mw-pager-body";
    o.timings.total = 0.1234567 * i;
    o.retries = i % 3;
    o.bytes = 1000 + i;
    o.final_url = p.url;
    if (i % 7 == 0) {  // a followed redirect: kept whole
      o.redirects = 1;
      o.final_url = p.url + "&x=%C3%A9";
    }
    if (i % 5 == 0) o = MakeOutcome(Verdict::kException, 500, "MWException: null", "MWException", "null", "rid" + std::to_string(i));
    if (i == 11) {
      o = MakeOutcome(Verdict::kTransport, 0);
      o.transport_error = "Connection refused";
    }
    rs.push_back({std::move(p), std::move(o)});
  }
  return rs;
}

RunInfo ResultsInfo() {
  RunInfo info;
  info.run_id = "20261127T031845Z-0001";
  info.targets_path = "/t/local.toml";
  info.started_unix_ms = 1795749525000;
  info.finished_unix_ms = 1795749530000;
  info.planned = 40;
  info.exit_code = 1;
  return info;
}

// A copy would be every result of the run again; one hid in a `?:` in
// RenderedFileWriter and cost 24 bytes per probe per rendered file.
static_assert(!std::is_copy_constructible_v<ResultList> && std::is_move_constructible_v<ResultList>);

TEST_CASE("reports rendered from a compact ResultList equal those from whole results", "[report][results]") {
  const auto whole = MixedResults();
  ResultList compact;
  RunSummary summary;
  for (const auto& r : whole) {
    compact.Add(r.probe, r.outcome);
    Count(summary, r.outcome, false);
  }
  REQUIRE(compact.size() == whole.size());
  const ResultList view(whole);
  const RunInfo info = ResultsInfo();
  CHECK(RenderSummaryMarkdown(WithGroups(info, compact), summary, compact).value() ==
        RenderSummaryMarkdown(WithGroups(info, view), summary, view).value());
  CHECK(RenderJunitXml(info, summary, compact).value() == RenderJunitXml(info, summary, view).value());
  CHECK(RenderHtmlReport(WithGroups(info, compact), summary, compact).value() ==
        RenderHtmlReport(WithGroups(info, view), summary, view).value());
  CHECK(RenderMetrics(info, summary, compact).value() == RenderMetrics(info, summary, view).value());
  const auto a = ToOutcomeRows("r", compact, false);
  const auto b = ToOutcomeRows("r", view, false);
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].probe_id == b[i].probe_id);
    CHECK(a[i].verdict == b[i].verdict);
    CHECK(a[i].message == b[i].message);
    CHECK(a[i].status == b[i].status);
  }
  // What the reports show of every outcome survives the compact form.
  for (size_t i = 0; i < whole.size(); ++i) {
    const auto& c = compact[i];
    CHECK(&c.probe == &whole[i].probe);  // referred to, not copied
    CHECK(c.outcome.result.verdict == whole[i].outcome.result.verdict);
    CHECK(c.outcome.result.evidence.detail == whole[i].outcome.result.evidence.detail);
    CHECK(c.outcome.final_url == whole[i].outcome.final_url);
    // Stored as a float: the reports show milliseconds, 0.1 ms is kept.
    CHECK(c.outcome.timings.total == Approx(whole[i].outcome.timings.total).margin(1e-4));
    CHECK(c.outcome.retries == whole[i].outcome.retries);
    CHECK(c.outcome.http_status == whole[i].outcome.http_status);
    CHECK(c.outcome.redirects == whole[i].outcome.redirects);
  }
}

TEST_CASE("TextOut streams to a temporary file and renames it into place only on Commit", "[report][results]") {
  TempResults dir;
  std::filesystem::create_directories(dir.dir);
  const std::string path = dir.dir + "/big.html";
  std::string expected;
  {
    auto out = TextOut::ToFile(path);
    REQUIRE(out.has_value());
    for (int i = 0; i < 50000; ++i) {  // ~1.4 MB: several flushes
      const std::string line = fmt::format("<tr><td>{}</td></tr>\n", i);
      *out += line;
      expected += line;
    }
    CHECK_FALSE(std::filesystem::exists(path));  // nobody sees a half-written report
    REQUIRE(out->Commit().has_value());
  }
  CHECK(bc_test::ReadFile(path) == expected);
  {
    auto abandoned = TextOut::ToFile(dir.dir + "/abandoned.xml");
    REQUIRE(abandoned.has_value());
    *abandoned += "partial";
  }  // destroyed without Commit: neither the file nor a temporary is left
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.dir)) {
    ++files;
    CHECK(e.path().filename() == "big.html");
  }
  CHECK(files == 1);
}

}  // namespace
}  // namespace bc
