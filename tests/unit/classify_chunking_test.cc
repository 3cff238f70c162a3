// Found by fuzzing (tests/fuzz/crashes/classify-chunking-php-fatal.bin): how
// far back a PHP error label could be seen depended on chunk boundaries, so a
// fatal was found when a page came whole and missed when it came in pieces.
#include <catch2/catch.hpp>

#include <random>

#include <string>
#include <vector>

#include "classify/php_markers.h"

using namespace bc;

namespace {
struct Found {
  bool fatal = false;
  std::string message;
};
Found ScanInChunks(const std::string& body, const std::vector<size_t>& sizes) {
  PhpMarkerScanner s;
  size_t at = 0, i = 0;
  while (at < body.size()) {
    const size_t n = sizes.empty() ? body.size() : std::min(sizes[i++ % sizes.size()], body.size() - at);
    s.Feed(std::string_view(body).substr(at, n));
    at += n;
  }
  s.Finish();
  Found f;
  if (s.first_fatal()) f = {true, s.first_fatal()->message};
  return f;
}
}  // namespace

TEST_CASE("a PHP error label is seen equally far back whatever the chunking", "[classify]") {
  for (size_t gap : {100u, 4000u, 8000u, 8200u, 12000u, 16000u, 20000u}) {
    const std::string body = "<p>x</p>\nFatal error: Allowed memory size exhausted " + std::string(gap, 'a') +
                             " in /usr/share/mediawiki/x.php on line 12\n<html><body>rest</body>";
    const Found whole = ScanInChunks(body, {});
    for (const std::vector<size_t>& sizes : std::vector<std::vector<size_t>>{{1}, {7, 13, 64, 3, 32, 5, 17, 60}, {4096}, {9000}}) {
      const Found chunked = ScanInChunks(body, sizes);
      INFO("gap " << gap << ", first chunk size " << sizes[0]);
      CHECK(chunked.fatal == whole.fatal);
      CHECK(chunked.message == whole.message);
    }
    if (gap <= 4000) CHECK(whole.fatal);  // a nearby label is always found
  }
}

TEST_CASE("PHP findings are the same for any chunking, big chunks (the fast path) included", "[classify][php]") {
  // Bodies of 20-70 KB with 0-3 PHP errors (html_errors on and off) planted
  // anywhere, fed whole, byte by byte, and in chunks around the scanner's
  // window size, where chunks without an anchor skip the window.
  std::mt19937 rng(2017);
  const std::vector<std::string> errors = {
      "<br />\n<b>Warning</b>:  Undefined index: x in <b>/srv/a.php</b> on line <b>12</b><br />\n",
      "\nFatal error: Allowed memory size exhausted in /srv/b.php on line 7\n",
      "<br />\n<b>Fatal error</b>:  Uncaught Error in <b>/srv/c.php</b> on line <b>99</b><br />\n",
      "\nDeprecated: Creation of dynamic property in /srv/d.php on line 3\n"};
  const auto summary = [](const PhpMarkerScanner& s) {
    std::string out = std::to_string(s.count());
    for (const auto* f : {&s.first_fatal(), &s.first_warning()})
      out += *f ? "|" + (*f)->label + "@" + std::to_string((*f)->offset) + ":" + (*f)->message : "|-";
    return out;
  };
  const auto feed = [&](const std::string& body, const std::vector<size_t>& sizes) {
    PhpMarkerScanner s;
    for (size_t at = 0, i = 0; at < body.size(); ++i) {
      const size_t n = sizes.empty() ? body.size() : std::min(sizes[i % sizes.size()], body.size() - at);
      s.Feed(std::string_view(body).substr(at, n));
      at += n;
    }
    s.Finish();
    return summary(s);
  };
  for (int round = 0; round < 60; ++round) {
    std::string body(20000 + rng() % 50000, 'x');
    for (size_t i = 0; i < body.size(); i += 1 + rng() % 40) body[i] = " <>\nonlie"[rng() % 10];
    const int planted = static_cast<int>(rng() % 4);
    for (int k = 0; k < planted; ++k) {
      const std::string& e = errors[rng() % errors.size()];
      body.insert(rng() % body.size(), e);
    }
    const std::string whole = feed(body, {});
    INFO("round " << round << ", " << planted << " planted, whole: " << whole);
    if (planted > 0) CHECK(whole.rfind("0|", 0) != 0);
    CHECK(feed(body, {1}) == whole);
    for (const std::vector<size_t>& sizes : std::vector<std::vector<size_t>>{
             {8192}, {8191}, {8193}, {16384}, {102400}, {9000, 3, 20000}, {rng() % 30000 + 1, rng() % 30000 + 1}}) {
      INFO("first chunk size " << sizes[0]);
      CHECK(feed(body, sizes) == whole);
    }
  }
}

// Found by fuzzing (tests/fuzz/crashes/classify-chunking-utf7-charset.bin): a
// <meta charset="UTF-7"> made libxml2 switch decoders at a chunking-dependent
// point and stop on a conversion error, so the error box of a 500 page was
// found whole ("exception") and missed in the fuzzer's chunks ("fatal").
// MediaWiki is UTF-8: the parser now ignores a page's own charset claim.
#include <fstream>
#include <sstream>

#include "classify/classifier.h"
#include "test_paths.h"

namespace {
// The fuzz input layout (tests/fuzz/fuzz_classify.cc): 12 header bytes, then the body.
Classification ClassifyFuzzInput(const std::string& input, bool chunked) {
  const auto* head = reinterpret_cast<const uint8_t*>(input.data());
  const std::string_view body = std::string_view(input).substr(12);
  Expectations e;
  e.kind = PageKind::kRecentChanges;  // head[0] == 4: recentchanges, expect_user
  e.expect_user = "CrawlerQA";
  PageClassifier c(e);
  c.SetStatus(100 + (head[1] << 8 | head[2]) % 500);
  c.AddHeader("Content-Type", "text/html; charset=UTF-8");
  size_t at = 0, i = 0;
  while (at < body.size()) {
    size_t n = chunked ? head[4 + (i++ % 8)] % 65 : body.size();
    n = std::min(std::max<size_t>(n, 1), body.size() - at);
    c.Feed(body.substr(at, n));
    at += n;
  }
  return c.Finish();
}
}  // namespace

TEST_CASE("a page's own charset claim never changes how it is read, whatever the chunking", "[classify]") {
  std::ifstream in(std::string(BC_SOURCE_DIR) + "/tests/fuzz/crashes/classify-chunking-utf7-charset.bin",
                   std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const std::string input = bytes.str();
  REQUIRE(input.size() > 12);
  REQUIRE(input[0] == 4);
  const Classification whole = ClassifyFuzzInput(input, false);
  const Classification chunked = ClassifyFuzzInput(input, true);
  CHECK(whole.verdict == Verdict::kException);
  CHECK(chunked.verdict == whole.verdict);
  CHECK(chunked.evidence.detail == whole.evidence.detail);
}
