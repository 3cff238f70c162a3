// results/history.sqlite: every run and every probe outcome, for `crawler
// history`, `diff`, `recheck`, `--baseline` and the "last clean run" metric.
//
// Schema versioned with PRAGMA user_version and migrated forward on Open
// (from an empty file up; an Open of a current file takes no write lock);
// WAL mode and a busy timeout so two crawler processes (or threads, each with
// its own History) can record at once, and readers pass a writer. Writes run
// in BEGIN IMMEDIATE transactions: one per recorded run (RecordRun), or, for
// a run streamed in as it goes (report/history_writer.h), one per batch of
// outcomes (AddOutcomes) and one to finish it (FinishRun).
//
// A History owns one SQLite connection; move-only; use it from one thread at
// a time (open one History per thread).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "report/grouping.h"
#include "report/latency.h"
#include "report/run_diff.h"
#include "report/writer.h"

struct sqlite3;
struct sqlite3_stmt;

namespace bc {

struct RunRow {
  std::string run_id;
  std::string targets;          // RunInfo::targets_path as given (pass an absolute path for stable matching)
  int64_t started_unix_ms = 0;
  int64_t finished_unix_ms = 0;
  int exit_code = 0;
  bool partial = false;
  int64_t planned = 0;
  RunSummary totals;
  std::string scope;            // RunInfo::scope: "" = the whole plan of `targets`
};


// The history row of one result, and of every result (exactly what
// History::RecordRun stores).
OutcomeRow ToOutcomeRow(const std::string& run_id, const ResultRef& result, bool warnings_fail);
std::vector<OutcomeRow> ToOutcomeRows(const std::string& run_id, const ResultList& results,
                                      bool warnings_fail);

// `scope` (crawler/options.h PlanScope: "--wiki a --kind b ...") as runs
// recorded before the renames wrote it ("--page b"), to find their baselines.
std::string ScopeWithOldNames(std::string_view scope);

class History {
 public:
  // Opens (creating if needed) the database at `path` and migrates it to the
  // current schema. kIo when the file cannot be opened or is not a history
  // database; kConfig when it was written by a newer crawler.
  // `busy_timeout_ms`: how long a statement waits for another connection's
  // write lock before failing with "database is locked".
  static constexpr int kBusyTimeoutMs = 30000;
  static Result<History> Open(const std::string& path, int busy_timeout_ms = kBusyTimeoutMs);
  // The schema version Open migrates to.
  static constexpr int kSchemaVersion = 4;

  History(History&&) noexcept;
  History& operator=(History&&) noexcept;
  ~History();

  // Records a run and all its outcomes in one transaction. Re-recording the
  // same run id replaces it. Its info.wiki_facts are kept too, each marked
  // healthy when the run is complete, not a recheck, and had at least one
  // outcome of that wiki and none that was a product or tool failure.
  Result<void> RecordRun(const RunInfo& info, const RunSummary& summary, const ResultList& results);

  // Streaming a run in as it goes (report/history_writer.h):
  // AddOutcomes records `rows` (of info.run_id) in one transaction, with the
  // run's row first when it has none yet: partial, exit code -1, no totals
  // (a run in progress: never a baseline or the last clean run). false, and
  // nothing written, when another connection holds the write lock past the
  // busy timeout (try again later); an Error for anything else.
  Result<bool> AddOutcomes(const RunInfo& info, const std::vector<OutcomeRow>& rows);
  // Completes it in one transaction: the run's row with its final facts and
  // totals, the outcomes of results[recorded..] (the first `recorded` were
  // added already), and what RecordRun derives from `results` (latency, each
  // wiki's facts and health).
  Result<void> FinishRun(const RunInfo& info, const RunSummary& summary, const ResultList& results,
                         size_t recorded);
  // Changes the busy timeout of this connection (Open's busy_timeout_ms).
  void SetBusyTimeout(int ms);

  // Per site (RunInfo::WikiFactsRow::site): the facts of the newest run (by
  // start time) in which that wiki was healthy, with the run id.
  struct RecordedFacts {
    std::string run_id;
    std::string facts;  // JSON as recorded
  };
  Result<std::map<std::string, RecordedFacts>> LastHealthyFacts();

  // All runs, newest (by start time) first.
  Result<std::vector<RunRow>> ListRuns();
  Result<std::optional<RunRow>> GetRun(const std::string& run_id);
  // The run's p50/p95 per wiki x page kind (report/latency.h), ordered by
  // wiki and kind; empty for a run recorded before schema v3.
  Result<std::vector<LatencyRow>> LoadLatencies(const std::string& run_id);
  // The run's outcomes, ordered by probe id.
  Result<std::vector<OutcomeRow>> LoadOutcomes(const std::string& run_id);

  // The run to compare `current` with. spec "last": the newest complete (not
  // partial) run that started before it, with the same targets_path and scope
  // (so a recheck or a `--wiki` run is never the baseline of a whole-plan
  // run; a scope recorded with the old flag names, "--page KIND", is the same
  // scope as "--kind KIND"); nullopt when there is none. Any other spec is a run id that must
  // exist (kUsage otherwise).
  Result<std::optional<std::string>> FindBaseline(const std::string& spec, const RunInfo& current);

  // finished_unix_ms of the newest complete whole-plan run (scope "") with no
  // product failure for `targets` (any targets when empty); 0 when there is none.
  Result<int64_t> LastCleanRunMs(const std::string& targets);

  // Deletes a run's rows (the run directory is RemoveRunDir's business).
  Result<void> DeleteRun(const std::string& run_id);

  // The on-disk schema version (PRAGMA user_version). For tests.
  Result<int> SchemaVersion();

 private:
  struct DbClose {
    void operator()(sqlite3* db) const;
  };
  explicit History(std::unique_ptr<sqlite3, DbClose> db, std::string path);
  Result<void> Migrate();
  Result<void> Exec(const char* sql);
  struct StmtClose {
    void operator()(sqlite3_stmt* s) const;
  };
  using OutcomeInserter = std::unique_ptr<sqlite3_stmt, StmtClose>;
  Result<void> PutRun(const RunInfo& info, const RunSummary& summary, bool in_progress);
  Result<OutcomeInserter> PrepareOutcomeInsert();
  Result<void> PutOutcome(OutcomeInserter& ins, const OutcomeRow& row);
  Result<void> PutRunDerived(const RunInfo& info, const ResultList& results);

  std::unique_ptr<sqlite3, DbClose> db_;
  std::string path_;
};

}  // namespace bc
