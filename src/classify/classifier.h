// PageClassifier: one verdict for one HTTP response, fed as the body streams.
// This file and classifier.cc are the streaming region machine (which bytes
// get which treatment); the verdict rules are in rules.h, the exception-text
// parser in exception_text.h (README.md next to this file).
//
// Contract (the engine relies on it):
//  - Construct one per response; call SetStatus and AddHeader (any order)
//    before the first Feed; SetFinalUrl when a redirect was followed.
//  - Feed(chunk) any number of times with consecutive body bytes (decoded, i.e.
//    after Content-Encoding). Feeding the same body in different chunkings gives
//    the same Classification (tests check whole vs 1-byte chunks).
//  - Finish() exactly once, after the last Feed; it returns the verdict and evidence.
//  - Memory per classifier is bounded (does not grow with body size beyond a
//    small fixed window), so a 50 MB page costs no more than a 200 KB one.
//  - Transport failures are decided by the engine, not here: the engine never
//    calls Finish() for a transfer that failed; it builds a kTransport result itself.
//  - With a MemoryBudget (SetMemoryBudget), the bytes it holds are charged to
//    that budget, shared with every other classifier of the run; a buffer
//    that would grow past it stops growing, the page is classified from the
//    bytes kept, and the evidence says so: a verdict that needed the bytes not
//    kept (broken: structure or JSON not seen) becomes kTransport "memory
//    budget" (the crawler could not judge the page, like a body too large);
//    any other verdict gets the note in its detail. Without one (classify
//    command, tests) only the per-classifier caps below apply.
//  - Not thread-safe; one thread at a time (it may move between threads).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "classify/expectations.h"
#include "core/memory_budget.h"
#include "classify/verdict.h"
#include "plan/probe.h"

namespace bc {

class PageClassifier {
 public:
  explicit PageClassifier(Expectations expectations);
  ~PageClassifier();
  PageClassifier(PageClassifier&&) noexcept;
  PageClassifier& operator=(PageClassifier&&) noexcept;

  void SetStatus(long http_status);
  void AddHeader(std::string_view name, std::string_view value);
  void SetFinalUrl(std::string_view url);  // after redirects (login redirect => auth)
  // Before the first Feed; `budget` must outlive this classifier, which gives
  // its bytes back when destroyed.
  void SetMemoryBudget(MemoryBudget* budget);
  void Feed(std::string_view chunk);
  Classification Finish();

  // The most bytes this classifier has held at once (its own buffers: head,
  // list-marker carry, PHP-marker window, API body), for the bounded-memory
  // tests. libxml2's parser input is bounded separately (BodyParser is fed at
  // most kBodyParseCap bytes and stops at the list start).
  size_t PeakRetainedBytes() const;

  // Limits that bound memory whatever the body size (bytes).
  static constexpr size_t kHeadCap = 2 << 20;       // <head> bytes kept for RLCONF/title
  static constexpr size_t kBodyParseCap = 2 << 20;  // body bytes given to libxml2 before the list
  static constexpr size_t kApiCap = 8 << 20;        // API (JSON) body kept for parsing

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bc
