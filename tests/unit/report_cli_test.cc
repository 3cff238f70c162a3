#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/history_command.h"
#include "report/history.h"
#include "report/run_dir.h"
#include "report/run_report.h"
#include "report_fixtures.h"

namespace bc {
namespace {
namespace fs = std::filesystem;

using testing::MakeOutcome;
using testing::MakeProbe;

using testing::TempResults;

// Runs `crawler ARGS...` through the real CLI11 registration; returns the exit code.
int Crawler(std::vector<std::string> args) {
  CLI::App app{"test"};
  app.require_subcommand(1);
  int exit_code = -1;
  AddHistoryCommands(app, exit_code);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses a reversed vector
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}

void RecordRun(const std::string& results, const std::string& run_id, Verdict p1) {
  RunInfo info;
  info.run_id = run_id;
  info.targets_path = "/t/local.toml";
  info.started_unix_ms = 1795749525000;
  auto report = RunReport::Start(results, info);
  REQUIRE(report.has_value());
  const Probe probe1 = MakeProbe("p1", "ruwiki", PageKind::kRecentChanges, {{"damaging", "likelybad"}});
  const Probe probe2 = MakeProbe("p2", "ruwiki", PageKind::kWatchlist, {});
  REQUIRE(report->Add(probe1, MakeOutcome(p1, p1 == Verdict::kOk ? 200 : 500, p1 == Verdict::kOk ? "" : "MWException: null"))
              .has_value());
  REQUIRE(report->Add(probe2, MakeOutcome(Verdict::kOk)).has_value());
  info.finished_unix_ms = 1795749526000;
  info.exit_code = p1 == Verdict::kOk ? 0 : 1;
  REQUIRE(report->Finish(info).has_value());
}

TEST_CASE("crawler diff exits 1 when the second run has new failures and 0 when it fixed them", "[report][cli]") {
  TempResults r;
  RecordRun(r.dir, "20261127T010000Z-0001", Verdict::kOk);
  RecordRun(r.dir, "20261127T020000Z-0002", Verdict::kException);
  RecordRun(r.dir, "20261127T030000Z-0003", Verdict::kOk);
  CHECK(Crawler({"diff", "20261127T010000Z-0001", "20261127T020000Z-0002", "--results", r.dir}) == 1);
  CHECK(Crawler({"diff", "20261127T020000Z-0002", "latest", "--results", r.dir}) == 0);
  CHECK(Crawler({"diff", "20261127T020000Z-0002", "20991127T020000Z-0009", "--results", r.dir}) == 2);
  CHECK(Crawler({"diff", "20261127T020000Z-0002", "--results", r.dir}) == 2);  // RUN_B missing
  CHECK(Crawler({"history", "--results", r.dir}) == 0);
  CHECK(Crawler({"history", "--results", r.dir, "--format", "json", "--limit", "1"}) == 0);
}

TEST_CASE("crawler prune keeps the newest runs and latest, removing directories and history rows",
          "[report][cli]") {
  TempResults r;
  RecordRun(r.dir, "20261127T010000Z-0001", Verdict::kOk);
  RecordRun(r.dir, "20261127T020000Z-0002", Verdict::kOk);
  RecordRun(r.dir, "20261127T030000Z-0003", Verdict::kOk);
  RecordRun(r.dir, "20261127T040000Z-0004", Verdict::kOk);
  // Point latest at an old run: it must survive the prune.
  REQUIRE(UpdateLatestSymlink(r.dir, "20261127T010000Z-0001").has_value());

  CHECK(Crawler({"prune", "--keep", "2", "--results", r.dir, "--dry-run"}) == 0);
  CHECK(ListRunDirs(r.dir).value().size() == 4);

  CHECK(Crawler({"prune", "--keep", "2", "--results", r.dir}) == 0);
  CHECK(ListRunDirs(r.dir).value() ==
        std::vector<std::string>{"20261127T010000Z-0001", "20261127T030000Z-0003", "20261127T040000Z-0004"});
  auto h = History::Open(r.dir + "/history.sqlite");
  REQUIRE(h.has_value());
  std::vector<std::string> ids;
  const auto runs = h->ListRuns();
  REQUIRE(runs.has_value());
  for (const RunRow& run : *runs) ids.push_back(run.run_id);
  CHECK(ids == std::vector<std::string>{"20261127T040000Z-0004", "20261127T030000Z-0003", "20261127T010000Z-0001"});
  CHECK(Crawler({"prune", "--keep", "0", "--results", r.dir}) == 2);
}

}  // namespace
}  // namespace bc
