// Discovery, per-wiki facts and maxlag: pure parsers on recorded API answers
// (the farm's fixture extension answers in SiteMatrix's and ORES's formats;
// the maxlag answer is MediaWiki's), and plan-from-facts.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "classify/page_sink.h"
#include "config/targets.h"
#include "mediawiki/api_round.h"
#include "mediawiki/discovery.h"
#include "mediawiki/ores.h"
#include "mediawiki/wiki_facts.h"
#include "plan/plan.h"
#include "targets_fixture.h"
#include "test_files.h"
#include "test_paths.h"

using namespace bc;

namespace {

// Recorded from the farm: enwiki, action=query&meta=siteinfo&siprop=general|extensions, formatversion=2 (trimmed).
const char* kSiteInfo = R"({"batchcomplete": true, "query": {"general": {"mainpage": "Main Page", "sitename": "Wikipedia",
 "generator": "MediaWiki 1.39.17", "lang": "en", "server": "http://127.0.0.1:8101", "scriptpath": "", "wikiid": "enwiki",
 "git-hash": "0123456789abcdef0123456789abcdef01234567"},
 "extensions": [{"type": "skin", "name": "Vector", "version": "1.0.0"}, {"type": "other", "name": "ORES", "version": "0.1.0-fixture"},
 {"type": "other", "name": "SiteMatrix", "version": "0.1.0-fixture"}]}})";

// The same wiki with ORES not loaded (profile none).
const char* kSiteInfoNoOres = R"({"batchcomplete": true, "query": {"general": {"sitename": "Wikipedia",
 "generator": "MediaWiki 1.39.17", "lang": "ru", "server": "http://127.0.0.1:8103", "scriptpath": "", "wikiid": "ruwiki"},
 "extensions": [{"type": "other", "name": "SiteMatrix", "version": "0.1.0-fixture"}]}})";

// meta=ores, healthy (formatversion=2).
const char* kOres = R"({"batchcomplete":true,"query":{"ores":{"baseurl":"http://127.0.0.1:1/x/","wikiid":"enwiki",
 "models":{"damaging":{"version":"0.5.0"},"goodfaith":{"version":"0.5.0"}},"excludebots":true,
 "damagingthresholds":{"maybebad":0.16,"likelybad":0.56,"verylikelybad":0.92},"namespaces":[0,1]}}})";

// meta=ores in the null-threshold fault (the November 2017 answer), formatversion=1.
const char* kOresNull = R"({"batchcomplete":"","query":{"ores":{"baseurl":"http://127.0.0.1:1/x/","wikiid":"frwiki",
 "models":{"damaging":{"version":"0.4.0"},"goodfaith":{"version":"0.4.0"}},"excludebots":"",
 "damagingthresholds":{"maybebad":null,"likelybad":null,"verylikelybad":null},"namespaces":[0,1]}}})";

// meta=ores, profile partial (no verylikelybad), damaging only.
const char* kOresPartialDamaging = R"({"query":{"ores":{"wikiid":"ruwiki","models":{"damaging":{"version":"0.4.1"}},
 "damagingthresholds":{"maybebad":0.16,"likelybad":0.56}}}})";

// meta=ores on a wiki without ORES: an unknown value, a warning, no query.ores.
const char* kOresUnknown = R"({"batchcomplete":true,"warnings":{"query":{"warnings":"Unrecognized value for parameter \"meta\": ores."}}})";

// action=sitematrix, smlimit=2, first page (formatversion=1: closed is "").
const char* kMatrix1 = R"({"query-continue":{"sitematrix":{"smcontinue":"language|fr"}},"sitematrix":{"count":4,
 "0":{"code":"aa","name":"Qafár af","site":[{"url":"http://127.0.0.1:8104","dbname":"aawiki","code":"wiki","lang":"aa","sitename":"Wikipedia","closed":""}],"dir":"ltr"},
 "1":{"code":"en","name":"English","site":[{"url":"http://127.0.0.1:8101","dbname":"enwiki","code":"wiki","lang":"en","sitename":"Wikipedia"}],"dir":"ltr"}}})";
// The second page (formatversion=2), with specials as the beta cluster has them.
const char* kMatrix2 = R"({"sitematrix":{"count":6,
 "0":{"code":"fr","site":[{"url":"http://127.0.0.1:8102","dbname":"frwiki","code":"wiki","lang":"fr","sitename":"Wikipédia"},
   {"url":"http://fr.wiktionary.example","dbname":"frwiktionary","code":"wiktionary","lang":"fr","sitename":"Wiktionnaire"}]},
 "1":{"code":"ru","site":[{"url":"http://127.0.0.1:8103","dbname":"ruwiki","code":"wiki","lang":"ru","sitename":"Википедия"}]},
 "specials":[{"url":"//meta.example","dbname":"metawiki","code":"meta","lang":"en","sitename":"Meta"},
   {"url":"https://private.example","dbname":"privatewiki","code":"private","private":true,"sitename":"Private"},
   {"url":"https://fish.example","dbname":"fishwiki","code":"fish","fishbowl":true,"sitename":"Fish"}]}})";

std::vector<std::string> Dbnames(const std::vector<MatrixSite>& s) {
  std::vector<std::string> out;
  for (const auto& m : s) out.push_back(m.dbname);
  return out;
}

const char* kTargets = R"TOML(
[crawl]
user_agent = "beta-crawler-test/0.1 (qa@example.org)"
[[wiki]]
dbname = "enwiki"
url = "http://127.0.0.1:8101"
script_path = ""
[[wiki]]
dbname = "ruwiki"
url = "http://127.0.0.1:8103"
script_path = ""
[page.recentchanges]
strategy = "cartesian"
expect_filter_groups = ["damaging", "goodfaith"]
[page.recentchanges.ores]
damaging = ["", "likelygood", "verylikelybad", "likelybad;verylikelybad"]
goodfaith = ["", "likelybad"]
highlight = ["", { damaging__likelybad_color = "c4", damaging__verylikelybad_color = "c5" }]
)TOML";

WikiFacts DiscoveredFacts(const std::string& dbname, const char* siteinfo, const char* ores) {
  WikiFacts f;
  f.dbname = dbname;
  f.site = *ParseSiteInfo(siteinfo);
  f.ores = *ParseOresMeta(ores);
  f.ores_answer.response.fetch.http_status = 200;
  f.ores_answer.response.body = ores;
  return f;
}

}  // namespace

TEST_CASE("siteinfo gives dbname, language, generator, git hash and whether ORES is installed", "[discovery]") {
  auto s = ParseSiteInfo(kSiteInfo);
  REQUIRE(s);
  CHECK(s->dbname == "enwiki");
  CHECK(s->lang == "en");
  CHECK(s->server == "http://127.0.0.1:8101");
  CHECK(s->script_path.empty());
  CHECK(s->generator == "MediaWiki 1.39.17");
  CHECK(s->git_hash.starts_with("01234567"));
  CHECK(s->ores_installed);
  auto none = ParseSiteInfo(kSiteInfoNoOres);
  REQUIRE(none);
  CHECK_FALSE(none->ores_installed);
  CHECK_FALSE(ParseSiteInfo("<html>"));
  CHECK_FALSE(ParseSiteInfo(R"({"error":{"code":"readapidenied","info":"no"}})"));
}

TEST_CASE("meta=ores gives models, versions and thresholds, null ones kept as null", "[discovery][ores]") {
  auto o = ParseOresMeta(kOres);
  REQUIRE(o);
  CHECK(o->answered);
  CHECK(o->models.at("damaging") == "0.5.0");
  CHECK(o->models.at("goodfaith") == "0.5.0");
  CHECK(o->damaging_thresholds.at("likelybad") == Approx(0.56));
  auto n = ParseOresMeta(kOresNull);
  REQUIRE(n);
  CHECK(n->damaging_thresholds.size() == 3);
  CHECK_FALSE(n->damaging_thresholds.at("maybebad").has_value());
  auto u = ParseOresMeta(kOresUnknown);
  REQUIRE(u);
  CHECK_FALSE(u->answered);
}

TEST_CASE("offered levels: damaging from its thresholds plus likelygood, goodfaith unknown", "[discovery][ores]") {
  auto partial = *ParseOresMeta(kOresPartialDamaging);
  CHECK(*OfferedLevels(partial, "damaging") == std::vector<std::string>{"likelybad", "likelygood", "maybebad"});
  CHECK(OfferedLevels(partial, "goodfaith")->empty());  // model not enabled: nothing offered
  auto full = *ParseOresMeta(kOres);
  CHECK_FALSE(OfferedLevels(full, "goodfaith").has_value());  // enabled, levels not in meta=ores
  // Null thresholds still claim their levels: the pages are probed, the pre-flight flags them.
  CHECK(OfferedLevels(*ParseOresMeta(kOresNull), "damaging")->size() == 4);
}

TEST_CASE("the pre-flight flags null thresholds as broken with their own signature", "[discovery][ores]") {
  CHECK(JudgeOresAnswer(DiscoveredFacts("enwiki", kSiteInfo, kOres)).verdict == Verdict::kOk);
  auto c = JudgeOresAnswer(DiscoveredFacts("frwiki", kSiteInfo, kOresNull));
  CHECK(c.verdict == Verdict::kBroken);
  CHECK(c.evidence.signature == "ORES thresholds null: damaging");
  CHECK(c.evidence.detail.find("maybebad") != std::string::npos);
  auto missing = DiscoveredFacts("dewiki", kSiteInfo, R"({"query":{"ores":{"models":{"damaging":{"version":"1"}},"damagingthresholds":[]}}})");
  CHECK(JudgeOresAnswer(missing).evidence.signature == "ORES thresholds missing: damaging");
  auto installed_silent = DiscoveredFacts("xwiki", kSiteInfo, kOresUnknown);
  CHECK(JudgeOresAnswer(installed_silent).evidence.signature == "ORES meta=ores missing");
  auto f500 = DiscoveredFacts("enwiki", kSiteInfo, kOres);
  f500.ores_answer.response.fetch.http_status = 500;
  CHECK(JudgeOresAnswer(f500).verdict == Verdict::kFatal);
}

TEST_CASE("pre-flight probes are api probes on ORES wikis only, tier 0", "[discovery][ores]") {
  Targets t = bc_test::ParseTargetsOrFail(kTargets);
  std::vector<WikiFacts> facts = {DiscoveredFacts("enwiki", kSiteInfo, kOresNull), DiscoveredFacts("ruwiki", kSiteInfoNoOres, kOresUnknown)};
  auto pre = PreflightOutcomes(t, facts);
  REQUIRE(pre.size() == 1);
  CHECK(pre[0].first.wiki == "enwiki");
  CHECK(pre[0].first.kind == PageKind::kApi);
  CHECK(pre[0].first.tier == 0);
  CHECK(pre[0].first.url.str().find("meta=ores") != std::string::npos);
  CHECK(pre[0].second.result.verdict == Verdict::kBroken);
}

TEST_CASE("the plan gives ORES axes only where ORES runs, and only the levels each wiki offers", "[discovery][plan]") {
  Targets t = bc_test::ParseTargetsOrFail(kTargets);
  auto notes = ApplyFacts(t, {DiscoveredFacts("enwiki", kSiteInfo, kOresPartialDamaging), DiscoveredFacts("ruwiki", kSiteInfoNoOres, kOresUnknown)});
  REQUIRE(notes.size() == 2);
  CHECK(notes[1].find("not installed") != std::string::npos);
  CHECK(t.wikis[0].ores_models == std::vector<std::string>{"damaging"});
  CHECK(t.wikis[1].ores_models.empty());
  auto plan = BuildPlan(t);
  REQUIRE(plan);
  std::set<std::string> en_damaging, en_colors;
  std::vector<std::string> ores_api;  // issue 13: where the wiki's API says ORES runs
  for (const Probe& p : *plan) {
    if (p.kind == PageKind::kApi) {
      ores_api.push_back(p.wiki.str());
      CHECK(p.expect_ores);
      continue;
    }
    if (p.wiki == "ruwiki") {
      CHECK(p.expect_filter_groups.empty());
      for (const auto& [k, v] : p.params) CHECK(k == "title");  // no ORES parameter at all
      continue;
    }
    CHECK(p.expect_filter_groups == std::vector<std::string>{"damaging"});
    for (const auto& [k, v] : p.params) {
      CHECK(k != "goodfaith");
      CHECK(v.find("verylikelybad") == std::string::npos);
      CHECK(k.find("verylikelybad") == std::string::npos);
      if (k == "damaging") en_damaging.insert(v);
      if (k.ends_with("_color")) en_colors.insert(k);
    }
  }
  // "verylikelybad" alone is dropped; "likelybad;verylikelybad" is trimmed to "likelybad".
  CHECK(en_damaging == std::set<std::string>{"likelygood", "likelybad"});
  CHECK(en_colors == std::set<std::string>{"damaging__likelybad_color"});
  // enwiki: damaging {"", likelygood, likelybad} x highlight {"", likelybad colour} = 6; ruwiki: 1;
  // one ORES API probe (list=recentchanges) on enwiki only.
  CHECK(ores_api == std::vector<std::string>{"enwiki"});
  CHECK(plan->size() == 8);
}

TEST_CASE("TrimOresValue keeps unknown models' levels and non-level parameters", "[discovery][plan]") {
  Wiki w;
  w.ores_levels["damaging"] = {"likelygood", "maybebad"};
  CHECK(*TrimOresValue({{"damaging", "maybebad;verylikelybad"}}, w) == Params{{"damaging", "maybebad"}});
  CHECK_FALSE(TrimOresValue({{"damaging", "verylikelybad"}}, w));
  CHECK(*TrimOresValue({{"goodfaith", "verylikelybad"}}, w) == Params{{"goodfaith", "verylikelybad"}});
  CHECK(*TrimOresValue({{"hidenondamaging", "1"}}, w) == Params{{"hidenondamaging", "1"}});
  CHECK(TrimOresValue({}, w)->empty());
}

TEST_CASE("sitematrix pages parse with their continuation; closed, private and fishbowl wikis are skipped", "[discovery]") {
  auto p1 = ParseSiteMatrix(kMatrix1);
  REQUIRE(p1);
  CHECK(p1->smcontinue == "language|fr");
  CHECK(Dbnames(p1->sites) == std::vector<std::string>{"aawiki", "enwiki"});
  CHECK(p1->sites[0].closed);
  auto p2 = ParseSiteMatrix(kMatrix2);
  REQUIRE(p2);
  CHECK(p2->smcontinue.empty());
  CHECK(Dbnames(p2->sites) ==
        std::vector<std::string>{"frwiki", "frwiktionary", "ruwiki", "metawiki", "privatewiki", "fishwiki"});
  std::vector<MatrixSite> all = p1->sites;
  all.insert(all.end(), p2->sites.begin(), p2->sites.end());
  Discovery d;
  auto sel = SelectSites(all, d, {});
  CHECK(Dbnames(sel.kept) == std::vector<std::string>{"enwiki", "frwiki", "frwiktionary", "ruwiki", "metawiki"});
  REQUIRE(sel.skipped.size() == 3);
  CHECK(sel.skipped[0].dbname == "aawiki");
  CHECK(sel.skipped[0].reason == "closed");
  d.states = {"closed"};
  CHECK(SelectSites(all, d, {}).kept.size() == 6);
  CHECK_FALSE(ParseSiteMatrix(R"({"batchcomplete":true})"));
}

TEST_CASE("discovery filters by family, dblist, include and exclude globs", "[discovery]") {
  std::vector<MatrixSite> all = ParseSiteMatrix(kMatrix1)->sites;
  const auto second = ParseSiteMatrix(kMatrix2);
  all.insert(all.end(), second->sites.begin(), second->sites.end());
  Discovery d;
  d.families = {"wikipedia"};
  CHECK(Dbnames(SelectSites(all, d, {}).kept) == std::vector<std::string>{"enwiki", "frwiki", "ruwiki"});
  d.families.clear();
  d.include = {"*wiki"};
  d.exclude = {"en*", "meta?iki"};
  CHECK(Dbnames(SelectSites(all, d, {}).kept) == std::vector<std::string>{"frwiki", "ruwiki"});
  d.include.clear();
  d.exclude.clear();
  CHECK(Dbnames(SelectSites(all, d, ParseDblist("# beta\nruwiki\n  enwiki  # the big one\n\n")).kept) ==
        std::vector<std::string>{"enwiki", "ruwiki"});
  CHECK(GlobMatch("*wiki", "enwiki"));
  CHECK_FALSE(GlobMatch("*wiki", "frwiktionary"));
}

TEST_CASE("maxlag answers are recognised and their Retry-After is a capped delay", "[discovery]") {
  const char* lagged = R"({"error":{"code":"maxlag","info":"Waiting for 10.64.16.7: 6 seconds lagged.","host":"10.64.16.7","lag":6,"type":"db"}})";
  CHECK(IsMaxlagAnswer(lagged, {}));
  CHECK(IsMaxlagAnswer("", {{"mediawiki-api-error", "maxlag"}}));
  CHECK_FALSE(IsMaxlagAnswer(kOres, {}));
  CHECK_FALSE(IsMaxlagAnswer(R"({"error":{"code":"badtoken","info":"maxlag mentioned"}})", {}));
  using std::chrono::milliseconds;
  CHECK(MaxlagDelay({{"retry-after", "7"}}, milliseconds(30000)) == milliseconds(7000));
  CHECK(MaxlagDelay({{"retry-after", "700"}}, milliseconds(30000)) == milliseconds(30000));
  CHECK(MaxlagDelay({}, milliseconds(30000)) == milliseconds(5000));
  Params p = ApiParams({{"meta", "ores"}, {"action", "query"}});
  CHECK(p == Params{{"action", "query"}, {"format", "json"}, {"formatversion", "2"}, {"meta", "ores"}});
}

TEST_CASE("[discovery] parses, and its filters need a sitematrix", "[discovery][config]") {
  std::string base = R"TOML(
[crawl]
user_agent = "beta-crawler-test/0.1 (qa@example.org)"
[account.qa]
username = "QA"
password_env = "X"
[page.recentchanges]
)TOML";
  auto t = ParseTargets(base + R"TOML(
[discovery]
facts = true
sitematrix = "https://meta.wikimedia.beta.wmcloud.org/w/api.php"
include = ["*wiki"]
exclude = ["loginwiki"]
families = ["wikipedia"]
states = ["closed"]
account = "qa"
sitematrix_limit = 50
)TOML", "t.toml");
  REQUIRE(t);
  CHECK(t->wikis.empty());
  CHECK(t->discovery.facts);
  CHECK(t->discovery.sitematrix_limit == 50);
  CHECK(t->discovery.account == "qa");
  auto bad = ParseTargets(base + "[discovery]\ninclude = [\"*\"]\n[[wiki]]\ndbname = \"x\"\nurl = \"http://x\"\n", "t.toml");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().where == "t.toml:9:11");
  auto state = ParseTargets(base + "[discovery]\nsitematrix = \"https://x/w/api.php\"\nstates = [\"open\"]\n", "t.toml");
  REQUIRE_FALSE(state);
  CHECK(state.error().message.find("unknown wiki state 'open'") != std::string::npos);
  auto nowiki = ParseTargets(base, "t.toml");
  CHECK_FALSE(nowiki);
}

TEST_CASE("RecentChanges' wgStructuredChangeFilters gives each ORES group's levels", "[discovery][ores]") {
  // Shape of the farm's RLCONF (trimmed): a non-ORES group, then damaging and goodfaith (partial profile).
  const std::string head =
      R"(<script>RLCONF={"wgUserName":null,"wgStructuredChangeFilters":[{"name":"userExpLevel","filters":[{"name":"unregistered","label":"a \"]} b"}]},)"
      R"({"name":"damaging","type":"string_options","filters":[{"name":"likelygood"},{"name":"maybebad"},{"name":"likelybad"}]},)"
      R"({"name":"goodfaith","filters":[{"name":"maybebad","cssClass":"x"},{"name":"likelygood"}]}],"wgX":1};</script>)";
  auto levels = ParseFilterLevels(head);
  REQUIRE(levels);
  CHECK(levels->size() == 2);
  CHECK(levels->at("damaging") == std::vector<std::string>{"likelybad", "likelygood", "maybebad"});
  CHECK(levels->at("goodfaith") == std::vector<std::string>{"likelygood", "maybebad"});
  CHECK_FALSE(ParseFilterLevels("<html><head></head>"));
  CHECK_FALSE(ParseFilterLevels(head.substr(0, 150)));  // cut off inside the array
  // Page levels win over meta=ores (goodfaith's levels show nowhere else).
  Targets t = bc_test::ParseTargetsOrFail(kTargets);
  WikiFacts f = DiscoveredFacts("enwiki", kSiteInfo, kOres);
  f.page_levels = *levels;
  ApplyFacts(t, {f});
  CHECK(t.wikis[0].ores_levels.at("goodfaith") == std::vector<std::string>{"likelygood", "maybebad"});
  CHECK(t.wikis[0].ores_levels.at("damaging") == std::vector<std::string>{"likelybad", "likelygood", "maybebad"});
}

TEST_CASE("with facts, RC and Watchlist expect the group of every model the API offers, even if the file did not", "[discovery][plan]") {
  Targets t = bc_test::ParseTargetsOrFail(R"TOML(
[crawl]
user_agent = "beta-crawler-test/0.1 (qa@example.org)"
[[wiki]]
dbname = "enwiki"
url = "http://127.0.0.1:8101"
[[wiki]]
dbname = "ruwiki"
url = "http://127.0.0.1:8103"
[page.recentchanges]
[page.contributions]
target_user = "X"
)TOML");
  auto before = BuildPlan(t);
  REQUIRE(before);
  for (const Probe& p : *before) CHECK(p.expect_filter_groups.empty());  // no facts: the file decides
  ApplyFacts(t, {DiscoveredFacts("enwiki", kSiteInfo, kOres), DiscoveredFacts("ruwiki", kSiteInfoNoOres, kOresUnknown)});
  auto plan = BuildPlan(t);
  REQUIRE(plan);
  for (const Probe& p : *plan) {
    if (p.wiki == "enwiki" && p.kind == PageKind::kRecentChanges)
      CHECK(p.expect_filter_groups == std::vector<std::string>{"damaging", "goodfaith"});
    else
      CHECK(p.expect_filter_groups.empty());  // contributions has no groups; ruwiki runs no ORES
  }
}

namespace {

// A recorded page as FetchFacts holds it: a Response whose body was kept
// without a sink (the facts' RecentChanges page).
Response FactsPageResponse(const std::string& name) {
  const std::string dir = std::string(BC_SOURCE_DIR) + "/tests/corpus/";
  const auto meta = nlohmann::json::parse(bc_test::ReadFile(dir + name + ".meta.json"));
  Response r;
  r.end = Response::End::kAnswered;
  r.fetch.http_status = meta.at("status").get<long>();
  for (const auto& h : meta.at("headers")) r.headers.emplace_back(h.at(0).get<std::string>(), h.at(1).get<std::string>());
  r.body = bc_test::ReadFile(dir + name + ".body");
  return r;
}

}  // namespace

TEST_CASE("the facts' RecentChanges page is judged whole, as a probe of it would be", "[discovery][smoke]") {
  Expectations expect;
  expect.kind = PageKind::kRecentChanges;
  expect.expect_filter_groups = {"damaging", "goodfaith"};
  // No sink: the body kept on the Response is what the classifier reads.
  CHECK(JudgeResponse(FactsPageResponse("farm-fr-rc"), &expect).result.verdict == Verdict::kOk);
  const Outcome silent = JudgeResponse(FactsPageResponse("farm-ru-rc-silent"), &expect);
  CHECK(silent.result.verdict == Verdict::kBroken);
  const Outcome thrown = JudgeResponse(FactsPageResponse("farm-fr-rc-null-threshold"), &expect);
  CHECK(thrown.result.verdict == Verdict::kException);
  CHECK_FALSE(thrown.result.evidence.exception_class.empty());
}

TEST_CASE("every wiki whose facts judged its page gets a tier-0 recentchanges probe, in targets order", "[discovery][smoke]") {
  Targets t = bc_test::ParseTargetsOrFail(kTargets);
  REQUIRE(t.wikis.size() >= 2);
  WikiFacts judged = DiscoveredFacts(t.wikis[1].dbname, kSiteInfo, kOres);
  judged.page_judged = true;
  judged.page_outcome.http_status = 500;
  judged.page_outcome.result.verdict = Verdict::kException;
  WikiFacts unjudged = DiscoveredFacts(t.wikis[0].dbname, kSiteInfo, kOres);  // page_levels = false: no page
  auto smoke = FactsPageOutcomes(t, {judged, unjudged});
  REQUIRE(smoke.size() == 1);
  const Probe& p = smoke[0].first;
  CHECK(p.wiki == t.wikis[1].dbname);
  CHECK(p.kind == PageKind::kRecentChanges);
  CHECK(p.tier == 0);
  CAPTURE(p.url);
  CHECK(p.url.str().find("Special") != std::string::npos);
  CHECK(p.url.str().find("RecentChanges") != std::string::npos);
  CHECK(p.url.str().find("limit=1") != std::string::npos);
  CHECK(p.id == ProbeId(p.wiki, p.kind, p.query));
  CHECK(smoke[0].second.result.verdict == Verdict::kException);
  CHECK(smoke[0].second.http_status == 500);
}
