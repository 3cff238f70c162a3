// RunReport: the report stage of `crawler run` in one object. It creates the
// run directory, streams pages.jsonl and the history rows
// (results/history.sqlite, report/history_writer.h), renders summary.md,
// junit.xml, report.html and metrics.prom at the end, completes the run in the
// history and moves results/latest.
//
//   auto report = RunReport::Start("results", info);      // info.run_id = MakeRunId()
//   for each finished probe: report->Add(probe, outcome);  // one thread
//   ... decide exit code (report->summary(), DiffRuns(baseline, report->CurrentRows()))
//   report->Finish(info_with_finished_exit_code_partial);  // fills info.groups, info.evidence
//
// Not thread-safe: call it from one thread (it runs a writer thread of its
// own for pages.jsonl, the evidence files and the history inserts). Refers to every probe given to Add until destroyed.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "report/grouping.h"
#include "report/history.h"
#include "report/writer.h"

namespace bc {

class WriterThread;  // report/writer_thread.h

struct RunReportOptions {
  // How long the history may stay locked by another process before the run
  // gives up recording itself (report/history_writer.h), and how many
  // outcomes go into it per transaction during the run.
  int history_busy_budget_ms = History::kBusyTimeoutMs;
  size_t history_batch = 1000;
};

class RunReport {
 public:
  // Creates results_dir/info.run_id/ (must not exist) and pages.jsonl.
  static Result<RunReport> Start(const std::string& results_dir, const RunInfo& info,
                                 const RunReportOptions& options = {});

  RunReport(RunReport&&) noexcept;
  RunReport& operator=(RunReport&&) noexcept;
  ~RunReport();

  const std::string& run_dir() const { return run_dir_; }
  const std::string& history_path() const { return history_path_; }
  // Counts so far (progress line, exit code).
  const RunSummary& summary() const { return summary_; }
  // Every result so far, in finish order. Refers to the probes given to Add.
  const ResultList& results() const { return *results_; }
  // The results so far as history rows (for DiffRuns against a baseline
  // before Finish, e.g. for --fail-on new).
  std::vector<OutcomeRow> CurrentRows() const;

  // Queues the outcome for pages.jsonl and the history (written on the
  // writer thread, report/writer_thread.h: a slow disk or a locked history
  // does not hold up the caller) and keeps the result for the end-of-run
  // formats (compactly, see results.h). Returns the first write error seen so far. Counts it with
  // info.warnings_fail from Start. `probe` must outlive this RunReport: it
  // is referred to, not copied (the plan and the pre-flight probes do).
  Result<void> Add(const Probe& probe, const Outcome& outcome);
  Result<void> Add(const Probe&& probe, const Outcome& outcome) = delete;  // would dangle

  // Evidence, step 1 (report/evidence.h): when the outcome is a failure with
  // a response and its (FailureKey, known task) has fewer than `per_key`
  // staged (0 = info.evidence_per_group), queues its headers and body for
  // evidence/.staging/ on the writer thread (redacted there); else drops them.
  // `outcome` must be redacted and carry its known task. Returns the first
  // write error seen so far. Nothing with info.evidence_per_group = 0.
  Result<void> StageEvidence(const Probe& probe, const Outcome& outcome,
                             const std::vector<std::pair<std::string, std::string>>& headers, std::string body,
                             int64_t body_total, const std::string& body_cut, int per_key = 0);

  // Waits until pages.jsonl holds every outcome given to Add so far (and the
  // history writer has seen them: in the database unless it was locked).
  Result<void> Flush();
  // `info`: the final RunInfo (finished_unix_ms, exit_code, partial set).
  // Groups the failures once (GroupFailures into info.groups, for every
  // writer and the caller); when info.last_clean_unix_ms is 0 it is looked
  // up in the history first. Keeps each group's evidence (SelectEvidence,
  // info.evidence) and writes every file (each atomically; all are attempted
  // even when one fails), completes the run in the history (waiting for a
  // locked one at most what is left of its busy budget), and points
  // results/latest at this run (partial or not). Returns the first error.
  Result<void> Finish(RunInfo& info);

 private:
  RunReport() = default;

  std::string results_dir_;
  std::string run_dir_;
  std::string history_path_;
  bool warnings_fail_ = false;
  int evidence_per_group_ = 0;
  std::map<std::string, int> staged_;  // FailureKey + "\n" + known task -> responses staged
  RunSummary summary_;
  // Heap-allocated so the writers' pointer to it survives moves of RunReport.
  std::unique_ptr<ResultList> results_;
  std::unique_ptr<ReportWriter> jsonl_;                   // pages.jsonl, streamed
  std::vector<std::unique_ptr<ReportWriter>> rendered_;   // summary.md ... metrics.prom, at Finish
  std::unique_ptr<ReportWriter> history_;                 // history.sqlite, streamed, finished last
  // Calls jsonl_'s and history_'s Add from Start to Finish; declared after
  // them so it is stopped (destroyed) before them.
  std::unique_ptr<WriterThread> writer_thread_;
};

}  // namespace bc
