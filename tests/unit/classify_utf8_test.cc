// Utf8Repair: invalid UTF-8 becomes U+FFFD, valid text passes unchanged, and
// the chunking never matters. Then the classifier end to end: one stray byte
// before MediaWiki's error box must not turn its text into mojibake.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "classify/classifier.h"
#include "core/utf8.h"

using namespace bc;

namespace {
std::string Repair(std::string_view in, size_t chunk) {
  Utf8Repair r;
  std::string out;
  const auto emit = [&](std::string_view piece) { out += piece; };
  for (size_t at = 0; at < in.size(); at += chunk) r.Feed(in.substr(at, chunk), emit);
  r.Finish(emit);
  return out;
}
const std::string R(kUtf8Replacement);
}  // namespace

TEST_CASE("Utf8Repair keeps valid text and replaces every invalid byte", "[classify][utf8]") {
  const std::string valid = "ascii résultat — Служебная 𝄞 end";
  CHECK(Repair(valid, valid.size()) == valid);
  CHECK(Repair("a\xff" "b", 3) == "a" + R + "b");
  CHECK(Repair("\xc3(", 2) == R + "(");                       // lead without continuation
  CHECK(Repair("\xe0\x80\x80", 3) == R + R + R);               // overlong
  CHECK(Repair("\xed\xa0\x80", 3) == R + R + R);               // surrogate
  CHECK(Repair("\xf4\x90\x80\x80", 4) == R + R + R + R);       // above U+10FFFF
  CHECK(Repair("end \xe2\x80", 10) == "end " + R);             // unfinished at the end
  CHECK(Repair("\x80\xbf", 2) == R + R);                       // stray continuations
}

TEST_CASE("Utf8Repair gives the same bytes for any chunking", "[classify][utf8]") {
  std::mt19937 rng(20261127);
  const std::string pieces[] = {"a", "é", "—", "𝄞", "\xff", "\xc3", "\xe2\x80", "\x80", "\xf0\x9d", "<p>"};
  for (int round = 0; round < 300; ++round) {
    std::string in;
    for (int i = 0; i < 40; ++i) in += pieces[rng() % std::size(pieces)];
    const std::string whole = Repair(in, in.size());
    for (size_t chunk : {1u, 2u, 3u, 5u, 7u}) {
      INFO("round " << round << " chunk " << chunk);
      CHECK(Repair(in, chunk) == whole);
    }
  }
}

TEST_CASE("one invalid byte before the error box leaves its text readable", "[classify][utf8]") {
  const std::string body =
      "<!DOCTYPE html><html><head><title>x</title></head><body><p>bad \xff byte</p>"
      "<div class=\"mw-message-box-error mw-message-box\"><p>[abc] Fatal exception of type "
      "\"RuntimeException\": r\xc3\xa9sultat \xe2\x80\x94 fin</p></div></body></html>\n";
  for (size_t chunk : {body.size(), size_t{1}, size_t{7}}) {
    Expectations e;
    e.kind = PageKind::kRecentChanges;
    PageClassifier c(e);
    c.SetStatus(500);
    c.AddHeader("Content-Type", "text/html; charset=UTF-8");
    for (size_t at = 0; at < body.size(); at += chunk) c.Feed(std::string_view(body).substr(at, chunk));
    const Classification got = c.Finish();
    INFO("chunk " << chunk);
    CHECK(got.verdict == Verdict::kException);
    CHECK_THAT(got.evidence.excerpt, Catch::Contains("résultat — fin"));
  }
}
