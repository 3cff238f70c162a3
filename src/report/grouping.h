// Failure grouping and the "minimal failing parameters": pure functions over
// a run's (probe, outcome) pairs, shared by summary.md and report.html.
#pragma once

#include <string>
#include <vector>

#include "classify/verdict.h"
#include "classify/outcome.h"
#include "plan/probe.h"
#include "report/failure_group.h"
#include "report/results.h"
#include "report/writer.h"

namespace bc {

// The rule of MinimalParams (failure_group.h) over `failing` (indexes into results).
MinimalParams FindMinimalParams(const ResultList& results, const std::vector<size_t>& failing);

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
// then by key. Pure. Costly on a big run (every failing probe against the
// passing ones of its scope): a run computes it once, in RunReport::Finish,
// into RunInfo::groups, which every writer and the terminal read.
std::vector<FailureGroup> GroupFailures(const ResultList& results, bool warnings_fail);

// A curl command that reloads `probe` without any secret: the URL, the user
// agent, and for a wiki with session cookies `-b 'NAME=...'` placeholders
// (names from info.cookie_names) the user fills in from a browser.
std::string CurlCommand(const Probe& probe, const RunInfo& info);

// `crawler repro PROBE_ID --run RUN_ID --save repro/`: the same probe fetched
// again, logged in as the run was, with nothing to paste (src/cli/repro_command.cc).
std::string ReproCommand(const Probe& probe, const RunInfo& info);

}  // namespace bc
