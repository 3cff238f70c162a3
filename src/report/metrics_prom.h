// metrics.prom: Prometheus textfile-collector format (text exposition 0.0.4)
// for a scheduled smoke check. Every metric has HELP and TYPE lines; label
// values pass PromLabelEscape. Series:
//   beta_crawler_probes{wiki,kind,verdict}        gauge, every verdict for each
//                                                 (wiki, kind) seen, zeros included
//   beta_crawler_product_failures, beta_crawler_tool_failures   gauges
//                                     (tool failures: auth, transport, throttled)
//   beta_crawler_run_duration_seconds             gauge
//   beta_crawler_run_partial                      gauge 0/1
//   beta_crawler_exit_code                        gauge
//   beta_crawler_last_run_timestamp_seconds       gauge: when this run finished
//   beta_crawler_last_clean_run_timestamp_seconds gauge: this run if it had no
//        product failure and is complete, else RunInfo::last_clean_unix_ms;
//        left out when neither is known.
#pragma once

#include <string>
#include <vector>

#include "report/grouping.h"
#include "report/text_out.h"
#include "report/writer.h"

namespace bc {

// Pure. Renderer-compatible (rendered_writer.h).
Result<std::string> RenderMetrics(const RunInfo& info, const RunSummary& summary,
                                  const ResultList& results);
Result<void> WriteMetrics(const RunInfo& info, const RunSummary& summary, const ResultList& results, TextOut& out);

}  // namespace bc
