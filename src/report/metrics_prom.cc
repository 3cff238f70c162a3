#include "report/metrics_prom.h"

#include <array>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "report/escape.h"

namespace bc {

namespace {

void Header(std::string& out, const char* name, const char* help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
}

std::string Seconds(int64_t unix_ms) { return fmt::format("{:.3f}", static_cast<double>(unix_ms) / 1000.0); }

}  // namespace

Result<std::string> RenderMetrics(const RunInfo& info, const RunSummary& summary,
                                  const ResultList& results) {
  std::map<std::pair<std::string, PageKind>, std::array<int64_t, kVerdictCount>> counts;
  for (const auto& r : results)
    ++counts[{r.probe.wiki.str(), r.probe.kind}][static_cast<size_t>(r.outcome.result.verdict)];

  std::string out;
  Header(out, "beta_crawler_probes", "Probes of the last run by wiki, page kind and verdict.");
  for (const auto& [key, by_verdict] : counts) {
    // Every verdict, zeros included: an alert on verdict="exception" > 0
    // needs the series to exist when it is 0.
    for (size_t v = 0; v < by_verdict.size(); ++v)
      out += fmt::format("beta_crawler_probes{{wiki=\"{}\",kind=\"{}\",verdict=\"{}\"}} {}\n",
                         PromLabelEscape(key.first), PageKindName(key.second),
                         VerdictName(static_cast<Verdict>(v)), by_verdict[v]);
  }
  Header(out, "beta_crawler_product_failures", "Probes of the last run with a product failure verdict.");
  out += fmt::format("beta_crawler_product_failures {}\n", summary.product_failures);
  Header(out, "beta_crawler_tool_failures", "Probes of the last run the crawler could not judge (auth, transport, throttled).");
  out += fmt::format("beta_crawler_tool_failures {}\n", summary.tool_failures);
  Header(out, "beta_crawler_run_duration_seconds", "Wall-clock duration of the last run.");
  out += fmt::format("beta_crawler_run_duration_seconds {}\n",
                     Seconds(std::max<int64_t>(0, info.finished_unix_ms - info.started_unix_ms)));
  Header(out, "beta_crawler_run_partial", "1 when the last run ended before every probe ran (Ctrl-C, the run deadline, --fail-fast).");
  out += fmt::format("beta_crawler_run_partial {}\n", info.partial ? 1 : 0);
  Header(out, "beta_crawler_run_tls_verified", "0 when the last run did not verify TLS certificates (--insecure).");
  out += fmt::format("beta_crawler_run_tls_verified {}\n", info.tls_verified ? 1 : 0);
  Header(out, "beta_crawler_exit_code", "Exit code of the last run (0 clean, 1 product failures, 2 crawl failed).");
  out += fmt::format("beta_crawler_exit_code {}\n", info.exit_code);
  Header(out, "beta_crawler_last_run_timestamp_seconds", "Unix time the last run finished.");
  out += fmt::format("beta_crawler_last_run_timestamp_seconds {}\n", Seconds(info.finished_unix_ms));
  const int64_t clean =
      (summary.product_failures == 0 && !info.partial) ? info.finished_unix_ms : info.last_clean_unix_ms;
  if (clean > 0) {
    Header(out, "beta_crawler_last_clean_run_timestamp_seconds",
           "Unix time the last complete run with no product failure finished.");
    out += fmt::format("beta_crawler_last_clean_run_timestamp_seconds {}\n", Seconds(clean));
  }
  return out;
}

Result<void> WriteMetrics(const RunInfo& info, const RunSummary& summary, const ResultList& results, TextOut& out) {
  auto text = RenderMetrics(info, summary, results);
  if (!text) return std::unexpected(text.error());
  out += *text;
  return {};
}

}  // namespace bc
