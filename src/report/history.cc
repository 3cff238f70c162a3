#include "report/history.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace bc {

namespace {

struct StmtFinalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

// A run still going has this exit code in its row (and is partial).
constexpr int kRunInProgress = -1;

Error DbError(sqlite3* db, const std::string& what, const std::string& path) {
  return Error{Error::Code::kIo, fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : "out of memory"), path};
}

std::string Text(sqlite3_stmt* s, int col) {
  const unsigned char* t = sqlite3_column_text(s, col);
  return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(s, col)))
           : std::string();
}

void Bind(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void Bind(sqlite3_stmt* s, int i, int64_t v) { sqlite3_bind_int64(s, i, v); }

std::string TotalsJson(const RunSummary& summary) {
  nlohmann::json j = nlohmann::json::object();
  for (size_t v = 0; v < summary.by_verdict.size(); ++v)
    j[std::string(VerdictName(static_cast<Verdict>(v)))] = summary.by_verdict[v];
  j["total"] = summary.total;
  j["product_failures"] = summary.product_failures;
  j["tool_failures"] = summary.tool_failures;
  return j.dump();
}

RunSummary ParseTotals(const std::string& text) {
  RunSummary s;
  // A damaged totals column shows as zeros rather than failing `history`.
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return s;
  auto get = [&](const std::string& key) -> int64_t {
    auto it = j.find(key);
    return (it != j.end() && it->is_number_integer()) ? it->get<int64_t>() : 0;
  };
  for (size_t v = 0; v < s.by_verdict.size(); ++v) s.by_verdict[v] = get(std::string(VerdictName(static_cast<Verdict>(v))));
  s.total = get("total");
  s.product_failures = get("product_failures");
  s.tool_failures = get("tool_failures");
  return s;
}

constexpr const char* kRunColumns =
    "run_id, targets, started, finished, exit_code, partial, planned, totals, scope";

RunRow ReadRun(sqlite3_stmt* s) {
  RunRow r;
  r.run_id = Text(s, 0);
  r.targets = Text(s, 1);
  r.started_unix_ms = sqlite3_column_int64(s, 2);
  r.finished_unix_ms = sqlite3_column_int64(s, 3);
  r.exit_code = sqlite3_column_int(s, 4);
  r.partial = sqlite3_column_int(s, 5) != 0;
  r.planned = sqlite3_column_int64(s, 6);
  r.totals = ParseTotals(Text(s, 7));
  r.scope = Text(s, 8);
  return r;
}

// Schema migrations, index i takes user_version i to i+1. Append only.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  targets TEXT NOT NULL,
  started INTEGER NOT NULL,           -- Unix ms
  finished INTEGER NOT NULL,          -- Unix ms
  exit_code INTEGER NOT NULL,
  partial INTEGER NOT NULL,           -- 0/1
  planned INTEGER NOT NULL,
  product_failures INTEGER NOT NULL,
  tool_failures INTEGER NOT NULL,
  totals TEXT NOT NULL                -- JSON: {verdict: count, total, product_failures, tool_failures}
);
CREATE INDEX runs_by_targets ON runs(targets, run_id);
CREATE TABLE outcomes (
  run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  probe_id TEXT NOT NULL,
  wiki TEXT NOT NULL,
  kind TEXT NOT NULL,
  query TEXT NOT NULL,
  url TEXT NOT NULL,
  verdict TEXT NOT NULL,
  signature TEXT NOT NULL,
  request_id TEXT NOT NULL,
  message TEXT NOT NULL,
  status INTEGER NOT NULL,
  product_failure INTEGER NOT NULL,
  tool_failure INTEGER NOT NULL,
  PRIMARY KEY (run_id, probe_id)
) WITHOUT ROWID;
)sql",
    // v2: what part of the plan a run covered. '' = the whole plan of its
    // targets; else a description of the filter ("--wiki frwiki", "recheck of
    // RUN"). A baseline and the last clean run must cover the same probes.
    R"sql(
ALTER TABLE runs ADD COLUMN scope TEXT NOT NULL DEFAULT '';
)sql",
    // v3: each wiki's ORES facts as a run asked them (mediawiki/facts_record.h),
    // and whether the run found that wiki healthy: a later plan reads the
    // last healthy ones, so a broken wiki's poorer answer cannot shrink its probes.
    R"sql(
CREATE TABLE wiki_facts (
  run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
  site TEXT NOT NULL,                 -- dbname and base URL
  wiki TEXT NOT NULL,                 -- dbname, as in outcomes.wiki
  facts TEXT NOT NULL,                -- JSON
  healthy INTEGER NOT NULL,           -- 0/1
  PRIMARY KEY (run_id, site)
) WITHOUT ROWID;
CREATE INDEX wiki_facts_by_site ON wiki_facts(site, healthy);
)sql",
    // v4: page latency per wiki x page kind (report/latency.h), so
    // `--baseline` can tell a page kind that got much slower.
    R"sql(
CREATE TABLE latency (
  run_id TEXT NOT NULL,
  wiki TEXT NOT NULL,
  kind TEXT NOT NULL,
  fetched INTEGER NOT NULL,
  p50 REAL NOT NULL,
  p95 REAL NOT NULL,
  PRIMARY KEY (run_id, wiki, kind)
) WITHOUT ROWID;
)sql",
};
static_assert(std::size(kMigrations) == History::kSchemaVersion);

class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  // IMMEDIATE takes the write lock up front: two writers then queue on the
  // busy timeout instead of deadlocking on a read-to-write upgrade.
  int Begin() {
    const int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    open_ = rc == SQLITE_OK;
    return rc;
  }
  int Commit() {
    const int rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) open_ = false;
    return rc;
  }

 private:
  sqlite3* db_;
  bool open_ = false;
};

}  // namespace

void History::DbClose::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void History::StmtClose::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }

History::History(std::unique_ptr<sqlite3, DbClose> db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}
History::History(History&&) noexcept = default;
History& History::operator=(History&&) noexcept = default;
History::~History() = default;

Result<History> History::Open(const std::string& path, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<sqlite3, DbClose> db(raw);
  if (rc != SQLITE_OK) return std::unexpected(DbError(raw, "cannot open the history database", path));
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  sqlite3_extended_result_codes(raw, 1);
  History h(std::move(db), path);
  // WAL: readers (history, diff) never block a recording run, and a crash
  // mid-run cannot corrupt earlier runs.
  if (auto r = h.Exec("PRAGMA journal_mode=WAL"); !r) return std::unexpected(r.error());
  // NORMAL: in WAL mode a commit is not synced to disk, a checkpoint is.
  // A power cut may lose the last transactions, never consistency; FULL
  // made every batch of a run wait for an fdatasync.
  if (auto r = h.Exec("PRAGMA synchronous=NORMAL"); !r) return std::unexpected(r.error());
  if (auto r = h.Exec("PRAGMA foreign_keys=ON"); !r) return std::unexpected(r.error());
  if (auto r = h.Migrate(); !r) return std::unexpected(r.error());
  return h;
}

Result<void> History::Exec(const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string text = msg ? msg : sqlite3_errmsg(db_.get());
    sqlite3_free(msg);
    return Fail(Error::Code::kIo, "history database: " + text, path_);
  }
  return {};
}

Result<int> History::SchemaVersion() {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(), "PRAGMA user_version", -1, &raw, nullptr) != SQLITE_OK)
    return std::unexpected(DbError(db_.get(), "cannot read the schema version", path_));
  Stmt s(raw);
  if (sqlite3_step(s.get()) != SQLITE_ROW)
    return std::unexpected(DbError(db_.get(), "cannot read the schema version", path_));
  return sqlite3_column_int(s.get(), 0);
}

Result<void> History::Migrate() {
  // Current already (every open but the first): no write lock, so a reader
  // (a baseline, the last healthy facts) is not held up by another
  // process's write transaction (WAL lets readers through).
  if (auto version = SchemaVersion(); version && *version == kSchemaVersion) return {};
  Transaction tx(db_.get());
  // Inside the write lock: a second process opening the same new file waits
  // here and then sees the migrated version.
  if (tx.Begin() != SQLITE_OK) return std::unexpected(DbError(db_.get(), "cannot lock the history database", path_));
  auto version = SchemaVersion();
  if (!version) return std::unexpected(version.error());
  if (*version > kSchemaVersion)
    return Fail(Error::Code::kConfig,
                fmt::format("history schema version {} is newer than this crawler's {}; use a newer crawler",
                            *version, kSchemaVersion),
                path_);
  for (int v = *version; v < kSchemaVersion; ++v) {
    if (auto r = Exec(kMigrations[v]); !r) return r;
    if (auto r = Exec(fmt::format("PRAGMA user_version = {}", v + 1).c_str()); !r) return r;
  }
  if (tx.Commit() != SQLITE_OK) return std::unexpected(DbError(db_.get(), "cannot commit the migration", path_));
  return {};
}

// The run's row, inserted or updated in place: never INSERT OR REPLACE,
// whose delete would cascade to the outcomes streamed in before it.
Result<void> History::PutRun(const RunInfo& info, const RunSummary& summary, bool in_progress) {
  sqlite3* db = db_.get();
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO runs (run_id, targets, started, finished, exit_code, partial, planned, "
                         "product_failures, tool_failures, totals, scope) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) "
                         "ON CONFLICT(run_id) DO UPDATE SET targets = excluded.targets, started = excluded.started, "
                         "finished = excluded.finished, exit_code = excluded.exit_code, partial = excluded.partial, "
                         "planned = excluded.planned, product_failures = excluded.product_failures, "
                         "tool_failures = excluded.tool_failures, totals = excluded.totals, scope = excluded.scope",
                         -1, &raw, nullptr) != SQLITE_OK)
    return std::unexpected(DbError(db, "cannot prepare", path_));
  Stmt ins(raw);
  Bind(ins.get(), 1, info.run_id);
  Bind(ins.get(), 2, info.targets_path);
  Bind(ins.get(), 3, info.started_unix_ms);
  // A run still going is partial (never a baseline or the last clean run)
  // and has no exit code yet.
  Bind(ins.get(), 4, in_progress ? info.started_unix_ms : info.finished_unix_ms);
  Bind(ins.get(), 5, int64_t{in_progress ? kRunInProgress : info.exit_code});
  Bind(ins.get(), 6, int64_t{in_progress || info.partial ? 1 : 0});
  Bind(ins.get(), 7, static_cast<int64_t>(info.planned));
  Bind(ins.get(), 8, summary.product_failures);
  Bind(ins.get(), 9, summary.tool_failures);
  Bind(ins.get(), 10, TotalsJson(summary));
  Bind(ins.get(), 11, info.scope);
  if (sqlite3_step(ins.get()) != SQLITE_DONE) return std::unexpected(DbError(db, "cannot record the run", path_));
  return {};
}

Result<History::OutcomeInserter> History::PrepareOutcomeInsert() {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(),
                         "INSERT OR REPLACE INTO outcomes (run_id, probe_id, wiki, kind, query, url, verdict, "
                         "signature, request_id, message, status, product_failure, tool_failure) "
                         "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
                         -1, &raw, nullptr) != SQLITE_OK)
    return std::unexpected(DbError(db_.get(), "cannot prepare", path_));
  return OutcomeInserter(raw);
}

Result<void> History::PutOutcome(OutcomeInserter& ins, const OutcomeRow& o) {
  sqlite3_stmt* s = ins.get();
  sqlite3_reset(s);
  Bind(s, 1, o.run_id);
  Bind(s, 2, o.probe_id);
  Bind(s, 3, o.wiki);
  Bind(s, 4, o.kind);
  Bind(s, 5, o.query);
  Bind(s, 6, o.url);
  Bind(s, 7, o.verdict);
  Bind(s, 8, o.signature);
  Bind(s, 9, o.request_id);
  Bind(s, 10, o.message);
  Bind(s, 11, o.status);
  Bind(s, 12, int64_t{o.product_failure ? 1 : 0});
  Bind(s, 13, int64_t{o.tool_failure ? 1 : 0});
  if (sqlite3_step(s) != SQLITE_DONE) return std::unexpected(DbError(db_.get(), "cannot record outcome " + o.probe_id, path_));
  return {};
}

// The rows derived from the whole run: latency per wiki x kind, and each
// wiki's facts with whether the run found that wiki healthy.
Result<void> History::PutRunDerived(const RunInfo& info, const ResultList& results) {
  sqlite3* db = db_.get();
  {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, "DELETE FROM latency WHERE run_id = ?1", -1, &raw, nullptr) != SQLITE_OK)
      return std::unexpected(DbError(db, "cannot prepare", path_));
    Stmt del(raw);
    Bind(del.get(), 1, info.run_id);
    if (sqlite3_step(del.get()) != SQLITE_DONE) return std::unexpected(DbError(db, "cannot replace the run", path_));
    if (sqlite3_prepare_v2(db, "INSERT INTO latency (run_id, wiki, kind, fetched, p50, p95) VALUES (?1,?2,?3,?4,?5,?6)",
                           -1, &raw, nullptr) != SQLITE_OK)
      return std::unexpected(DbError(db, "cannot prepare", path_));
    Stmt ins(raw);
    for (const LatencyRow& l : ComputeLatencies(results)) {
      sqlite3_reset(ins.get());
      Bind(ins.get(), 1, info.run_id);
      Bind(ins.get(), 2, l.wiki);
      Bind(ins.get(), 3, l.kind);
      Bind(ins.get(), 4, l.fetched);
      sqlite3_bind_double(ins.get(), 5, l.p50);
      sqlite3_bind_double(ins.get(), 6, l.p95);
      if (sqlite3_step(ins.get()) != SQLITE_DONE) return std::unexpected(DbError(db, "cannot record latency", path_));
    }
  }
  if (info.wiki_facts.empty()) return {};
  std::set<std::string> seen_wikis, failed_wikis;  // for the health of each wiki's facts
  for (const auto& r : results) {
    seen_wikis.insert(r.probe.wiki.str());
    const Verdict v = r.outcome.result.verdict;
    if (IsProductFailure(v, info.warnings_fail) || IsToolFailure(v)) failed_wikis.insert(r.probe.wiki.str());
  }
  sqlite3_stmt* fraw = nullptr;
  if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO wiki_facts (run_id, site, wiki, facts, healthy) "
                             "VALUES (?1,?2,?3,?4,?5)",
                         -1, &fraw, nullptr) != SQLITE_OK)
    return std::unexpected(DbError(db, "cannot prepare", path_));
  Stmt facts(fraw);
  // A recheck covers only earlier failures, a partial run not every probe:
  // neither says a wiki was healthy.
  const bool counts = !info.partial && !info.scope.starts_with("recheck of");
  for (const RunInfo::WikiFactsRow& f : info.wiki_facts) {
    const bool healthy = counts && seen_wikis.contains(f.wiki) && !failed_wikis.contains(f.wiki);
    sqlite3_reset(facts.get());
    Bind(facts.get(), 1, info.run_id);
    Bind(facts.get(), 2, f.site);
    Bind(facts.get(), 3, f.wiki);
    Bind(facts.get(), 4, f.facts);
    Bind(facts.get(), 5, int64_t{healthy ? 1 : 0});
    if (sqlite3_step(facts.get()) != SQLITE_DONE)
      return std::unexpected(DbError(db, "cannot record the facts of " + f.wiki, path_));
  }
  return {};
}

Result<void> History::RecordRun(const RunInfo& info, const RunSummary& summary,
                                const ResultList& results) {
  sqlite3* db = db_.get();
  Transaction tx(db);
  if (tx.Begin() != SQLITE_OK) return std::unexpected(DbError(db, "cannot lock the history database", path_));
  {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, "DELETE FROM runs WHERE run_id = ?1", -1, &raw, nullptr) != SQLITE_OK)
      return std::unexpected(DbError(db, "cannot prepare", path_));
    Stmt del(raw);
    Bind(del.get(), 1, info.run_id);
    if (sqlite3_step(del.get()) != SQLITE_DONE) return std::unexpected(DbError(db, "cannot replace the run", path_));
  }
  if (auto ok = PutRun(info, summary, /*in_progress=*/false); !ok) return ok;
  auto ins = PrepareOutcomeInsert();
  if (!ins) return std::unexpected(ins.error());
  // Row by row: the run's rows are never all in memory at once.
  for (const auto& r : results)
    if (auto ok = PutOutcome(*ins, ToOutcomeRow(info.run_id, r, info.warnings_fail)); !ok) return ok;
  if (auto ok = PutRunDerived(info, results); !ok) return ok;
  if (tx.Commit() != SQLITE_OK) return std::unexpected(DbError(db, "cannot commit the run", path_));
  return {};
}

Result<bool> History::AddOutcomes(const RunInfo& info, const std::vector<OutcomeRow>& rows) {
  sqlite3* db = db_.get();
  Transaction tx(db);
  if (const int rc = tx.Begin(); rc != SQLITE_OK) {
    if ((rc & 0xff) == SQLITE_BUSY) return false;
    return std::unexpected(DbError(db, "cannot lock the history database", path_));
  }
  // The run's row first (the outcomes refer to it), as in progress; left as
  // it is when an earlier batch made it.
  {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM runs WHERE run_id = ?1", -1, &raw, nullptr) != SQLITE_OK)
      return std::unexpected(DbError(db, "cannot prepare", path_));
    Stmt exists(raw);
    Bind(exists.get(), 1, info.run_id);
    const int rc = sqlite3_step(exists.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return std::unexpected(DbError(db, "cannot read a run", path_));
    if (rc == SQLITE_DONE)
      if (auto ok = PutRun(info, RunSummary{}, /*in_progress=*/true); !ok) return std::unexpected(ok.error());
  }
  auto ins = PrepareOutcomeInsert();
  if (!ins) return std::unexpected(ins.error());
  // In key order: probe ids are hashes, so rows in finish order land all
  // over the (run_id, probe_id) B-tree; sorted, a batch fills its pages in
  // one pass instead of reading and rewriting a page per row. Stable: of two
  // rows of one probe (INSERT OR REPLACE) the later one still wins.
  std::vector<const OutcomeRow*> in_key_order;
  in_key_order.reserve(rows.size());
  for (const OutcomeRow& o : rows) in_key_order.push_back(&o);
  std::stable_sort(in_key_order.begin(), in_key_order.end(),
                   [](const OutcomeRow* a, const OutcomeRow* b) { return a->probe_id < b->probe_id; });
  for (const OutcomeRow* o : in_key_order)
    if (auto ok = PutOutcome(*ins, *o); !ok) return std::unexpected(ok.error());
  if (const int rc = tx.Commit(); rc != SQLITE_OK) {
    if ((rc & 0xff) == SQLITE_BUSY) return false;
    return std::unexpected(DbError(db, "cannot commit outcomes", path_));
  }
  return true;
}

Result<void> History::FinishRun(const RunInfo& info, const RunSummary& summary, const ResultList& results,
                                size_t recorded) {
  sqlite3* db = db_.get();
  Transaction tx(db);
  if (tx.Begin() != SQLITE_OK) return std::unexpected(DbError(db, "cannot lock the history database", path_));
  if (auto ok = PutRun(info, summary, /*in_progress=*/false); !ok) return ok;
  auto ins = PrepareOutcomeInsert();
  if (!ins) return std::unexpected(ins.error());
  for (size_t i = recorded; i < results.size(); ++i)
    if (auto ok = PutOutcome(*ins, ToOutcomeRow(info.run_id, results[i], info.warnings_fail)); !ok) return ok;
  if (auto ok = PutRunDerived(info, results); !ok) return ok;
  if (tx.Commit() != SQLITE_OK) return std::unexpected(DbError(db, "cannot commit the run", path_));
  return {};
}

void History::SetBusyTimeout(int ms) { sqlite3_busy_timeout(db_.get(), ms); }

Result<std::vector<RunRow>> History::ListRuns() {
  sqlite3_stmt* raw = nullptr;
  const std::string sql = fmt::format("SELECT {} FROM runs ORDER BY started DESC, run_id DESC", kRunColumns);
  if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    return std::unexpected(DbError(db_.get(), "cannot list runs", path_));
  Stmt s(raw);
  std::vector<RunRow> runs;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) runs.push_back(ReadRun(s.get()));
  if (rc != SQLITE_DONE) return std::unexpected(DbError(db_.get(), "cannot list runs", path_));
  return runs;
}

Result<std::optional<RunRow>> History::GetRun(const std::string& run_id) {
  sqlite3_stmt* raw = nullptr;
  const std::string sql = fmt::format("SELECT {} FROM runs WHERE run_id = ?1", kRunColumns);
  if (sqlite3_prepare_v2(db_.get(), sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    return std::unexpected(DbError(db_.get(), "cannot read a run", path_));
  Stmt s(raw);
  Bind(s.get(), 1, run_id);
  const int rc = sqlite3_step(s.get());
  if (rc == SQLITE_ROW) return std::optional<RunRow>(ReadRun(s.get()));
  if (rc == SQLITE_DONE) return std::optional<RunRow>();
  return std::unexpected(DbError(db_.get(), "cannot read a run", path_));
}

Result<std::vector<LatencyRow>> History::LoadLatencies(const std::string& run_id) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(), "SELECT wiki, kind, fetched, p50, p95 FROM latency WHERE run_id = ?1 ORDER BY wiki, kind",
                         -1, &raw, nullptr) != SQLITE_OK)
    return std::unexpected(DbError(db_.get(), "cannot load latencies", path_));
  Stmt s(raw);
  Bind(s.get(), 1, run_id);
  std::vector<LatencyRow> rows;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW)
    rows.push_back({Text(s.get(), 0), Text(s.get(), 1), sqlite3_column_int64(s.get(), 2),
                    sqlite3_column_double(s.get(), 3), sqlite3_column_double(s.get(), 4)});
  if (rc != SQLITE_DONE) return std::unexpected(DbError(db_.get(), "cannot load latencies", path_));
  return rows;
}

Result<std::vector<OutcomeRow>> History::LoadOutcomes(const std::string& run_id) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(),
                         "SELECT run_id, probe_id, wiki, kind, query, url, verdict, signature, request_id, message, "
                         "status, product_failure, tool_failure FROM outcomes WHERE run_id = ?1 ORDER BY probe_id",
                         -1, &raw, nullptr) != SQLITE_OK)
    return std::unexpected(DbError(db_.get(), "cannot load outcomes", path_));
  Stmt s(raw);
  Bind(s.get(), 1, run_id);
  std::vector<OutcomeRow> rows;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    OutcomeRow o;
    o.run_id = Text(s.get(), 0);
    o.probe_id = Text(s.get(), 1);
    o.wiki = Text(s.get(), 2);
    o.kind = Text(s.get(), 3);
    o.query = Text(s.get(), 4);
    o.url = Text(s.get(), 5);
    o.verdict = Text(s.get(), 6);
    o.signature = Text(s.get(), 7);
    o.request_id = Text(s.get(), 8);
    o.message = Text(s.get(), 9);
    o.status = sqlite3_column_int64(s.get(), 10);
    o.product_failure = sqlite3_column_int(s.get(), 11) != 0;
    o.tool_failure = sqlite3_column_int(s.get(), 12) != 0;
    rows.push_back(std::move(o));
  }
  if (rc != SQLITE_DONE) return std::unexpected(DbError(db_.get(), "cannot load outcomes", path_));
  return rows;
}

std::string ScopeWithOldNames(std::string_view scope) {
  // Runs recorded before --kind was the page-kind filter's name say "--page KIND".
  std::string out(scope);
  for (size_t at = 0; (at = out.find("--kind ", at)) != std::string::npos; at += 7)
    if (at == 0 || out[at - 1] == ' ') out.replace(at, 7, "--page ");
  return out;
}

Result<std::optional<std::string>> History::FindBaseline(const std::string& spec, const RunInfo& current) {
  if (spec != "last") {
    auto run = GetRun(spec);
    if (!run) return std::unexpected(run.error());
    if (!*run) return Fail(Error::Code::kUsage, "no run " + spec + " in the history", path_);
    return std::optional<std::string>(spec);
  }
  sqlite3_stmt* raw = nullptr;
  // "Older" by start time first: run ids only sort by the second, and two
  // runs in the same second sort by their random suffix.
  if (sqlite3_prepare_v2(db_.get(),
                         "SELECT run_id FROM runs WHERE targets = ?1 AND scope IN (?3, ?5) AND partial = 0 AND run_id <> ?2 "
                         "AND (started < ?4 OR (started = ?4 AND run_id < ?2)) "
                         "ORDER BY started DESC, run_id DESC LIMIT 1",
                         -1, &raw, nullptr) != SQLITE_OK)
    return std::unexpected(DbError(db_.get(), "cannot find a baseline", path_));
  Stmt s(raw);
  Bind(s.get(), 1, current.targets_path);
  Bind(s.get(), 2, current.run_id);
  Bind(s.get(), 3, current.scope);
  Bind(s.get(), 4, current.started_unix_ms);
  Bind(s.get(), 5, ScopeWithOldNames(current.scope));
  const int rc = sqlite3_step(s.get());
  if (rc == SQLITE_ROW) return std::optional<std::string>(Text(s.get(), 0));
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  return std::unexpected(DbError(db_.get(), "cannot find a baseline", path_));
}

Result<std::map<std::string, History::RecordedFacts>> History::LastHealthyFacts() {
  sqlite3_stmt* raw = nullptr;
  // SQLite takes the bare columns of an aggregate query from the row that
  // holds the MAX: per site, the facts of its newest healthy run.
  if (sqlite3_prepare_v2(db_.get(),
                         "SELECT f.site, f.run_id, f.facts, MAX(r.started) FROM wiki_facts f "
                         "JOIN runs r ON r.run_id = f.run_id WHERE f.healthy = 1 GROUP BY f.site",
                         -1, &raw, nullptr) != SQLITE_OK)
    return std::unexpected(DbError(db_.get(), "cannot read the recorded facts", path_));
  Stmt s(raw);
  std::map<std::string, RecordedFacts> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) out[Text(s.get(), 0)] = {Text(s.get(), 1), Text(s.get(), 2)};
  if (rc != SQLITE_DONE) return std::unexpected(DbError(db_.get(), "cannot read the recorded facts", path_));
  return out;
}

Result<int64_t> History::LastCleanRunMs(const std::string& targets) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_.get(),
                         "SELECT COALESCE(MAX(finished), 0) FROM runs WHERE partial = 0 AND product_failures = 0 "
                         "AND scope = '' AND (?1 = '' OR targets = ?1)",
                         -1, &raw, nullptr) != SQLITE_OK)
    return std::unexpected(DbError(db_.get(), "cannot query the last clean run", path_));
  Stmt s(raw);
  Bind(s.get(), 1, targets);
  if (sqlite3_step(s.get()) != SQLITE_ROW)
    return std::unexpected(DbError(db_.get(), "cannot query the last clean run", path_));
  return sqlite3_column_int64(s.get(), 0);
}

Result<void> History::DeleteRun(const std::string& run_id) {
  Transaction tx(db_.get());
  if (tx.Begin() != SQLITE_OK) return std::unexpected(DbError(db_.get(), "cannot lock the history database", path_));
  for (const char* sql : {"DELETE FROM outcomes WHERE run_id = ?1", "DELETE FROM wiki_facts WHERE run_id = ?1",
                          "DELETE FROM latency WHERE run_id = ?1",
                          "DELETE FROM runs WHERE run_id = ?1"}) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql, -1, &raw, nullptr) != SQLITE_OK)
      return std::unexpected(DbError(db_.get(), "cannot prepare", path_));
    Stmt s(raw);
    Bind(s.get(), 1, run_id);
    if (sqlite3_step(s.get()) != SQLITE_DONE) return std::unexpected(DbError(db_.get(), "cannot delete run", path_));
  }
  if (tx.Commit() != SQLITE_OK) return std::unexpected(DbError(db_.get(), "cannot commit the deletion", path_));
  return {};
}

OutcomeRow ToOutcomeRow(const std::string& run_id, const ResultRef& r, bool warnings_fail) {
  const Verdict v = r.outcome.result.verdict;
  OutcomeRow o;
  o.run_id = run_id;
  o.probe_id = r.probe.id;
  o.wiki = r.probe.wiki;
  o.kind = std::string(PageKindName(r.probe.kind));
  o.query = r.probe.query;
  o.url = r.probe.url;
  o.verdict = std::string(VerdictName(v));
  o.signature = r.outcome.result.evidence.signature;
  o.request_id = r.outcome.result.evidence.request_id;
  o.message = r.outcome.result.evidence.message;
  o.status = r.outcome.http_status;
  o.product_failure = IsProductFailure(v, warnings_fail);
  o.tool_failure = IsToolFailure(v);
  return o;
}

std::vector<OutcomeRow> ToOutcomeRows(const std::string& run_id, const ResultList& results, bool warnings_fail) {
  std::vector<OutcomeRow> rows;
  rows.reserve(results.size());
  for (const auto& r : results) rows.push_back(ToOutcomeRow(run_id, r, warnings_fail));
  return rows;
}

}  // namespace bc
