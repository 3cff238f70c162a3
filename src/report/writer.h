// The report stage: one interface, one writer per output format
// (pages.jsonl, junit.xml, summary.md, report.html, metrics.prom).
//
// Call order per run: Begin once, Add once per finished probe (in finish
// order, from one thread), Finish once. Writers are not thread-safe; the
// caller serialises calls. A writer keeps copies of what it needs, so the
// Probe and Outcome passed to Add need not outlive the call.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "classify/verdict.h"
#include "core/error.h"
#include "classify/outcome.h"
#include "plan/probe.h"
#include "report/failure_group.h"
#include "report/latency.h"

namespace bc {

// Facts about the run as a whole. Filled by `crawler run`; the same value
// (with finished_unix_ms/exit_code/partial set) is passed to Finish.
struct RunInfo {
  std::string run_id;            // MakeRunId(): "20261127T031845Z-abcd", sortable by time
  std::string targets_path;      // the targets file the plan came from
  int64_t started_unix_ms = 0;   // wall clock at plan start
  int64_t finished_unix_ms = 0;  // wall clock when the last outcome arrived; 0 until Finish
  bool partial = false;          // interrupted (Ctrl-C/TERM, deadline): not every probe ran
  int exit_code = 0;             // the process exit code this run ends with
  size_t planned = 0;            // probes in the plan (outcomes may be fewer when partial)
  // Which part of the targets' plan this run covers: "" = all of it; else what
  // narrowed it ("--wiki frwiki --page watchlist", "recheck of RUN_ID").
  std::string scope;
  bool warnings_fail = false;    // CrawlOptions::warnings_fail: a warning is a product failure
  std::string user_agent;        // put into curl reproduction commands; may be empty
  bool tls_verified = true;      // false with --insecure: every report says so
  // Per wiki dbname, the NAMES of the session cookies a logged-in probe sends.
  // Only names: reproduction commands show `-b 'NAME=...'` placeholders.
  std::map<std::string, std::vector<std::string>> cookie_names;
  // Unix ms of the newest earlier run with no product failure (from History,
  // LastCleanRunMs); 0 = none known. metrics.prom exports it.
  int64_t last_clean_unix_ms = 0;
  // --fail-on known / flaky: those failures fail the run too. By default they
  // are shown (with their task, or as flaky) and do not make exit code 1.
  bool fail_on_known = false;
  bool fail_on_flaky = false;
  // The known-issues entries of the run (config/known.h), in file order, with
  // how many failures each matched. In a complete whole-plan run (scope "",
  // not partial) an entry that matched nothing is reported as possibly fixed.
  struct KnownStatus {
    std::string task, note;
    int64_t matched = 0;
  };
  std::vector<KnownStatus> known;
  // Each wiki's ORES facts as asked before the crawl (mediawiki/facts_record.h,
  // JSON): History::RecordRun keeps them, marked healthy where the run found
  // nothing wrong with that wiki, for the plans of later runs.
  struct WikiFactsRow {
    std::string wiki;   // dbname, as in the outcomes
    std::string site;   // FactsSiteKey: dbname and base URL
    std::string facts;  // ToJson(OresFactsRecord)
  };
  std::vector<WikiFactsRow> wiki_facts;
  // With a baseline: page kinds much slower than there (report/latency.h),
  // shown in every report; they fail the run only with --fail-on slow.
  std::vector<SlowFinding> slow;
  bool fail_on_slow = false;
  // Evidence (report/evidence.h): failing responses saved per group (0 = none),
  // and what was saved, filled at Finish before the rendered files: group
  // directory (EvidenceGroupDir) -> probe ids, in member order.
  int evidence_per_group = 3;
  std::map<std::string, std::vector<std::string>> evidence;
  // The run's failure groups (report/grouping.h GroupFailures over every
  // result, in its order: the numbers every report gives them), made once at
  // Finish before the evidence and the rendered files; members index the
  // results the writers render. Empty before Finish.
  std::vector<FailureGroup> groups;
  bool WholePlan() const { return scope.empty() && !partial; }
};

// Counts over the outcomes of a run. Built with Count() as outcomes arrive.
struct RunSummary {
  std::array<int64_t, kVerdictCount> by_verdict{};  // indexed by static_cast<size_t>(Verdict)
  int64_t total = 0;                    // outcomes counted
  int64_t product_failures = 0;         // IsProductFailure(verdict, warnings_fail)
  int64_t tool_failures = 0;            // IsToolFailure(verdict)
  int64_t known = 0;                    // product failures a known issue matched (Outcome::known_task)
  int64_t flaky = 0;                    // product failures that did not reproduce (IsFlaky), not known

  int64_t Of(Verdict v) const { return by_verdict[static_cast<size_t>(v)]; }
  // The product failures that fail the run (exit code 1): known and flaky
  // ones only with --fail-on known / flaky.
  int64_t Failing(bool fail_on_known, bool fail_on_flaky) const {
    return product_failures - (fail_on_known ? 0 : known) - (fail_on_flaky ? 0 : flaky);
  }
  int64_t Failing(const RunInfo& info) const { return Failing(info.fail_on_known, info.fail_on_flaky); }
};

// A product failure that makes exit code 1: not a known one (Outcome::known_task)
// unless info.fail_on_known, not a flaky one unless info.fail_on_flaky.
bool FailsRun(const Outcome& outcome, const RunInfo& info);

// Adds one outcome to `summary`.
void Count(RunSummary& summary, const Outcome& outcome, bool warnings_fail);

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  // Opens what must exist from the start (pages.jsonl); may be a no-op.
  virtual Result<void> Begin(const RunInfo& info) = 0;
  // One finished probe. Called once per probe, in finish order.
  virtual Result<void> Add(const Probe& probe, const Outcome& outcome) = 0;
  // Writes the output file atomically (temp file + rename) where the format
  // is written at the end; closes streaming outputs.
  virtual Result<void> Finish(const RunInfo& info, const RunSummary& summary) = 0;
};

}  // namespace bc
