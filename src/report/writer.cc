#include "report/writer.h"

namespace bc {

void Count(RunSummary& summary, const Outcome& outcome, bool warnings_fail) {
  const Verdict v = outcome.result.verdict;
  ++summary.by_verdict[static_cast<size_t>(v)];
  ++summary.total;
  if (IsProductFailure(v, warnings_fail)) ++summary.product_failures;
  if (IsToolFailure(v)) ++summary.tool_failures;
}

}  // namespace bc
