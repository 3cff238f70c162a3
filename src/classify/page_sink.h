// The classifier as the engine's body sink, and an engine Response turned
// into a probe's Outcome: the one place where a fetch becomes a verdict.
//
// Flow: the crawl sets Request.sink = ClassifyingSink(expectations); the
// engine makes one PageClassifier per attempt at its first body byte (with
// the response's status, headers and URL) and feeds it every chunk on the I/O
// thread; on_done calls JudgeResponse, which finishes the final attempt's
// classifier (or makes one from the head when no body came: an empty 200, a
// 3xx not followed) and returns the Outcome.
#pragma once

#include "classify/classifier.h"
#include "classify/outcome.h"
#include "engine/engine.h"

namespace bc {

struct SinkOptions {
  // Shared by every classifier and capture of the run (core/memory_budget.h);
  // null = none. Must outlive the sinks.
  MemoryBudget* budget = nullptr;
  // Keep up to this many body bytes (charged to the budget) so that a failing
  // response can be saved as evidence (JudgeResponse's `captured`); 0 = none.
  size_t capture_bytes = 0;
};

// A sink factory making a PageClassifier with these expectations per attempt.
BodySinkFactory ClassifyingSink(Expectations expectations, SinkOptions options = {});

// The body bytes a sink kept (SinkOptions::capture_bytes) of the final attempt.
struct CapturedBody {
  std::string bytes;  // the body's first bytes, decoded (after Content-Encoding)
  int64_t total = 0;  // body bytes received
  std::string cut;    // why bytes are missing: "" none, "capture cap", "memory budget"
};

// The Outcome of a Response:
//  - kFailed: kThrottled when the cause is kThrottledCause (the server kept
//    answering 429), else kTransport with the engine's cause and text;
//  - kNotRun: kNotRun "not run: CAUSE";
//  - kAnswered with `expectations`: the classifier's verdict (a classifier that
//    throws in Finish gives kTransport "classifier failed"); a request made
//    without a sink has its kept body (r.body) judged whole;
//  - kAnswered without (an unclassified request): kOk.
// outcome.probe_index = r.index. Consumes the Response's sink and fetch
// (r.headers is left as it was, for the caller's evidence). With
// `captured`, the bytes the sink kept are moved there (and leave the budget:
// the caller now holds them); it stays empty when no body reached a sink.
Outcome JudgeResponse(Response&& r, const Expectations* expectations, CapturedBody* captured = nullptr);

// The verdicts the engine's ends stand for (also for callers without a Response).
Classification TransportResult(const std::string& cause, const std::string& text);
Classification NotRunResult(const std::string& reason);

}  // namespace bc
