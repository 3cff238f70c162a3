#include "classify/page_sink.h"

#include <algorithm>
#include <charconv>
#include <exception>
#include <memory>
#include <utility>

namespace bc {
namespace {

// Content-Length of an identity-encoded body; 0 when absent, not a number or
// the body is compressed (the decoded bytes are more than it says).
size_t AnnouncedLength(const Headers& headers) {
  size_t length = 0;
  for (const auto& [name, value] : headers) {  // names are lower-cased (engine.h)
    if (name == "content-encoding" && value != "identity") return 0;
    if (name != "content-length") continue;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec != std::errc() || end != value.data() + value.size()) return 0;
  }
  return length;
}

PageClassifier NewClassifier(const Expectations& e, long status, const Headers& headers) {
  PageClassifier c(e);
  c.SetStatus(status);
  for (const auto& [name, value] : headers) c.AddHeader(name, value);
  return c;
}

class ClassifierSink : public BodySink {
 public:
  // `expected`: the body's announced length (Content-Length; 0 = unknown).
  // The capture is sized for it at once: growing a string by doubling copied
  // every page's bytes two or three times (a third of the crawler's CPU on
  // 185 KB pages, perf in bench/RESULTS.md).
  ClassifierSink(PageClassifier c, const SinkOptions& options, size_t expected)
      : classifier_(std::move(c)), budget_(options.budget), capture_cap_(options.capture_bytes) {
    // Past the budget, Feed grows it step by step and keeps what fits.
    if (capture_cap_ > 0 && expected > 0) Grow(std::min(expected, capture_cap_));
  }
  ~ClassifierSink() override { ReleaseCapture(); }
  ClassifierSink(const ClassifierSink&) = delete;
  ClassifierSink& operator=(const ClassifierSink&) = delete;

  void Feed(std::string_view chunk) override {
    classifier_.Feed(chunk);
    captured_.total += static_cast<int64_t>(chunk.size());
    if (capture_cap_ == 0 || !captured_.cut.empty()) return;
    const std::string_view take = chunk.substr(0, capture_cap_ - captured_.bytes.size());
    if (!Grow(take.size())) {
      captured_.cut = "memory budget";
      return;
    }
    captured_.bytes.append(take);
    if (take.size() < chunk.size()) captured_.cut = "capture cap";
  }
  PageClassifier& classifier() { return classifier_; }

  // The kept bytes, out of the budget: the caller holds them now.
  CapturedBody TakeCapture() {
    ReleaseCapture();
    return std::move(captured_);
  }

 private:
  // Room for `add` more captured bytes: the capacity growth is charged to the
  // budget first (std::string at least doubles).
  bool Grow(size_t add) {
    std::string& b = captured_.bytes;
    if (b.size() + add <= b.capacity()) return true;
    size_t want = std::min(std::max(b.size() + add, 2 * b.capacity()), capture_cap_);
    // libstdc++ allocates at least double the old capacity: charge what it will hold.
    if (want < 2 * b.capacity()) want = 2 * b.capacity();
    const size_t growth = want - charged_;  // charged_: the heap bytes held so far (0 in the inline buffer)
    if (budget_ != nullptr && !budget_->TryReserve(growth)) return false;
    const size_t reserved = charged_ + growth;  // what the budget now holds for this capture
    b.reserve(want);
    if (budget_ != nullptr) {
      // reserve() may allocate other than asked: the charge is what is held.
      const size_t held = b.capacity();
      if (held > reserved) budget_->Charge(held - reserved);
      else budget_->Release(reserved - held);
      charged_ = held;
    }
    return true;
  }
  void ReleaseCapture() {
    if (budget_ != nullptr && charged_ > 0) budget_->Release(charged_);
    charged_ = 0;
  }

  PageClassifier classifier_;
  MemoryBudget* budget_ = nullptr;
  size_t capture_cap_ = 0;
  size_t charged_ = 0;
  CapturedBody captured_;
};

}  // namespace

BodySinkFactory ClassifyingSink(Expectations expectations, SinkOptions options) {
  return [e = std::move(expectations), options](const ResponseHead& head) -> std::unique_ptr<BodySink> {
    PageClassifier c = NewClassifier(e, head.status, head.headers);
    if (head.redirects > 0) c.SetFinalUrl(head.url);
    if (options.budget != nullptr) c.SetMemoryBudget(options.budget);
    return std::make_unique<ClassifierSink>(std::move(c), options, AnnouncedLength(head.headers));
  };
}

Classification TransportResult(const std::string& cause, const std::string& text) {
  Classification c;
  c.verdict = Verdict::kTransport;
  c.evidence.signature = "transport: " + cause;
  c.evidence.message = text;
  c.evidence.detail = "transport: " + text;
  return c;
}

Classification NotRunResult(const std::string& reason) {
  Classification c;
  c.verdict = Verdict::kNotRun;
  c.evidence.signature = "not run: " + reason;
  c.evidence.detail = "not run: " + reason;
  return c;
}

Outcome JudgeResponse(Response&& r, const Expectations* expectations, CapturedBody* captured) {
  Outcome o;
  static_cast<Fetch&>(o) = std::move(r.fetch);
  o.probe_index = r.index;
  switch (r.end) {
    case Response::End::kFailed:
      o.result = TransportResult(r.cause, o.transport_error);
      if (r.cause == kThrottledCause) {
        o.result.verdict = Verdict::kThrottled;
        o.result.evidence.signature = "throttled: HTTP 429";
        o.result.evidence.detail = "throttled: " + o.transport_error;
      }
      return o;
    case Response::End::kNotRun:
      o.result = NotRunResult(r.cause);
      o.transport_error.clear();
      return o;
    case Response::End::kAnswered:
      break;
  }
  if (expectations == nullptr) return o;  // unclassified: ok, the transfer worked
  try {
    auto* sink = dynamic_cast<ClassifierSink*>(r.sink.get());
    if (sink != nullptr && captured != nullptr) *captured = sink->TakeCapture();
    std::optional<PageClassifier> made;
    if (sink == nullptr) {  // no body reached a sink: judge the head, and the body kept without one
      made.emplace(NewClassifier(*expectations, o.http_status, r.headers));
      if (o.redirects > 0) made->SetFinalUrl(o.final_url);
      if (!r.body.empty()) made->Feed(r.body);
    }
    PageClassifier& c = sink != nullptr ? sink->classifier() : *made;
    if (!o.redirect_location.empty()) c.SetFinalUrl(o.redirect_location);
    o.result = c.Finish();
  } catch (const std::exception& ex) {
    o.result = TransportResult("classifier failed", std::string("classifier failed: ") + ex.what());
    o.transport_error = o.result.evidence.message;
  }
  return o;
}

}  // namespace bc
