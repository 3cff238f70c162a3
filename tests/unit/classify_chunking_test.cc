// Found by fuzzing (tests/fuzz/crashes/classify-chunking-php-fatal.bin): how
// far back a PHP error label could be seen depended on chunk boundaries, so a
// fatal was found when a page came whole and missed when it came in pieces.
#include <catch2/catch.hpp>

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
