#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "report/history.h"
#include "report/run_dir.h"
#include "report/run_report.h"
#include "report_fixtures.h"
#include "test_files.h"

namespace bc {
namespace {
namespace fs = std::filesystem;

using testing::MakeOutcome;
using testing::MakeProbe;

using testing::TempResults;

RunInfo Info(std::string run_id) {
  RunInfo info;
  info.run_id = std::move(run_id);
  info.targets_path = "/t/local.toml";
  info.started_unix_ms = 1795749525000;
  info.planned = 2;
  return info;
}

TEST_CASE("a run report streams pages.jsonl, then writes every file, history and latest", "[report][runreport]") {
  TempResults results;
  RunInfo info = Info("20261127T031845Z-0001");
  auto report = RunReport::Start(results.dir, info);
  REQUIRE(report.has_value());
  const std::string dir = report->run_dir();
  const Probe p1 = MakeProbe("p1", "ruwiki", PageKind::kRecentChanges, {{"damaging", "likelybad"}});
  const Probe p2 = MakeProbe("p2", "ruwiki", PageKind::kWatchlist, {});
  REQUIRE(report->Add(p1, MakeOutcome(Verdict::kException, 500, "MWException: null")).has_value());
  REQUIRE(report->Flush().has_value());  // pages.jsonl is written on its own thread
  CHECK(bc_test::LineCount(dir + "/pages.jsonl") == 1);  // visible before the run ends
  CHECK_FALSE(fs::exists(dir + "/summary.md"));
  REQUIRE(report->Add(p2, MakeOutcome(Verdict::kOk)).has_value());
  CHECK(report->summary().product_failures == 1);
  CHECK(FailingProbeIds(report->CurrentRows()) == std::vector<std::string>{"p1"});

  info.finished_unix_ms = 1795749530000;
  info.exit_code = 1;
  REQUIRE(report->Finish(info).has_value());
  // Finish grouped the failures once, for every writer and for the caller.
  REQUIRE(info.groups.size() == 1);
  CHECK(info.groups[0].key == "MWException: null");
  CHECK(info.groups[0].members == std::vector<size_t>{0});
  for (const char* name : {"pages.jsonl", "summary.md", "junit.xml", "report.html", "metrics.prom"})
    CHECK(fs::file_size(dir + "/" + name) > 0);
  std::ifstream md(dir + "/summary.md");
  const std::string summary_md((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
  CHECK(summary_md.find("## Product failures (1 group)") != std::string::npos);
  CHECK(bc_test::LineCount(dir + "/pages.jsonl") == 2);
  CHECK(fs::read_symlink(results.dir + "/latest") == "20261127T031845Z-0001");
  auto h = History::Open(report->history_path());
  REQUIRE(h.has_value());
  auto run = h->GetRun("20261127T031845Z-0001");
  REQUIRE(run.has_value());
  REQUIRE(run->has_value());
  CHECK((*run)->exit_code == 1);
  CHECK(h->LoadOutcomes("20261127T031845Z-0001").value().size() == 2);
}

// latest is the newest report, complete or not: a CI step copies
// latest/junit.xml and must not get the previous run's; the partial mark is in
// the files (and the history keeps partial runs out of baselines).
TEST_CASE("a partial run is recorded as partial and moves latest", "[report][runreport]") {
  TempResults results;
  {
    auto first = RunReport::Start(results.dir, Info("20261127T031845Z-0001"));
    REQUIRE(first.has_value());
    const Probe p1 = MakeProbe("p1", "enwiki", PageKind::kApi, {});
    REQUIRE(first->Add(p1, MakeOutcome(Verdict::kOk)).has_value());
    RunInfo done = Info("20261127T031845Z-0001");
    done.finished_unix_ms = 1795749526000;
    REQUIRE(first->Finish(done).has_value());
  }
  auto second = RunReport::Start(results.dir, Info("20261127T041845Z-0002"));
  REQUIRE(second.has_value());
  RunInfo cut = Info("20261127T041845Z-0002");
  cut.partial = true;
  cut.exit_code = 130;
  REQUIRE(second->Finish(cut).has_value());
  CHECK(fs::read_symlink(results.dir + "/latest") == "20261127T041845Z-0002");
  auto h = History::Open(second->history_path());
  REQUIRE(h.has_value());
  CHECK(h->ListRuns().value().size() == 2);
  CHECK(h->ListRuns().value().front().partial);
}

TEST_CASE("a run id that already has a directory cannot start a second report", "[report][runreport]") {
  TempResults results;
  auto first = RunReport::Start(results.dir, Info("20261127T031845Z-0001"));
  REQUIRE(first.has_value());
  auto second = RunReport::Start(results.dir, Info("20261127T031845Z-0001"));
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error().code == Error::Code::kIo);
}

}  // namespace
}  // namespace bc
