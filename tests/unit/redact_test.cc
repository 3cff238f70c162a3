#include <catch2/catch.hpp>

#include <string>

#include "core/redact.h"
#include "report/redact.h"

namespace bc {
namespace {

// Every case starts from an empty registry: secrets are process-wide.
struct Fresh {
  Fresh() { ClearSecretsForTest(); }
  ~Fresh() { ClearSecretsForTest(); }
};

TEST_CASE("a registered value is replaced raw and in every encoded form", "[redact]") {
  Fresh fresh;
  const std::string pw = "p@ss w/rd&\"x'";
  RegisterSecret(pw);
  CHECK(Redact("got " + pw + " here") == "got [redacted] here");
  CHECK(Redact("password=p%40ss%20w%2Frd%26%22x%27&x=1") == "password=[redacted]&x=1");  // our form body
  CHECK(Redact("password=p%40ss+w%2Frd%26%22x%27") == "password=[redacted]");           // PHP urlencode
  CHECK(Redact("<b>p@ss w/rd&amp;&quot;x&#039;</b>") == "<b>[redacted]</b>");            // htmlspecialchars
  CHECK(Redact("<b>p@ss w/rd&amp;&quot;x&#39;</b>") == "<b>[redacted]</b>");
  CHECK(Redact(R"({"p":"p@ss w\/rd&\"x'"})") == R"({"p":"[redacted]"})");                  // json_encode
  CHECK(Redact(R"({"p":"p@ss w/rd&\"x'"})") == R"({"p":"[redacted]"})");
  CHECK(Redact("twice: " + pw + pw) == "twice: [redacted]");
  CHECK(Redact("nothing secret") == "nothing secret");
}

TEST_CASE("an excerpt cut through a secret loses the piece it kept", "[redact]") {
  Fresh fresh;
  RegisterSecret("s0123456789abcdef");
  CHECK(Redact("... session s0123456") == "... session [redacted]");  // 8 bytes of it at the end
  CHECK(Redact("89abcdef and more") == "[redacted] and more");          // 8 bytes at the start
  CHECK(Redact("ends with s012345") == "ends with s012345");            // 7: too short to tell
  CHECK(Redact("s0123456 in the middle") == "s0123456 in the middle");  // a prefix, not at the end
}

TEST_CASE("values shorter than the minimum are not matched literally", "[redact]") {
  Fresh fresh;
  RegisterSecret("abc");
  CHECK(Redact("abcabc") == "abcabc");
}

TEST_CASE("a registered cookie name hides any value it is given", "[redact]") {
  Fresh fresh;
  RegisterSecretCookie("enwiki_session", "known0123456789");
  CHECK(Redact("enwiki_session=refreshed987; path=/") == "enwiki_session=[redacted]; path=/");
  CHECK(Redact("[enwiki_session] => known0123456789") == "[enwiki_session] => [redacted]");
}

TEST_CASE("Set-Cookie headers register only credential cookies", "[redact]") {
  Fresh fresh;
  RegisterSetCookieHeader("enwiki_session=abcdef0123456789; path=/; HttpOnly");
  RegisterSetCookieHeader("enwikiUserName=CrawlerQA; expires=Sat, 05 Dec 2026 00:00:00 GMT");
  RegisterSetCookieHeader("centralauth_Token=fedcba9876543210; secure");
  CHECK(Redact("x abcdef0123456789 y") == "x [redacted] y");
  CHECK(Redact("x fedcba9876543210 y") == "x [redacted] y");
  CHECK(Redact("logged in as CrawlerQA") == "logged in as CrawlerQA");
  CHECK(IsSecretCookieName("frwiki_session"));
  CHECK(IsSecretCookieName("centralauth_Session"));
  CHECK(!IsSecretCookieName("enwikiUserID"));
}

TEST_CASE("cookie and authorization headers quoted in page text lose their values", "[redact]") {
  Fresh fresh;  // nothing registered: the header rule alone
  CHECK(Redact("Cookie: a=1; b=2\nUser-Agent: x") == "Cookie: [redacted]\nUser-Agent: x");
  CHECK(Redact("Set-Cookie: sid=42; path=/") == "Set-Cookie: [redacted]");
  CHECK(Redact("dump: Cookie: a=1; b=2 session x form y") == "dump: Cookie: [redacted] session x form y");
  CHECK(Redact("Authorization: Bearer xyz and more") == "Authorization: [redacted] and more");
  CHECK(Redact("[HTTP_COOKIE] => a=1; b=2<br>") == "[HTTP_COOKIE] => [redacted]<br>");
  CHECK(Redact("[HTTP_COOKIE] =&gt; a=1; b=2<br>") == "[HTTP_COOKIE] =&gt; [redacted]<br>");
  CHECK(Redact(R"({"cookie":"a=1; b=2","ua":"x"})") == R"({"cookie":"[redacted]","ua":"x"})");
  CHECK(Redact("'Authorization': 'Bearer xyz'") == "'Authorization': '[redacted]'");
  CHECK(Redact("&quot;Cookie&quot;: &quot;a=1&quot;") == "&quot;Cookie&quot;: &quot;[redacted]&quot;");
  // Prose about cookies is not a header.
  CHECK(Redact("session cookie not kept?") == "session cookie not kept?");
  CHECK(Redact("Cookies must be enabled: see help") == "Cookies must be enabled: see help");
}

TEST_CASE("session tokens a page carries are hidden without being registered", "[redact]") {
  Fresh fresh;  // nothing registered: rule 4 alone
  const std::string hex = "2476a4df08bc72a833a517d393fcc30b6b13b025";  // 32 hex HMAC + 8 hex timestamp
  // mw.user.tokens as every logged-in page embeds it (JSON-escaped suffix).
  CHECK(Redact(R"(mw.user.tokens.set({"patrolToken":")" + hex + R"(+\\","csrfToken":")" + hex + R"(+\\"});)") ==
        R"(mw.user.tokens.set({"patrolToken":"[redacted]","csrfToken":"[redacted]"});)");
  // A rollback link (URL-encoded, inside an HTML attribute) and a hidden form field (raw suffix).
  CHECK(Redact("href=\"/index.php?action=rollback&amp;token=" + hex + "%2B%5C\">") ==
        "href=\"/index.php?action=rollback&amp;token=[redacted]\">");
  CHECK(Redact("<input type=\"hidden\" value=\"" + hex + "+\\\" name=\"wpEditToken\"/>") ==
        "<input type=\"hidden\" value=\"[redacted]\" name=\"wpEditToken\"/>");
  // api.php meta=tokens, with a space after the colon.
  CHECK(Redact(R"({"query":{"tokens":{"csrftoken": ")" + hex + R"(+\\"}}})") ==
        R"({"query":{"tokens":{"csrftoken": "[redacted]"}}})");
  // Named like a token, shaped otherwise: a bare-hex centralauthtoken, a value cut by an excerpt.
  CHECK(Redact("api.php?centralauthtoken=0123abcd&format=json") == "api.php?centralauthtoken=[redacted]&format=json");
  CHECK(Redact(R"(RLCONF={"wgUserName":"CrawlerQA","csrfToken":"2476a4df08)") ==
        R"(RLCONF={"wgUserName":"CrawlerQA","csrfToken":"[redacted])");
  // Token-shaped wherever it stands, even unnamed.
  CHECK(Redact("echoed " + hex + "+\\ here") == "echoed [redacted] here");
  // Left alone: the public anonymous token, a tokens object, prose, hex without the suffix, short hex.
  CHECK(Redact(R"({"patrolToken":"+\\","watchToken":"+\\"})") == R"({"patrolToken":"+\\","watchToken":"+\\"})");
  CHECK(Redact("token=%2B%5C") == "token=%2B%5C");
  CHECK(Redact(R"({"tokens":{"csrftoken":"[redacted]"}})") == R"({"tokens":{"csrftoken":"[redacted]"}})");
  CHECK(Redact("Invalid CSRF token. The token is checked") == "Invalid CSRF token. The token is checked");
  CHECK(Redact("sha " + hex + "+1") == "sha " + hex + "+1");
  CHECK(Redact("abc0123+\\") == "abc0123+\\");
}

TEST_CASE("a signature made from a message with a secret is made again from the redacted message", "[redact]") {
  Fresh fresh;
  RegisterSecret("hunter2x");
  Evidence e;
  e.exception_class = "RuntimeException";
  e.message = "bad password hunter2x for CrawlerQA";
  e.signature = "RuntimeException: bad password hunter<n>x for CrawlerQA";  // NormalizeSignature's digits rule
  RedactEvidence(e);
  CHECK(e.message == "bad password [redacted] for CrawlerQA");
  CHECK(e.signature.find("hunter") == std::string::npos);
  CHECK(e.signature.find("[redacted]") != std::string::npos);
}

TEST_CASE("an outcome is redacted in every field a server could fill", "[redact]") {
  Fresh fresh;
  RegisterSecret("hunter2-secret");
  Outcome o;
  for (std::string* s : {&o.result.evidence.exception_class, &o.result.evidence.message, &o.result.evidence.request_id,
                         &o.result.evidence.signature, &o.result.evidence.excerpt, &o.result.evidence.detail,
                         &o.final_url, &o.redirect_location, &o.transport_error})
    *s = "a hunter2-secret b";
  RedactOutcome(o);
  for (const std::string* s : {&o.result.evidence.exception_class, &o.result.evidence.message,
                               &o.result.evidence.request_id, &o.result.evidence.excerpt, &o.result.evidence.detail,
                               &o.final_url, &o.redirect_location, &o.transport_error})
    CHECK(*s == "a [redacted] b");
  CHECK(o.result.evidence.signature == "a [redacted] b: a [redacted] b");  // made again from class and message
}

}  // namespace
}  // namespace bc
