// libFuzzer target: the streaming page classifier.
// Input layout (so the fuzzer mutates the response as well as the body):
//   byte 0     page kind (RC, WL, Contributions, API) and expectations
//              (4: an expected user, 8: ORES filter groups, 16: expect_ores,
//              32: expect_ores_rows)
//   bytes 1-2  HTTP status (100..599)
//   byte 3     Content-Type from a small table (or none)
//   bytes 4-11 chunk sizes, used in turn (1..64 bytes each; 0 => 1 byte)
//   rest       the body
// The body is fed in those chunks and again whole: the two verdicts must be
// equal (the classifier's contract), else abort() so libFuzzer keeps the input.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "classify/classifier.h"

namespace {

constexpr size_t kHeader = 12;

bc::Expectations ExpectationsFrom(uint8_t b) {
  bc::Expectations e;
  static const bc::PageKind kinds[] = {bc::PageKind::kRecentChanges, bc::PageKind::kWatchlist,
                                       bc::PageKind::kContributions, bc::PageKind::kApi};
  e.kind = kinds[b & 3];
  if (b & 4) e.expect_user = "CrawlerQA";
  if (b & 8) e.expect_filter_groups = {"damaging", "goodfaith"};
  if (b & 16) e.expect_ores = true;  // the ORES rules (Contributions control, API warnings)
  if (b & 32) e.expect_ores_rows = true;  // ORES's row scores on Contributions
  return e;
}

bc::Classification Classify(const uint8_t* head, std::string_view body, bool chunked) {
  bc::PageClassifier c(ExpectationsFrom(head[0]));
  c.SetStatus(100 + (head[1] << 8 | head[2]) % 500);
  static const char* types[] = {"text/html; charset=UTF-8", "application/json; charset=utf-8", "text/plain",
                                "text/html; charset=ISO-8859-1", "application/octet-stream", ""};
  const char* type = types[head[3] % 6];
  if (*type) c.AddHeader("Content-Type", type);
  if (head[3] & 0x80) c.AddHeader("X-Request-Id", "fuzz-request-id");
  if (head[3] & 0x40) c.SetFinalUrl("http://127.0.0.1:8101/index.php?title=Special:UserLogin");
  if (!chunked) {
    c.Feed(body);
  } else {
    size_t i = 0, pos = 0;
    while (pos < body.size()) {
      size_t n = head[4 + (i++ % 8)] % 65;
      if (n == 0) n = 1;
      if (n > body.size() - pos) n = body.size() - pos;
      c.Feed(body.substr(pos, n));
      pos += n;
    }
  }
  return c.Finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kHeader) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + kHeader, size - kHeader);
  const auto chunked = Classify(data, body, true);
  const auto whole = Classify(data, body, false);
  if (chunked.verdict != whole.verdict) std::abort();  // chunking changed the verdict
  return 0;
}
