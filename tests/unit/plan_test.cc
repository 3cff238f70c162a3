#include <catch2/catch.hpp>
#include <set>

#include "config/targets.h"
#include "plan/combinations.h"
#include "plan/plan.h"
#include "plan/url_list.h"

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

Targets Parse(const std::string& text) {
  auto t = ParseTargets(text, "t.toml");
  if (!t) FAIL(t.error().ToString());
  return *t;
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
  auto a = Parse(std::string(kHead) + R"TOML(
[page.recentchanges]
strategy = "cartesian"
[page.recentchanges.axes]
limit = ["50", "500"]
days = ["1", "30"]
highlight = ["", { damaging__likelybad_color = "c4", damaging__verylikelybad_color = "c5" }]
)TOML");
  auto b = Parse(std::string(kHead) + R"TOML(
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
  for (auto& p : *pa) ids_a.insert(p.id);
  for (auto& p : *pb) ids_b.insert(p.id);
  CHECK(ids_a.size() == 16);
  CHECK(ids_a == ids_b);
  // Canonical query: sorted keys, percent-encoded.
  CHECK((*pa)[0].query == "days=1&limit=50&title=Special%3aRecentChanges");
  CHECK((*pa)[0].url == "http://127.0.0.1:8101/index.php?days=1&limit=50&title=Special%3aRecentChanges");
  CHECK((*pa)[0].host == "127.0.0.1:8101");
  CHECK((*pa)[8].url.starts_with("https://de.wikipedia.beta.wmcloud.org/w/index.php?"));
  CHECK((*pa)[8].host == "de.wikipedia.beta.wmcloud.org:443");
  CHECK(ProbeId("enwiki", PageKind::kRecentChanges, "a=1") != ProbeId("enwiki", PageKind::kWatchlist, "a=1"));
  CHECK(ProbeId("enwiki", PageKind::kRecentChanges, "a=1") == ProbeId("enwiki", PageKind::kRecentChanges, "a=1"));
}

TEST_CASE("ORES axes and filter-group expectations apply only where the wiki runs the model", "[plan]") {
  auto t = Parse(std::string(kHead) + R"TOML(
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
  auto t = Parse(std::string(kHead) + R"TOML(
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
  auto t = Parse(std::string(kHead) + R"TOML(
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
    for (auto& p : *shard) all.insert(p.id);
  }
  std::multiset<std::string> expected;
  for (auto& p : *whole) expected.insert(p.id);
  CHECK(all == expected);
}

TEST_CASE("filters keep only the named wikis, kinds and parameters", "[plan]") {
  auto t = Parse(std::string(kHead) + R"TOML(
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
  auto t = Parse(std::string(kHead) + R"TOML(
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
