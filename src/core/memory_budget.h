// MemoryBudget: one cap on the bytes every page classifier of a run holds
// together (issue 15): the buffers that grow with a body (API JSON, <head>
// bytes, unparsed body prefixes) and the bodies kept for evidence
// (classify/page_sink.h). Each classifier's fixed windows (~64 KiB: prefix,
// tail, PHP-marker window) are bounded on their own and not charged. Without it each transfer could keep its own caps
// (8 MiB of API JSON alone), so memory grew with concurrency: 128 transfers of
// 16 MB API answers peaked at ~1 GB. With it a transfer that would go past the
// budget keeps what it has, and its page is classified from those bytes and
// says so (classify/classifier.h).
//
// Who holds one: the crawl (one per run, [crawl] memory_budget_mb); classifiers
// and sinks get a pointer that must outlive them. Thread-safe (atomics), though
// today only the engine's I/O thread uses it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace bc {

class MemoryBudget {
 public:
  explicit MemoryBudget(int64_t limit_bytes) : limit_(limit_bytes) {}
  MemoryBudget(const MemoryBudget&) = delete;
  MemoryBudget& operator=(const MemoryBudget&) = delete;

  // Takes `bytes` from the budget if they fit; false (nothing taken) when
  // they would go past the limit.
  bool TryReserve(size_t bytes);
  // Takes `bytes` whatever the limit: accounting for memory already held
  // (a std::string that grew a little more than asked).
  void Charge(size_t bytes);
  // Gives back bytes taken by TryReserve or Charge.
  void Release(size_t bytes);

  int64_t limit() const { return limit_; }
  int64_t used() const { return used_.load(std::memory_order_relaxed); }
  int64_t peak() const { return peak_.load(std::memory_order_relaxed); }
  // How many reservations the limit refused (each a page classified from
  // fewer bytes than it would have kept).
  int64_t refusals() const { return refusals_.load(std::memory_order_relaxed); }

 private:
  void NotePeak(int64_t now);

  const int64_t limit_;
  std::atomic<int64_t> used_{0};
  std::atomic<int64_t> peak_{0};
  std::atomic<int64_t> refusals_{0};
};

}  // namespace bc
