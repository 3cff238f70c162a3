#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "report/html_report.h"
#include "report/run_dir.h"
#include <fmt/format.h>

#include "report_fixtures.h"

namespace bc {
namespace {

using Catch::Contains;
using testing::WithGroups;
using testing::MakeOutcome;
using testing::MakeProbe;
using testing::SummaryOf;

size_t Occurrences(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

// A run with attacker-controlled text in every page-derived field. Also the
// input of the headless-browser check (tests/report/check-html.py).
std::vector<ProbeResult> HostileRun() {
  std::vector<ProbeResult> rs;
  const char* kinds_wikis[][2] = {{"enwiki", "a"}, {"ruwiki", "b"}, {"frwiki", "c"}};
  int n = 0;
  for (const auto& kw : kinds_wikis) {
    const std::string wiki = kw[0];
    for (PageKind kind : {PageKind::kRecentChanges, PageKind::kWatchlist, PageKind::kContributions}) {
      for (const char* damaging : {"", "likelybad", "verylikelybad"}) {
        Params params = {{"title", "Special:" + std::string(PageKindName(kind))}};
        if (*damaging) params.insert(params.begin(), {"damaging", damaging});
        Probe p = MakeProbe(fmt::format("{:016x}", ++n), wiki, kind, params);
        Outcome o = MakeOutcome(Verdict::kOk);
        o.timings.total = 0.01 * n;
        if (wiki != "enwiki" && *damaging && kind != PageKind::kContributions) {
          o = MakeOutcome(Verdict::kException, 500, "MWException: <script>alert(1)</script> \"'&",
                          "<img src=x onerror=alert(2)>", "<script>alert(1)</script> \"'& threshold is null",
                          "\"><script>alert(4)</script>");
          o.timings.total = 0.5;
        }
        rs.push_back({p, o});
      }
    }
  }
  Outcome t = MakeOutcome(Verdict::kTransport, 0);
  t.transport_error = "Operation timed out after 60000 ms";
  rs.push_back({MakeProbe("00000000000000ff", "enwiki", PageKind::kApi, {{"action", "query"}}), t});
  Probe js = MakeProbe("00000000000000fe", "enwiki", PageKind::kApi, {{"action", "parse"}});
  js.url = "javascript:alert(3)";
  rs.push_back({js, MakeOutcome(Verdict::kWarning, 200, "Warning: <b>Undefined</b> index")});
  return rs;
}

RunInfo HtmlInfo() {
  RunInfo info;
  info.run_id = "20261127T031845Z-abcd";
  info.targets_path = "targets/<local>.toml";
  info.started_unix_ms = 1795749525000;
  info.finished_unix_ms = 1795749537500;
  info.exit_code = 1;
  info.planned = 29;
  return info;
}

TEST_CASE("report.html escapes every page-derived string", "[report][html]") {
  const auto rs = HostileRun();
  auto html = RenderHtmlReport(WithGroups(HtmlInfo(), rs), SummaryOf(rs), rs);
  REQUIRE(html.has_value());
  // Exactly one script element: ours.
  CHECK(Occurrences(*html, "<script") == 1);
  CHECK(Occurrences(*html, "<img") == 0);
  CHECK_THAT(*html, !Contains("alert(1)</script>"));
  CHECK_THAT(*html, Contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&#39;&amp; threshold is null"));
  CHECK_THAT(*html, Contains("&lt;img src=x onerror=alert(2)&gt;"));
  CHECK_THAT(*html, Contains("&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;"));
  CHECK_THAT(*html, Contains("targets/&lt;local&gt;.toml"));
  // A javascript: URL is shown, never linked.
  CHECK_THAT(*html, !Contains("href=\"javascript:"));
}

TEST_CASE("report.html is self-contained and lists groups and every probe", "[report][html]") {
  const auto rs = HostileRun();
  auto html = RenderHtmlReport(WithGroups(HtmlInfo(), rs), SummaryOf(rs), rs);
  REQUIRE(html.has_value());
  CHECK_THAT(*html, Contains("Content-Security-Policy"));
  CHECK_THAT(*html, !Contains("src=\"http"));
  CHECK_THAT(*html, !Contains("<link"));
  CHECK(Occurrences(*html, "<tr data-verdict=") == rs.size());
  CHECK(Occurrences(*html, "<tr data-verdict=\"exception\" data-failure=\"1\"") == 8);
  CHECK(Occurrences(*html, "<article class=\"group") == 3);  // exception, transport, warning
  CHECK_THAT(*html, Contains("<span id=\"shown\">29</span> of 29 probes shown"));
  CHECK_THAT(*html, Contains("<option value=\"exception\">exception</option>"));
  CHECK_THAT(*html, Contains("<code>damaging=*</code>"));
}

TEST_CASE("report.html opens with a FAIL banner, the verdict grid and the latency chart", "[report][html]") {
  const auto rs = HostileRun();
  auto html = RenderHtmlReport(WithGroups(HtmlInfo(), rs), SummaryOf(rs), rs);
  REQUIRE(html.has_value());
  // The banner comes first, with the exit code and the wikis.
  const size_t banner = html->find("<div id=\"status\" class=\"fail\"");
  REQUIRE(banner != std::string::npos);
  CHECK(banner < html->find("id=\"verdict-grid\""));
  CHECK(html->find("id=\"verdict-grid\"") < html->find("id=\"groups\""));
  CHECK_THAT(*html, Contains("<strong>FAIL</strong> exit code 1 · 8 product failures on frwiki, ruwiki in 1 group; "
                             "no wiki is clean."));
  // Grid: one row per wiki, a column per page kind, the worst verdict's class and the counts.
  CHECK(Occurrences(*html, "<tr data-wiki=") == 3);
  CHECK_THAT(*html, Contains("<td class=\"cell v-exception\" data-worst=\"exception\">2 exception<br>1 ok</td>"));
  CHECK_THAT(*html, Contains("<td class=\"cell v-transport\" data-worst=\"transport\">1 transport<br>1 warning</td>"));
  CHECK_THAT(*html, Contains("<td class=\"cell v-ok\" data-worst=\"ok\">3 ok</td>"));
  // Latency: one bar pair per page kind with a response; the api page with a
  // transport failure (no response) and a warning counts the warning only.
  CHECK(Occurrences(*html, "<g data-kind=") == 4);
  CHECK_THAT(*html, Contains("<g data-kind=\"recentchanges\" data-p50=\"0.190\" data-p95=\"0.500\""));
  // The probe table: failures first.
  const size_t first_row = html->find("<tr data-verdict=");
  CHECK(html->compare(first_row, 29, "<tr data-verdict=\"exception\" ") == 0);
  CHECK(html->find("<tr data-verdict=\"ok\"") > html->rfind("<tr data-verdict=\"exception\""));
}

TEST_CASE("report.html says PASS for a clean run and collapses long request id lists", "[report][html]") {
  std::vector<ProbeResult> pass;
  for (int i = 0; i < 3; ++i)
    pass.push_back({MakeProbe(fmt::format("{:016x}", i), i ? "enwiki" : "frwiki", PageKind::kRecentChanges, {}),
                    MakeOutcome(Verdict::kOk)});
  RunInfo info = HtmlInfo();
  info.exit_code = 0;
  info.planned = 3;
  auto ok = RenderHtmlReport(WithGroups(info, pass), SummaryOf(pass), pass);
  REQUIRE(ok.has_value());
  CHECK_THAT(*ok, Contains("<div id=\"status\" class=\"pass\" role=\"status\"><strong>PASS</strong> exit code 0 · "
                           "3 probes on 2 wikis without a product failure.</div>"));
  CHECK(Occurrences(*ok, "class=\"clean\"") == 2);

  std::vector<ProbeResult> many;
  for (int i = 0; i < 12; ++i)
    many.push_back({MakeProbe(fmt::format("{:016x}", i), "frwiki", PageKind::kWatchlist, {{"days", std::to_string(i)}}),
                    MakeOutcome(Verdict::kException, 500, "RuntimeException", "RuntimeException", "", fmt::format("id{:02}", i))});
  auto html = RenderHtmlReport(WithGroups(HtmlInfo(), many), SummaryOf(many), many);
  REQUIRE(html.has_value());
  CHECK_THAT(*html, Contains("<code>id00 id01 id02 id03 id04</code> <details class=\"ids\"><summary>and 7 more</summary>"
                             "<code>id05 id06 id07 id08 id09 id10 id11</code></details>"));

  RunInfo stopped = HtmlInfo();
  stopped.exit_code = 130;
  stopped.planned = 20;
  auto partial = RenderHtmlReport(WithGroups(stopped, many), SummaryOf(many), many);
  REQUIRE(partial.has_value());
  CHECK_THAT(*partial, Contains("<strong>INTERRUPTED</strong> exit code 130"));
}

TEST_CASE("report.html marks known and flaky failures in the probe table, the task linked", "[report][html]") {
  std::vector<ProbeResult> rs;
  Outcome known = MakeOutcome(Verdict::kException, 500, "RuntimeException", "RuntimeException");
  known.known_task = "T181191";
  known.confirm_fetches = known.confirm_failed = 1;
  rs.push_back({MakeProbe("00000000000000a1", "ruwiki", PageKind::kRecentChanges, {{"k", "1"}}), known});
  Outcome flaky = MakeOutcome(Verdict::kFatal, 500, "PHP Fatal error");
  flaky.confirm_fetches = 1;
  rs.push_back({MakeProbe("00000000000000a2", "frwiki", PageKind::kWatchlist, {{"k", "2"}}), flaky});
  Outcome confirmed = MakeOutcome(Verdict::kException, 500, "DBQueryError", "DBQueryError");
  confirmed.confirm_fetches = confirmed.confirm_failed = 1;
  rs.push_back({MakeProbe("00000000000000a3", "enwiki", PageKind::kWatchlist, {{"k", "3"}}), confirmed});
  RunInfo info = HtmlInfo();
  info.planned = 3;
  auto html = RenderHtmlReport(WithGroups(info, rs), SummaryOf(rs), rs);
  REQUIRE(html.has_value());
  const auto row = [&](const std::string& id) {
    const size_t at = html->find("data-probe=\"" + id + "\"");
    REQUIRE(at != std::string::npos);
    return html->substr(at, html->find("</tr>", at) - at);
  };
  CHECK_THAT(row("00000000000000a1"),
             Contains(" data-known=\"T181191\"><td>ruwiki</td>"));
  CHECK_THAT(row("00000000000000a1"),
             Contains("<span class=\"v v-exception\">exception</span> <span class=\"mark known\" title=\"known issue: "
                      "does not fail the run\">known <a href=\"https://phabricator.wikimedia.org/T181191\" "
                      "rel=\"noreferrer\">T181191</a></span>"));
  CHECK_THAT(row("00000000000000a2"), Contains(" data-flaky=\"1\"><td>frwiki</td>"));
  CHECK_THAT(row("00000000000000a2"),
             Contains("<span class=\"v v-fatal\">fatal</span> <span class=\"mark flaky\" title=\"did not reproduce "
                      "(1 re-fetch passed): does not fail the run\">flaky</span>"));
  // A confirmed failure has neither mark.
  CHECK_THAT(row("00000000000000a3"), !Contains("class=\"mark"));
  CHECK_THAT(row("00000000000000a3"), !Contains("data-known"));
  CHECK(Occurrences(*html, "<span class=\"mark ") == 2);
}

// Not a test: writes the hostile sample report for the headless-browser check
// (hidden tag; run with BC_HTML_SAMPLE=/path/report.html).
TEST_CASE("write the sample report for the browser check", "[.html-sample]") {
  const char* path = std::getenv("BC_HTML_SAMPLE");
  REQUIRE(path != nullptr);
  const auto rs = HostileRun();
  auto html = RenderHtmlReport(WithGroups(HtmlInfo(), rs), SummaryOf(rs), rs);
  REQUIRE(html.has_value());
  REQUIRE(WriteFileAtomically(path, *html).has_value());
}

}  // namespace
}  // namespace bc
