// WriterThread: every posted outcome reaches every writer, in order, by Stop;
// a write error comes back; a bounded queue still delivers everything.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "report/writer_thread.h"

namespace bc {
namespace {

// Records the probe index of each Add; fails from the `fail_at`-th call on.
class RecordingWriter : public ReportWriter {
 public:
  explicit RecordingWriter(size_t fail_at = SIZE_MAX) : fail_at_(fail_at) {}
  Result<void> Begin(const RunInfo&) override { return {}; }
  Result<void> Add(const Probe&, const Outcome& outcome) override {
    seen.push_back(outcome.probe_index);
    if (seen.size() > fail_at_) return Fail(Error::Code::kIo, "disk full", "pages.jsonl");
    return {};
  }
  Result<void> Finish(const RunInfo&, const RunSummary&) override { return {}; }
  std::vector<size_t> seen;

 private:
  size_t fail_at_;
};

TEST_CASE("a writer thread hands every outcome to every writer in order", "[report][writer-thread]") {
  const Probe probe;
  for (size_t max_pending : {size_t{1}, size_t{4096}}) {
    INFO("max_pending " << max_pending);
    RecordingWriter a, b;
    WriterThread thread({&a, &b}, max_pending);
    const size_t n = 5000;
    for (size_t i = 0; i < n; ++i) {
      Outcome o;
      o.probe_index = i;
      REQUIRE(thread.Post(probe, std::move(o)));
    }
    REQUIRE(thread.Flush());
    REQUIRE(a.seen.size() == n);  // every one written before Stop
    REQUIRE(thread.Stop());
    CHECK(a.seen == b.seen);
    bool in_order = true;
    for (size_t i = 0; i < n; ++i) in_order = in_order && a.seen[i] == i;
    CHECK(in_order);
    CHECK(thread.Stop());  // idempotent
  }
}

TEST_CASE("a write error on the writer thread comes back from Post or Stop", "[report][writer-thread]") {
  const Probe probe;
  RecordingWriter failing(10);
  WriterThread thread({&failing});
  for (size_t i = 0; i < 100; ++i) {
    Outcome o;
    o.probe_index = i;
    (void)thread.Post(probe, std::move(o));  // may or may not see it yet
  }
  auto stopped = thread.Stop();
  REQUIRE_FALSE(stopped);
  CHECK(stopped.error().message == "disk full");
  CHECK(failing.seen.size() == 100);  // the writer still saw every outcome
}

}  // namespace
}  // namespace bc
