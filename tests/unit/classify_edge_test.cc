// Hand-made pages for what no real server produced on demand: edge error
// pages, empty 5xx, truncation, invalid encodings, garbage, huge and deeply
// nested pages. Each is classified whole, byte by byte and in odd chunkings.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "classify/classifier.h"
#include "plan/probe.h"
#include "test_paths.h"

namespace {

std::string Corpus(const std::string& name) {
  std::ifstream in(std::string(BC_SOURCE_DIR) + "/tests/corpus/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Page {
  long status = 200;
  bc::PageKind kind = bc::PageKind::kRecentChanges;
  std::string body;
  std::string expect_user;
  std::string final_url;
};

Page P(long status, std::string body, bc::PageKind kind = bc::PageKind::kRecentChanges, std::string expect_user = "") {
  Page p;
  p.status = status;
  p.body = std::move(body);
  p.kind = kind;
  p.expect_user = std::move(expect_user);
  return p;
}

bc::Classification Run(const Page& p, size_t chunk) {
  bc::Expectations e;
  e.kind = p.kind;
  e.expect_user = p.expect_user;
  bc::PageClassifier c(e);
  c.SetStatus(p.status);
  if (!p.final_url.empty()) c.SetFinalUrl(p.final_url);
  const std::string_view b = p.body;
  for (size_t i = 0; i < b.size(); i += chunk) c.Feed(b.substr(i, chunk));
  return c.Finish();
}

// Whole, 1-byte and a few odd chunk sizes must agree; returns the whole result.
bc::Classification Classify(const Page& p) {
  const bc::Classification whole = Run(p, p.body.size() + 1);
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{4093}}) {
    const bc::Classification other = Run(p, chunk);
    INFO("chunk size " << chunk);
    CHECK(other.verdict == whole.verdict);
    CHECK(other.evidence.signature == whole.evidence.signature);
    CHECK(other.evidence.excerpt == whole.evidence.excerpt);
  }
  return whole;
}

std::string Name(const bc::Classification& c) { return std::string(bc::VerdictName(c.verdict)); }

const std::string kRc = Corpus("en-rc-enhanced0.body");

}  // namespace

TEST_CASE("an empty 500 body is a fatal", "[classify][edge]") {
  CHECK(Name(Classify(P(500, ""))) == "fatal");
}

TEST_CASE("an empty 200 body is broken", "[classify][edge]") {
  CHECK(Name(Classify(P(200, ""))) == "broken");
}

TEST_CASE("the Wikimedia edge error page on 503 is an edge error", "[classify][edge]") {
  const std::string body =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<meta charset=\"utf-8\">\n<title>Wikimedia Error</title>\n"
      "<style>body{background:#fff}</style>\n<div class=\"content\" role=\"main\"><h1>Error</h1>"
      "<p>Our servers are currently under maintenance or experiencing a technical problem.</p></div>"
      "<div class=\"footer\"><p class=\"text-muted\"><code>Request from 127.0.0.1 via cp3050 cp3050, Varnish XID 5"
      "<br>Error: 503, Backend fetch failed at Mon, 27 Nov 2017 10:00:00 GMT</code></p></div>\n</html>\n";
  const auto c = Classify(P(503, body));
  CHECK(Name(c) == "edge-error");
  CHECK(c.evidence.excerpt.find("Wikimedia Error") != std::string::npos);
  // The edge host that answered, from the footer (no X-Cache header here).
  CHECK_THAT(c.evidence.detail, Catch::EndsWith(", edge cp3050"));
}

TEST_CASE("a proxy's own 502 page is an edge error", "[classify][edge]") {
  const std::string body =
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
      "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
  CHECK(Name(Classify(P(502, body))) == "edge-error");
}

TEST_CASE("a 500 that is not a MediaWiki page is a fatal", "[classify][edge]") {
  CHECK(Name(Classify(P(500, "Internal Server Error\n"))) == "fatal");
}

TEST_CASE("a recentchanges page cut in the middle is broken as truncated", "[classify][edge]") {
  const auto c = Classify(P(200, kRc.substr(0, kRc.size() * 7 / 10)));
  CHECK(Name(c) == "broken");
  CHECK(c.evidence.signature == "truncated");
}

TEST_CASE("a healthy recorded page stays ok with invalid UTF-8 inside the list", "[classify][edge]") {
  std::string body = kRc;
  body.insert(body.rfind("</ul>"), "\xff\xfe\xc3(\xed\xa0\x80 broken \x80\x80");
  CHECK(Name(Classify(P(200, body))) == "ok");
}

TEST_CASE("binary garbage is broken, never a crash", "[classify][edge]") {
  std::string body;
  uint32_t x = 12345;
  for (int i = 0; i < 100000; ++i) {
    x = x * 1664525u + 1013904223u;
    body += static_cast<char>(x >> 24);
  }
  const auto c = Classify(P(200, body));
  CHECK(Name(c) == "broken");
  CHECK(c.evidence.excerpt.size() <= 300);
}

TEST_CASE("JSON where an HTML page was expected is broken and says so", "[classify][edge]") {
  const auto c = Classify(P(200, R"({"batchcomplete":"","query":{"recentchanges":[]}})"));
  CHECK(Name(c) == "broken");
  CHECK(c.evidence.detail.find("JSON") != std::string::npos);
}

TEST_CASE("an HTML page where API JSON was expected is broken", "[classify][edge]") {
  CHECK(Name(Classify(P(200, kRc, bc::PageKind::kApi))) == "broken");
}

TEST_CASE("an API body with a PHP warning before the JSON is broken and names the warning", "[classify][edge]") {
  const auto c = Classify(P(200, "<br />\n<b>Warning</b>:  Undefined index: x in <b>/srv/a.php</b> on line <b>3</b><br />\n"
                                   "{\"batchcomplete\":\"\"}",
                            bc::PageKind::kApi));
  CHECK(Name(c) == "broken");
  CHECK(c.evidence.signature == "PHP Warning: Undefined index: x");
}

TEST_CASE("an empty API 500 is a fatal", "[classify][edge]") {
  CHECK(Name(Classify(P(500, "", bc::PageKind::kApi))) == "fatal");
}

TEST_CASE("deeply nested tags give a verdict, not a crash", "[classify][edge]") {
  std::string body = "<!DOCTYPE html><html><head><title>x</title></head><body>";
  for (int i = 0; i < 30000; ++i) body += "<div><span>";
  const auto c = Classify(P(200, body));
  CHECK(Name(c) == "broken");
}

TEST_CASE("a PHP warning in text mode at the top of a good page is a warning", "[classify][edge]") {
  const auto c = Classify(P(200, "\nDeprecated: Creation of dynamic property Foo::$bar is deprecated in "
                                   "/srv/mediawiki/php-1.39/includes/Foo.php on line 120\n" + kRc));
  CHECK(Name(c) == "warning");
  CHECK(c.evidence.signature == "PHP Deprecated: Creation of dynamic property Foo::$bar is deprecated");
}

TEST_CASE("a PHP notice printed in the middle of the changes list is found", "[classify][edge]") {
  std::string body = kRc;
  body.insert(body.rfind("</ul>"), "<br />\n<b>Notice</b>:  Undefined offset: 3 in <b>/srv/x.php</b> on line <b>7</b><br />\n");
  CHECK(Name(Classify(P(200, body))) == "warning");
}

TEST_CASE("prose mentioning 'on line 3' is not a PHP warning", "[classify][edge]") {
  std::string body = kRc;
  body.insert(body.rfind("</ul>"), "<li>the typo on line 3 of the poem</li>");
  CHECK(Name(Classify(P(200, body))) == "ok");
}

TEST_CASE("a PHP fatal that cuts a page short is a fatal, not just truncation", "[classify][edge]") {
  const std::string body = kRc.substr(0, kRc.size() / 2) +
                           "<br />\n<b>Fatal error</b>:  Uncaught Error: Call to a member function get() on null in "
                           "/srv/mediawiki/extensions/ORES/includes/Hooks.php:88\nStack trace:\n#0 {main}\n  thrown in "
                           "<b>/srv/mediawiki/extensions/ORES/includes/Hooks.php</b> on line <b>88</b><br />\n";
  const auto c = Classify(P(200, body));
  CHECK(Name(c) == "fatal");
  CHECK(c.evidence.exception_class == "PHP Fatal error");
  CHECK(c.evidence.message.find("Call to a member function get() on null") != std::string::npos);
}

TEST_CASE("the older errorbox and the newer cdx-message--error boxes are exceptions too", "[classify][edge]") {
  for (const std::string cls : {"errorbox", "cdx-message cdx-message--block cdx-message--error"}) {
    const std::string body = "<!DOCTYPE html><html><head><title>Internal error</title><script>RLCONF={\"wgUserName\":null};"
                             "</script></head><body><div id=\"mw-content-text\"><div class=\"" + cls +
                             "\">[abc123def456] 2017-11-27 10:00:00: Fatal exception of type &quot;InvalidArgumentException&quot;"
                             "</div></div></body></html>";
    INFO(cls);
    const auto c = Classify(P(500, body));
    CHECK(Name(c) == "exception");
    CHECK(c.evidence.exception_class == "InvalidArgumentException");
    CHECK(c.evidence.request_id == "abc123def456");
  }
}

TEST_CASE("MediaWiki's plain-text exception report (no skin) is an exception", "[classify][edge]") {
  const auto c = Classify(P(500, "[5e3f0a1b2c3d4e5f6a7b8c9d] 2026-11-27 01:12:53: Fatal exception of type "
                                   "&quot;RuntimeException&quot;\n"));
  CHECK(Name(c) == "exception");
  CHECK(c.evidence.exception_class == "RuntimeException");
}

TEST_CASE("the recentchanges query timeout notice is broken", "[classify][edge]") {
  std::string body = Corpus("en-rc-empty.body");
  const size_t at = body.find("<div class=\"mw-changeslist-empty\">");
  REQUIRE(at != std::string::npos);
  body.replace(at, 34, "<div class=\"mw-changeslist-empty mw-changeslist-timeout\">");
  const auto c = Classify(P(200, body));
  CHECK(Name(c) == "broken");
  CHECK(c.evidence.signature == "changes-timeout");
}

TEST_CASE("an error box before the changes list on a 200 page is broken and quoted", "[classify][edge]") {
  // 1.39's box, and 1.43's / master's Codex box (any class order, role=alert).
  for (const std::string box :
       {"<div class=\"mw-message-box-error mw-message-box\"><p>Too many concurrent requests</p></div>",
        "<div class=\"cdx-message cdx-message--block cdx-message--error\"><span class=\"cdx-message__icon\"></span>"
        "<div class=\"cdx-message__content\">Too many concurrent requests</div></div>",
        "<div class=\"cdx-message--error cdx-message cdx-message--block\" role=\"alert\"><span "
        "class=\"cdx-message__icon\"></span><div class=\"cdx-message__content\">Too many concurrent requests</div></div>"}) {
    std::string body = kRc;
    const size_t at = body.find("<div class=\"mw-changeslist\"");
    REQUIRE(at != std::string::npos);
    body.insert(at, box);
    INFO(box);
    const auto c = Classify(P(200, body));
    CHECK(Name(c) == "broken");
    CHECK(c.evidence.excerpt.find("Too many concurrent requests") != std::string::npos);
  }
}

TEST_CASE("a page logged in as another user is auth", "[classify][edge]") {
  std::string body = kRc;
  const size_t at = body.find("\"wgUserName\":\"CrawlerQA\"");
  REQUIRE(at != std::string::npos);
  body.replace(at, 24, "\"wgUserName\":\"Someone\"");
  CHECK(Name(Classify(P(200, body, bc::PageKind::kRecentChanges, "CrawlerQA"))) == "auth");
  CHECK(Name(Classify(P(200, kRc, bc::PageKind::kRecentChanges, "CrawlerQA"))) == "ok");
}

TEST_CASE("a contributions page that lost its list is broken", "[classify][edge]") {
  std::string body = Corpus("en-contribs.body");
  const size_t from = body.find("<section class='mw-pager-body'>");
  const size_t to = body.find("</section>", from);
  REQUIRE(from != std::string::npos);
  body.erase(from, to + 10 - from);
  CHECK(Name(Classify(P(200, body, bc::PageKind::kContributions))) == "broken");
}

TEST_CASE("a watchlist page served for recentchanges is broken", "[classify][edge]") {
  CHECK(Name(Classify(P(200, Corpus("en-wl-enhanced0.body")))) == "broken");
}

TEST_CASE("a 404 recentchanges page without the empty notice is broken", "[classify][edge]") {
  CHECK(Name(Classify(P(404, kRc))) == "broken");
}

TEST_CASE("a 50 MB page holds no more memory than a 200 KB one", "[classify][edge][big]") {
  // A recorded RC page with its list rows repeated: same head, same list start.
  const size_t list_end = kRc.rfind("</ul>");
  const size_t list_start = kRc.rfind("<li", list_end);
  REQUIRE(list_start != std::string::npos);
  const std::string row = kRc.substr(list_start, list_end - list_start);
  auto make = [&](size_t target) {
    std::string body = kRc.substr(0, list_end);
    while (body.size() < target) body += row;
    body += kRc.substr(list_end);
    return body;
  };
  auto peak = [](const std::string& body, bc::Verdict& v) {
    bc::PageClassifier c(bc::Expectations{});
    c.SetStatus(200);
    for (size_t i = 0; i < body.size(); i += 16384) c.Feed(std::string_view(body).substr(i, 16384));
    v = c.Finish().verdict;
    return c.PeakRetainedBytes();
  };
  bc::Verdict small_v{}, big_v{};
  const size_t small_peak = peak(make(200 << 10), small_v);
  const size_t big_peak = peak(make(50 << 20), big_v);
  CHECK(small_v == bc::Verdict::kOk);
  CHECK(big_v == bc::Verdict::kOk);
  CHECK(big_peak == small_peak);
  CHECK(big_peak < (1 << 20));
}

TEST_CASE("a 50 MB page without any list stops parsing at the cap and stays bounded", "[classify][edge][big]") {
  std::string body = "<!DOCTYPE html><html><head><title>x</title></head><body>";
  while (body.size() < (50u << 20)) body += "<p>filler text filler text filler text</p>\n";
  bc::PageClassifier c(bc::Expectations{});
  c.SetStatus(200);
  for (size_t i = 0; i < body.size(); i += 65536) c.Feed(std::string_view(body).substr(i, 65536));
  const auto r = c.Finish();
  CHECK(r.verdict == bc::Verdict::kBroken);
  CHECK(c.PeakRetainedBytes() < (1 << 20));
}
