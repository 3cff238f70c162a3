#include "report/overview.h"
#include "core/plural.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/grouping.h"
#include "report/latency.h"

namespace bc {

int Severity(Verdict v, bool warnings_fail) {
  if (IsProductFailure(v, warnings_fail)) return 4;
  if (IsToolFailure(v)) return 3;
  if (v == Verdict::kWarning) return 2;
  if (v == Verdict::kNotRun) return 1;
  return 0;
}

const OverviewCell* Overview::Cell(const std::string& wiki, PageKind kind) const {
  const auto it = cells.find({wiki, kind});
  return it == cells.end() ? nullptr : &it->second;
}

Overview MakeOverview(const ResultList& results, bool warnings_fail) {
  Overview o;
  std::set<std::string> wikis;
  std::set<PageKind> kinds;
  std::map<PageKind, std::vector<float>> seconds;  // 4 bytes a fetched probe, for the percentiles
  for (const auto& r : results) {
    const Verdict v = r.outcome.result.verdict;
    wikis.insert(r.probe.wiki.str());
    kinds.insert(r.probe.kind);
    OverviewCell& c = o.cells[{r.probe.wiki.str(), r.probe.kind}];
    ++c.by_verdict[static_cast<size_t>(v)];
    ++c.total;
    if (Severity(v, warnings_fail) > Severity(c.worst, warnings_fail)) c.worst = v;
    if (r.outcome.http_status > 0) seconds[r.probe.kind].push_back(static_cast<float>(r.outcome.timings.total));
  }
  o.wikis.assign(wikis.begin(), wikis.end());
  o.kinds.assign(kinds.begin(), kinds.end());
  for (const std::string& w : o.wikis) {
    int worst = 0;
    bool unfetched = false;  // a probe that did not run: not known to be clean
    for (const PageKind k : o.kinds) {
      if (const OverviewCell* c = o.Cell(w, k)) {
        worst = std::max(worst, Severity(c->worst, warnings_fail));
        unfetched = unfetched || c->by_verdict[static_cast<size_t>(Verdict::kNotRun)] > 0;
      }
    }
    if (worst < 3 && !unfetched) o.clean.push_back(w);
    if (worst == 4) o.failing.push_back(w);
  }
  for (const PageKind k : o.kinds) {
    auto it = seconds.find(k);
    if (it == seconds.end()) continue;
    std::sort(it->second.begin(), it->second.end());
    o.latency.push_back({k, it->second.size(), NearestRankPercentile(it->second, 0.50), NearestRankPercentile(it->second, 0.95),
                         it->second.back()});
  }
  return o;
}

RunStatus DescribeRunStatus(const RunInfo& info, const RunSummary& summary, const Overview& overview,
                            size_t product_groups) {
  const int64_t not_run = summary.Of(Verdict::kNotRun);
  const int64_t fetched = summary.total - not_run;
  const std::string clean = overview.clean.empty() ? "no wiki is clean"
                                                   : fmt::format("clean: {}", fmt::join(overview.clean, ", "));
  const std::string partial =
      not_run > 0 ? fmt::format(" Partial: {} of {} fetched, {} not run.", Plural(fetched, "probe"),
                                static_cast<int64_t>(info.planned), not_run)
                  : "";
  // Throttled probes leave the answer open whatever else the run found.
  const std::string throttled = DescribeThrottled(summary);
  const std::string throttled_note = throttled.empty() ? "" : " " + throttled + ".";
  switch (info.exit_code) {
    case 0:
      return {"PASS", fmt::format("{} on {} without a product failure.", Plural(fetched, "probe"),
                                  Plural(static_cast<int64_t>(overview.wikis.size()), "wiki"))};
    case 1:
      if (summary.Failing(info) == 0 && !info.slow.empty())  // --fail-on slow alone
        return {"FAIL", fmt::format("{} slower than the baseline (--fail-on slow); {}.{}",
                                    Plural(static_cast<int64_t>(info.slow.size()), "page kind"), clean, partial)};
      return {"FAIL", fmt::format("{} on {} in {}; {}.{}{}", Plural(summary.product_failures, "product failure"),
                                  fmt::join(overview.failing, ", "), Plural(static_cast<int64_t>(product_groups), "group"),
                                  clean, partial, throttled_note)};
    case 2: {
      std::vector<std::string> why;
      if (summary.tool_failures > 0) why.push_back(DescribeUnjudged(summary));
      if (not_run > 0) why.push_back(fmt::format("{} not run", Plural(not_run, "probe")));
      if (summary.product_failures > 0) why.push_back(Plural(summary.product_failures, "product failure"));
      if (why.empty()) why.push_back("see the failure groups");
      return {"ERROR", fmt::format("The crawl could not be done properly: {}.{}", fmt::join(why, "; "), throttled_note)};
    }
    default:
      return {"INTERRUPTED", fmt::format("Stopped by a signal (exit code {}): {} of {} fetched; partial results.",
                                         info.exit_code, fetched, Plural(static_cast<int64_t>(info.planned), "probe"))};
  }
}

}  // namespace bc
