#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "report/history.h"
#include "report/run_dir.h"
#include "report_fixtures.h"

namespace bc {
namespace {
namespace fs = std::filesystem;

using Catch::Contains;
using testing::MakeOutcome;
using testing::MakeProbe;
using testing::SummaryOf;

struct TempDb {
  fs::path dir;
  std::string path;
  TempDb() {
    dir = fs::temp_directory_path() / ("bc-history-" + MakeRunId());
    fs::remove_all(dir);
    fs::create_directories(dir);
    path = (dir / "history.sqlite").string();
  }
  ~TempDb() { fs::remove_all(dir); }
};

RunInfo Run(std::string id, std::string targets = "/t/local.toml", bool partial = false, std::string scope = "") {
  RunInfo info;
  info.run_id = std::move(id);
  info.targets_path = std::move(targets);
  info.scope = std::move(scope);
  info.started_unix_ms = 1795749525000;
  info.finished_unix_ms = 1795749530000;
  info.partial = partial;
  info.planned = 3;
  return info;
}

std::vector<ProbeResult> Results(Verdict a, Verdict b, Verdict c) {
  return {
      {MakeProbe("p1", "ruwiki", PageKind::kRecentChanges, {{"damaging", "likelybad"}}),
       MakeOutcome(a, 500, a == Verdict::kOk ? "" : "MWException: null", "MWException", "null", "r1")},
      {MakeProbe("p2", "ruwiki", PageKind::kWatchlist, {{"days", "7"}}), MakeOutcome(b)},
      {MakeProbe("p3", "frwiki", PageKind::kContributions, {{"target", "QA"}}), MakeOutcome(c)},
  };
}

Result<void> Record(History& h, const RunInfo& info, const std::vector<ProbeResult>& rs) {
  return h.RecordRun(info, SummaryOf(rs), rs);
}

TEST_CASE("opening an empty file migrates it to the current schema in WAL mode", "[report][history]") {
  TempDb db;
  std::ofstream(db.path).close();  // an existing, empty file
  auto h = History::Open(db.path);
  REQUIRE(h.has_value());
  CHECK(h->SchemaVersion().value() == History::kSchemaVersion);
  CHECK(h->ListRuns().value().empty());
  CHECK(fs::exists(db.path + "-wal"));
  // Opening again is a no-op migration.
  auto again = History::Open(db.path);
  REQUIRE(again.has_value());
  CHECK(again->SchemaVersion().value() == History::kSchemaVersion);
}

TEST_CASE("a history database from a newer crawler is refused, not rewritten", "[report][history]") {
  TempDb db;
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(db.path.c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  auto h = History::Open(db.path);
  REQUIRE_FALSE(h.has_value());
  CHECK(h.error().code == Error::Code::kConfig);
  CHECK_THAT(h.error().message, Contains("newer"));
}

TEST_CASE("a file that is not a database is an I/O error", "[report][history]") {
  TempDb db;
  std::ofstream(db.path) << "this is not an SQLite database, just some text that is long enough to have a header";
  auto h = History::Open(db.path);
  REQUIRE_FALSE(h.has_value());
  CHECK(h.error().code == Error::Code::kIo);
}

TEST_CASE("a recorded run comes back with its totals and outcomes", "[report][history]") {
  TempDb db;
  auto h = History::Open(db.path);
  REQUIRE(h.has_value());
  const auto rs = Results(Verdict::kException, Verdict::kOk, Verdict::kTransport);
  RunInfo info = Run("20261127T031845Z-0001");
  info.exit_code = 1;
  REQUIRE(Record(*h, info, rs).has_value());
  auto runs = h->ListRuns();
  REQUIRE(runs.has_value());
  REQUIRE(runs->size() == 1);
  const RunRow& run = runs->front();
  CHECK(run.run_id == "20261127T031845Z-0001");
  CHECK(run.targets == "/t/local.toml");
  CHECK(run.exit_code == 1);
  CHECK(run.planned == 3);
  CHECK(run.totals.total == 3);
  CHECK(run.totals.Of(Verdict::kException) == 1);
  CHECK(run.totals.product_failures == 1);
  CHECK(run.totals.tool_failures == 1);
  auto outcomes = h->LoadOutcomes(run.run_id);
  REQUIRE(outcomes.has_value());
  REQUIRE(outcomes->size() == 3);
  CHECK((*outcomes)[0].probe_id == "p1");
  CHECK((*outcomes)[0].verdict == "exception");
  CHECK((*outcomes)[0].signature == "MWException: null");
  CHECK((*outcomes)[0].request_id == "r1");
  CHECK((*outcomes)[0].status == 500);
  CHECK((*outcomes)[0].product_failure);
  CHECK((*outcomes)[2].tool_failure);
  CHECK(FailingProbeIds(*outcomes) == std::vector<std::string>{"p1"});
  CHECK_FALSE(h->GetRun("20991127T031845Z-0001").value().has_value());
}

TEST_CASE("two writers in two threads record all their runs without losing one", "[report][history]") {
  TempDb db;
  constexpr int kRunsPerWriter = 15;
  std::vector<std::string> errors[2];
  auto writer = [&](int w) {
    auto h = History::Open(db.path);  // both may race to create and migrate the file
    if (!h) {
      errors[w].push_back(h.error().ToString());
      return;
    }
    std::vector<ProbeResult> rs;
    for (int i = 0; i < 200; ++i)
      rs.push_back({MakeProbe("p" + std::to_string(i), "enwiki", PageKind::kRecentChanges, {}),
                    MakeOutcome(Verdict::kOk)});
    for (int r = 0; r < kRunsPerWriter; ++r) {
      const std::string id = MakeRunId(1795749525000 + r * 1000, static_cast<uint32_t>(w * 0x1000 + r));
      if (auto rec = Record(*h, Run(id), rs); !rec) errors[w].push_back(rec.error().ToString());
    }
  };
  std::thread a(writer, 0), b(writer, 1);
  a.join();
  b.join();
  CHECK(errors[0].empty());
  CHECK(errors[1].empty());
  auto h = History::Open(db.path);
  REQUIRE(h.has_value());
  auto runs = h->ListRuns();
  REQUIRE(runs.has_value());
  CHECK(runs->size() == 2 * kRunsPerWriter);
  CHECK(h->LoadOutcomes(runs->front().run_id).value().size() == 200);
}

TEST_CASE("the baseline is the newest complete earlier run of the same targets", "[report][history]") {
  TempDb db;
  auto h = History::Open(db.path);
  REQUIRE(h.has_value());
  const auto clean = Results(Verdict::kOk, Verdict::kOk, Verdict::kOk);
  const auto failing = Results(Verdict::kException, Verdict::kOk, Verdict::kOk);
  REQUIRE(Record(*h, Run("20261127T010000Z-0001"), clean).has_value());
  REQUIRE(Record(*h, Run("20261127T020000Z-0002"), failing).has_value());
  REQUIRE(Record(*h, Run("20261127T030000Z-0003", "/t/beta.toml"), clean).has_value());
  REQUIRE(Record(*h, Run("20261127T040000Z-0004", "/t/local.toml", /*partial=*/true), clean).has_value());
  REQUIRE(Record(*h, Run("20261127T050000Z-0005"), failing).has_value());

  CHECK(h->FindBaseline("last", Run("20261127T050000Z-0005", "/t/local.toml", false, "")).value() == "20261127T020000Z-0002");
  CHECK(h->FindBaseline("last", Run("20261127T020000Z-0002", "/t/local.toml", false, "")).value() == "20261127T010000Z-0001");
  CHECK_FALSE(h->FindBaseline("last", Run("20261127T010000Z-0001", "/t/local.toml", false, "")).value().has_value());
  CHECK(h->FindBaseline("20261127T030000Z-0003", Run("20261127T050000Z-0005", "/t/local.toml", false, "")).value() ==
        "20261127T030000Z-0003");
  auto missing = h->FindBaseline("20201127T030000Z-0003", Run("20261127T050000Z-0005", "/t/local.toml", false, ""));
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == Error::Code::kUsage);

  // Last clean: run 1 for local (run 4 is clean but partial), run 3 for beta.
  CHECK(h->LastCleanRunMs("/t/local.toml").value() == 1795749530000);
  CHECK(h->LastCleanRunMs("/t/nothing.toml").value() == 0);

  REQUIRE(h->DeleteRun("20261127T010000Z-0001").has_value());
  CHECK(h->ListRuns().value().size() == 4);
  CHECK(h->LoadOutcomes("20261127T010000Z-0001").value().empty());
  CHECK(h->LastCleanRunMs("/t/local.toml").value() == 0);
}

TEST_CASE("a run of part of the plan is the baseline only of a run of the same part", "[report][history]") {
  TempDb db;
  auto h = History::Open(db.path);
  REQUIRE(h.has_value());
  const auto clean = Results(Verdict::kOk, Verdict::kOk, Verdict::kOk);
  const auto failing = Results(Verdict::kException, Verdict::kOk, Verdict::kOk);
  REQUIRE(Record(*h, Run("20261127T010000Z-0001"), failing).has_value());
  REQUIRE(Record(*h, Run("20261127T020000Z-0002", "/t/local.toml", false, "--wiki frwiki"), clean).has_value());
  // A recheck of run 1's failures that all pass now: clean, but 3 probes are not the plan.
  REQUIRE(Record(*h, Run("20261127T030000Z-0003", "/t/local.toml", false, "recheck of 20261127T010000Z-0001"), clean)
              .has_value());

  CHECK(h->FindBaseline("last", Run("20261127T040000Z-0004", "/t/local.toml", false, "")).value() == "20261127T010000Z-0001");
  CHECK(h->FindBaseline("last", Run("20261127T040000Z-0004", "/t/local.toml", false, "--wiki frwiki")).value() ==
        "20261127T020000Z-0002");
  CHECK_FALSE(h->FindBaseline("last", Run("20261127T040000Z-0004", "/t/local.toml", false, "--wiki ruwiki")).value().has_value());
  // Neither the clean recheck nor the clean one-wiki run makes the targets "clean".
  CHECK(h->LastCleanRunMs("/t/local.toml").value() == 0);
  CHECK(h->GetRun("20261127T030000Z-0003").value()->scope == "recheck of 20261127T010000Z-0001");
}

TEST_CASE("a run recorded with the old filter name --page is the baseline of the same run with --kind", "[report][history][names]") {
  CHECK(ScopeWithOldNames("--wiki frwiki --kind watchlist --kind recentchanges") ==
        "--wiki frwiki --page watchlist --page recentchanges");
  CHECK(ScopeWithOldNames("--param x=--kind") == "--param x=--kind");  // only a flag is renamed
  CHECK(ScopeWithOldNames("").empty());
  TempDb db;
  auto h = History::Open(db.path);
  REQUIRE(h.has_value());
  const auto clean = Results(Verdict::kOk, Verdict::kOk, Verdict::kOk);
  REQUIRE(Record(*h, Run("20261127T010000Z-0001", "/t/local.toml", false, "--wiki frwiki --page watchlist"), clean));
  CHECK(h->FindBaseline("last", Run("20261127T020000Z-0002", "/t/local.toml", false, "--wiki frwiki --kind watchlist"))
            .value() == "20261127T010000Z-0001");
  REQUIRE(Record(*h, Run("20261127T020000Z-0002", "/t/local.toml", false, "--wiki frwiki --kind watchlist"), clean));
  CHECK(h->FindBaseline("last", Run("20261127T030000Z-0003", "/t/local.toml", false, "--wiki frwiki --kind watchlist"))
            .value() == "20261127T020000Z-0002");
  CHECK_FALSE(h->FindBaseline("last", Run("20261127T030000Z-0003", "/t/local.toml", false, "--kind watchlist"))
                  .value()
                  .has_value());
}

TEST_CASE("two runs in the same second: the baseline is the one that started first, not the smaller id",
          "[report][history]") {
  TempDb db;
  auto h = History::Open(db.path);
  REQUIRE(h.has_value());
  RunInfo earlier = Run("20261127T010000Z-ffff");
  earlier.started_unix_ms = 1795749525100;
  RunInfo later = Run("20261127T010000Z-0001");
  later.started_unix_ms = 1795749525900;
  REQUIRE(Record(*h, earlier, Results(Verdict::kOk, Verdict::kOk, Verdict::kOk)).has_value());
  REQUIRE(Record(*h, later, Results(Verdict::kOk, Verdict::kOk, Verdict::kOk)).has_value());
  RunInfo current = Run("20261127T010000Z-8000");
  current.started_unix_ms = 1795749526500;
  CHECK(h->FindBaseline("last", current).value() == "20261127T010000Z-0001");
  CHECK(h->FindBaseline("last", later).value() == "20261127T010000Z-ffff");
  CHECK_FALSE(h->FindBaseline("last", earlier).value().has_value());
  CHECK(h->ListRuns().value().front().run_id == "20261127T010000Z-0001");
}

TEST_CASE("a version 1 history gains the scope column and the latency table, and keeps its runs", "[report][history]") {
  TempDb db;
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(db.path.c_str(), &raw) == SQLITE_OK);
  // The runs table as schema version 1 created it, with one clean run.
  REQUIRE(sqlite3_exec(raw, R"sql(
    CREATE TABLE runs (run_id TEXT PRIMARY KEY, targets TEXT NOT NULL, started INTEGER NOT NULL,
      finished INTEGER NOT NULL, exit_code INTEGER NOT NULL, partial INTEGER NOT NULL, planned INTEGER NOT NULL,
      product_failures INTEGER NOT NULL, tool_failures INTEGER NOT NULL, totals TEXT NOT NULL);
    CREATE INDEX runs_by_targets ON runs(targets, run_id);
    CREATE TABLE outcomes (run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE, probe_id TEXT NOT NULL,
      wiki TEXT NOT NULL, kind TEXT NOT NULL, query TEXT NOT NULL, url TEXT NOT NULL, verdict TEXT NOT NULL,
      signature TEXT NOT NULL, request_id TEXT NOT NULL, message TEXT NOT NULL, status INTEGER NOT NULL,
      product_failure INTEGER NOT NULL, tool_failure INTEGER NOT NULL, PRIMARY KEY (run_id, probe_id)) WITHOUT ROWID;
    INSERT INTO runs VALUES ('20261127T010000Z-0001', '/t/local.toml', 1, 1795749530000, 0, 0, 3, 0, 0, '{}');
    PRAGMA user_version = 1;)sql",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  auto h = History::Open(db.path);
  REQUIRE(h.has_value());
  CHECK(h->SchemaVersion().value() == History::kSchemaVersion);  // v2 (scope), v3 (wiki_facts), v4 (latency)
  CHECK(h->LastHealthyFacts().value().empty());
  CHECK(h->LoadLatencies("20261127T010000Z-0001").value().empty());  // recorded before latencies were kept
  auto run = h->GetRun("20261127T010000Z-0001").value();
  REQUIRE(run.has_value());
  CHECK(run->scope.empty());
  CHECK(h->FindBaseline("last", Run("20261127T020000Z-0002", "/t/local.toml", false, "")).value() == "20261127T010000Z-0001");
  CHECK(h->LastCleanRunMs("/t/local.toml").value() == 1795749530000);
}

TEST_CASE("a diff sorts probes into new failures, fixed, still failing, unjudged, new and gone",
          "[report][history]") {
  auto row = [](std::string id, std::string verdict) {
    OutcomeRow o;
    o.probe_id = std::move(id);
    o.wiki = "ruwiki";
    o.kind = "recentchanges";
    o.verdict = verdict;
    auto v = ParseVerdict(verdict);
    o.product_failure = IsProductFailure(*v);
    o.tool_failure = IsToolFailure(*v);
    return o;
  };
  const std::vector<OutcomeRow> before = {row("a", "exception"), row("b", "ok"),      row("c", "fatal"),
                                          row("d", "exception"), row("e", "ok"),      row("g", "db-error")};
  const std::vector<OutcomeRow> after = {row("a", "ok"),        row("b", "exception"), row("c", "fatal"),
                                         row("d", "transport"), row("f", "broken"),    row("g", "warning"),
                                         row("h", "ok")};
  const RunDiff d = DiffRuns(before, after);
  auto ids = [](const std::vector<DiffEntry>& es) {
    std::vector<std::string> out;
    for (const auto& e : es) out.push_back(e.probe_id);
    return out;
  };
  CHECK(ids(d.new_failures) == std::vector<std::string>{"b", "f"});
  CHECK(ids(d.fixed) == std::vector<std::string>{"a", "g"});
  CHECK(ids(d.still_failing) == std::vector<std::string>{"c"});
  CHECK(ids(d.unjudged) == std::vector<std::string>{"d"});
  CHECK(ids(d.new_probes) == std::vector<std::string>{"f", "h"});
  CHECK(ids(d.gone_probes) == std::vector<std::string>{"e"});
  CHECK(d.fixed[0].before == "exception");
  CHECK(d.fixed[0].after == "ok");
  const std::string text = FormatRunDiff(d, "A", "B");
  CHECK_THAT(text, Contains("A -> B: 2 new failures, 2 fixed, 1 still failing, 1 unjudged, 2 new probes, 1 gone"));
  CHECK_THAT(text, Contains("fixed (2):"));
  CHECK_THAT(text, Contains("exception -> ok"));
}

TEST_CASE("a diff of two recorded runs shows the fixed probes", "[report][history]") {
  TempDb db;
  auto h = History::Open(db.path);
  REQUIRE(h.has_value());
  REQUIRE(Record(*h, Run("20261127T010000Z-0001"), Results(Verdict::kException, Verdict::kOk, Verdict::kOk)));
  REQUIRE(Record(*h, Run("20261127T020000Z-0002"), Results(Verdict::kOk, Verdict::kOk, Verdict::kFatal)));
  const RunDiff d =
      DiffRuns(h->LoadOutcomes("20261127T010000Z-0001").value(), h->LoadOutcomes("20261127T020000Z-0002").value());
  REQUIRE(d.fixed.size() == 1);
  CHECK(d.fixed[0].probe_id == "p1");
  REQUIRE(d.new_failures.size() == 1);
  CHECK(d.new_failures[0].probe_id == "p3");
  CHECK(d.still_failing.empty());
}

TEST_CASE("a batch of outcomes in any order is stored whole, and of two rows of one probe the later wins",
          "[report][history]") {
  TempDb db;
  auto h = History::Open(db.path);
  REQUIRE(h.has_value());
  const RunInfo info = Run("20261127T031845Z-0001");
  std::vector<OutcomeRow> rows;
  // Finish order is not key order (AddOutcomes inserts sorted by probe id).
  // 200 probes, every other one seen twice (ok, then exception much later):
  // enough rows that an unstable sort would reorder equal keys.
  for (int pass = 0; pass < 2; ++pass)
    for (int i = 199; i >= 0; --i) {
      if (pass == 1 && i % 2 == 1) continue;
      OutcomeRow r;
      r.run_id = info.run_id;
      r.probe_id = fmt::format("p{:03}", (i * 37) % 200);
      r.verdict = pass == 0 ? "ok" : "exception";
      rows.push_back(r);
    }
  REQUIRE(h->AddOutcomes(info, rows).value());
  auto stored = h->LoadOutcomes(info.run_id);
  REQUIRE(stored.has_value());
  REQUIRE(stored->size() == 200);
  std::map<std::string, std::string> want, got;
  for (const OutcomeRow& r : rows) want[r.probe_id] = r.verdict;  // the last row of each probe
  for (const OutcomeRow& r : *stored) got[r.probe_id] = r.verdict;
  CHECK(got == want);
}

}  // namespace
}  // namespace bc
