// HistoryWriter: a run's rows in results/history.sqlite, streamed in as the
// outcomes arrive (on the results writer thread, report/writer_thread.h), so a
// big run's inserts overlap its fetching and a locked database never holds
// the fetch loop: while another process holds the write lock, rows wait here
// and go in with a later batch.
//
//   Begin   (caller's thread)  keeps the run's facts; no I/O
//   Add     (writer thread)    queues the outcome's row; every `batch` rows
//                              tries one transaction (History::AddOutcomes)
//                              without waiting for a lock; a locked database
//                              keeps the rows for the next try, up to
//                              kMaxPendingBatches batches, then the rest is
//                              left to Finish (memory stays bounded)
//   Finish  (caller's thread, after the writer thread stopped) completes the
//           run (History::FinishRun: every outcome not recorded yet, read
//           from the run's results), waiting for the lock at most what is
//           left of the busy budget: `busy_budget_ms` counted from the first
//           attempt that found the database locked (and not since written).
//
// A history that cannot be written (locked past the budget, damaged, not a
// history) is an error from Add or Finish naming the file; every other file
// of the run is written regardless (the caller reports it; exit code 2).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "report/history.h"
#include "report/results.h"
#include "report/writer.h"

namespace bc {

class HistoryWriter final : public ReportWriter {
 public:
  // `results`: the run's results, the outcomes given to Add in the same
  // order; complete when Finish is called, which reads them (the rows not
  // recorded yet, latency, wiki health); must outlive Finish.
  HistoryWriter(std::string path, const ResultList* results, int busy_budget_ms = History::kBusyTimeoutMs,
                size_t batch = 1000);
  Result<void> Begin(const RunInfo& info) override;
  Result<void> Add(const Probe& probe, const Outcome& outcome) override;
  Result<void> Finish(const RunInfo& info, const RunSummary& summary) override;

 private:
  // One transaction of the pending rows, without waiting: written, or
  // locked (kept for later); an Error otherwise.
  Result<void> TryFlush();
  // The connection, opened on first use with `busy_ms` as its busy timeout.
  Result<History*> Db(int busy_ms);

  std::string path_;
  const ResultList* results_;
  int busy_budget_ms_;
  size_t batch_;
  RunInfo run_;  // run id, targets, start, planned, scope, warnings_fail (Begin)
  std::optional<History> history_;
  static constexpr size_t kMaxPendingBatches = 8;
  std::vector<OutcomeRow> pending_;  // the outcomes recorded_ .. recorded_ + pending_.size()
  size_t recorded_ = 0;              // the first outcomes, in the database
  bool streaming_ = true;            // false: the rest is Finish's (locked too long)
  // When an attempt first found the database locked; reset by a write.
  std::optional<std::chrono::steady_clock::time_point> locked_since_;
  bool failed_ = false;  // a real error was returned: no more attempts
};

}  // namespace bc
