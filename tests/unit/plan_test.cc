#include <catch2/catch.hpp>
#include <cctype>
#include <set>

#include "config/targets.h"
#include "plan/combinations.h"
#include "plan/plan.h"
#include "plan/url_list.h"
#include "targets_fixture.h"

using namespace bc;

namespace {

// True when every value pair of every two axes appears in some row.
bool CoversAllPairs(const std::vector<size_t>& sizes, const std::vector<Combination>& rows) {
  for (size_t i = 0; i < sizes.size(); ++i)
    for (size_t j = i + 1; j < sizes.size(); ++j)
      for (size_t a = 0; a < sizes[i]; ++a)
        for (size_t b = 0; b < sizes[j]; ++b) {
          bool found = false;
          for (const auto& r : rows) found = found || (r[i] == a && r[j] == b);
          if (!found) return false;
        }
  return true;
}

const char* kHead = R"TOML(
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
[[wiki]]
dbname = "dewiki"
url = "https://de.wikipedia.beta.wmcloud.org"
account = "qa"
ores_models = []
)TOML";

}  // namespace

TEST_CASE("cartesian gives the product of the axis sizes, every row distinct", "[plan]") {
  const std::vector<size_t> sizes = {3, 2, 4};
  auto rows = CartesianCombinations(sizes);
  CHECK(rows.size() == 24);
  CHECK(std::set<Combination>(rows.begin(), rows.end()).size() == 24);
  CHECK(CartesianCombinations({}).size() == 1);  // no axes: one probe with the fixed parameters
  CHECK(CartesianCombinations({3, 0}).empty());
}

TEST_CASE("pairwise covers every value pair of every two axes", "[plan]") {
  for (const std::vector<size_t>& sizes : std::vector<std::vector<size_t>>{
           {2, 2}, {3, 3, 3}, {2, 3, 4, 5}, {4, 4, 4, 4, 4}, {3, 3, 2, 2, 4, 5}, {1, 5, 1, 2}, {7, 2, 2, 2, 2, 2, 2, 2}}) {
    auto rows = PairwiseCombinations(sizes);
    INFO("axes: " << sizes.size() << ", rows: " << rows.size());
    CHECK(CoversAllPairs(sizes, rows));
    for (const auto& r : rows)
      for (size_t i = 0; i < sizes.size(); ++i) REQUIRE(r[i] < sizes[i]);
  }
}

TEST_CASE("pairwise is much smaller than cartesian on a 6-axis example", "[plan]") {
  const std::vector<size_t> sizes = {3, 3, 2, 2, 4, 5};  // limit, days, enhanced, hidebots, damaging, goodfaith
  auto pairwise = PairwiseCombinations(sizes);
  auto cartesian = CartesianCombinations(sizes);
  CHECK(cartesian.size() == 720);
  // The lower bound is 4*5 = 20 (the two largest axes); greedy gets close to it.
  CHECK(pairwise.size() >= 20);
  CHECK(pairwise.size() <= 30);
  CHECK(PairwiseCombinations(sizes) == pairwise);  // deterministic
}

TEST_CASE("probe ids are stable under reordering of TOML keys and axis values", "[plan]") {
  auto a = bc_test::ParseTargetsOrFail(std::string(kHead) + R"TOML(
[page.recentchanges]
strategy = "cartesian"
[page.recentchanges.axes]
limit = ["50", "500"]
days = ["1", "30"]
highlight = ["", { damaging__likelybad_color = "c4", damaging__verylikelybad_color = "c5" }]
)TOML");
  auto b = bc_test::ParseTargetsOrFail(std::string(kHead) + R"TOML(
[page.recentchanges]
strategy = "cartesian"
[page.recentchanges.axes]
highlight = [{ damaging__verylikelybad_color = "c5", damaging__likelybad_color = "c4" }, ""]
days = ["30", "1"]
limit = ["500", "50"]
)TOML");
  auto pa = BuildPlan(a);
  auto pb = BuildPlan(b);
  REQUIRE(pa.has_value());
  REQUIRE(pb.has_value());
  REQUIRE(pa->size() == 16);  // 2 wikis x 8
  std::set<std::string> ids_a, ids_b;
  for (auto& p : *pa) ids_a.insert(p.id.str());
  for (auto& p : *pb) ids_b.insert(p.id.str());
  CHECK(ids_a.size() == 16);
  CHECK(ids_a == ids_b);
  // Canonical query: sorted keys, percent-encoded.
  CHECK((*pa)[0].query == "days=1&limit=50&title=Special%3aRecentChanges");
  CHECK((*pa)[0].url == "http://127.0.0.1:8101/index.php?days=1&limit=50&title=Special%3aRecentChanges");
  CHECK((*pa)[0].host == "127.0.0.1:8101");
  CHECK((*pa)[8].url.str().starts_with("https://de.wikipedia.beta.wmcloud.org/w/index.php?"));
  CHECK((*pa)[8].host == "de.wikipedia.beta.wmcloud.org:443");
  CHECK(ProbeId("enwiki", PageKind::kRecentChanges, "a=1") != ProbeId("enwiki", PageKind::kWatchlist, "a=1"));
  CHECK(ProbeId("enwiki", PageKind::kRecentChanges, "a=1") == ProbeId("enwiki", PageKind::kRecentChanges, "a=1"));
}

TEST_CASE("ORES axes and filter-group expectations apply only where the wiki runs the model", "[plan]") {
  auto t = bc_test::ParseTargetsOrFail(std::string(kHead) + R"TOML(
[page.recentchanges]
strategy = "cartesian"
expect_filter_groups = ["damaging", "goodfaith"]
[page.recentchanges.axes]
limit = ["50"]
[page.recentchanges.ores]
damaging = ["", "likelybad", "maybebad;likelybad"]
goodfaith = ["", "likelybad"]
[page.contributions]
target_user = "Editor1"
strategy = "explicit"
explicit = [{ limit = "20" }, { hidenondamaging = "1" }]
)TOML");
  auto plan = BuildPlan(t);
  REQUIRE(plan.has_value());
  size_t en_rc = 0, de_rc = 0, contribs = 0;
  for (const Probe& p : *plan) {
    if (p.kind == PageKind::kContributions) {
      ++contribs;
      CHECK(p.expect_filter_groups.empty());
      CHECK(std::find(p.params.begin(), p.params.end(), std::pair<std::string, std::string>{"target", "Editor1"}) !=
            p.params.end());
      continue;
    }
    if (p.wiki == "enwiki") {
      ++en_rc;
      CHECK(p.expect_filter_groups == std::vector<std::string>{"damaging", "goodfaith"});
    } else {
      ++de_rc;
      CHECK(p.expect_filter_groups.empty());
      for (auto& [k, v] : p.params) CHECK(k != "damaging");
    }
    CHECK(p.expect_user == "CrawlerQA");
  }
  CHECK(en_rc == 6);  // 1 x 3 x 2
  CHECK(de_rc == 1);  // ORES axes dropped: only limit
  CHECK(contribs == 4);
}

TEST_CASE("duplicates collapse and the first probe of every wiki x kind is the smoke tier", "[plan]") {
  auto t = bc_test::ParseTargetsOrFail(std::string(kHead) + R"TOML(
[page.recentchanges]
strategy = "cartesian"
[page.recentchanges.axes]
limit = ["50", "50", ""]
[page.watchlist]
[page.watchlist.axes]
days = ["1", "7"]
)TOML");
  auto plan = BuildPlan(t);
  REQUIRE(plan.has_value());
  CHECK(plan->size() == 8);  // (2 RC + 2 WL) x 2 wikis
  size_t tier0 = 0;
  for (auto& p : *plan) tier0 += p.tier == 0;
  CHECK(tier0 == 4);
}

TEST_CASE("shards are disjoint and their union is the plan", "[plan]") {
  auto t = bc_test::ParseTargetsOrFail(std::string(kHead) + R"TOML(
[page.recentchanges]
strategy = "cartesian"
[page.recentchanges.axes]
limit = ["50", "100", "250", "500"]
days = ["1", "3", "7"]
)TOML");
  auto whole = BuildPlan(t);
  REQUIRE(whole.has_value());
  std::multiset<std::string> all;
  for (size_t i = 0; i < 3; ++i) {
    PlanFilter f;
    f.shard_index = i;
    f.shard_count = 3;
    auto shard = BuildPlan(t, f);
    REQUIRE(shard.has_value());
    for (auto& p : *shard) all.insert(p.id.str());
  }
  std::multiset<std::string> expected;
  for (auto& p : *whole) expected.insert(p.id.str());
  CHECK(all == expected);
}

TEST_CASE("filters keep only the named wikis, kinds and parameters", "[plan]") {
  auto t = bc_test::ParseTargetsOrFail(std::string(kHead) + R"TOML(
[page.recentchanges]
strategy = "cartesian"
[page.recentchanges.axes]
limit = ["50", "500"]
[page.watchlist]
)TOML");
  PlanFilter f;
  f.wikis = {"enwiki"};
  f.kinds = {PageKind::kRecentChanges};
  f.required = {{"limit", "500"}};
  auto plan = BuildPlan(t, f);
  REQUIRE(plan.has_value());
  REQUIRE(plan->size() == 1);
  CHECK((*plan)[0].wiki == "enwiki");
  CHECK((*plan)[0].tier == 0);
}

TEST_CASE("a plan over max_probes is an error at max_probes", "[plan]") {
  auto t = bc_test::ParseTargetsOrFail(std::string(kHead) + R"TOML(
[page.recentchanges]
strategy = "cartesian"
[page.recentchanges.axes]
limit = ["50", "100", "250", "500"]
days = ["1", "3", "7"]
)TOML");
  t.max_probes = 10;
  t.max_probes_where = "t.toml:3:14";
  auto plan = BuildPlan(t);
  REQUIRE_FALSE(plan.has_value());
  CHECK_THAT(plan.error().ToString(), Catch::StartsWith("t.toml:3:14: the plan has 24 probes, more than max_probes = 10"));
}

TEST_CASE("a URL list becomes probes; comments and blanks are skipped; bad lines name file:line", "[plan]") {
  auto probes = ProbesFromUrlList(
      "# pasted from T180000\n\nhttp://127.0.0.1:8102/index.php?title=Special:RecentChanges&damaging=likelybad%3Bverylikelybad\n"
      "  https://en.wikipedia.beta.wmcloud.org/w/index.php?title=Special%3AWatchlist  \n"
      "http://127.0.0.1:8102/index.php?title=Special:RecentChanges&damaging=likelybad%3Bverylikelybad\n",
      "urls.txt", PageKind::kRecentChanges, "CrawlerQA");
  REQUIRE(probes.has_value());
  REQUIRE(probes->size() == 3);
  CHECK(probes->capacity() == 3);  // sized once from the URL lines (a doubling vector: 4, and twice the memory at 200k)
  const Probe& p = (*probes)[0];
  CHECK(p.host == "127.0.0.1:8102");
  CHECK(p.params == Params{{"damaging", "likelybad;verylikelybad"}, {"title", "Special:RecentChanges"}});
  CHECK(p.expect_user == "CrawlerQA");
  CHECK((*probes)[1].host == "en.wikipedia.beta.wmcloud.org:443");
  CHECK((*probes)[0].id != (*probes)[2].id);  // the same URL twice: two probes, two ids

  auto bad = ProbesFromUrlList("http://127.0.0.1/\nftp://127.0.0.1/x\n", "urls.txt", PageKind::kApi);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().ToString() == "urls.txt:2:1: 'ftp://127.0.0.1/x' is not an http(s) URL");
}

// --- Issue 13: stable ids, ORES expectations, ORES API probes ----------------

TEST_CASE("a query's percent-encoding does not change its probe id", "[plan][ids]") {
  // libcurl 7.88 writes %3a, newer versions %3A; a pasted URL may not encode ':' at all.
  const std::string lower = "title=Special%3aRecentChanges&days=7";
  CHECK(CanonicalQuery(lower) == lower);
  CHECK(CanonicalQuery("title=Special%3ARecentChanges&days=7") == lower);
  CHECK(CanonicalQuery("title=Special:RecentChanges&days=7") == lower);
  CHECK(CanonicalQuery("title=Special%3ARecentChanges&d%61ys=7") == lower);  // an escaped unreserved byte
  CHECK(ProbeId("enwiki", PageKind::kRecentChanges, "title=Special%3ARecentChanges&days=7") ==
        ProbeId("enwiki", PageKind::kRecentChanges, lower));
  CHECK(ProbeId("enwiki", PageKind::kRecentChanges, "/index.php?title=Special:RecentChanges") ==
        ProbeId("enwiki", PageKind::kRecentChanges, "/index.php?title=Special%3ARecentChanges"));
  // Separators keep their meaning: an escaped '&' or '=' stays escaped; a space is '+'.
  CHECK(CanonicalQuery("a=x%26y%3Dz&b=c d%20e+f") == "a=x%26y%3dz&b=c+d+e+f");
  CHECK(CanonicalQuery("a=b=c") == "a=b%3dc");
  CHECK(CanonicalQuery("damaging=likelybad%3Bverylikelybad") == "damaging=likelybad%3bverylikelybad");
  CHECK(CanonicalQuery("x=%E2%80%94%zz") == "x=%e2%80%94%25zz");
}

TEST_CASE("the ids of a fixed plan are pinned", "[plan][ids]") {
  // Pinned from the plan as libcurl 7.88 (Debian 12) encoded it before the
  // query was canonicalised: canonicalising kept every id.
  const Targets t = bc_test::ParseTargetsOrFail(std::string(kHead) + R"TOML(
[page.recentchanges]
strategy = "cartesian"
[page.recentchanges.axes]
days = ["7"]
[page.recentchanges.ores]
damaging = ["", "likelybad;verylikelybad"]
[page.contributions]
strategy = "cartesian"
target_user = "Editor 1"
[page.contributions.ores]
hidenondamaging = ["", "1"]
)TOML");
  auto plan = BuildPlan(t);
  REQUIRE(plan);
  std::vector<std::string> got;
  for (const Probe& p : *plan) {
    got.push_back(p.wiki + " " + p.query + " " + p.id);
    CHECK(p.url.str().ends_with("?" + p.query));  // libcurl 7.88's own spelling is the canonical one
    // The same query as a newer libcurl spells it (%3A, %3B): the same id.
    std::string upper = p.query.str();
    for (size_t i = 0; i + 2 < upper.size(); ++i)
      if (upper[i] == '%') {
        upper[i + 1] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i + 1])));
        upper[i + 2] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i + 2])));
      }
    INFO(upper);
    CHECK(upper != p.query);
    CHECK(ProbeId(p.wiki, p.kind, upper) == p.id);
  }
  // FNV-1a 64 of (wiki, kind, query) as libcurl 7.88 spelled the query.
  const std::vector<std::string> want = {
      "enwiki days=7&title=Special%3aRecentChanges 571f72e5c6ae4b81",
      "enwiki damaging=likelybad%3bverylikelybad&days=7&title=Special%3aRecentChanges cbc99e103b7062e6",
      "enwiki target=Editor+1&title=Special%3aContributions 9a1e5debb5749a7f",
      "enwiki hidenondamaging=1&target=Editor+1&title=Special%3aContributions 4814eea9d18309a8",
      "dewiki days=7&title=Special%3aRecentChanges c84963989d523aed",
      "dewiki target=Editor+1&title=Special%3aContributions 8a39090ab2907de3",
  };
  CHECK(got == want);
}

TEST_CASE("Contributions probes asking for ORES expect ORES's control where damaging runs", "[plan][ores]") {
  const Targets t = bc_test::ParseTargetsOrFail(std::string(kHead) + R"TOML(
[page.contributions]
strategy = "cartesian"
target_user = "Editor1"
[page.contributions.axes]
limit = ["", "20"]
[page.contributions.ores]
hidenondamaging = ["", "1"]
)TOML");
  auto plan = BuildPlan(t);
  REQUIRE(plan);
  size_t expecting = 0;
  for (const Probe& p : *plan) {
    const bool ores_param = std::find(p.params.begin(), p.params.end(), std::pair<std::string, std::string>{
                                                                              "hidenondamaging", "1"}) != p.params.end();
    INFO(p.wiki << " " << p.query);
    CHECK(p.expect_ores == (p.wiki == "enwiki" && ores_param));
    expecting += p.expect_ores ? 1 : 0;
  }
  CHECK(expecting == 2);  // enwiki x limit {"", 20} x hidenondamaging=1
}

TEST_CASE("ORES API probes are planned where the wiki's API says ORES runs, unless switched off", "[plan][ores]") {
  const std::string pages = R"TOML(
[page.recentchanges]
[page.watchlist]
[page.contributions]
target_user = "Editor1"
)TOML";
  Targets t = bc_test::ParseTargetsOrFail(std::string(kHead) + pages);
  auto api_probes = [](const std::vector<Probe>& plan) {
    std::vector<std::string> out;
    for (const Probe& p : plan)
      if (p.kind == PageKind::kApi) out.push_back(p.wiki + " " + p.query);
    return out;
  };
  // Offline (the file's ores_models only): no API probes.
  CHECK(api_probes(*BuildPlan(t)).empty());
  t.wikis[0].ores_from_facts = true;  // enwiki's meta=ores answered with its models
  auto plan = BuildPlan(t);
  REQUIRE(plan);
  const auto api = api_probes(*plan);
  REQUIRE(api.size() == 3);
  CHECK(api[0] ==
        "enwiki action=query&assert=user&format=json&formatversion=2&list=recentchanges&rclimit=50&"
        "rcprop=ids%7ctitle%7ctimestamp%7coresscores&rcshow=oresreview");
  CHECK(api[1].find("list=watchlist") != std::string::npos);
  CHECK(api[1].find("wlshow=oresreview") != std::string::npos);
  CHECK(api[2].find("list=usercontribs") != std::string::npos);
  CHECK(api[2].find("ucuser=Editor1") != std::string::npos);
  CHECK(api[2].find("ucprop=ids%7ctitle%7ctimestamp%7coresscores") != std::string::npos);
  for (const Probe& p : *plan)
    if (p.kind == PageKind::kApi) {
      CHECK(p.expect_ores);
      CHECK(p.url.str().find("/api.php?") != std::string::npos);
    }
  t.crawl.ores_api_probes = false;
  CHECK(api_probes(*BuildPlan(t)).empty());
}
