// Page latency per wiki x page kind, kept in results/history.sqlite so a run
// can be compared with its baseline (issue 14 point 10): a page kind whose
// p95 is more than 2x the baseline's AND over 1 s slower is a `slow` finding,
// shown in the terminal, summary.md and report.html; it fails the run only
// with `--fail-on slow`. Pure functions; history.cc stores the rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/results.h"

namespace bc {

// One wiki x page kind of one run. Seconds, nearest-rank percentiles over
// the probes that got a response (HTTP status > 0); pairs without one are absent.
struct LatencyRow {
  std::string wiki;
  std::string kind;  // PageKindName
  int64_t fetched = 0;
  double p50 = 0, p95 = 0;
};

// Sorted by wiki, then kind.
std::vector<LatencyRow> ComputeLatencies(const ResultList& results);

// The nearest-rank percentile p (0..1] of values sorted ascending; 0 for none.
// One definition for latency.csv/history and report.html's latency chart.
double NearestRankPercentile(const std::vector<float>& sorted, double p);

// A page kind of a wiki that got much slower than in the baseline.
struct SlowFinding {
  std::string wiki, kind;
  double baseline_p95 = 0, p95 = 0;  // seconds
};

// The rule: p95 > 2 x baseline p95 and p95 - baseline p95 > 1 s. Pairs in
// only one of the runs say nothing. Sorted by wiki, then kind.
std::vector<SlowFinding> FindSlow(const std::vector<LatencyRow>& baseline, const std::vector<LatencyRow>& current);

// "frwiki recentchanges: p95 3.2 s, baseline 0.8 s (4.0x)".
std::string DescribeSlow(const SlowFinding& finding);

}  // namespace bc
