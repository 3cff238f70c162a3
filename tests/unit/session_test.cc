// The API answers below have the shapes MediaWiki 1.39 returned on the local
// farm (tokens replaced by made-up values).
#include <catch2/catch.hpp>

#include "cli/crawl.h"
#include "mediawiki/session.h"

using namespace bc;

TEST_CASE("the login token is read from meta=tokens", "[session]") {
  auto t = ParseLoginToken(R"({"batchcomplete":"","query":{"tokens":{"logintoken":"0123abcd4567ef+\\"}}})");
  REQUIRE(t.has_value());
  CHECK(*t == "0123abcd4567ef+\\");
}

TEST_CASE("a token answer without a token, an API error or non-JSON is a login error", "[session]") {
  CHECK_FALSE(ParseLoginToken(R"({"batchcomplete":"","query":{"tokens":{}}})").has_value());
  auto api_error = ParseLoginToken(R"({"error":{"code":"readapidenied","info":"You need read permission to use this module."}})");
  REQUIRE_FALSE(api_error.has_value());
  CHECK_THAT(api_error.error().message, Catch::Contains("readapidenied"));
  auto html = ParseLoginToken("<!DOCTYPE html><html><body>Internal error</body></html>");
  REQUIRE_FALSE(html.has_value());
  CHECK_THAT(html.error().message, Catch::Contains("not JSON"));
}

TEST_CASE("clientlogin PASS succeeds and FAIL carries the wiki's reason", "[session]") {
  CHECK(ParseClientLogin(R"({"clientlogin":{"status":"PASS","username":"CrawlerQA"}})").has_value());
  auto fail = ParseClientLogin(
      R"({"clientlogin":{"status":"FAIL","message":"Incorrect username or password entered.\nPlease try again.","messagecode":"wrongpassword"}})");
  REQUIRE_FALSE(fail.has_value());
  CHECK(fail.error().code == Error::Code::kLogin);
  CHECK_THAT(fail.error().message, Catch::StartsWith("clientlogin FAIL: Incorrect username or password"));
  auto ui = ParseClientLogin(R"({"clientlogin":{"status":"UI","messagecode":"oathauth-auth-ui"}})");
  REQUIRE_FALSE(ui.has_value());
  CHECK_THAT(ui.error().message, Catch::Contains("UI"));
}

TEST_CASE("a refusal of the account is definitive; a lost session or token is not", "[session]") {
  auto answer = [](const char* body) {
    auto a = ParseClientLoginAnswer(body);
    REQUIRE(a.has_value());
    return *a;
  };
  // The answers MediaWiki 1.39 gives (messages abridged).
  const ClientLoginAnswer wrong = answer(
      R"({"clientlogin":{"status":"FAIL","message":"Incorrect username or password entered.\nPlease try again.","messagecode":"wrongpassword"}})");
  CHECK(wrong.definitive());
  CHECK(wrong.messagecode == "wrongpassword");
  const ClientLoginAnswer throttled = answer(
      R"({"clientlogin":{"status":"FAIL","message":"You have made too many recent login attempts.\nPlease wait 5 minutes before trying again.","messagecode":"login-throttled"}})");
  CHECK(throttled.definitive());
  CHECK_THAT(throttled.message, Catch::Contains("Please wait 5 minutes"));
  CHECK(answer(R"({"clientlogin":{"status":"FAIL","messagecode":"login-userblocked"}})").definitive());
  CHECK(answer(R"({"clientlogin":{"status":"FAIL","messagecode":"centralauth-login-error-locked"}})").definitive());
  CHECK(answer(R"({"clientlogin":{"status":"UI","messagecode":"oathauth-auth-ui"}})").definitive());
  CHECK_FALSE(answer(R"({"clientlogin":{"status":"PASS","username":"CrawlerQA"}})").definitive());
  CHECK_FALSE(answer(R"({"clientlogin":{"status":"FAIL","messagecode":"badtoken"}})").definitive());
  CHECK_FALSE(answer(R"({"clientlogin":{"status":"FAIL","messagecode":"sessionfailure"}})").definitive());
  CHECK_FALSE(answer(R"({"clientlogin":{"status":"FAIL","messagecode":"internal_api_error_DBQueryError"}})").definitive());
  CHECK_FALSE(ParseClientLoginAnswer(R"({"error":{"code":"badtoken"}})").has_value());
}

TEST_CASE("userinfo tells a logged-in user from an anonymous one", "[session]") {
  auto anon = ParseUserInfo(R"({"batchcomplete":"","query":{"userinfo":{"id":0,"name":"127.0.0.1","anon":""}}})");
  REQUIRE(anon.has_value());
  CHECK(anon->empty());
  auto user = ParseUserInfo(R"({"batchcomplete":"","query":{"userinfo":{"id":2,"name":"CrawlerQA"}}})");
  REQUIRE(user.has_value());
  CHECK(*user == "CrawlerQA");
}

TEST_CASE("exit codes: interrupted, then tool trouble, then product failures", "[session]") {
  RunSummary s;
  s.total = 10;
  CHECK(CrawlExitCode(s, false, false, 0.2) == 0);
  s.product_failures = 1;
  CHECK(CrawlExitCode(s, false, false, 0.2) == 1);
  CHECK(CrawlExitCode(s, true, false, 0.2) == 2);
  s.tool_failures = 3;  // 30% > 20%
  CHECK(CrawlExitCode(s, false, false, 0.2) == 2);
  CHECK(CrawlExitCode(s, false, true, 0.2) == 130);
  RunSummary cut;  // the run deadline left probes unfetched: no pass
  cut.total = 10;
  cut.by_verdict[static_cast<size_t>(Verdict::kNotRun)] = 4;
  CHECK(CrawlExitCode(cut, false, false, 0.2) == 2);
  cut.product_failures = 1;  // ... but a failure found is still a failure
  CHECK(CrawlExitCode(cut, false, false, 0.2) == 1);
}
