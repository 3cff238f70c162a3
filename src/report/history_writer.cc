#include "report/history_writer.h"

#include <fmt/format.h>

#include <algorithm>

namespace bc {

HistoryWriter::HistoryWriter(std::string path, const ResultList* results, int busy_budget_ms, size_t batch)
    : path_(std::move(path)), results_(results), busy_budget_ms_(busy_budget_ms), batch_(batch == 0 ? 1 : batch) {}

Result<void> HistoryWriter::Begin(const RunInfo& info) {
  run_ = info;
  run_.wiki_facts.clear();  // recorded by Finish, from its own info
  return {};
}

Result<History*> HistoryWriter::Db(int busy_ms) {
  if (!history_) {
    auto opened = History::Open(path_, busy_ms);
    if (!opened) return std::unexpected(opened.error());
    history_.emplace(std::move(*opened));
  }
  history_->SetBusyTimeout(busy_ms);
  return &*history_;
}

Result<void> HistoryWriter::TryFlush() {
  const auto now = std::chrono::steady_clock::now();
  auto db = Db(0);
  // Locked while opening (a first run's schema being made by another
  // process) is like locked while writing: try again with the next batch.
  Result<bool> written = db ? (*db)->AddOutcomes(run_, pending_) : std::unexpected(db.error());
  if (!written && !history_ && written.error().message.find("locked") != std::string::npos) written = false;
  if (!written) {
    failed_ = true;
    return std::unexpected(written.error());
  }
  if (*written) {
    recorded_ += pending_.size();
    pending_.clear();
    locked_since_.reset();
    return {};
  }
  if (!locked_since_) locked_since_ = now;
  if (pending_.size() >= kMaxPendingBatches * batch_) {
    // Locked for that long: stop keeping rows; Finish records the rest
    // from the run's results.
    streaming_ = false;
    pending_.clear();
    pending_.shrink_to_fit();
  }
  return {};
}

Result<void> HistoryWriter::Add(const Probe& probe, const Outcome& outcome) {
  if (failed_ || !streaming_) return {};  // an error was returned once; Finish says it again
  pending_.push_back(ToOutcomeRow(run_.run_id, ResultRef(probe, outcome), run_.warnings_fail));
  if (pending_.size() % batch_ != 0) return {};
  return TryFlush();
}

Result<void> HistoryWriter::Finish(const RunInfo& info, const RunSummary& summary) {
  if (failed_) return Fail(Error::Code::kIo, "the run was not recorded in the history (see the error above)", path_);
  // What is left of the busy budget: a lock seen for the whole run is not
  // waited for another full budget at its end.
  int wait_ms = busy_budget_ms_;
  if (locked_since_) {
    const auto locked_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                                  *locked_since_).count();
    wait_ms = static_cast<int>(std::max<int64_t>(0, busy_budget_ms_ - locked_ms));
  }
  auto db = Db(wait_ms);
  Result<void> done = db ? (*db)->FinishRun(info, summary, *results_, recorded_) : std::unexpected(db.error());
  if (!done) {
    const bool locked = done.error().message.find("locked") != std::string::npos;
    const int64_t waited_ms =
        locked_since_ ? std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                              *locked_since_).count()
                      : wait_ms;
    return Fail(Error::Code::kIo,
                locked ? fmt::format("the run was not recorded in the history: another process held its write "
                                     "lock for {:.1f} s ({}); pages.jsonl and the reports have every result",
                                     static_cast<double>(waited_ms) / 1000.0, done.error().message)
                       : fmt::format("the run was not recorded in the history: {}", done.error().message),
                path_);
  }
  recorded_ = results_->size();
  pending_.clear();
  return {};
}

}  // namespace bc
