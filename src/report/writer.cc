#include "report/writer.h"

namespace bc {

bool FailsRun(const Outcome& o, const RunInfo& info) {
  if (!IsProductFailure(o.result.verdict, info.warnings_fail)) return false;
  if (!o.known_task.empty()) return info.fail_on_known;
  return !IsFlaky(o) || info.fail_on_flaky;
}

void Count(RunSummary& summary, const Outcome& outcome, bool warnings_fail) {
  const Verdict v = outcome.result.verdict;
  ++summary.by_verdict[static_cast<size_t>(v)];
  ++summary.total;
  if (IsProductFailure(v, warnings_fail)) {
    ++summary.product_failures;
    // Known first: a filed issue that also did not reproduce is shown with its task.
    if (!outcome.known_task.empty()) ++summary.known;
    else if (IsFlaky(outcome)) ++summary.flaky;
  }
  if (IsToolFailure(v)) ++summary.tool_failures;
}

}  // namespace bc
