// One memory budget for every classifier of a run (issue 15, core/memory_budget.h):
// the budget's accounting, and a classifier that reaches it classifies from
// what it kept and says so. The 128 x 16 MB run is tests/faults (run_faults.py memory).
#include <catch2/catch.hpp>

#include <string>

#include "classify/classifier.h"
#include "classify/page_sink.h"
#include "core/memory_budget.h"

namespace bc {
namespace {

using Catch::Contains;

std::string BigJson(size_t bytes) {
  const std::string head = "{\"batchcomplete\":\"\",\"query\":{\"filler\":\"";
  const std::string tail = "\"}}";
  return head + std::string(bytes - head.size() - tail.size(), 'x') + tail;
}

Classification FeedAll(PageClassifier& c, const std::string& body) {
  c.SetStatus(200);
  c.AddHeader("Content-Type", "application/json");
  for (size_t at = 0; at < body.size(); at += 16384) c.Feed(std::string_view(body).substr(at, 16384));
  return c.Finish();
}

TEST_CASE("MemoryBudget: reserve within the limit, refuse past it, release", "[budget]") {
  MemoryBudget b(1000);
  CHECK(b.TryReserve(600));
  CHECK_FALSE(b.TryReserve(500));
  CHECK(b.used() == 600);
  CHECK(b.refusals() == 1);
  CHECK(b.TryReserve(400));
  b.Release(700);
  CHECK(b.used() == 300);
  b.Charge(50);
  CHECK(b.used() == 350);
  CHECK(b.peak() == 1000);
}

TEST_CASE("a classifier past the memory budget classifies from what it kept and says so", "[budget][classify]") {
  const std::string json = BigJson(3 << 20);
  Expectations api;
  api.kind = PageKind::kApi;
  SECTION("within the budget: the JSON is parsed (ok), and every byte is given back") {
    MemoryBudget budget(int64_t{16} << 20);
    {
      PageClassifier c(api);
      c.SetMemoryBudget(&budget);
      const Classification r = FeedAll(c, json);
      CHECK(r.verdict == Verdict::kOk);
      CHECK_THAT(r.evidence.detail, !Contains("memory budget"));
      CHECK(budget.used() >= static_cast<int64_t>(json.size()));
      CHECK(budget.refusals() == 0);
    }
    CHECK(budget.used() == 0);
  }
  SECTION("past it: not judged (transport 'memory budget'), the detail says how much was kept") {
    MemoryBudget budget(int64_t{1} << 20);
    {
      PageClassifier c(api);
      c.SetMemoryBudget(&budget);
      const Classification r = FeedAll(c, json);
      CHECK(r.verdict == Verdict::kTransport);
      CHECK(r.evidence.signature == "memory budget");
      CHECK_THAT(r.evidence.detail, Contains("memory budget: classified from the first "));
      CHECK_THAT(r.evidence.detail, Contains(" of " + std::to_string(json.size()) + " body bytes"));
      CHECK(budget.peak() <= budget.limit());
      CHECK(budget.refusals() > 0);
    }
    CHECK(budget.used() == 0);
  }
  SECTION("past it with a positive finding in the bytes kept: that verdict, with the note") {
    MemoryBudget budget(int64_t{1} << 20);
    PageClassifier c(api);
    c.SetMemoryBudget(&budget);
    c.SetStatus(500);
    for (size_t at = 0; at < json.size(); at += 16384) c.Feed(std::string_view(json).substr(at, 16384));
    const Classification r = c.Finish();
    CHECK(r.verdict == Verdict::kFatal);  // HTTP 500 from the API, whatever the body
    CHECK_THAT(r.evidence.detail, Contains("memory budget: classified from the first "));
  }
  SECTION("two classifiers share one budget: the second gets what the first left") {
    MemoryBudget budget(int64_t{5} << 20);
    PageClassifier first(api), second(api);
    first.SetMemoryBudget(&budget);
    second.SetMemoryBudget(&budget);
    CHECK(FeedAll(first, json).verdict == Verdict::kOk);  // ~4 MiB held (capacity) until destroyed
    CHECK(FeedAll(second, json).verdict == Verdict::kTransport);
    CHECK(budget.peak() <= budget.limit());
  }
}

TEST_CASE("the evidence capture is charged to the budget and cut at it", "[budget][classify]") {
  MemoryBudget budget(int64_t{2} << 20);
  Expectations rc;
  rc.kind = PageKind::kRecentChanges;
  auto factory = ClassifyingSink(rc, SinkOptions{&budget, size_t{1} << 20});
  Headers headers = {{"content-type", "text/html"}};
  Response r;
  r.sink = factory(ResponseHead{500, headers, "http://127.0.0.1/w/index.php", 0});
  const std::string page = "<html><body>" + std::string(3 << 20, 'y') + "</body></html>";
  for (size_t at = 0; at < page.size(); at += 16384) r.sink->Feed(std::string_view(page).substr(at, 16384));
  CHECK(budget.used() > 0);
  CHECK(budget.peak() <= budget.limit());
  r.fetch.http_status = 500;
  CapturedBody captured;
  const Outcome o = JudgeResponse(std::move(r), &rc, &captured);
  CHECK(captured.total == static_cast<int64_t>(page.size()));
  CHECK(captured.bytes.size() <= (size_t{1} << 20));
  CHECK(captured.bytes == page.substr(0, captured.bytes.size()));
  CHECK_FALSE(captured.cut.empty());
  CHECK(o.result.verdict != Verdict::kOk);
}

TEST_CASE("a capture sized from Content-Length keeps the same bytes, whatever the length says", "[budget][classify]") {
  // The capture is reserved at once from Content-Length (no doubling copies);
  // a length that lies, or that the budget cannot hold, changes nothing kept.
  Expectations rc;
  rc.kind = PageKind::kRecentChanges;
  const std::string page = "<html><body>" + std::string(300000, 'y') + "</body></html>";
  const auto capture = [&](MemoryBudget& budget, const std::string& length, size_t cap) {
    Headers headers = {{"content-type", "text/html"}, {"content-length", length}};
    Response r;
    r.sink = ClassifyingSink(rc, SinkOptions{&budget, cap})(ResponseHead{500, headers, "http://127.0.0.1/w/index.php", 0});
    for (size_t at = 0; at < page.size(); at += 16384) r.sink->Feed(std::string_view(page).substr(at, 16384));
    r.fetch.http_status = 500;
    CapturedBody captured;
    JudgeResponse(std::move(r), &rc, &captured);
    return captured;
  };
  for (const std::string& length : {std::to_string(page.size()), std::string("100"), std::string("99999999"), std::string("x")}) {
    CAPTURE(length);
    MemoryBudget roomy(int64_t{64} << 20);
    const CapturedBody whole = capture(roomy, length, size_t{1} << 20);
    CHECK(whole.bytes == page);
    CHECK(whole.cut.empty());
    const CapturedBody capped = capture(roomy, length, 100000);
    CHECK(capped.bytes == page.substr(0, 100000));
    CHECK(capped.cut == "capture cap");
    MemoryBudget tight(200000);  // less than the page: what fits is kept
    const CapturedBody cut = capture(tight, length, size_t{1} << 20);
    CHECK_FALSE(cut.bytes.empty());
    CHECK(cut.bytes == page.substr(0, cut.bytes.size()));
    CHECK(cut.cut == "memory budget");
    CHECK(tight.peak() <= tight.limit());
  }
}

}  // namespace
}  // namespace bc
