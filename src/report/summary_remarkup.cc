#include "report/summary_remarkup.h"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/escape.h"
#include "report/evidence.h"
#include "report/grouping.h"
#include "report/run_dir.h"
#include "core/plural.h"

namespace bc {
namespace {

constexpr size_t kRemarkupMaxRequestIds = 20;  // as summary.md: the rest are in pages.jsonl

// A ```lang=sh block. Remarkup ends the block at the first ``` whatever
// follows it, so a run of three backticks inside is broken up.
std::string ShellBlock(std::string text) {
  for (size_t at = 0; (at = text.find("```", at)) != std::string::npos; at += 3) text.replace(at, 3, "`` `");
  return "```lang=sh\n" + text + "\n```\n";
}

void AppendRemarkupGroup(std::string& out, size_t number, const FailureGroup& g, const RunInfo& info, const ResultList& results) {
  const auto& first = results[g.first];
  out += fmt::format("=== {}. {}{}: {} ({}) ===\n\n", number, VerdictName(g.verdict),
                     g.flaky ? " (flaky)" : !g.known_task.empty() ? " (known)" : "", RemarkupCode(g.key),
                     Plural(g.members.size(), "probe"));
  if (!g.known_task.empty()) {
    std::string note;
    for (const auto& k : info.known)
      if (k.task == g.known_task && !k.note.empty()) note = " " + RemarkupCode(k.note);
    // A bare T123 is a link (with the task's title on hover) in Phabricator.
    out += fmt::format("- **Known issue:** {}{}{}\n", g.known_task, note,
                       info.fail_on_known ? "" : " (does not fail the run)");
  }
  if (const std::string confirmed = DescribeConfirmation(g); !confirmed.empty())
    out += fmt::format("- **Confirmation:** {}{}\n", confirmed,
                       g.flaky ? (info.fail_on_flaky ? "; flaky" : "; flaky, does not fail the run") : "");
  if (!g.exception_class.empty() || !g.message.empty()) {
    out += "- **Exception:** ";
    if (!g.exception_class.empty()) out += RemarkupCode(g.exception_class);
    if (!g.exception_class.empty() && !g.message.empty()) out += ": ";
    if (!g.message.empty()) out += RemarkupCode(g.message);
    out += "\n";
  }
  std::vector<long> statuses;
  for (const size_t i : g.members) statuses.push_back(results[i].outcome.http_status);
  std::sort(statuses.begin(), statuses.end());
  statuses.erase(std::unique(statuses.begin(), statuses.end()), statuses.end());
  if (statuses.size() == 1 && statuses[0] == 0) out += "- **HTTP status:** none\n";
  else out += fmt::format("- **HTTP status:** {}\n", fmt::join(statuses, ", "));
  out += fmt::format("- **Wikis:** {}\n", fmt::join(g.wikis, ", "));
  std::vector<std::string_view> kinds;
  for (const PageKind k : g.kinds) kinds.push_back(PageKindName(k));
  out += fmt::format("- **Pages:** {}\n", fmt::join(kinds, ", "));
  out += fmt::format("- **Failing parameters:** {}\n", RemarkupCode(DescribeFailingParameters(g)));
  if (!g.request_ids.empty()) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < g.request_ids.size() && i < kRemarkupMaxRequestIds; ++i) ids.push_back(RemarkupCode(g.request_ids[i]));
    out += fmt::format("- **Request ids:** {}", fmt::join(ids, ", "));
    if (g.request_ids.size() > kRemarkupMaxRequestIds)
      out += fmt::format(" (+{} more in pages.jsonl)", g.request_ids.size() - kRemarkupMaxRequestIds);
    out += "\n";
  }
  if (const auto files = EvidenceOf(info, number, g); !files.empty()) {
    // Paths in the run directory: attach the files to the task.
    std::vector<std::string> paths;
    for (const EvidenceFile& f : files) paths.push_back(RemarkupCode(f.body_path));
    out += fmt::format("- **Evidence** (attach; secrets redacted, .headers beside each): {}\n", fmt::join(paths, ", "));
  }
  out += fmt::format("- **First failing URL:** {}\n", RemarkupCode(first.probe.url.str()));
  out += "- **Reproduce:**\n\n" + ShellBlock(CurlCommand(first.probe, info)) + "\n";
}

}  // namespace

Result<std::string> RenderSummaryRemarkup(const RunInfo& info, const RunSummary& summary, const ResultList& results) {
  std::string out;
  out += fmt::format("= beta-crawler run {} =\n\n", info.run_id);
  const double seconds = info.finished_unix_ms > info.started_unix_ms
                             ? static_cast<double>(info.finished_unix_ms - info.started_unix_ms) / 1000.0
                             : 0.0;
  out += fmt::format("- **Targets:** {}\n", RemarkupCode(info.targets_path));
  out += fmt::format("- **Started:** {}, **duration:** {:.1f} s, **exit code:** {}\n", FormatIsoUtc(info.started_unix_ms),
                     seconds, info.exit_code);
  out += fmt::format("- **Result:** {}{}, {}, {} of {} planned {} done{}\n\n",
                     Plural(summary.product_failures, "product failure"),
                     summary.known || summary.flaky
                         ? fmt::format(" ({} known, {} flaky: {} fail the run)", summary.known, summary.flaky,
                                       summary.Failing(info))
                         : std::string(),
                     Plural(summary.tool_failures, "tool failure"), summary.total, info.planned,
                     PluralNoun(static_cast<long long>(info.planned), "probe"),
                     PartialNote(info, results, ", **PARTIAL run: ", "**"));
  if (const std::string throttled = DescribeThrottled(summary); !throttled.empty())
    out += "- **Throttled:** " + throttled + "\n\n";  // our own sentence: no page text in it

  // Remarkup's simple table: a row of dashes makes the first row a header.
  out += "| verdict | probes |\n| ------- | ------ |\n";
  for (size_t v = 0; v < summary.by_verdict.size(); ++v)
    if (summary.by_verdict[v] > 0)
      out += fmt::format("| {} | {} |\n", VerdictName(static_cast<Verdict>(v)), summary.by_verdict[v]);
  out += fmt::format("| **total** | {} |\n\n", summary.total);

  const std::vector<FailureGroup>& groups = info.groups;
  const auto count_if = [&](auto pred) { return static_cast<size_t>(std::count_if(groups.begin(), groups.end(), pred)); };
  const size_t product = count_if([](const FailureGroup& g) { return g.product_failure; });
  const size_t tool = count_if([](const FailureGroup& g) { return IsToolFailure(g.verdict); });
  const size_t other = groups.size() - product - tool;
  size_t number = 0;
  if (product == 0) out += "== Product failures ==\n\nNone.\n\n";
  else out += fmt::format("== Product failures ({}) ==\n\n", Plural(product, "group"));
  for (const auto& g : groups)
    if (g.product_failure) AppendRemarkupGroup(out, ++number, g, info, results);
  if (info.WholePlan()) {
    std::string lines;
    for (const auto& k : info.known)
      if (k.matched == 0)
        lines += fmt::format("- {}{}: not seen this run: possibly fixed\n", k.task,
                             k.note.empty() ? "" : " " + RemarkupCode(k.note));
    if (!lines.empty()) out += "== Known issues not seen ==\n\n" + lines + "\n";
  }
  if (tool > 0) {
    out += fmt::format("== Tool failures: the crawler could not judge these pages ({}) ==\n\n", Plural(tool, "group"));
    for (const auto& g : groups)
      if (IsToolFailure(g.verdict)) AppendRemarkupGroup(out, ++number, g, info, results);
  }
  if (other > 0) {
    out += fmt::format("== Warnings, not counted as failures ({}) ==\n\n", Plural(other, "group"));
    for (const auto& g : groups)
      if (!g.product_failure && !IsToolFailure(g.verdict)) AppendRemarkupGroup(out, ++number, g, info, results);
  }
  return out;
}

Result<void> WriteSummaryRemarkup(const RunInfo& info, const RunSummary& summary, const ResultList& results,
                                  TextOut& out) {
  auto text = RenderSummaryRemarkup(info, summary, results);
  if (!text) return std::unexpected(text.error());
  out += *text;
  return {};
}

}  // namespace bc
