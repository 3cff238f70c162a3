// Trust boundaries (issue 15): which origins a discovered wiki may have, the
// identity checks a discovered wiki shares with a [[wiki]] entry, and where a
// password may be sent.
#include <catch2/catch.hpp>

#include <string>

#include "config/targets.h"
#include "config/wiki_checks.h"
#include "mediawiki/discovery.h"

namespace bc {
namespace {

Discovery WithSiteMatrix(std::string url, std::vector<std::string> allow = {}) {
  Discovery d;
  d.sitematrix = std::move(url);
  d.allow_hosts = std::move(allow);
  return d;
}

MatrixSite Site(std::string dbname) {
  MatrixSite s;
  s.dbname = std::move(dbname);
  return s;
}

std::string Problem(const Discovery& d, const std::string& url, bool logs_in = false, const std::string& db = "xwiki") {
  return DiscoveredSiteProblem(MakeOriginAllowlist(d), Site(db), url, logs_in);
}

TEST_CASE("by default a discovered wiki must be under the SiteMatrix host's parent domain, on its scheme and port",
          "[trust][discovery]") {
  const Discovery d = WithSiteMatrix("https://meta.wikimedia.beta.wmcloud.org/w/api.php");
  CHECK(MakeOriginAllowlist(d).Describe() ==
        "meta.wikimedia.beta.wmcloud.org:443, wikimedia.beta.wmcloud.org:443, *.wikimedia.beta.wmcloud.org:443");
  CHECK(Problem(d, "https://commons.wikimedia.beta.wmcloud.org") == "");
  CHECK(Problem(d, "https://wikimedia.beta.wmcloud.org") == "");
  CHECK_THAT(Problem(d, "https://en.wikipedia.beta.wmcloud.org"), Catch::Contains("outside [discovery] allow_hosts"));
  CHECK_THAT(Problem(d, "https://evil.example"), Catch::Contains("evil.example:443 is outside"));
  CHECK_THAT(Problem(d, "https://commons.wikimedia.beta.wmcloud.org:8443"), Catch::Contains("outside"));
  CHECK_THAT(Problem(d, "https://wikimedia.beta.wmcloud.org.evil.example"), Catch::Contains("outside"));
  // http on port 443 is allowed by origin, but SiteMatrix was https: never downgraded.
  CHECK(Problem(d, "http://commons.wikimedia.beta.wmcloud.org:443") ==
        "plain http although SiteMatrix was read over https");
}

TEST_CASE("an address or a two-label SiteMatrix host allows only itself", "[trust][discovery]") {
  CHECK(MakeOriginAllowlist(WithSiteMatrix("http://127.0.0.1:8101/api.php")).Describe() == "127.0.0.1:8101");
  CHECK(MakeOriginAllowlist(WithSiteMatrix("https://wikipedia.org/w/api.php")).Describe() == "wikipedia.org:443");
  const Discovery d = WithSiteMatrix("http://127.0.0.1:8101/api.php");
  CHECK(Problem(d, "http://127.0.0.1:8101") == "");
  CHECK_THAT(Problem(d, "http://127.0.0.1:8102"), Catch::Contains("127.0.0.1:8102 is outside"));
  CHECK_THAT(Problem(d, "http://localhost:8101"), Catch::Contains("localhost:8101 is outside"));
}

TEST_CASE("allow_hosts globs name hosts, with the SiteMatrix port unless they give one", "[trust][discovery]") {
  const Discovery d = WithSiteMatrix("https://meta.wikimedia.beta.wmcloud.org/w/api.php", {"*.beta.wmcloud.org", "Beta.Test:*"});
  CHECK(Problem(d, "https://en.wikipedia.beta.wmcloud.org") == "");
  CHECK(Problem(d, "https://beta.test:8443") == "");
  CHECK_THAT(Problem(d, "https://en.wikipedia.beta.wmcloud.org:8443"), Catch::Contains("outside"));
  const Discovery local = WithSiteMatrix("http://127.0.0.1:8101/api.php", {"127.0.0.1:810?"});
  CHECK(Problem(local, "http://127.0.0.1:8103") == "");
  CHECK_THAT(Problem(local, "http://127.0.0.1:8110"), Catch::Contains("outside"));
}

TEST_CASE("a discovered wiki gets the dbname and URL checks of a [[wiki]] entry", "[trust][discovery]") {
  const Discovery d = WithSiteMatrix("http://127.0.0.1:8101/api.php");
  CHECK_THAT(Problem(d, "http://127.0.0.1:8101", false, "Bad Name\"<x>"), Catch::Contains("must be lower-case"));
  CHECK_THAT(Problem(d, "http://127.0.0.1:8101/w"), Catch::Contains("has a path"));
  CHECK_THAT(Problem(d, "http://127.0.0.1:8101?x=1"), Catch::Contains("has a query"));
  CHECK_THAT(Problem(d, "http://127.0.0.1:8101#f"), Catch::Contains("has a fragment"));
  CHECK_THAT(Problem(d, "http://evil@127.0.0.1:8101"), Catch::Contains("user name or password"));
}

TEST_CASE("a password goes over https, or plain http only to loopback", "[trust]") {
  CHECK(PlainHttpLoginProblem("https://en.wikipedia.beta.wmcloud.org") == "");
  CHECK(PlainHttpLoginProblem("http://127.0.0.1:8101") == "");
  CHECK(PlainHttpLoginProblem("http://127.9.8.7") == "");
  CHECK(PlainHttpLoginProblem("http://localhost:8080") == "");
  CHECK(PlainHttpLoginProblem("http://[::1]:8080") == "");
  CHECK_THAT(PlainHttpLoginProblem("http://en.wikipedia.beta.wmcloud.org"), Catch::Contains("plain http"));
  CHECK_THAT(PlainHttpLoginProblem("http://127.0.0.1.evil.example"), Catch::Contains("plain http"));
  CHECK_THAT(PlainHttpLoginProblem("http://10.0.0.1"), Catch::Contains("plain http"));
  // A discovered wiki that would log in over plain http is refused too.
  const Discovery d = WithSiteMatrix("http://meta.beta.test/api.php");
  CHECK(Problem(d, "http://en.beta.test", false) == "");
  CHECK_THAT(Problem(d, "http://en.beta.test", true), Catch::Contains("plain http"));
}

TEST_CASE("script_path and user_agent checks", "[trust][config]") {
  CHECK(ScriptPathProblem("") == "");
  CHECK(ScriptPathProblem("/w") == "");
  CHECK(ScriptPathProblem("/f/ok") == "");
  CHECK(ScriptPathProblem("/wiki/%7Euser") == "");
  CHECK_THAT(ScriptPathProblem("/w/../x"), Catch::Contains("'..' segment"));
  CHECK_THAT(ScriptPathProblem("/w/./x"), Catch::Contains("'.' segment"));
  CHECK_THAT(ScriptPathProblem("/w/%2e%2E"), Catch::Contains("'..' segment"));
  CHECK_THAT(ScriptPathProblem("//evil/w"), Catch::Contains("empty segment"));
  CHECK_THAT(ScriptPathProblem("/w#x"), Catch::Contains("not a path character"));
  CHECK_THAT(ScriptPathProblem("/w x"), Catch::Contains("not a path character"));
  CHECK_THAT(ScriptPathProblem("/w%zz"), Catch::Contains("not %XX"));
  CHECK(UserAgentProblem("beta-crawler/1 (qa@example.org)") == "");
  CHECK_THAT(UserAgentProblem("x\r\nX-Injected: 1"), Catch::Contains("control character"));
  CHECK_THAT(UserAgentProblem(std::string("x\0y", 3)), Catch::Contains("byte 0x00"));
  CHECK(HostGlobProblem("*.beta.wmcloud.org") == "");
  CHECK_THAT(HostGlobProblem("https://x/"), Catch::Contains("host or host:port glob"));
}

}  // namespace
}  // namespace bc
