// A whole crawl: read passwords, log in, fetch every probe, re-login once
// where a session was lost, write every outcome as it arrives, finish the
// reports. What `crawler run` and `crawler recheck` do after parsing argv.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/confirm.h"
#include "cli/options.h"
#include "classify/page_sink.h"
#include "core/memory_budget.h"
#include "config/known.h"
#include "config/engine_options.h"
#include "config/targets.h"
#include "core/error.h"
#include "engine/engine.h"
#include "mediawiki/discovery.h"
#include "mediawiki/session.h"
#include "plan/probe.h"
#include "report/grouping.h"
#include "report/history.h"
#include "report/run_report.h"
#include "report/writer.h"

namespace bc {

struct RunOptions {
  std::string results_dir = "results";  // parent of results/<run-id>/
  bool fail_fast = false;               // stop scheduling after the first product failure
  const std::atomic<bool>* stop = nullptr;  // set by a signal handler: finish what's in flight, write, exit 130
  // When the run began (before discovery): [crawl] deadline_ms counts from
  // here, one deadline for discovery, logins, the crawl, re-logins and re-fetch.
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  // Called once per final outcome, in finish order (progress display). May be empty.
  std::function<void(const Probe&, const Outcome&)> on_outcome;
  // Called once after the first logins, before any probe of the crawl (not
  // when a signal cut the logins short): the progress display says failed
  // logins first. May be empty.
  std::function<void(const std::vector<LoginResult>&)> on_logins;
  // A phase that shows no outcome while it lasts begins ("confirming 50
  // product failures: ..."): the progress display says so. May be empty.
  std::function<void(const std::string&)> on_phase;
  // What the crawl is doing now ("logging in to 3 wikis", "fetching",
  // "writing the results"), for a heartbeat; not a line. May be empty.
  std::function<void(const std::string&)> on_activity;
  // Outcomes decided before the crawl (the ORES API pre-flight, mediawiki/ores.h):
  // written first, counted like any probe (pages.jsonl, summary, junit, exit code).
  std::vector<std::pair<Probe, Outcome>> preflight;
  // Each wiki's ORES facts as asked before the crawl (PreparedPlan::wiki_facts):
  // recorded in the history with the run, for the plans of later runs.
  std::vector<RunInfo::WikiFactsRow> wiki_facts;
  // "" = no comparison; "last" = the newest complete earlier run of the same
  // targets and scope; else a run id. The diff lands in CrawlReport::diff.
  std::string baseline;
  // --fail-on new: exit code 1 only for failures the baseline did not have.
  bool fail_on_new_only = false;
  // RunInfo::scope: "" for the whole plan, PlanScope() of the filters, or
  // "recheck of RUN_ID". `--baseline last` only looks at runs of the same scope.
  std::string scope;
  // Known issues: this file instead of the targets' [crawl] known ("" = that
  // one, if any). A failure an entry matches is shown with its task and
  // fails the run only with fail_on_known.
  std::string known_file;
  bool fail_on_known = false;  // --fail-on known
  bool fail_on_flaky = false;  // --fail-on flaky: a failure that did not reproduce fails the run too
  bool fail_on_slow = false;   // --fail-on slow: a page kind much slower than the baseline fails the run
};

// A plan whose targets went through [discovery] first (SiteMatrix, per-wiki
// facts): what `plan` and `run` use. Without [discovery] it is LoadPlan's
// result and needs no network.
struct PreparedPlan {
  Targets targets;            // with discovered wikis and ores_models/ores_levels from facts
  std::vector<Probe> probes;
  Preparation preparation;    // empty without [discovery]
  std::vector<std::pair<Probe, Outcome>> preflight;  // ORES API pre-flight (when facts + preflight) and
                                                     // the wikis whose ORES facts regressed
  std::vector<RunInfo::WikiFactsRow> wiki_facts;     // today's facts of each wiki, to record with the run
  // Where the last healthy facts came from: "N wikis with healthy facts in
  // PATH", or why none were read. Empty without [discovery] facts.
  std::string history_note;
};
// `clock`: the run's start and stop flag, so discovery counts against the
// run's deadline (`plan` passes none). With [discovery] facts, each wiki's
// last healthy facts are read from opts.results_dir/history.sqlite (never
// created here) and merged into the plan (mediawiki/ores.h ApplyFacts).
Result<PreparedPlan> LoadPreparedPlan(const PlanOptions& opts, const RunClock& clock = {});

struct CrawlReport {
  RunInfo info;                        // run id, times, exit code, partial; info.groups: failures by cause
  std::optional<RunReport> files;      // results/<run-id>/ and every result (always set on success)
  std::vector<LoginResult> logins;     // first logins, one per wiki with an account
  std::vector<LoginResult> relogins;   // wikis whose session was lost mid-crawl
  // Wikis configured as http:// whose server redirected to https on the same
  // host (followed): wiki -> {the http origin, the https origin}, for one
  // warning per wiki.
  std::map<std::string, std::pair<std::string, std::string>> https_upgrades;
  std::optional<RunDiff> diff;         // with a baseline: the probe-by-probe comparison
  std::string baseline_id;             // the run compared with; empty when none was found
  // Resident memory when the crawl began (the plan loaded, nothing fetched), KiB:
  // what the crawl adds is the peak (PeakResidentKb) minus this (bench/run).
  int64_t resident_at_start_kb = 0;
  // A result file or the history could not be written (a full disk, a locked
  // or unwritable history.sqlite). Every other file was still attempted, and
  // the verdict line is still printed; the process then exits 2 (ExitCodeOf).
  std::optional<Error> write_error;
  // The run's memory budget ([crawl] memory_budget_mb): the most its
  // classifiers held at once, and how often it refused (pages classified from
  // fewer bytes).
  int64_t memory_budget_peak = 0;
  int64_t memory_budget_refusals = 0;

  const RunSummary& summary() const { return files->summary(); }                // counts per verdict
  // In finish order; refers to the plan's probes (keep the plan alive).
  const ResultList& results() const { return files->results(); }
  const std::string& run_dir() const { return files->run_dir(); }
};

// Exit code rule (DESIGN.md): 130 when interrupted; 2 when the crawl could not
// be done properly (a login failed, or transport+auth verdicts above
// max_tool_failure_share); 1 when any product failure; 2 when probes were not
// run (the run deadline); else 0. Known and flaky failures count as product
// failures only when fail_on_known / fail_on_flaky say so.
int CrawlExitCode(const RunSummary& summary, bool login_failed, bool interrupted, double max_tool_failure_share,
                  bool fail_on_known = false, bool fail_on_flaky = false);

// The terminal summary of a finished crawl (src/cli/run_command.cc): failed
// logins (unless `logins_said`: the progress display printed them first),
// re-logins, failure groups (unless quiet), totals ("13 of 81 probes fetched,
// 68 not run (--fail-fast)"), verdict line; then a write error on stderr, if any.
void PrintCrawlReport(const CrawlReport& report, bool quiet, bool logins_said = false);
// "13 of 81 probes fetched, 68 not run (--fail-fast) in 2.1 s (6.2 pages/s):
// ok 12 exception 1": pages/s over the fetched pages only.
std::string DescribeTotals(const CrawlReport& report, double seconds);
// Why a crawl ended with exit code 2, for the ERROR line: "login failed on
// frwiki; 27 probes could not be judged (transport, auth); 68 not run
// (deadline exceeded)".
std::string DescribeCrawlTrouble(const CrawlReport& report);
// The process exit code of a finished crawl: 130/143 when interrupted, else 2
// when something could not be written, else the crawl's own (info.exit_code).
int ExitCodeOf(const CrawlReport& report);
// The same as one JSON object (`run --format json`): totals, groups, diff.
std::string CrawlReportJson(const CrawlReport& report);

// One crawl of `probes` (a plan of `targets`), phase by phase:
//   Start     run id, passwords, results/<run-id>/, the pre-flight outcomes
//   LogIn     first logins; probes of a wiki whose login failed get `auth`
//   Fetch     every other probe through the engine, each outcome written as it
//             arrives; an `auth` page that expected our user is held back
//   Relogin   log in again where the session was lost, re-fetch the held probes
//   Confirm   fetch every product failure again after confirm_after_ms (cli/confirm.h);
//             until then failures are shown but not written
//   Conclude  exit code, baseline diff, the rendered files, failure groups
// Every phase shares one Engine (cookies, connections), one stop flag and one
// run deadline (RunOptions::started + deadline_ms). A new phase is a method
// called from Run() between two others. Use once: Run() may be called once.
class Crawl {
 public:
  Crawl(const Targets& targets, const std::vector<Probe>& probes, const RunOptions& options);
  ~Crawl();
  Crawl(const Crawl&) = delete;
  Crawl& operator=(const Crawl&) = delete;

  // An Error only when nothing could be done (passwords unreadable, results
  // dir not writable); every finding, failed logins included, and a results
  // file or history not written (CrawlReport::write_error) is in the report.
  Result<CrawlReport> Run();

 private:
  Result<void> Start();
  void LogIn();
  Result<void> Fetch();
  Result<void> Relogin();
  Result<void> Confirm();
  Result<CrawlReport> Conclude();

  // Every outcome goes through here exactly once (pages.jsonl at once):
  // redacted, matched against the known issues. `shown`: on_outcome already
  // saw it (a failure held for confirmation).
  void Emit(const Probe& probe, Outcome outcome, bool shown = false);
  // on_done of the crawl's engine Runs: the Outcome, held or written;
  // --fail-fast's stop after the first product failure.
  Next OnFetched(Response&& r, bool may_hold);
  bool Stopped() const { return options_.stop != nullptr && options_.stop->load(); }

  const Targets& targets_;
  const std::vector<Probe>& probes_;
  const RunOptions& options_;
  CrawlReport report_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<MemoryBudget> budget_;               // every classifier's bytes together
  SinkOptions fetch_sink_;                             // budget_ + evidence capture, for the crawl's fetches
  std::vector<std::string> wikis_;                     // wikis in the plan, in plan order
  std::map<std::string, std::string> passwords_;       // account -> password
  std::map<std::string, std::string> login_failed_;    // wiki -> reason
  std::map<std::string, std::vector<size_t>> held_;    // wiki -> probes to re-fetch after a re-login
  std::map<size_t, Outcome> held_outcomes_;            // their first outcomes (auth)
  KnownIssues known_;                                  // --known / [crawl] known
  std::vector<int64_t> known_matched_;                 // failures each entry matched
  std::vector<HeldFailure> unconfirmed_;               // product failures waiting for Confirm
  std::optional<Error> write_error_;                   // the first results write that failed
  bool interrupted_ = false;
  bool deadline_exceeded_ = false;
};

// Crawl(targets, probes, options).Run().
Result<CrawlReport> RunCrawl(const Targets& targets, const std::vector<Probe>& probes, const RunOptions& options);

}  // namespace bc
