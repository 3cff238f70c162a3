// Issue 13.3: a plan that holds during an incident. Each wiki's ORES facts are
// recorded with the run (marked healthy when the run found nothing wrong with
// that wiki); a later plan merges the last healthy ones into today's answer,
// so a broken wiki's poorer answer never shrinks its own probes, and what
// vanished is a finding ("ORES facts regressed: ..."). Pure parts on recorded
// answers (the farm's meta=ores), History on a temporary database.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "config/targets.h"
#include "mediawiki/facts_record.h"
#include "mediawiki/ores.h"
#include "mediawiki/wiki_facts.h"
#include "plan/plan.h"
#include "report/history.h"
#include "report/run_dir.h"
#include "report_fixtures.h"
#include "targets_fixture.h"

using namespace bc;

namespace {

const char* kFactsSiteInfo = R"({"query": {"general": {"sitename": "Wikipedia", "generator": "MediaWiki 1.39.17",
 "lang": "en", "server": "http://127.0.0.1:8101", "scriptpath": "", "wikiid": "enwiki"},
 "extensions": [{"type": "other", "name": "ORES", "version": "0.1.0-fixture"}]}})";
const char* kFactsSiteInfoNoOres = R"({"query": {"general": {"sitename": "Wikipedia", "generator": "MediaWiki 1.39.17",
 "lang": "en", "server": "http://127.0.0.1:8101", "scriptpath": "", "wikiid": "enwiki"}, "extensions": []}})";
// meta=ores as the farm answers it (profile full, then damaging: goodfaith switched off).
const char* kOresFull = R"({"query":{"ores":{"wikiid":"enwiki","models":{"damaging":{"version":"0.5.0"},
 "goodfaith":{"version":"0.5.0"}},"damagingthresholds":{"maybebad":0.16,"likelybad":0.56,"verylikelybad":0.92}}}})";
const char* kOresDamagingOnly = R"({"query":{"ores":{"wikiid":"enwiki","models":{"damaging":{"version":"0.5.0"}},
 "damagingthresholds":{"maybebad":0.16,"likelybad":0.56,"verylikelybad":0.92}}}})";
const char* kFactsOresNull = R"({"query":{"ores":{"wikiid":"enwiki","models":{"damaging":{"version":"0.5.0"},
 "goodfaith":{"version":"0.5.0"}},"damagingthresholds":{"maybebad":null,"likelybad":null,"verylikelybad":null}}}})";
const char* kFactsOresUnknown = R"({"warnings":{"query":{"warnings":"Unrecognized value for parameter \"meta\": ores."}}})";

const std::vector<std::string> kAll = {"likelybad", "likelygood", "maybebad", "verylikelybad"};

const char* kFactsTargets = R"TOML(
[crawl]
user_agent = "beta-crawler-test/0.1 (qa@example.org)"
[account.qa]
username = "CrawlerQA"
password_env = "X"
[[wiki]]
dbname = "enwiki"
url = "http://127.0.0.1:8101"
script_path = ""
account = "qa"
[page.recentchanges]
strategy = "cartesian"
expect_filter_groups = ["damaging", "goodfaith"]
[page.recentchanges.ores]
damaging = ["", "likelygood", "likelybad;verylikelybad"]
goodfaith = ["", "likelygood", "likelybad"]
)TOML";

// Facts with the RC page showing `page` (group -> levels); page_read always.
WikiFacts HistoryFacts(const char* siteinfo, const char* ores, std::map<std::string, std::vector<std::string>> page) {
  WikiFacts f;
  f.dbname = "enwiki";
  f.site = *ParseSiteInfo(siteinfo);
  if (auto o = ParseOresMeta(ores)) f.ores = *o;
  f.ores_answer.response.fetch.http_status = 200;
  f.ores_answer.response.body = ores;
  f.page_levels = std::move(page);
  return f;
}

WikiFacts Healthy() { return HistoryFacts(kFactsSiteInfo, kOresFull, {{"damaging", kAll}, {"goodfaith", kAll}}); }

FactsHistory HistoryOf(const WikiFacts& f, const Targets& t, const std::string& run) {
  return {{FactsSiteKey(t.wikis[0]), HealthyFacts{run, *RecordOf(f)}}};
}

std::set<std::string> GoodfaithValues(const std::vector<Probe>& plan) {
  std::set<std::string> out;
  for (const Probe& p : plan)
    for (const auto& [k, v] : p.params)
      if (k == "goodfaith") out.insert(v);
  return out;
}

}  // namespace

TEST_CASE("a facts record survives JSON; damaged JSON is no record", "[facts]") {
  auto r = RecordOf(Healthy());
  REQUIRE(r);
  CHECK(r->ores);
  CHECK(r->models.size() == 2);
  CHECK(r->levels.at("goodfaith") == kAll);
  CHECK(r->level_source.at("goodfaith") == "RecentChanges filters");
  CHECK(r->groups == std::vector<std::string>{"damaging", "goodfaith"});
  auto back = FromJson(ToJson(*r));
  REQUIRE(back);
  CHECK(back->models == r->models);
  CHECK(back->levels == r->levels);
  CHECK(back->level_source == r->level_source);
  CHECK(back->groups == r->groups);
  CHECK(back->page_read);
  CHECK_FALSE(FromJson("{"));
  CHECK_FALSE(FromJson("[]"));
  CHECK_FALSE(FromJson(R"({"models":{}})"));
  // siteinfo failed, or ORES installed and meta=ores unreadable: nothing reliable.
  WikiFacts failed = Healthy();
  failed.error = "meta=siteinfo failed: HTTP 503";
  CHECK_FALSE(RecordOf(failed));
  CHECK_FALSE(RecordOf(HistoryFacts(kFactsSiteInfo, kFactsOresUnknown, {})));
  // No ORES at all is a fact.
  auto none = RecordOf(HistoryFacts(kFactsSiteInfoNoOres, kFactsOresUnknown, {}));
  REQUIRE(none);
  CHECK_FALSE(none->ores);
}

TEST_CASE("FactsLost names every model, level and filter group that vanished", "[facts]") {
  const OresFactsRecord healthy = *RecordOf(Healthy());
  CHECK(FactsLost(healthy, healthy).empty());
  // The page lost goodfaith's two strictest levels.
  auto fewer = *RecordOf(HistoryFacts(kFactsSiteInfo, kOresFull, {{"damaging", kAll}, {"goodfaith", {"likelygood", "maybebad"}}}));
  CHECK(FactsLost(healthy, fewer) == std::vector<std::string>{"goodfaith levels gone: likelybad, verylikelybad"});
  // Richer today: nothing lost.
  CHECK(FactsLost(fewer, healthy).empty());
  // goodfaith switched off: the model and its filter group.
  auto damaging_only = *RecordOf(HistoryFacts(kFactsSiteInfo, kOresDamagingOnly, {{"damaging", kAll}}));
  CHECK(FactsLost(healthy, damaging_only) ==
        std::vector<std::string>{"model goodfaith gone", "filter group goodfaith gone from the RecentChanges page"});
  // ORES unloaded.
  auto gone = *RecordOf(HistoryFacts(kFactsSiteInfoNoOres, kFactsOresUnknown, {}));
  CHECK(FactsLost(healthy, gone) ==
        std::vector<std::string>{"ORES gone from siteinfo", "filter group damaging gone from the RecentChanges page",
                                 "filter group goodfaith gone from the RecentChanges page"});
  // A page that did not answer says nothing about groups.
  WikiFacts no_page = HistoryFacts(kFactsSiteInfo, kOresFull, {});
  no_page.page_error = "RecentChanges: HTTP 500";
  auto unread = *RecordOf(no_page);
  CHECK_FALSE(unread.page_read);
  for (const std::string& l : FactsLost(healthy, unread)) CHECK(l.find("filter group") == std::string::npos);
}

TEST_CASE("the plan keeps the probes of levels the last healthy run had and today's answer lacks", "[facts][plan]") {
  const WikiFacts today = HistoryFacts(kFactsSiteInfo, kOresFull, {{"damaging", kAll}, {"goodfaith", {"likelygood", "maybebad"}}});
  // Without history (what happened before): the broken wiki's answer shrinks its own plan.
  Targets alone = bc_test::ParseTargetsOrFail(kFactsTargets);
  ApplyFacts(alone, {today});
  CHECK(GoodfaithValues(*BuildPlan(alone)) == std::set<std::string>{"likelygood"});
  // With the last healthy facts: goodfaith=likelybad still runs, and the loss is a regression.
  Targets t = bc_test::ParseTargetsOrFail(kFactsTargets);
  FactsRegressions regressions;
  auto notes = ApplyFacts(t, {today}, HistoryOf(Healthy(), t, "R1"), &regressions);
  CHECK(GoodfaithValues(*BuildPlan(t)) == std::set<std::string>{"likelygood", "likelybad"});
  CHECK(t.wikis[0].ores_levels.at("goodfaith") == kAll);
  CHECK(t.wikis[0].ores_level_source.at("goodfaith").at("likelybad") == "history of run R1");
  CHECK(t.wikis[0].ores_level_source.at("goodfaith").at("maybebad") == "RecentChanges filters");
  REQUIRE(regressions.contains("enwiki"));
  CHECK(regressions["enwiki"].run_id == "R1");
  CHECK(regressions["enwiki"].lost == std::vector<std::string>{"goodfaith levels gone: likelybad, verylikelybad"});
  REQUIRE(notes.size() == 1);
  CHECK_THAT(notes[0], Catch::Contains("likelybad, verylikelybad, from history of run R1"));
  CHECK_THAT(notes[0], Catch::Contains("regressed since run R1"));
}

TEST_CASE("a model or ORES itself gone today still gets its probes and its expected groups", "[facts][plan]") {
  for (const WikiFacts& today :
       {HistoryFacts(kFactsSiteInfo, kOresDamagingOnly, {{"damaging", kAll}}), HistoryFacts(kFactsSiteInfoNoOres, kFactsOresUnknown, {})}) {
    Targets t = bc_test::ParseTargetsOrFail(kFactsTargets);
    FactsRegressions regressions;
    ApplyFacts(t, {today}, HistoryOf(Healthy(), t, "R1"), &regressions);
    CHECK(t.wikis[0].ores_models == std::vector<std::string>{"damaging", "goodfaith"});
    CHECK(t.wikis[0].ores_model_source.at("goodfaith") == "history of run R1");
    auto plan = BuildPlan(t);
    REQUIRE(plan);
    CHECK(GoodfaithValues(*plan) == std::set<std::string>{"likelygood", "likelybad"});
    for (const Probe& p : *plan)
      if (p.kind == PageKind::kRecentChanges)
        CHECK(p.expect_filter_groups == std::vector<std::string>{"damaging", "goodfaith"});
    CHECK(regressions.contains("enwiki"));
  }
}

TEST_CASE("facts that cannot be read fall back to the last healthy ones, else to the file, and say so", "[facts]") {
  WikiFacts down = Healthy();
  down.error = "meta=siteinfo failed: HTTP 503";
  Targets t = bc_test::ParseTargetsOrFail(kFactsTargets);
  FactsRegressions regressions;
  auto notes = ApplyFacts(t, {down}, HistoryOf(Healthy(), t, "R1"), &regressions);
  CHECK(t.wikis[0].ores_from_facts);
  CHECK(t.wikis[0].ores_levels.at("goodfaith") == kAll);
  CHECK(regressions.empty());  // unreadable is the pre-flight's finding, not a regression
  CHECK_THAT(notes[0], Catch::Contains("the last healthy facts apply (run R1)"));
  Targets file_only = bc_test::ParseTargetsOrFail(kFactsTargets);
  notes = ApplyFacts(file_only, {down}, FactsHistory{{"other", {}}});
  CHECK_FALSE(file_only.wikis[0].ores_from_facts);
  CHECK_THAT(notes[0], Catch::Contains("the file's ores_models [damaging, goodfaith] apply; no earlier healthy facts"));
}

TEST_CASE("a regression is a broken pre-flight outcome; a worse meta=ores verdict stays", "[facts][ores]") {
  Targets t = bc_test::ParseTargetsOrFail(kFactsTargets);
  const FactsRegressions lost = {{"enwiki", {"R1", {"goodfaith levels gone: likelybad, verylikelybad"}}}};
  auto pre = PreflightOutcomes(t, {HistoryFacts(kFactsSiteInfo, kOresFull, {})}, lost);
  REQUIRE(pre.size() == 1);
  CHECK(pre[0].second.result.verdict == Verdict::kBroken);
  CHECK(pre[0].second.result.evidence.signature == "ORES facts regressed: goodfaith levels gone: likelybad, verylikelybad");
  CHECK_THAT(pre[0].second.result.evidence.message, Catch::Contains("enwiki") && Catch::Contains("run R1"));
  // Without the regression the same answer is ok.
  CHECK(PreflightOutcomes(t, {HistoryFacts(kFactsSiteInfo, kOresFull, {})})[0].second.result.verdict == Verdict::kOk);
  auto null_thresholds = PreflightOutcomes(t, {HistoryFacts(kFactsSiteInfo, kFactsOresNull, {})}, lost);
  CHECK(null_thresholds[0].second.result.evidence.signature == "ORES thresholds null: damaging");
  CHECK_THAT(null_thresholds[0].second.result.evidence.detail, Catch::Contains("ORES facts regressed since run R1"));
  // ORES gone today: no pre-flight of its own, the regression still shows; with
  // the pre-flight off, only regressions do.
  const FactsRegressions gone = {{"enwiki", {"R1", {"ORES gone from siteinfo"}}}};
  auto vanished = PreflightOutcomes(t, {HistoryFacts(kFactsSiteInfoNoOres, kFactsOresUnknown, {})}, gone, /*judge_meta=*/false);
  REQUIRE(vanished.size() == 1);
  CHECK(vanished[0].second.result.evidence.signature == "ORES facts regressed: ORES gone from siteinfo");
  CHECK(PreflightOutcomes(t, {HistoryFacts(kFactsSiteInfo, kOresFull, {})}, {}, /*judge_meta=*/false).empty());
}

TEST_CASE("plan --explain says where each parameter of a probe came from", "[facts][plan]") {
  Targets t = bc_test::ParseTargetsOrFail(kFactsTargets);
  ApplyFacts(t, {HistoryFacts(kFactsSiteInfo, kOresFull, {{"damaging", kAll}, {"goodfaith", {"likelygood", "maybebad"}}})},
             HistoryOf(Healthy(), t, "R1"));
  auto plan = BuildPlan(t);
  REQUIRE(plan);
  bool seen = false;
  for (const Probe& p : *plan) {
    if (p.kind == PageKind::kApi) {
      CHECK(ProbeProvenance(p, t.wikis[0]) == "ORES models: damaging from meta=ores, goodfaith from meta=ores");
      continue;
    }
    const Params want = {{"damaging", "likelygood"}, {"goodfaith", "likelybad"}, {"title", "Special:RecentChanges"}};
    if (p.params != want) continue;
    seen = true;
    CHECK(ProbeProvenance(p, t.wikis[0]) ==
          "RecentChanges filters: damaging=likelygood; history of run R1: goodfaith=likelybad; the targets file: title");
  }
  CHECK(seen);
  // No facts at all: the file decides everything.
  Targets file_only = bc_test::ParseTargetsOrFail(kFactsTargets);
  auto p0 = (*BuildPlan(file_only))[1];
  CHECK_THAT(ProbeProvenance(p0, file_only.wikis[0]), Catch::StartsWith("the targets file: "));
}

TEST_CASE("ORES API probes run where the [[wiki]] entry names its models, without facts", "[facts][plan]") {
  auto count_api = [](const Targets& t) {
    auto plan = BuildPlan(t);
    REQUIRE(plan);
    size_t n = 0;
    for (const Probe& p : *plan) n += p.kind == PageKind::kApi;
    return n;
  };
  CHECK(count_api(bc_test::ParseTargetsOrFail(kFactsTargets)) == 0);  // the default ores_models is an assumption, not a fact
  std::string named = kFactsTargets;
  named.replace(named.find("account = \"qa\"\n"), 15, "account = \"qa\"\nores_models = [\"damaging\"]\n");
  Targets t = bc_test::ParseTargetsOrFail(named);
  CHECK(t.wikis[0].ores_models_set);
  CHECK(count_api(t) == 1);  // recentchanges (no watchlist/contributions page in this file)
  named.replace(named.find("ores_models = [\"damaging\"]"), 26, "ores_models = []");
  CHECK(count_api(bc_test::ParseTargetsOrFail(named)) == 0);  // [] = no ORES
}

namespace {

// kFactsTargets whose [[wiki]] entry names its models (Wiki::ores_models_set).
Targets NamedModelsTargets(const std::string& models) {
  std::string named = kFactsTargets;
  named.replace(named.find("account = \"qa\"\n"), 15, "account = \"qa\"\nores_models = " + models + "\n");
  Targets t = bc_test::ParseTargetsOrFail(named);
  REQUIRE(t.wikis[0].ores_models_set);
  return t;
}

WikiFacts DamagingOnlyToday() { return HistoryFacts(kFactsSiteInfo, kOresDamagingOnly, {{"damaging", kAll}}); }

}  // namespace

TEST_CASE("without history a model the [[wiki]] entry names and today's facts lack keeps its probes and is a finding",
          "[facts][plan]") {
  // The file names nothing: today's facts apply as they are, and the note says so.
  Targets plain = bc_test::ParseTargetsOrFail(kFactsTargets);
  FactsRegressions none;
  auto notes = ApplyFacts(plain, {DamagingOnlyToday()}, {}, &none);
  CHECK(plain.wikis[0].ores_models == std::vector<std::string>{"damaging"});
  CHECK(GoodfaithValues(*BuildPlan(plain)).empty());
  CHECK(none.empty());
  REQUIRE(notes.size() == 1);
  CHECK_THAT(notes[0], Catch::Contains("no earlier healthy facts: today's facts and the targets file apply (it names no "
                                       "ores_models)"));
  // The entry names goodfaith: a wiki broken on its very first run keeps the
  // file's goodfaith probes, and the loss is a finding naming the file.
  Targets t = NamedModelsTargets(R"(["damaging", "goodfaith"])");
  FactsRegressions regressions;
  notes = ApplyFacts(t, {DamagingOnlyToday()}, {}, &regressions);
  const Wiki& w = t.wikis[0];
  CHECK(w.ores_models == std::vector<std::string>{"damaging", "goodfaith"});
  CHECK(w.ores_model_source.at("damaging") == "meta=ores");
  CHECK(w.ores_model_source.at("goodfaith") == "the targets file");
  CHECK_FALSE(w.ores_levels.contains("goodfaith"));  // the file names no levels: every configured one kept
  auto plan = BuildPlan(t);
  REQUIRE(plan);
  CHECK(GoodfaithValues(*plan) == std::set<std::string>{"likelygood", "likelybad"});
  bool seen = false;
  for (const Probe& p : *plan) {
    if (p.kind == PageKind::kApi) {
      CHECK(ProbeProvenance(p, w) == "ORES models: damaging from meta=ores, goodfaith from the targets file");
      continue;
    }
    CHECK(p.expect_filter_groups == std::vector<std::string>{"damaging", "goodfaith"});
    if (p.params != Params{{"damaging", "likelygood"}, {"goodfaith", "likelybad"}, {"title", "Special:RecentChanges"}})
      continue;
    seen = true;
    CHECK(ProbeProvenance(p, w) == "RecentChanges filters: damaging=likelygood; the targets file: goodfaith=likelybad title");
  }
  CHECK(seen);
  REQUIRE(regressions.contains("enwiki"));
  CHECK(regressions["enwiki"].lost.empty());
  CHECK(regressions["enwiki"].run_id.empty());
  CHECK(regressions["enwiki"].file_lost == std::vector<std::string>{"model goodfaith gone (named in the targets file)"});
  REQUIRE(notes.size() == 1);
  CHECK_THAT(notes[0], Catch::Contains("goodfaith (not in today's meta=ores; named in the targets file)"));
  CHECK_THAT(notes[0], Catch::Contains("today's facts and the targets file apply (its ores_models [damaging, goodfaith])"));
  CHECK_THAT(notes[0], Catch::Contains("[regressed against the targets file: model goodfaith gone"));
  auto pre = PreflightOutcomes(t, {DamagingOnlyToday()}, regressions);
  REQUIRE(pre.size() == 1);
  const Evidence& e = pre[0].second.result.evidence;
  CHECK(pre[0].second.result.verdict == Verdict::kBroken);
  CHECK(e.signature == "ORES facts regressed: model goodfaith gone (named in the targets file)");
  CHECK_THAT(e.message, Catch::Contains("the targets file names its ores_models"));
  CHECK_THAT(e.message, !Catch::Contains("run "));
  CHECK_THAT(e.detail, Catch::Contains("against the targets file"));
}

TEST_CASE("the [[wiki]] entry's models merge with the history and with facts that cannot be read", "[facts][plan]") {
  // The history had goodfaith too: one finding, against the healthy run.
  Targets t = NamedModelsTargets(R"(["damaging", "goodfaith"])");
  FactsRegressions regressions;
  ApplyFacts(t, {DamagingOnlyToday()}, HistoryOf(Healthy(), t, "R1"), &regressions);
  CHECK(t.wikis[0].ores_model_source.at("goodfaith") == "history of run R1");
  CHECK(regressions["enwiki"].lost == std::vector<std::string>{"model goodfaith gone",
                                                               "filter group goodfaith gone from the RecentChanges page"});
  CHECK(regressions["enwiki"].file_lost.empty());
  // The healthy run had damaging only: the file's goodfaith is still kept and still missing.
  Targets t2 = NamedModelsTargets(R"(["damaging", "goodfaith"])");
  FactsRegressions r2;
  ApplyFacts(t2, {DamagingOnlyToday()}, HistoryOf(DamagingOnlyToday(), t2, "R1"), &r2);
  CHECK(t2.wikis[0].ores_models == std::vector<std::string>{"damaging", "goodfaith"});
  CHECK(t2.wikis[0].ores_model_source.at("goodfaith") == "the targets file");
  CHECK(r2["enwiki"].lost.empty());
  CHECK(r2["enwiki"].file_lost == std::vector<std::string>{"model goodfaith gone (named in the targets file)"});
  // Values only today's facts have are used as today: goodfaith from meta=ores, no finding.
  Targets t3 = NamedModelsTargets(R"(["damaging"])");
  FactsRegressions r3;
  ApplyFacts(t3, {Healthy()}, {}, &r3);
  CHECK(t3.wikis[0].ores_models == std::vector<std::string>{"damaging", "goodfaith"});
  CHECK(t3.wikis[0].ores_model_source.at("goodfaith") == "meta=ores");
  CHECK(r3.empty());
  // ORES not installed today, the file names damaging: kept, and the pre-flight
  // (off here) still reports it.
  Targets t4 = NamedModelsTargets(R"(["damaging"])");
  FactsRegressions r4;
  const WikiFacts no_ores = HistoryFacts(kFactsSiteInfoNoOres, kFactsOresUnknown, {});
  ApplyFacts(t4, {no_ores}, {}, &r4);
  CHECK(t4.wikis[0].ores_models == std::vector<std::string>{"damaging"});
  CHECK(r4["enwiki"].file_lost == std::vector<std::string>{"ORES gone from siteinfo (the targets file names damaging)"});
  auto pre = PreflightOutcomes(t4, {no_ores}, r4, /*judge_meta=*/false);
  REQUIRE(pre.size() == 1);
  CHECK(pre[0].second.result.evidence.signature ==
        "ORES facts regressed: ORES gone from siteinfo (the targets file names damaging)");
  // [] names no model: nothing to keep.
  Targets t5 = NamedModelsTargets("[]");
  FactsRegressions r5;
  ApplyFacts(t5, {no_ores}, {}, &r5);
  CHECK(t5.wikis[0].ores_models.empty());
  CHECK(r5.empty());
  // Facts unreadable, the last healthy ones lack goodfaith: the file's goodfaith
  // joins them (no finding: today says nothing).
  WikiFacts down = Healthy();
  down.error = "meta=siteinfo failed: HTTP 503";
  Targets t6 = NamedModelsTargets(R"(["damaging", "goodfaith"])");
  FactsRegressions r6;
  auto notes = ApplyFacts(t6, {down}, HistoryOf(DamagingOnlyToday(), t6, "R1"), &r6);
  CHECK(t6.wikis[0].ores_models == std::vector<std::string>{"damaging", "goodfaith"});
  CHECK(t6.wikis[0].ores_model_source.at("goodfaith") == "the targets file");
  CHECK(r6.empty());
  CHECK_THAT(notes[0], Catch::Contains("(goodfaith from the targets file)"));
}

namespace {

struct TempDb {
  std::filesystem::path dir;
  std::string path;
  TempDb() {
    dir = std::filesystem::temp_directory_path() / ("bc-facts-" + MakeRunId());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    path = (dir / "history.sqlite").string();
  }
  ~TempDb() { std::filesystem::remove_all(dir); }
};

// A run of two wikis (one probe each) that recorded both wikis' facts.
Result<void> RecordFactsRun(History& h, const std::string& id, int64_t started, Verdict en, Verdict fr,
                            const std::string& facts, bool partial = false, const std::string& scope = "") {
  RunInfo info;
  info.run_id = id;
  info.targets_path = "/t.toml";
  info.started_unix_ms = started;
  info.finished_unix_ms = started + 1000;
  info.partial = partial;
  info.scope = scope;
  info.wiki_facts = {{"enwiki", "enwiki http://en", facts}, {"frwiki", "frwiki http://fr", facts}};
  const std::vector<ProbeResult> rs = {
      {testing::MakeProbe("p1", "enwiki", PageKind::kRecentChanges, {}), testing::MakeOutcome(en)},
      {testing::MakeProbe("p2", "frwiki", PageKind::kRecentChanges, {}), testing::MakeOutcome(fr)}};
  RunSummary s;
  for (const auto& r : rs) Count(s, r.outcome, false);
  return h.RecordRun(info, s, rs);
}

}  // namespace

TEST_CASE("history keeps each wiki's facts and returns the newest ones of a healthy run", "[facts][report][history]") {
  TempDb db;
  auto h = History::Open(db.path);
  REQUIRE(h);
  CHECK(h->SchemaVersion().value() >= 3);  // wiki_facts came with v3
  CHECK(h->LastHealthyFacts()->empty());
  REQUIRE(RecordFactsRun(*h, "R1", 1000, Verdict::kOk, Verdict::kOk, "{\"v\":1}"));
  // R2: enwiki fine, frwiki broken; R3 partial; R4 a recheck; R5 auth on enwiki (a tool failure).
  REQUIRE(RecordFactsRun(*h, "R2", 2000, Verdict::kOk, Verdict::kBroken, "{\"v\":2}"));
  REQUIRE(RecordFactsRun(*h, "R3", 3000, Verdict::kOk, Verdict::kOk, "{\"v\":3}", /*partial=*/true));
  REQUIRE(RecordFactsRun(*h, "R4", 4000, Verdict::kOk, Verdict::kOk, "{\"v\":4}", false, "recheck of R2"));
  REQUIRE(RecordFactsRun(*h, "R5", 5000, Verdict::kAuth, Verdict::kException, "{\"v\":5}"));
  auto last = h->LastHealthyFacts();
  REQUIRE(last);
  REQUIRE(last->size() == 2);
  CHECK(last->at("enwiki http://en").run_id == "R2");
  CHECK(last->at("enwiki http://en").facts == "{\"v\":2}");
  CHECK(last->at("frwiki http://fr").run_id == "R1");
  // A run deleted takes its facts along.
  REQUIRE(h->DeleteRun("R2"));
  CHECK(h->LastHealthyFacts()->at("enwiki http://en").run_id == "R1");
}
