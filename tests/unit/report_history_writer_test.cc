// The history is written on the results writer thread as outcomes arrive
// (report/history_writer.h): another process holding the database's write
// lock must neither hold back an outcome nor lose the run silently.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "report/history.h"
#include "report/run_report.h"
#include "report_fixtures.h"
#include "test_files.h"

namespace bc {
namespace {
namespace fs = std::filesystem;

using testing::MakeOutcome;
using testing::MakeProbe;
using testing::TempResults;

// Another process's write transaction on history.sqlite, held until Release.
class HistoryLockHolder {
 public:
  explicit HistoryLockHolder(const std::string& path) {
    REQUIRE(History::Open(path).has_value());  // an existing, current history
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  void Release() {
    if (db_ == nullptr) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }
  ~HistoryLockHolder() { Release(); }

 private:
  sqlite3* db_ = nullptr;
};

RunInfo LockedRunInfo(size_t planned) {
  RunInfo info;
  info.run_id = "20261127T031845Z-10c4";
  info.targets_path = "/t/local.toml";
  info.started_unix_ms = 1795749525000;
  info.planned = planned;
  return info;
}

std::vector<Probe> LockedRunProbes(size_t n) {
  std::vector<Probe> probes;
  for (size_t i = 0; i < n; ++i)
    probes.push_back(MakeProbe("p" + std::to_string(i), "enwiki", PageKind::kRecentChanges, {{"days", std::to_string(i)}}));
  return probes;
}

TEST_CASE("a history locked for the whole run: every result is written and the run says it is not recorded",
          "[report][history]") {
  TempResults results;
  fs::create_directories(results.dir);
  HistoryLockHolder lock(results.dir + "/history.sqlite");
  const auto probes = LockedRunProbes(3);
  RunInfo info = LockedRunInfo(probes.size());
  RunReportOptions options;
  options.history_busy_budget_ms = 200;  // not the 30 s a run waits
  options.history_batch = 1;             // every outcome tries the database
  auto report = RunReport::Start(results.dir, info, options);
  REQUIRE(report.has_value());
  for (const Probe& p : probes) CHECK(report->Add(p, MakeOutcome(Verdict::kException, 500, "E")).has_value());
  REQUIRE(report->Flush().has_value());  // locked: not an error yet
  CHECK(bc_test::LineCount(report->run_dir() + "/pages.jsonl") == 3);

  info.finished_unix_ms = info.started_unix_ms + 1000;
  info.exit_code = 1;
  auto finished = report->Finish(info);
  REQUIRE_FALSE(finished.has_value());
  CHECK_THAT(finished.error().message, Catch::Contains("not recorded in the history"));
  CHECK_THAT(finished.error().message, Catch::Contains("locked"));
  CHECK(finished.error().where == report->history_path());
  // Every other file was written, and latest moved.
  for (const char* name : {"pages.jsonl", "summary.md", "junit.xml", "report.html", "metrics.prom"})
    CHECK(fs::file_size(report->run_dir() + "/" + name) > 0);
  CHECK(fs::read_symlink(results.dir + "/latest") == info.run_id);
  CHECK(bc_test::LineCount(report->run_dir() + "/pages.jsonl") == 3);
  lock.Release();
  auto h = History::Open(report->history_path());
  REQUIRE(h.has_value());
  CHECK_FALSE(h->GetRun(info.run_id).value().has_value());
}

TEST_CASE("a history locked for a while: readers pass, rows go in once it is free, the run completes",
          "[report][history]") {
  TempResults results;
  fs::create_directories(results.dir);
  HistoryLockHolder lock(results.dir + "/history.sqlite");
  const auto probes = LockedRunProbes(12);
  RunInfo info = LockedRunInfo(probes.size());
  RunReportOptions options;
  options.history_batch = 1;
  auto report = RunReport::Start(results.dir, info, options);
  REQUIRE(report.has_value());
  for (size_t i = 0; i < 2; ++i) REQUIRE(report->Add(probes[i], MakeOutcome(Verdict::kOk)).has_value());
  REQUIRE(report->Flush().has_value());
  {
    // A reader (a baseline, `crawler history`) opens and reads past the lock:
    // with the 30 s busy timeout, an Open that took the write lock would fail here.
    auto reader = History::Open(report->history_path(), 0);
    REQUIRE(reader.has_value());
    CHECK_FALSE(reader->GetRun(info.run_id).value().has_value());
  }
  lock.Release();
  REQUIRE(report->Add(probes[2], MakeOutcome(Verdict::kOk)).has_value());
  REQUIRE(report->Flush().has_value());
  {
    // Streamed in: the run is there while it goes, as in progress.
    auto reader = History::Open(report->history_path());
    REQUIRE(reader.has_value());
    auto run = reader->GetRun(info.run_id).value();
    REQUIRE(run.has_value());
    CHECK(run->partial);
    CHECK(run->exit_code == -1);
    CHECK(reader->LoadOutcomes(info.run_id).value().size() == 3);
  }
  for (size_t i = 3; i < probes.size(); ++i)
    REQUIRE(report->Add(probes[i], i == 5 ? MakeOutcome(Verdict::kException, 500, "E") : MakeOutcome(Verdict::kOk)).has_value());
  info.finished_unix_ms = info.started_unix_ms + 1000;
  info.exit_code = 1;
  REQUIRE(report->Finish(info).has_value());
  auto h = History::Open(report->history_path());
  REQUIRE(h.has_value());
  auto run = h->GetRun(info.run_id).value();
  REQUIRE(run.has_value());
  CHECK_FALSE(run->partial);
  CHECK(run->exit_code == 1);
  CHECK(run->totals.product_failures == 1);
  const auto rows = h->LoadOutcomes(info.run_id).value();
  REQUIRE(rows.size() == 12);
  CHECK(FailingProbeIds(rows) == std::vector<std::string>{"p5"});
}

TEST_CASE("a history locked past the rows it keeps: the end of the run records every outcome",
          "[report][history]") {
  TempResults results;
  fs::create_directories(results.dir);
  HistoryLockHolder lock(results.dir + "/history.sqlite");
  const auto probes = LockedRunProbes(30);  // more than 8 batches of 1 while locked
  RunInfo info = LockedRunInfo(probes.size());
  RunReportOptions options;
  options.history_batch = 1;
  auto report = RunReport::Start(results.dir, info, options);
  REQUIRE(report.has_value());
  for (size_t i = 0; i < 20; ++i) REQUIRE(report->Add(probes[i], MakeOutcome(Verdict::kOk)).has_value());
  REQUIRE(report->Flush().has_value());
  lock.Release();
  for (size_t i = 20; i < probes.size(); ++i) REQUIRE(report->Add(probes[i], MakeOutcome(Verdict::kOk)).has_value());
  info.finished_unix_ms = info.started_unix_ms + 1000;
  REQUIRE(report->Finish(info).has_value());
  auto h = History::Open(report->history_path());
  REQUIRE(h.has_value());
  CHECK(h->LoadOutcomes(info.run_id).value().size() == 30);
  CHECK_FALSE(h->GetRun(info.run_id).value().value().partial);
}

}  // namespace
}  // namespace bc
