#include "report/run_report.h"

#include <fmt/format.h>

#include <filesystem>

#include "report/evidence.h"
#include "report/history_writer.h"
#include "report/html_report.h"
#include "report/jsonl_writer.h"
#include "report/junit_xml.h"
#include "report/metrics_prom.h"
#include "report/rendered_writer.h"
#include "report/run_dir.h"
#include "report/summary_md.h"
#include "report/summary_remarkup.h"
#include "report/writer_thread.h"

namespace bc {

RunReport::RunReport(RunReport&&) noexcept = default;
RunReport& RunReport::operator=(RunReport&&) noexcept = default;
RunReport::~RunReport() = default;

Result<RunReport> RunReport::Start(const std::string& results_dir, const RunInfo& info,
                                   const RunReportOptions& options) {
  auto dir = CreateRunDir(results_dir, info.run_id);
  if (!dir) return std::unexpected(dir.error());
  RunReport r;
  r.results_dir_ = results_dir;
  r.run_dir_ = *dir;
  r.history_path_ = (std::filesystem::path(results_dir) / "history.sqlite").string();
  r.warnings_fail_ = info.warnings_fail;
  r.evidence_per_group_ = info.evidence_per_group;
  r.results_ = std::make_unique<ResultList>();
  r.results_->Reserve(info.planned);
  const auto in_dir = [&](const char* name) { return (std::filesystem::path(*dir) / name).string(); };
  const ResultList* shared = r.results_.get();
  r.jsonl_ = std::make_unique<JsonlWriter>(in_dir("pages.jsonl"));
  // report.html first: the largest, rendered on the writer thread (Finish).
  r.rendered_.push_back(std::make_unique<RenderedFileWriter>(in_dir("report.html"), &WriteHtmlReport, shared));
  r.rendered_.push_back(std::make_unique<RenderedFileWriter>(in_dir("junit.xml"), &WriteJunitXml, shared));
  r.rendered_.push_back(std::make_unique<RenderedFileWriter>(in_dir("summary.md"), &WriteSummaryMarkdown, shared));
  r.rendered_.push_back(std::make_unique<RenderedFileWriter>(in_dir("summary.remarkup"), &WriteSummaryRemarkup, shared));
  r.rendered_.push_back(std::make_unique<RenderedFileWriter>(in_dir("metrics.prom"), &WriteMetrics, shared));
  r.history_ = std::make_unique<HistoryWriter>(r.history_path_, shared, options.history_busy_budget_ms,
                                               options.history_batch);
  if (auto begun = r.jsonl_->Begin(info); !begun) return std::unexpected(begun.error());
  for (auto& w : r.rendered_)
    if (auto begun = w->Begin(info); !begun) return std::unexpected(begun.error());
  if (auto begun = r.history_->Begin(info); !begun) return std::unexpected(begun.error());
  // Streamed per outcome: pages.jsonl and the history. The rendered files
  // read the shared results at Finish.
  std::vector<ReportWriter*> streamed = {r.jsonl_.get(), r.history_.get()};
  r.writer_thread_ = std::make_unique<WriterThread>(std::move(streamed));
  return r;
}

Result<void> RunReport::Add(const Probe& probe, const Outcome& outcome) {
  Count(summary_, outcome, warnings_fail_);
  results_->Add(probe, outcome);
  // pages.jsonl is written on the writer thread: the fetch loop only queues.
  return writer_thread_->Post(probe, outcome);
}

Result<void> RunReport::StageEvidence(const Probe& probe, const Outcome& outcome,
                                      const std::vector<std::pair<std::string, std::string>>& headers,
                                      std::string body, int64_t body_total, const std::string& body_cut,
                                      int per_key) {
  const Verdict v = outcome.result.verdict;
  if (evidence_per_group_ <= 0 || v == Verdict::kOk || v == Verdict::kNotRun || outcome.http_status == 0) return {};
  int& staged = staged_[FailureKey(outcome) + "\n" + outcome.known_task];
  if (staged >= (per_key > 0 ? per_key : evidence_per_group_)) return {};
  ++staged;
  std::vector<std::pair<std::string, std::string>> notes = {
      {"probe", probe.id.str()}, {"wiki", probe.wiki.str()}, {"url", outcome.final_url.empty() ? probe.url.str() : outcome.final_url},
      {"verdict", std::string(VerdictName(v))}};
  if (!body_cut.empty())
    notes.push_back({"body", fmt::format("the first {} of {} bytes kept ({})", body.size(), body_total, body_cut)});
  std::string headers_text = EvidenceHeadersText(outcome.http_status, headers, notes);
  return writer_thread_->PostJob(
      [staging = EvidenceStagingDir(run_dir_), &probe, headers_text = std::move(headers_text),
       body = std::move(body)]() mutable { return WriteStagedEvidence(staging, probe, headers_text, std::move(body)); });
}

Result<void> RunReport::Flush() { return writer_thread_->Flush(); }

std::vector<OutcomeRow> RunReport::CurrentRows() const { return ToOutcomeRows("", *results_, warnings_fail_); }

Result<void> RunReport::Finish(RunInfo& info) {
  Result<void> first_error;
  const auto keep = [&](Result<void> r) {
    if (!r && first_error) first_error = std::move(r);
  };
  // Every queued outcome is in pages.jsonl (and offered to the history)
  // before anything else is written. The writer thread stays, idle, for
  // report.html below.
  keep(writer_thread_->Flush());
  // A read: WAL lets it past another process's write lock. An unreadable
  // history only costs the metric (the history writer reports it).
  if (info.last_clean_unix_ms == 0)
    if (auto history = History::Open(history_path_); history)
      if (auto last = history->LastCleanRunMs(info.targets_path)) info.last_clean_unix_ms = *last;
  // Once per run: the evidence, every writer and the terminal share them.
  info.groups = GroupFailures(*results_, info.warnings_fail);
  // Evidence before the rendered files: they link what was kept.
  keep(SelectEvidence(run_dir_, *results_, info));
  keep(jsonl_->Finish(info, summary_));
  // Files first, the history last: a broken or locked history database
  // must not cost the CI its report. The rendered files only read the
  // finished results, so report.html (the largest) renders on the writer
  // thread while this one renders the rest: report.html and junit.xml were
  // most of the end of a big run (~0.1 s each at 20,000 probes). No thread of
  // its own: each new thread would get a malloc arena of its own, and their
  // peaks would add up (+4 MB at 200,000 probes).
  keep(writer_thread_->PostJob([&info, this] { return rendered_.front()->Finish(info, summary_); }));
  for (size_t i = 1; i < rendered_.size(); ++i) keep(rendered_[i]->Finish(info, summary_));
  keep(writer_thread_->Stop());  // report.html written (or its error kept)
  keep(history_->Finish(info, summary_));
  // Partial runs too: `latest` is this run's report (a CI step copies
  // latest/junit.xml, a textfile collector reads latest/metrics.prom, whose
  // beta_crawler_run_partial says so). Baselines skip partial runs instead.
  keep(UpdateLatestSymlink(results_dir_, info.run_id));
  return first_error;
}

}  // namespace bc
