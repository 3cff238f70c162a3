// Failure grouping and the "minimal failing parameters": pure functions over
// a run's (probe, outcome) pairs, shared by summary.md and report.html.
#pragma once

#include <string>
#include <vector>

#include "classify/verdict.h"
#include "classify/outcome.h"
#include "plan/probe.h"
#include "report/results.h"
#include "report/writer.h"

namespace bc {


// What the parameters of a group's failing probes have in common that the
// passing probes (verdict ok) of the same wikis and page kinds do not.
//
// The rule, over the group's failing probes F and the scope's passing probes P
// (P = probes with verdict ok whose (wiki, kind) occurs in F):
//  1. all_of: for each key present in every probe of F:
//       - one value v throughout F: "key=v", kept if no probe in P has key=v;
//       - several values V: kept if no probe in P has key with a value in V,
//         shown as "key=*" when no probe in P has the key at all, else as
//         "key=v1|v2" (the failing values, sorted).
//     Every listed item holds for every failing probe and for no passing one.
//  2. any_of (only when all_of is empty): keys that no probe in P has at all,
//     picked greedily (the key present in most not-yet-covered failing probes
//     first, ties by name) until every probe of F has one; shown as "key=*".
//     Left empty if those keys cannot cover F.
//  A probe that failed differently (another group, or a tool failure) is
//  neither failing nor passing here: it tells nothing about this group.
struct MinimalParams {
  std::vector<std::string> all_of;  // every failing probe has all of these
  std::vector<std::string> any_of;  // every failing probe has one of these
  bool scope_all_failing = false;   // no passing probe in the scope: everything fails there
  // Probes of the scope that never ran (--fail-fast, the deadline, a signal):
  // they are neither failing nor passing, so "every probe" is only every
  // probe that ran.
  size_t scope_not_run = 0;

  // "damaging=* and hidebots=1", "damaging=* or goodfaith=*", "every probe"
  // (no probe of these wikis and pages passed: whatever the parameters),
  // "every probe that ran (68 did not run)", or "none found" when no rule
  // applies.
  std::string Describe() const;
};

MinimalParams FindMinimalParams(const ResultList& results, const std::vector<size_t>& failing);

// Failures that share a cause.
struct FailureGroup {
  // evidence.signature; when empty, "transport: <curl error>" for transport
  // verdicts with an error text, else "<verdict> HTTP <status>".
  std::string key;
  Verdict verdict = Verdict::kOk;  // of the group's first probe
  bool product_failure = false;  // IsProductFailure(verdict, warnings_fail)
  std::string exception_class;   // first non-empty in the group
  std::string message;           // first non-empty in the group
  std::vector<size_t> members;   // indexes into the results, in input order
  std::vector<std::string> wikis;  // sorted, unique
  std::vector<PageKind> kinds;     // sorted, unique
  std::vector<std::string> request_ids;  // non-empty ones, unique, in input order
  MinimalParams minimal;
  // The same rule per page kind of the group (kinds in order): one kind can
  // fail everywhere while another fails only with one parameter.
  std::vector<std::pair<PageKind, MinimalParams>> minimal_by_kind;
  size_t first = 0;              // index of the first failing probe (its URL reproduces the group)
  // Product failures only: every member matched this known issue ("" = none),
  // or every member did not reproduce (flaky, and not known).
  std::string known_task;
  bool flaky = false;
  int64_t fetches = 0;         // fetches of the members: the first ones plus the confirming re-fetches
  int64_t failed_fetches = 0;  // of those, how many failed
};

// The cause a failure is grouped by: evidence.signature; when empty,
// "transport: <curl error>" for transport verdicts with an error text, else
// "<verdict> HTTP <status>". A known issue's `signature` is a substring of it.
std::string FailureKey(const Outcome& outcome);

// "reproduced on 2 of 2 fetches" ("not reproduced: failed on 2 of 4 fetches
// (the first ones only)" for a flaky group), or "" when no member was
// fetched again.
std::string DescribeConfirmation(const FailureGroup& group);

// "damaging=*" for a one-kind group; for several kinds, one clause per kind:
// "recentchanges, watchlist: every probe; contributions: hidenondamaging=1".
std::string DescribeFailingParameters(const FailureGroup& group);

// Probes that never ran are no failure: "68 not run (--fail-fast)", their
// count and the causes the engine gave (--fail-fast, deadline exceeded,
// interrupted), or "" when every probe ran.
std::string DescribeNotRun(const ResultList& results);

// The probes the crawler could not judge, with the tool-failure verdicts the
// run has: "3 probes could not be judged (transport 1, throttled 2)"; "" when
// none. For the terminal and report.html's banner.
std::string DescribeUnjudged(const RunSummary& summary);

// "" when no probe is throttled; else what `throttled` means and what to do,
// for the terminal, report.html's banner and the summaries: "2 probes
// throttled: the server kept answering 429 Too Many Requests ...".
std::string DescribeThrottled(const RunSummary& summary);

// A partial run's note for the reports: PREFIX + "68 not run (--fail-fast)"
// (or "not every probe ran (Ctrl-C, the deadline or --fail-fast)" when none
// is marked not-run) + SUFFIX; "" for a complete run. Text only, no escaping.
std::string PartialNote(const RunInfo& info, const ResultList& results, std::string_view prefix,
                        std::string_view suffix);

// Groups every non-ok outcome that ran (not-run ones are DescribeNotRun's) by key (FailureKey), known issues and flaky
// failures apart from the others of the same key. Order: product failures
// that fail the run first, then known and flaky ones, then tool failures,
// then the rest (non-failing warnings); within each, bigger groups first,
// then by key. Pure.
std::vector<FailureGroup> GroupFailures(const ResultList& results, bool warnings_fail);

// A curl command that reloads `probe` without any secret: the URL, the user
// agent, and for a wiki with session cookies `-b 'NAME=...'` placeholders
// (names from info.cookie_names) the user fills in from a browser.
std::string CurlCommand(const Probe& probe, const RunInfo& info);

// `crawler repro PROBE_ID --run RUN_ID --save repro/`: the same probe fetched
// again, logged in as the run was, with nothing to paste (src/cli/repro_command.cc).
std::string ReproCommand(const Probe& probe, const RunInfo& info);

}  // namespace bc
