// core/plural.h: the one "N thing(s)" helper every user-visible count uses.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "core/plural.h"
#include "report/grouping.h"
#include "report/run_diff.h"

namespace bc {
namespace {

TEST_CASE("Plural: 0 and 2 take the plural, 1 the singular", "[plural]") {
  CHECK(Plural(0, "probe") == "0 probes");
  CHECK(Plural(1, "probe") == "1 probe");
  CHECK(Plural(2, "probe") == "2 probes");
  CHECK(Plural(size_t{1}, "wiki") == "1 wiki");
  CHECK(Plural(int64_t{0}, "wiki") == "0 wikis");
  CHECK(Plural(-1, "wiki") == "-1 wikis");
}

TEST_CASE("Plural: only the last word is inflected, by the regular English rules", "[plural]") {
  CHECK(Plural(2, "page kind") == "2 page kinds");
  CHECK(Plural(1, "other wiki") == "1 other wiki");
  CHECK(Plural(3, "other wiki") == "3 other wikis");
  CHECK(Plural(1, "fetch") == "1 fetch");
  CHECK(Plural(2, "fetch") == "2 fetches");
  CHECK(Plural(0, "re-fetch") == "0 re-fetches");
  CHECK(Plural(2, "entry") == "2 entries");
  CHECK(Plural(2, "key") == "2 keys");  // vowel + y: just +s
  CHECK(Plural(2, "class") == "2 classes");
  CHECK(PluralNoun(1, "probe") == "probe");
  CHECK(PluralNoun(5, "probe") == "probes");
}

TEST_CASE("Plural: the counts users read say 1 thing, not 1 things", "[plural]") {
  RunDiff diff;
  diff.new_failures.push_back({});
  diff.new_probes.push_back({});
  CHECK(FormatRunDiff(diff, "A", "B").starts_with("A -> B: 1 new failure, 0 fixed, 0 still failing, 0 unjudged, 1 new probe, 0 gone"));
  diff.new_failures.push_back({});
  CHECK(FormatRunDiff(diff, "A", "B").starts_with("A -> B: 2 new failures,"));

  FailureGroup g;
  g.members = {0};
  g.fetches = 2;
  g.failed_fetches = 2;
  CHECK(DescribeConfirmation(g) == "reproduced on 2 of 2 fetches");
}

}  // namespace
}  // namespace bc
