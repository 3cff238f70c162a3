// Run diffing: two runs compared probe by probe (stable probe ids), as
// `crawler diff`, `--baseline` / `--fail-on new` and `recheck` use it. Pure:
// rows in, lists out; history.h reads and writes the rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bc {

// One probe's outcome as results/history.sqlite stores it and a diff compares it.
struct OutcomeRow {
  std::string run_id;
  std::string probe_id;
  std::string wiki;
  std::string kind;             // PageKindName
  std::string query;
  std::string url;
  std::string verdict;          // VerdictName
  std::string signature;        // evidence.signature (may be empty)
  std::string request_id;
  std::string message;          // evidence.message (page text: escape before display)
  int64_t status = 0;           // HTTP status, 0 = none
  bool product_failure = false; // IsProductFailure(verdict, warnings_fail) at record time
  bool tool_failure = false;    // IsToolFailure(verdict)
};

// Probe-by-probe comparison of two runs (stable probe ids).
struct DiffEntry {
  std::string probe_id, wiki, kind, query, url;
  std::string before;     // verdict in the baseline; empty when the probe is new
  std::string after;      // verdict in the current run; empty when the probe is gone
  std::string signature;  // current signature, else the baseline's
};

struct RunDiff {
  std::vector<DiffEntry> new_failures;   // product failure now; not one before (or a new probe)
  std::vector<DiffEntry> fixed;          // product failure before; judged and not failing now
  std::vector<DiffEntry> still_failing;  // product failure in both
  std::vector<DiffEntry> unjudged;       // product failure before; a tool failure now (cannot tell)
  std::vector<DiffEntry> new_probes;     // only in the current run (failing or not)
  std::vector<DiffEntry> gone_probes;    // only in the baseline
};

// Pure; entries in each list ordered by probe id.
RunDiff DiffRuns(const std::vector<OutcomeRow>& baseline, const std::vector<OutcomeRow>& current);

// The lines `crawler diff` prints: counts, then each non-empty list with
// wiki, kind, query and verdict change. Page-derived text is not included.
std::string FormatRunDiff(const RunDiff& diff, const std::string& baseline_id, const std::string& current_id);

// Probe ids of the product failures among `outcomes` (what `recheck` re-runs).
std::vector<std::string> FailingProbeIds(const std::vector<OutcomeRow>& outcomes);

}  // namespace bc
