#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "classify/classifier.h"
#include "report/grouping.h"
#include "report_fixtures.h"
#include "test_files.h"
#include "test_paths.h"

namespace bc {
namespace {

using testing::MakeOutcome;
using testing::MakeProbe;

const char* kOresSig = "MWException: Threshold for damaging is null";

ProbeResult Ok(std::string wiki, PageKind kind, Params params) {
  return {MakeProbe(wiki + "-" + std::to_string(params.size()), wiki, kind, std::move(params)), MakeOutcome(Verdict::kOk)};
}

ProbeResult Failed(std::string wiki, PageKind kind, Params params, std::string sig = kOresSig, std::string rid = "r1") {
  return {MakeProbe("x", wiki, kind, std::move(params)),
          MakeOutcome(Verdict::kException, 500, sig, "MWException", "Threshold for damaging is null", rid)};
}

std::vector<size_t> All(const std::vector<ProbeResult>& rs) {
  std::vector<size_t> idx;
  for (size_t i = 0; i < rs.size(); ++i)
    if (rs[i].outcome.result.verdict != Verdict::kOk) idx.push_back(i);
  return idx;
}

const PageKind RC = PageKind::kRecentChanges;
const PageKind WL = PageKind::kWatchlist;

TEST_CASE("the 2017 ORES incident groups into one failure: any damaging value on ruwiki and frwiki",
          "[report][grouping]") {
  std::vector<ProbeResult> rs = {
      Ok("enwiki", RC, {{"damaging", "likelybad"}, {"title", "Special:RecentChanges"}}),
      Ok("ruwiki", RC, {{"title", "Special:RecentChanges"}}),
      Ok("ruwiki", WL, {{"hidebots", "1"}, {"title", "Special:Watchlist"}}),
      Failed("ruwiki", RC, {{"damaging", "likelybad"}, {"title", "Special:RecentChanges"}}, kOresSig, "r1"),
      Failed("ruwiki", WL, {{"damaging", "verylikelybad"}, {"title", "Special:Watchlist"}}, kOresSig, "r2"),
      Ok("frwiki", RC, {{"hidebots", "1"}, {"title", "Special:RecentChanges"}}),
      Failed("frwiki", RC, {{"damaging", "maybebad"}, {"hidebots", "1"}, {"title", "Special:RecentChanges"}}, kOresSig,
             "r1"),
  };
  const auto groups = GroupFailures(rs, false);
  REQUIRE(groups.size() == 1);
  const FailureGroup& g = groups[0];
  CHECK(g.key == kOresSig);
  CHECK(g.members == std::vector<size_t>{3, 4, 6});
  CHECK(g.wikis == std::vector<std::string>{"frwiki", "ruwiki"});
  CHECK(g.kinds == std::vector<PageKind>{RC, WL});
  CHECK(g.request_ids == std::vector<std::string>{"r1", "r2"});
  CHECK(g.exception_class == "MWException");
  CHECK(g.first == 3);
  CHECK(g.product_failure);
  // enwiki passes with damaging=likelybad, but it is not in the group's scope.
  CHECK(g.minimal.all_of == std::vector<std::string>{"damaging=*"});
  CHECK(g.minimal.Describe() == "damaging=*");
}

TEST_CASE("a single failing value is named when other values of the same key pass", "[report][grouping]") {
  std::vector<ProbeResult> rs = {
      Ok("enwiki", RC, {{"hidebots", "0"}, {"limit", "50"}, {"title", "Special:RecentChanges"}}),
      Failed("enwiki", RC, {{"hidebots", "1"}, {"limit", "50"}, {"title", "Special:RecentChanges"}}),
      Failed("enwiki", RC, {{"hidebots", "1"}, {"limit", "500"}, {"title", "Special:RecentChanges"}}),
  };
  const auto m = FindMinimalParams(rs, All(rs));
  CHECK(m.all_of == std::vector<std::string>{"hidebots=1"});
  CHECK_FALSE(m.scope_all_failing);
}

TEST_CASE("several failing values of a key that also passes are listed, not starred", "[report][grouping]") {
  std::vector<ProbeResult> rs = {
      Ok("enwiki", RC, {{"limit", "500"}}),
      Failed("enwiki", RC, {{"limit", "50"}}),
      Failed("enwiki", RC, {{"limit", "100"}}),
  };
  CHECK(FindMinimalParams(rs, All(rs)).all_of == std::vector<std::string>{"limit=100|50"});
}

TEST_CASE("a parameter a passing probe also has is not blamed", "[report][grouping]") {
  std::vector<ProbeResult> rs = {
      Ok("enwiki", RC, {{"damaging", "likelybad"}, {"hidebots", "1"}}),
      Failed("enwiki", RC, {{"damaging", "likelybad"}, {"hidebots", "0"}}),
  };
  CHECK(FindMinimalParams(rs, All(rs)).all_of == std::vector<std::string>{"hidebots=0"});
}

TEST_CASE("when no parameter is common, keys no passing probe has are offered as alternatives",
          "[report][grouping]") {
  std::vector<ProbeResult> rs = {
      Ok("ruwiki", RC, {{"hidebots", "1"}}),
      Failed("ruwiki", RC, {{"damaging", "likelybad"}}),
      Failed("ruwiki", RC, {{"goodfaith", "likelygood"}, {"hidebots", "1"}}),
      Failed("ruwiki", RC, {{"damaging", "maybebad"}, {"goodfaith", "bad"}}),
  };
  const auto m = FindMinimalParams(rs, All(rs));
  CHECK(m.all_of.empty());
  CHECK(m.any_of == std::vector<std::string>{"damaging=*", "goodfaith=*"});
  CHECK(m.Describe() == "damaging=* or goodfaith=*");
}

TEST_CASE("no claim is made when failing and passing probes cannot be told apart", "[report][grouping]") {
  std::vector<ProbeResult> rs = {
      Ok("enwiki", RC, {{"a", "1"}}),
      Ok("enwiki", RC, {{"b", "1"}}),
      Failed("enwiki", RC, {{"a", "1"}}),
      Failed("enwiki", RC, {{"b", "1"}}),
  };
  const auto m = FindMinimalParams(rs, All(rs));
  CHECK(m.all_of.empty());
  CHECK(m.any_of.empty());
  CHECK(m.Describe() == "none found");
}

TEST_CASE("a scope where nothing passed is reported as such", "[report][grouping]") {
  std::vector<ProbeResult> rs = {
      Ok("enwiki", WL, {{"a", "1"}}),  // other page kind: out of scope
      Failed("enwiki", RC, {{"a", "1"}}),
      Failed("enwiki", RC, {{"a", "2"}}),
  };
  const auto m = FindMinimalParams(rs, All(rs));
  CHECK(m.scope_all_failing);
  CHECK(m.all_of == std::vector<std::string>{"a=*"});
  // Said as such, not as the keys every probe of the scope carries.
  CHECK(m.Describe() == "every probe");
}

TEST_CASE("failures without a signature group by verdict and status; product failures come first",
          "[report][grouping]") {
  std::vector<ProbeResult> rs;
  rs.push_back({MakeProbe("t1", "enwiki", RC, {}), MakeOutcome(Verdict::kTransport, 0)});
  rs.push_back({MakeProbe("t2", "enwiki", RC, {}), MakeOutcome(Verdict::kTransport, 0)});
  rs.push_back({MakeProbe("t3", "enwiki", RC, {}), MakeOutcome(Verdict::kTransport, 0)});
  rs.push_back({MakeProbe("e1", "enwiki", RC, {}), MakeOutcome(Verdict::kEdgeError, 503)});
  rs.push_back({MakeProbe("e2", "enwiki", RC, {}), MakeOutcome(Verdict::kEdgeError, 502)});
  rs.push_back({MakeProbe("w1", "enwiki", RC, {}), MakeOutcome(Verdict::kWarning, 200, "Warning: Undefined index")});
  rs.push_back({MakeProbe("x1", "enwiki", RC, {}), MakeOutcome(Verdict::kException, 500, "Sig")});
  rs.push_back({MakeProbe("x2", "enwiki", RC, {}), MakeOutcome(Verdict::kException, 500, "Sig")});
  rs.push_back({MakeProbe("ok", "enwiki", RC, {}), MakeOutcome(Verdict::kOk)});
  const auto groups = GroupFailures(rs, false);
  REQUIRE(groups.size() == 5);
  CHECK(groups[0].key == "Sig");
  CHECK(groups[0].members.size() == 2);
  CHECK(groups[1].key == "edge-error HTTP 502");
  CHECK(groups[2].key == "edge-error HTTP 503");
  CHECK(groups[3].key == "transport HTTP 0");
  CHECK_FALSE(groups[3].product_failure);
  CHECK(groups[4].key == "Warning: Undefined index");
  CHECK_FALSE(groups[4].product_failure);
  // With warnings failing, the warning group joins the product failures.
  const auto strict = GroupFailures(rs, true);
  REQUIRE(strict.size() == 5);
  CHECK(strict[1].key == "Warning: Undefined index");  // same size as the edge errors; keys sort byte-wise
  CHECK(strict[1].product_failure);
  CHECK(strict[4].key == "transport HTTP 0");
}

TEST_CASE("the curl reproduction names cookies but never carries a value", "[report][grouping]") {
  Probe p = MakeProbe("a", "enwiki", RC, {{"title", "Special:RecentChanges"}});
  p.url = "http://127.0.0.1:8080/w/index.php?title=Special:RecentChanges&x=it's";
  p.account = "qa";
  RunInfo info;
  info.user_agent = "beta-crawler/0.1 (qa@example.org)";
  info.cookie_names["enwiki"] = {"enwiki_session", "enwikiUserID"};
  const std::string cmd = CurlCommand(p, info);
  CHECK(cmd ==
        "curl -sS --compressed -A 'beta-crawler/0.1 (qa@example.org)' -b 'enwiki_session=...; enwikiUserID=...' "
        "'http://127.0.0.1:8080/w/index.php?title=Special:RecentChanges&x=it'\\''s'");
  p.account = {};  // an anonymous probe sends no cookies
  CHECK(CurlCommand(p, info).find("-b") == std::string::npos);
}

}  // namespace
}  // namespace bc

namespace bc {
TEST_CASE("failing parameters are described per page kind when a group spans kinds", "[report]") {
  auto probe = [](std::string wiki, PageKind kind, Params params) {
    ProbeResult r;
    r.probe.wiki = std::move(wiki);
    r.probe.kind = kind;
    r.probe.params = std::move(params);
    return r;
  };
  std::vector<ProbeResult> rs = {
      probe("ruwiki", PageKind::kRecentChanges, {{"days", "7"}, {"title", "Special:RecentChanges"}}),
      probe("ruwiki", PageKind::kRecentChanges, {{"days", "30"}, {"title", "Special:RecentChanges"}}),
      probe("ruwiki", PageKind::kContributions, {{"hidenondamaging", "1"}, {"target", "Editor1"}}),
      probe("ruwiki", PageKind::kContributions, {{"target", "Editor1"}}),
  };
  for (size_t i = 0; i < 3; ++i) {
    rs[i].outcome.result.verdict = Verdict::kException;
    rs[i].outcome.result.evidence.signature = "RuntimeException: Unable to parse threshold";
  }
  auto groups = GroupFailures(rs, false);
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].minimal_by_kind.size() == 2);
  CHECK(DescribeFailingParameters(groups[0]) == "recentchanges: every probe; contributions: hidenondamaging=1");
}
}  // namespace bc

// Issue 14 point 6: failing parameters over the probes that ran, relative to
// the selection; probes that never ran are one count, not a group.
namespace bc {
namespace {

ProbeResult Ran(std::string wiki, PageKind kind, Params params, Verdict v, std::string sig = {}) {
  return {testing::MakeProbe("p", std::move(wiki), kind, std::move(params)), testing::MakeOutcome(v, 200, std::move(sig))};
}

TEST_CASE("probes that never ran are no failure group, and every probe is every probe that ran", "[report][grouping]") {
  std::vector<ProbeResult> rs = {
      Ran("enwiki", PageKind::kRecentChanges, {{"days", "7"}, {"enhanced", "0"}, {"title", "Special:RecentChanges"}}, Verdict::kException,
          "MWException: x"),
  };
  // --fail-fast: the other 68 probes of the same page never ran.
  for (int i = 0; i < 68; ++i)
    rs.push_back(Ran("enwiki", PageKind::kRecentChanges, {{"days", i % 2 ? "30" : "7"}, {"enhanced", "1"}, {"title", "Special:RecentChanges"}},
                     Verdict::kNotRun, "not run: --fail-fast"));
  const auto groups = GroupFailures(rs, false);
  REQUIRE(groups.size() == 1);  // no "not run" group
  CHECK(groups[0].key == "MWException: x");
  // Nothing of the page passed, but most of it never ran: no claim about
  // "every probe", and no "days=7 and enhanced=0 and title=..." either.
  CHECK(DescribeFailingParameters(groups[0]) == "every probe that ran (68 did not run)");
  CHECK(DescribeNotRun(rs) == "68 not run (--fail-fast)");
  rs.push_back(Ran("frwiki", PageKind::kRecentChanges, {}, Verdict::kNotRun, "not run: deadline exceeded"));
  CHECK(DescribeNotRun(rs) == "69 not run (--fail-fast, deadline exceeded)");
  const std::vector<ProbeResult> first_only = {rs[0]};
  CHECK(DescribeNotRun(first_only) == "");
  RunInfo info;
  info.partial = true;
  CHECK(PartialNote(info, rs, "[", "]") == "[69 not run (--fail-fast, deadline exceeded)]");
  CHECK(PartialNote(info, first_only, "", "") == "not every probe ran (Ctrl-C, the deadline or --fail-fast)");
  info.partial = false;
  CHECK(PartialNote(info, rs, "[", "]") == "");
}

TEST_CASE("a parameter every selected probe has because of a filter is never named", "[report][grouping]") {
  // --param damaging=maybebad: every probe has it; the failure needs days=30 too.
  std::vector<ProbeResult> rs;
  for (const char* days : {"7", "30"})
    for (const char* enhanced : {"0", "1"})
      rs.push_back(Ran("frwiki", PageKind::kRecentChanges, {{"damaging", "maybebad"}, {"days", days}, {"enhanced", enhanced},
                                      {"title", "Special:RecentChanges"}},
                       std::string(days) == "30" ? Verdict::kException : Verdict::kOk, "MWException: x"));
  auto groups = GroupFailures(rs, false);
  REQUIRE(groups.size() == 1);
  CHECK(DescribeFailingParameters(groups[0]) == "days=30");
  // Every selected probe fails: "every probe", not "damaging=maybebad and days=* and enhanced=* and title=...".
  for (auto& r : rs) r.outcome = testing::MakeOutcome(Verdict::kException, 500, "MWException: x");
  groups = GroupFailures(rs, false);
  REQUIRE(groups.size() == 1);
  CHECK(DescribeFailingParameters(groups[0]) == "every probe");
  // A tool failure in the scope is neither passing nor failing: it changes nothing.
  rs[0].outcome = testing::MakeOutcome(Verdict::kTransport, 0);
  groups = GroupFailures(rs, false);
  REQUIRE(groups.size() == 2);
  CHECK(DescribeFailingParameters(groups[0]) == "every probe");
}

}  // namespace
}  // namespace bc

// --- One group across languages (issue 13.2) ---------------------------------
//
// The same ORES failure classified from real pages of three languages, then
// grouped: one failure group spanning the wikis, whatever the language's
// quotes around the exception class or the page title.
namespace bc {
namespace {

Classification ClassifyPage(const std::string& body, long status) {
  PageClassifier c(Expectations{PageKind::kRecentChanges, "CrawlerQA", {}, false});
  c.SetStatus(status);
  for (size_t i = 0; i < body.size(); i += 4096) c.Feed(std::string_view(body).substr(i, 4096));
  return c.Finish();
}

std::string GroupingCorpus(const std::string& name) {
  return bc_test::ReadFile(std::string(BC_SOURCE_DIR) + "/tests/corpus/" + name);
}

std::string Replaced(std::string body, const std::string& from, const std::string& to) {
  const size_t at = body.find(from);
  REQUIRE(at != std::string::npos);
  return body.replace(at, from.size(), to);
}

ProbeResult ClassifiedFailure(const std::string& wiki, const std::string& body, const std::string& rid) {
  Outcome o = testing::MakeOutcome(Verdict::kOk, 500);
  o.result = ClassifyPage(body, 500);
  CHECK(o.result.verdict == Verdict::kException);
  CHECK(o.result.evidence.exception_class == "RuntimeException");
  return {MakeProbe(rid, wiki, RC, {{"damaging", "likelybad"}, {"title", "Special:RecentChanges"}}), std::move(o)};
}

}  // namespace

TEST_CASE("the same failure on ru, fr and ja pages is one failure group", "[report][grouping][i18n]") {
  // Details off: the localized "Fatal exception of type" line (ru «X», fr « X »,
  // ja 「X」, MediaWiki's own ja.json wording) around the class.
  const std::string ru = GroupingCorpus("farm-ru-rc-null-threshold.body");
  const std::string ja = Replaced(ru, "Неустранимое исключение типа «RuntimeException»",
                                  "致命的例外の種類「RuntimeException」");
  const std::vector<ProbeResult> plain = {
      ClassifiedFailure("ruwiki", ru, "r1"),
      ClassifiedFailure("frwiki", GroupingCorpus("farm-fr-rc-null-threshold.body"), "f1"),
      ClassifiedFailure("jawiki", ja, "j1"),
  };
  auto groups = GroupFailures(plain, false);
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].wikis == std::vector<std::string>{"frwiki", "jawiki", "ruwiki"});
  CHECK(groups[0].members == std::vector<size_t>{0, 1, 2});

  // Details on: the message names the page in the wiki's language and quotes.
  const std::string en = GroupingCorpus("en-rc-exception-details.body");
  const std::vector<ProbeResult> details = {
      ClassifiedFailure("ruwiki", Replaced(en, "on page Foo_123", "on page «Служебная:Свежие правки»"), "r2"),
      ClassifiedFailure("frwiki", Replaced(en, "on page Foo_123", "on page « Spécial:Modifications récentes »"), "f2"),
      ClassifiedFailure("jawiki", Replaced(en, "on page Foo_123", "on page 「特別:最近の更新」"), "j2"),
      ClassifiedFailure("enwiki", Replaced(en, "on page Foo_123", "on page &quot;Main Page&quot;"), "e2"),
  };
  groups = GroupFailures(details, false);
  REQUIRE(groups.size() == 1);
  CHECK(groups[0].wikis == std::vector<std::string>{"enwiki", "frwiki", "jawiki", "ruwiki"});
  CHECK_THAT(groups[0].key, Catch::Contains("ORES threshold lookup returned null") && Catch::EndsWith("on page \"<title>\""));
}

}  // namespace bc
