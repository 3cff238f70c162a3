#include "report/latency.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace bc {
double NearestRankPercentile(const std::vector<float>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

std::vector<LatencyRow> ComputeLatencies(const ResultList& results) {
  std::map<std::pair<std::string, std::string>, std::vector<float>> seconds;  // 4 bytes a fetched probe
  for (const auto& r : results)
    if (r.outcome.http_status > 0)
      seconds[{r.probe.wiki.str(), std::string(PageKindName(r.probe.kind))}].push_back(
          static_cast<float>(r.outcome.timings.total));
  std::vector<LatencyRow> rows;
  for (auto& [key, values] : seconds) {
    std::sort(values.begin(), values.end());
    rows.push_back({key.first, key.second, static_cast<int64_t>(values.size()), NearestRankPercentile(values, 0.50),
                    NearestRankPercentile(values, 0.95)});
  }
  return rows;
}

std::vector<SlowFinding> FindSlow(const std::vector<LatencyRow>& baseline, const std::vector<LatencyRow>& current) {
  std::map<std::pair<std::string, std::string>, double> before;
  for (const LatencyRow& b : baseline) before[{b.wiki, b.kind}] = b.p95;
  std::vector<SlowFinding> slow;
  for (const LatencyRow& c : current) {
    auto it = before.find({c.wiki, c.kind});
    if (it == before.end()) continue;
    if (c.p95 > 2 * it->second && c.p95 - it->second > 1.0) slow.push_back({c.wiki, c.kind, it->second, c.p95});
  }
  std::sort(slow.begin(), slow.end(),
            [](const SlowFinding& a, const SlowFinding& b) { return std::tie(a.wiki, a.kind) < std::tie(b.wiki, b.kind); });
  return slow;
}

std::string DescribeSlow(const SlowFinding& f) {
  return f.baseline_p95 > 0 ? fmt::format("{} {}: p95 {:.1f} s, baseline {:.1f} s ({:.1f}x)", f.wiki, f.kind, f.p95,
                                          f.baseline_p95, f.p95 / f.baseline_p95)
                            : fmt::format("{} {}: p95 {:.1f} s, baseline {:.1f} s", f.wiki, f.kind, f.p95, f.baseline_p95);
}

}  // namespace bc
