// core/url.h: the one URL parser (libcurl's URL API) every module uses.
#include <catch2/catch.hpp>

#include "core/url.h"

namespace bc {
namespace {

TEST_CASE("a URL parses into its parts, the scheme's default port filled in", "[url]") {
  auto u = Url::Parse("https://Fr.Wikipedia.beta.test/w/index.php?title=Special:RecentChanges&days=1");
  REQUIRE(u.has_value());
  CHECK(u->Scheme() == "https");
  CHECK(u->Host() == "Fr.Wikipedia.beta.test");
  CHECK(u->Port() == "443");
  CHECK(u->HostPort() == "Fr.Wikipedia.beta.test:443");
  CHECK(u->Path() == "/w/index.php");
  CHECK(u->Query() == "title=Special:RecentChanges&days=1");
  CHECK(u->Origin() == "https://fr.wikipedia.beta.test:443");
  CHECK_FALSE(u->HasUserOrPassword());
  auto local = Url::Parse("http://127.0.0.1:8101");
  REQUIRE(local.has_value());
  CHECK(local->Path() == "/");
  CHECK(local->Query().empty());
  CHECK(local->HostPort() == "127.0.0.1:8101");
  CHECK(Url::Parse("http://[::1]:8080/x")->HostPort() == "[::1]:8080");
}

TEST_CASE("a string that is not a URL is an error naming libcurl's reason", "[url]") {
  for (const char* bad : {"", "no scheme here", "http://", "http://exa mple.org/"}) {
    auto u = Url::Parse(bad);
    REQUIRE_FALSE(u.has_value());
    CHECK(u.error().code == Error::Code::kUsage);
    CHECK_THAT(u.error().message, Catch::StartsWith("not a URL ("));
  }
}

TEST_CASE("a reference resolves against its base; user and password are seen", "[url]") {
  auto base = Url::Parse("http://127.0.0.1:8101/w/index.php?title=A");
  REQUIRE(base.has_value());
  CHECK(base->Resolve("/wiki/B")->Text() == "http://127.0.0.1:8101/wiki/B");
  CHECK(base->Resolve("api.php?x=1")->Text() == "http://127.0.0.1:8101/w/api.php?x=1");
  CHECK(base->Resolve("https://other.test/")->Origin() == "https://other.test:443");
  CHECK(base->Text() == "http://127.0.0.1:8101/w/index.php?title=A");  // the base is unchanged
  CHECK(base->Resolve("http://u:p@127.0.0.1/")->HasUserOrPassword());
}

TEST_CASE("query parameters are appended URL-encoded", "[url]") {
  auto u = Url::Parse("http://127.0.0.1:8101/w/index.php");
  REQUIRE(u.has_value());
  REQUIRE(u->AppendQuery("title=Special:RecentChanges").has_value());
  REQUIRE(u->AppendQuery("tags=a b&c").has_value());
  // libcurl 7.88 writes %3a, newer ones %3A.
  CHECK_THAT(u->Query(), Catch::Equals("title=Special%3ARecentChanges&tags=a+b%26c", Catch::CaseSensitive::No));
}

}  // namespace
}  // namespace bc
