// The finished probes of a run, as the end-of-run formats read them
// (summary.md, junit.xml, report.html, metrics.prom, history, grouping).
//
// Memory (issue 3: peak RSS flat in the number of probes, beyond the plan):
// a ResultList refers to each Probe instead of copying it (the plan already
// holds it), and keeps a plain ok outcome (HTTP status, time, retries, the
// classifier's one-line detail; no redirect, no error text) as 24 bytes
// instead of a whole Outcome (~400 bytes plus its strings). Every other
// outcome is kept whole: failures are what the reports are about, and there
// are few of them. 200,000 ok probes cost ~5 MB here, against ~330 MB for
// copied (probe, outcome) pairs.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "classify/outcome.h"
#include "plan/probe.h"

namespace bc {

// One finished probe: what was planned and what happened (an owning pair:
// tests, and writers that keep their own copies).
struct ProbeResult {
  Probe probe;
  Outcome outcome;
};

// One entry of a ResultList, made on access. Valid while the list and the
// probes it refers to live. Not copyable (it may own the outcome it points
// at): bind it, `const auto& r = list[i];`, or iterate.
class ResultRef {
 public:
  ResultRef(const Probe& p, const Outcome& o) : probe(p), outcome(o) {}
  ResultRef(const Probe& p, Outcome&& made) : made_(std::move(made)), probe(p), outcome(made_) {}
  ResultRef(const ResultRef&) = delete;
  ResultRef& operator=(const ResultRef&) = delete;

 private:
  Outcome made_;  // declared first: `outcome` may refer to it

 public:
  const Probe& probe;
  const Outcome& outcome;
};

class ResultList {
 public:
  // An empty list to Add to.
  ResultList() = default;
  // A view of pairs the caller owns and keeps alive (tests, small runs).
  ResultList(const std::vector<ProbeResult>& pairs) : pairs_(&pairs) {}  // NOLINT: implicit on purpose
  // Move-only: a copy is every result of the run again (one hid in a `?:`).
  ResultList(const ResultList&) = delete;
  ResultList& operator=(const ResultList&) = delete;
  ResultList(ResultList&&) = default;
  ResultList& operator=(ResultList&&) = default;

  // Appends a result. `probe` is referred to, not copied: it must outlive the
  // list (the plan, or the pre-flight probes, do). Not for a view.
  void Add(const Probe& probe, const Outcome& outcome);
  void Add(const Probe&& probe, const Outcome& outcome) = delete;  // would dangle

  // Room for `count` results at once (no growth slack).
  void Reserve(size_t count) { entries_.reserve(count); }

  size_t size() const { return pairs_ ? pairs_->size() : entries_.size(); }
  bool empty() const { return size() == 0; }
  ResultRef operator[](size_t i) const;
  // The probe of result i, without making its outcome (sorting, grouping).
  const Probe& ProbeAt(size_t i) const { return pairs_ ? (*pairs_)[i].probe : *entries_[i].probe; }

  class Iterator {
   public:
    Iterator(const ResultList* list, size_t i) : list_(list), i_(i) {}
    ResultRef operator*() const { return (*list_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const Iterator& other) const { return i_ != other.i_; }

   private:
    const ResultList* list_;
    size_t i_;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

 private:
  static constexpr uint32_t kPlain = UINT32_MAX;
  struct Entry {
    const Probe* probe = nullptr;
    uint32_t whole = kPlain;  // index into whole_, or kPlain: the fields below
    uint16_t status = 0;
    uint16_t detail = 0;      // index into details_
    float total_seconds = 0;  // float: 0.1 ms resolution up to 15 min, and the entry stays 24 bytes
    uint8_t retries = 0;
  };
  static_assert(sizeof(void*) != 8 || sizeof(Entry) == 24);

  const std::vector<ProbeResult>* pairs_ = nullptr;
  std::vector<Entry> entries_;
  std::vector<Outcome> whole_;             // outcomes that are not plain ok
  std::vector<std::string> details_;       // distinct ok details ("HTTP 200, mw-changeslist")
  std::unordered_map<std::string, uint16_t> detail_index_;
};

}  // namespace bc
