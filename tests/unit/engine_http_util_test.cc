#include <catch2/catch.hpp>

#include "engine/http_util.h"

namespace bc {
namespace {

// Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example date).
constexpr std::time_t kExampleDate = 784111777;

TEST_CASE("Retry-After in seconds is read as a delay", "[engine][http]") {
  CHECK(ParseRetryAfter("120", kExampleDate) == std::chrono::seconds(120));
  CHECK(ParseRetryAfter(" 3 ", kExampleDate) == std::chrono::seconds(3));
  CHECK(ParseRetryAfter("0", kExampleDate) == std::chrono::seconds(0));
}

TEST_CASE("Retry-After as an HTTP-date is relative to now", "[engine][http]") {
  CHECK(ParseRetryAfter("Sun, 06 Nov 1994 08:50:07 GMT", kExampleDate) == std::chrono::seconds(30));
  // A date in the past means "now", not a negative delay.
  CHECK(ParseRetryAfter("Sun, 06 Nov 1994 08:00:00 GMT", kExampleDate) == std::chrono::seconds(0));
}

TEST_CASE("Retry-After that is neither a number nor a date is ignored", "[engine][http]") {
  CHECK_FALSE(ParseRetryAfter("soon", kExampleDate).has_value());
  CHECK_FALSE(ParseRetryAfter("", kExampleDate).has_value());
  CHECK_FALSE(ParseRetryAfter("-5", kExampleDate).has_value());
}

TEST_CASE("a relative Location resolves against the URL it came from", "[engine][http]") {
  CHECK(ResolveLocation("http://w.local:8080/w/index.php?title=Special:RecentChanges",
                        "/wiki/Sp%C3%A9cial:Modifications_r%C3%A9centes") ==
        std::string("http://w.local:8080/wiki/Sp%C3%A9cial:Modifications_r%C3%A9centes"));
  CHECK(ResolveLocation("https://a.local/w/index.php", "other.php?x=1") ==
        std::string("https://a.local/w/other.php?x=1"));
  CHECK(ResolveLocation("https://a.local/x", "https://b.local/y") == std::string("https://b.local/y"));
  CHECK_FALSE(ResolveLocation("https://a.local/x", "ftp://b.local/y").has_value());
  // user:password@ in a Location: libcurl would send Authorization we never configured.
  CHECK_FALSE(ResolveLocation("http://a.local/x", "http://evil@a.local/y").has_value());
  CHECK_FALSE(ResolveLocation("http://a.local/x", "http://u:p@a.local/y").has_value());
}

TEST_CASE("same origin means same scheme, host and port", "[engine][http]") {
  CHECK(SameOrigin("https://A.local/x", "https://a.local:443/y"));
  CHECK(SameOrigin("http://127.0.0.1:8080/a", "http://127.0.0.1:8080/b?c"));
  CHECK_FALSE(SameOrigin("http://127.0.0.1:8080/a", "http://127.0.0.1:8081/a"));
  CHECK_FALSE(SameOrigin("http://a.local/a", "https://a.local/a"));
  CHECK_FALSE(SameOrigin("http://a.local/a", "http://b.local/a"));
  CHECK_FALSE(SameOrigin("not a url", "not a url"));
  CHECK(OriginOf("http://a.local/x") == "http://a.local:80");
}

TEST_CASE("an https upgrade is http to https on the same host, never back", "[engine][http]") {
  CHECK(HttpsUpgrade("http://A.local/x", "https://a.local/x"));
  CHECK(HttpsUpgrade("http://en.wikipedia.beta.test:8380/w", "https://en.wikipedia.beta.test:8343/w"));
  CHECK_FALSE(HttpsUpgrade("https://a.local/x", "http://a.local/x"));
  CHECK_FALSE(HttpsUpgrade("http://a.local/x", "https://b.local/x"));
  CHECK_FALSE(HttpsUpgrade("http://a.local/x", "https://a.local.evil/x"));
  CHECK_FALSE(HttpsUpgrade("http://a.local/x", "http://a.local:8080/x"));
}

}  // namespace
}  // namespace bc
