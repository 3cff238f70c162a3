#include "report/run_diff.h"

#include <fmt/format.h>

#include <map>

#include "classify/verdict.h"
#include "core/plural.h"

namespace bc {

RunDiff DiffRuns(const std::vector<OutcomeRow>& baseline, const std::vector<OutcomeRow>& current) {
  std::map<std::string, const OutcomeRow*> before, after;
  for (const auto& o : baseline) before.emplace(o.probe_id, &o);
  for (const auto& o : current) after.emplace(o.probe_id, &o);
  RunDiff d;
  auto entry = [](const OutcomeRow* a, const OutcomeRow* b) {
    const OutcomeRow& any = b ? *b : *a;
    DiffEntry e{any.probe_id, any.wiki, any.kind, any.query, any.url, a ? a->verdict : "", b ? b->verdict : "", ""};
    e.signature = (b && !b->signature.empty()) ? b->signature : (a ? a->signature : "");
    return e;
  };
  for (const auto& [id, b] : after) {
    auto it = before.find(id);
    const OutcomeRow* a = it == before.end() ? nullptr : it->second;
    if (!a) {
      d.new_probes.push_back(entry(a, b));
      if (b->product_failure) d.new_failures.push_back(entry(a, b));
    } else if (b->product_failure) {
      (a->product_failure ? d.still_failing : d.new_failures).push_back(entry(a, b));
    } else if (a->product_failure) {
      // Fixed only when judged again: a tool failure or a probe the run never
      // got to (not-run) says nothing about it.
      (b->tool_failure || b->verdict == VerdictName(Verdict::kNotRun) ? d.unjudged : d.fixed).push_back(entry(a, b));
    }
  }
  for (const auto& [id, a] : before)
    if (!after.contains(id)) d.gone_probes.push_back(entry(a, nullptr));
  return d;
}

std::string FormatRunDiff(const RunDiff& diff, const std::string& baseline_id, const std::string& current_id) {
  std::string out = fmt::format(
      "{} -> {}: {}, {} fixed, {} still failing, {} unjudged, {}, {} gone\n", baseline_id, current_id,
      Plural(diff.new_failures.size(), "new failure"), diff.fixed.size(), diff.still_failing.size(),
      diff.unjudged.size(), Plural(diff.new_probes.size(), "new probe"), diff.gone_probes.size());
  auto section = [&](const char* title, const std::vector<DiffEntry>& entries) {
    if (entries.empty()) return;
    out += fmt::format("\n{} ({}):\n", title, entries.size());
    for (const auto& e : entries)
      out += fmt::format("  {} {:<8} {:<13} {:<22} {}\n", e.probe_id, e.wiki, e.kind,
                         fmt::format("{} -> {}", e.before.empty() ? "-" : e.before, e.after.empty() ? "-" : e.after),
                         e.query);
  };
  section("new failures", diff.new_failures);
  section("fixed", diff.fixed);
  section("still failing", diff.still_failing);
  section("unjudged (tool failure now)", diff.unjudged);
  section("new probes", diff.new_probes);
  section("gone probes", diff.gone_probes);
  return out;
}

std::vector<std::string> FailingProbeIds(const std::vector<OutcomeRow>& outcomes) {
  std::vector<std::string> ids;
  for (const auto& o : outcomes)
    if (o.product_failure) ids.push_back(o.probe_id);
  return ids;
}

}  // namespace bc
