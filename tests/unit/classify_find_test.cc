// FastFind (SIMD candidate filter + memcmp, memmem for the tail) must agree
// with std::string_view::find on every input, at every start offset.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "classify/find.h"

using bc::FastFind;

TEST_CASE("FastFind agrees with string_view::find", "[classify][find]") {
  std::mt19937 rng(1127);
  const std::string alphabet = " onlie<b>\n";  // the needles' own bytes: many near misses
  const std::string needles[] = {" on line ", "</html>", "on", "abc", "<b>Warning</b>:", " o", "e  e"};
  for (int round = 0; round < 400; ++round) {
    std::string hay(rng() % 200, ' ');
    for (char& c : hay) c = alphabet[rng() % alphabet.size()];
    for (const std::string& needle : needles) {
      if (rng() % 3 == 0 && hay.size() > needle.size())  // plant a match somewhere
        hay.replace(rng() % (hay.size() - needle.size()), needle.size(), needle);
      for (size_t from = 0; from <= hay.size() + 1; from += 1 + rng() % 7) {
        INFO("round " << round << " needle '" << needle << "' from " << from << " hay '" << hay << "'");
        CHECK(FastFind(hay, needle, from) == std::string_view(hay).find(needle, from));
      }
    }
  }
  const std::string big = std::string(100000, 'x') + " on line " + std::string(33, 'y');
  CHECK(FastFind(big, " on line ") == 100000);
  CHECK(FastFind(big, " on line ", 100001) == std::string_view::npos);
  CHECK(FastFind(std::string(64, 'x') + " on line", " on line ") == std::string_view::npos);
}
