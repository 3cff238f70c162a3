// PlanScope: the filters of a run as one canonical line (RunInfo::scope), so
// the same filters given in another order find each other as baselines.
#include <catch2/catch.hpp>

#include "cli/options.h"

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
  CHECK(PlanScope(a) == "--wiki enwiki --wiki ruwiki --page watchlist --shard 1/4");
  CHECK(PlanScope(a) == PlanScope(b));

  PlanOptions c = whole;
  c.params = {"damaging=likelybad"};
  CHECK(PlanScope(c) == "--param damaging=likelybad");
  CHECK(PlanScope(c) != PlanScope(a));
}
