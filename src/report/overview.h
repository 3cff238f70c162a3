// The picture of a run before its details, shared by report.html (the
// PASS/FAIL banner, the wiki x page kind grid, the latency chart) and
// summary.md (the "Clean:" line): counts per wiki x page kind with the worst
// verdict of each, the wikis without a failure, latency percentiles per page
// kind, and the one sentence that says how the run ended. Pure.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "classify/verdict.h"
#include "plan/probe.h"
#include "report/results.h"
#include "report/writer.h"

namespace bc {

// How bad a verdict is, for "worst" and failures-first orders: a product
// failure 4, a tool failure (auth, transport, throttled) 3, a warning that
// does not fail 2, not-run 1 (unknown, not a pass), ok 0.
int Severity(Verdict v, bool warnings_fail);

struct OverviewCell {
  std::array<int64_t, kVerdictCount> by_verdict{};
  int64_t total = 0;
  Verdict worst = Verdict::kOk;  // the highest Severity present
};

struct KindLatency {
  PageKind kind = PageKind::kRecentChanges;
  size_t fetched = 0;   // probes with a response (HTTP status > 0)
  double p50 = 0, p95 = 0, max = 0;  // seconds (nearest-rank percentiles)
};

struct Overview {
  std::vector<std::string> wikis;  // every wiki of the results, sorted
  std::vector<PageKind> kinds;     // every page kind of the results, in enum order
  std::map<std::pair<std::string, PageKind>, OverviewCell> cells;  // only the pairs that have probes
  std::vector<std::string> clean;    // wikis whose every probe ran and passed (ok, or a warning that does not fail)
  std::vector<std::string> failing;  // wikis with at least one product failure
  std::vector<KindLatency> latency;  // per page kind with a fetched probe, in `kinds` order

  const OverviewCell* Cell(const std::string& wiki, PageKind kind) const;
};

Overview MakeOverview(const ResultList& results, bool warnings_fail);

// How the run ended, as a word ("PASS", "FAIL", "ERROR", "INTERRUPTED") and
// one sentence for a release engineer: "50 product failures on frwiki,
// ruwiki in 1 group; clean: enwiki." `groups` = product failure groups.
struct RunStatus {
  std::string word;
  std::string sentence;
};
RunStatus DescribeRunStatus(const RunInfo& info, const RunSummary& summary, const Overview& overview,
                            size_t product_groups);


}  // namespace bc
