// What `crawler run` shows while it crawls. On a terminal: one progress line
// on stderr, redrawn at most 10 times a second (done/total, pages/s, failures
// so far, ETA), with each failing probe printed above it. Not a terminal
// (CI logs): one plain line per failing probe, nothing else.
#pragma once

#include <chrono>
#include <cstddef>

#include "classify/outcome.h"
#include "plan/probe.h"

namespace bc {

class ProgressDisplay {
 public:
  // total: probes planned; tty: draw the progress line; failures: print a
  // line per non-ok probe (off with --quiet or --format json).
  ProgressDisplay(size_t total, bool tty, bool failures);
  void Add(const Probe& probe, const Outcome& outcome);
  // Erases the progress line (call before the final summary).
  void Finish();

 private:
  void Draw(bool force);
  size_t total_;
  bool tty_;
  bool failures_;
  size_t done_ = 0;
  size_t failed_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace bc
