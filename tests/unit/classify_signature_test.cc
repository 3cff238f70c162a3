// NormalizeSignature / SafeExcerpt: the grouping key and the excerpt rules.
#include <catch2/catch.hpp>

#include "classify/signature.h"
#include "core/utf8.h"

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

// --- Grouping across languages (issue 13.2) --------------------------------

TEST_CASE("quoted titles in every language's quotes give one signature", "[classify][signature][i18n]") {
  const std::string want = "RuntimeException: Cannot build ORES filters for \"<title>\": threshold for 'maybebad' is null";
  for (const char* msg : {
           "Cannot build ORES filters for \"Special:RecentChanges\": threshold for 'maybebad' is null",
           "Cannot build ORES filters for 'Special:RecentChanges': threshold for 'maybebad' is null",
           "Cannot build ORES filters for «Служебная:Свежие правки»: threshold for 'maybebad' is null",
           "Cannot build ORES filters for « Spécial:Modifications récentes »: threshold for 'maybebad' is null",
           "Cannot build ORES filters for «\u00a0Accueil\u00a0»: threshold for 'maybebad' is null",
           "Cannot build ORES filters for „Spezial:Letzte Änderungen“: threshold for 'maybebad' is null",
           "Cannot build ORES filters for „Specjalna:Ostatnie zmiany”: threshold for 'maybebad' is null",
           "Cannot build ORES filters for 「特別:最近の更新」: threshold for 'maybebad' is null",
           "Cannot build ORES filters for “Main Page”: threshold for 'maybebad' is null",
       }) {
    INFO(msg);
    CHECK(bc::NormalizeSignature("RuntimeException", msg) == want);
  }
}

TEST_CASE("unquoted titles in any script are titles; code names in quotes are kept", "[classify][signature][i18n]") {
  CHECK(bc::NormalizeSignature("E", "page Служебная:Свежие_правки failed") == "E: page <title> failed");
  CHECK(bc::NormalizeSignature("E", "page Spécial:Modifications failed") == "E: page <title> failed");
  CHECK(bc::NormalizeSignature("E", "page 特別:最近の更新 failed") == "E: page <title> failed");
  CHECK(bc::NormalizeSignature("E", "page Заглавная_страница failed") == "E: page <title> failed");
  // Not titles: a static call, a label, a class in quotes, an apostrophe.
  CHECK(bc::NormalizeSignature("E", "Foo::bar() failed: l'accueil") == "E: Foo::bar() failed: l'accueil");
  CHECK(bc::NormalizeSignature("", "type \"RuntimeException\" for \"Main Page\"") ==
        "type \"RuntimeException\" for \"<title>\"");
  CHECK(bc::NormalizeSignature("", "class 'Wikimedia\\Rdbms\\DBQueryError' not found") ==
        "class 'Wikimedia\\Rdbms\\DBQueryError' not found");
}

TEST_CASE("signatures and excerpts never cut a character and are always valid UTF-8", "[classify][signature][i18n]") {
  for (const std::string unit : {"é", "ж", "特", "𝄞"}) {
    std::string msg;
    for (int i = 0; i < 400; ++i) msg += unit;
    for (size_t cap : {size_t{1}, size_t{2}, size_t{3}, size_t{299}, size_t{300}}) {
      const std::string ex = bc::SafeExcerpt(msg, cap);
      INFO(unit << " cap " << cap);
      CHECK(ex.size() <= cap);
      CHECK(ex.size() % unit.size() == 0);
      CHECK(bc::IsValidUtf8(ex));
    }
    const std::string sig = bc::NormalizeSignature("RuntimeException", msg);
    CHECK(bc::IsValidUtf8(sig));
    CHECK(sig.size() <= 200);
  }
  // Bytes that are not UTF-8, and truncated sequences, come out valid.
  const std::string junk = "«\xd0 \xe7\x89 \xf0\x9d\x84 \xff\xc3»";
  CHECK(bc::IsValidUtf8(bc::NormalizeSignature("E", junk)));
  CHECK(bc::IsValidUtf8(bc::SafeExcerpt(junk)));
}
