// PlanScope: the filters of a run as one canonical line (RunInfo::scope), so
// the same filters given in another order find each other as baselines.
#include <catch2/catch.hpp>

#include "cli/options.h"

#include <algorithm>
#include <string>
#include <vector>

using namespace bc;

TEST_CASE("a run's scope is its filters in a canonical order, empty for the whole plan", "[cli][scope]") {
  PlanOptions whole;
  whole.targets = "targets/local.toml";
  CHECK(PlanScope(whole).empty());

  PlanOptions a = whole, b = whole;
  a.wikis = {"ruwiki", "enwiki"};
  a.kinds = {"watchlist"};
  a.shard = "1/4";
  b.shard = "1/4";
  b.kinds = {"watchlist"};
  b.wikis = {"enwiki", "ruwiki", "enwiki"};
  CHECK(PlanScope(a) == "--wiki enwiki --wiki ruwiki --kind watchlist --shard 1/4");
  CHECK(PlanScope(a) == PlanScope(b));

  PlanOptions c = whole;
  c.params = {"damaging=likelybad"};
  CHECK(PlanScope(c) == "--param damaging=likelybad");
  CHECK(PlanScope(c) != PlanScope(a));
}

TEST_CASE("the --shard option is I/N with 0 <= I < N, checked by CLI11 before any plan is built", "[cli][shard]") {
  CHECK(ParseShard("0/4") == std::pair<size_t, size_t>{0, 4});
  CHECK(ParseShard("3/4") == std::pair<size_t, size_t>{3, 4});
  for (const char* bad : {"4/4", "1/0", "1", "1/", "/4", "-1/4", "1/4x", "a/b", " 1/4", "1//4", ""}) {
    INFO(bad);
    CHECK_FALSE(ParseShard(bad));
  }
  auto parse = [](std::vector<std::string> argv) {
    CLI::App app;
    PlanOptions opts;
    AddPlanOptions(app, opts, /*targets_required=*/false);
    std::reverse(argv.begin(), argv.end());  // CLI11 takes them last first
    try {
      app.parse(argv);
      return std::string("ok ") + opts.shard;
    } catch (const CLI::ParseError& e) {
      return std::string(e.what());
    }
  };
  CHECK(parse({"--shard", "1/3"}) == "ok 1/3");
  CHECK_THAT(parse({"--shard", "3/3"}), Catch::Contains("0 <= I < N"));
  CHECK_THAT(parse({"--shard", "1/3/5"}), Catch::Contains("0 <= I < N"));
}
