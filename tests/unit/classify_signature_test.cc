// NormalizeSignature / SafeExcerpt: the grouping key and the excerpt rules.
#include <catch2/catch.hpp>

#include "classify/signature.h"

TEST_CASE("signature drops request ids, numbers, hex ids and titles", "[classify][signature]") {
  CHECK(bc::NormalizeSignature("RuntimeException",
                               "[1606a827ab34cd] Threshold for \"Main Page\" rev 12345 hash 9f3ab2c4d5e6 is null") ==
        "RuntimeException: Threshold for \"<title>\" rev <n> hash <hex> is null");
}

TEST_CASE("the same exception on two wikis and two pages gives one signature", "[classify][signature]") {
  const std::string a = bc::NormalizeSignature("RuntimeException", "No threshold on page Foo_123 (rev 17)");
  const std::string b = bc::NormalizeSignature("RuntimeException", "No threshold on page Talk:Bar (rev 9001)");
  CHECK(a == b);
  CHECK(a == "RuntimeException: No threshold on page <title> (rev <n>)");
}

TEST_CASE("different exception classes give different signatures", "[classify][signature]") {
  CHECK(bc::NormalizeSignature("RuntimeException", "x") != bc::NormalizeSignature("LogicException", "x"));
}

TEST_CASE("a class without a message is its own signature", "[classify][signature]") {
  CHECK(bc::NormalizeSignature("Wikimedia\\Rdbms\\DBQueryError", "") == "Wikimedia\\Rdbms\\DBQueryError");
}

TEST_CASE("guillemet-quoted titles are stripped like double-quoted ones", "[classify][signature]") {
  CHECK(bc::NormalizeSignature("", "page « Page d'accueil » missing") == "page \"<title>\" missing");
}

TEST_CASE("urls and whitespace runs are normalised", "[classify][signature]") {
  CHECK(bc::NormalizeSignature("E", "see  https://x.example/a?b=1\n\n  now") == "E: see <url> now");
}

TEST_CASE("decimal numbers are numbers even when long", "[classify][signature]") {
  CHECK(bc::NormalizeSignature("", "Allowed memory size of 16777216 bytes") == "Allowed memory size of <n> bytes");
}

TEST_CASE("signatures are capped at 200 bytes on a character boundary", "[classify][signature]") {
  std::string msg;
  for (int i = 0; i < 300; ++i) msg += "é";
  const std::string sig = bc::NormalizeSignature("", msg);
  CHECK(sig.size() <= 200);
  CHECK(sig.size() % 2 == 0);  // never half of a two-byte character
}

TEST_CASE("excerpts are valid UTF-8 and at most 300 bytes", "[classify][signature]") {
  const std::string bad = std::string("ok \xff\xfe bad \xc3") + std::string(1000, 'x');
  const std::string ex = bc::SafeExcerpt(bad);
  CHECK(ex.size() <= 300);
  CHECK(ex.find('\xff') == std::string::npos);
  CHECK(ex.starts_with("ok \xEF\xBF\xBD\xEF\xBF\xBD bad"));
}

TEST_CASE("excerpts collapse newlines and tabs to single spaces", "[classify][signature]") {
  CHECK(bc::SafeExcerpt("a\n\n\tb  c") == "a b c");
}

TEST_CASE("basic entities and numeric references are decoded", "[classify][signature]") {
  CHECK(bc::DecodeBasicEntities("&quot;RuntimeException&quot; &amp; &#39;x&#x27; &bogus;") ==
        "\"RuntimeException\" & 'x' &bogus;");
}
