// Hand-made probes and outcomes shared by the report tests.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "classify/outcome.h"
#include "plan/probe.h"
#include "report/grouping.h"
#include "report/run_dir.h"
#include "report/writer.h"

namespace bc::testing {

// The run summary of these results, counted as the run counts them (warnings
// do not fail).
inline RunSummary SummaryOf(const std::vector<ProbeResult>& rs) {
  RunSummary s;
  for (const auto& r : rs) Count(s, r.outcome, false);
  return s;
}

// `info` with the failure groups of `results` (RunInfo::groups), as
// RunReport::Finish makes them once per run for every writer.
inline RunInfo WithGroups(RunInfo info, const ResultList& results) {
  info.groups = GroupFailures(results, info.warnings_fail);
  return info;
}

inline Probe MakeProbe(std::string id, std::string wiki, PageKind kind, Params params) {
  Probe p;
  p.id = std::move(id);
  p.wiki = std::move(wiki);
  p.kind = kind;
  p.params = std::move(params);
  std::string query;
  for (const auto& [k, v] : p.params) query += (query.empty() ? "" : "&") + k + "=" + v;
  p.query = query;
  p.url = "http://127.0.0.1:8080/" + p.wiki + "/w/index.php?" + query;
  p.host = "127.0.0.1:8080";
  return p;
}

inline Outcome MakeOutcome(Verdict verdict, long status = 200, std::string signature = {},
                           std::string exception_class = {}, std::string message = {}, std::string request_id = {}) {
  Outcome o;
  o.result.verdict = verdict;
  o.result.evidence.signature = std::move(signature);
  o.result.evidence.exception_class = std::move(exception_class);
  o.result.evidence.message = std::move(message);
  o.result.evidence.request_id = std::move(request_id);
  o.http_status = status;
  o.finished_unix_ms = 1795749525123;  // 2026-11-27T03:18:45.123Z
  return o;
}

// A fresh results directory under the system temp dir, removed at scope end.
struct TempResults {
  std::string dir;
  TempResults() {
    dir = (std::filesystem::temp_directory_path() / ("bc-results-" + MakeRunId())).string();
    std::filesystem::remove_all(dir);
  }
  ~TempResults() { std::filesystem::remove_all(dir); }
};

}  // namespace bc::testing
