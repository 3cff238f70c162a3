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

// A sink factory making a PageClassifier with these expectations per attempt.
BodySinkFactory ClassifyingSink(Expectations expectations);

// The Outcome of a Response:
//  - kFailed: kTransport with the engine's cause and text;
//  - kNotRun: kNotRun "not run: CAUSE";
//  - kAnswered with `expectations`: the classifier's verdict (a classifier that
//    throws in Finish gives kTransport "classifier failed");
//  - kAnswered without (an unclassified request): kOk.
// outcome.probe_index = r.index. Consumes the Response's sink.
Outcome JudgeResponse(Response&& r, const Expectations* expectations);

// The verdicts the engine's ends stand for (also for callers without a Response).
Classification TransportResult(const std::string& cause, const std::string& text);
Classification NotRunResult(const std::string& reason);

}  // namespace bc
