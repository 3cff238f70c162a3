#include "report/summary_md.h"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "config/known.h"
#include "report/escape.h"
#include "report/evidence.h"
#include "report/overview.h"
#include "report/run_dir.h"
#include "core/plural.h"

namespace bc {

namespace {

constexpr size_t kMaxRequestIds = 5;  // enough to start a log search; the rest are in pages.jsonl

// A fenced block whose fence is longer than any backtick run in `text`.
std::string CodeBlock(std::string_view lang, std::string_view text) {
  size_t run = 0, longest = 0;
  for (const char c : text) longest = std::max(longest, run = (c == '`' ? run + 1 : 0));
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  return fmt::format("{}{}\n{}\n{}\n", fence, lang, text, fence);
}

void AppendMarkdownGroup(std::string& out, size_t number, const FailureGroup& g, const RunInfo& info,
                 const ResultList& results) {
  const auto& first = results[g.first];
  out += fmt::format("### {}. {}{} — {} ({})\n\n", number, VerdictName(g.verdict),
                     g.flaky ? " (flaky)" : !g.known_task.empty() ? " (known)" : "", MarkdownCode(g.key),
                     Plural(g.members.size(), "probe"));
  if (!g.known_task.empty()) {
    std::string note;
    for (const auto& k : info.known)
      if (k.task == g.known_task && !k.note.empty()) note = " — " + MarkdownCode(k.note);
    out += fmt::format("- **Known issue:** [{}]({}){}{}\n", g.known_task, TaskUrl(g.known_task), note,
                       info.fail_on_known ? "" : " (does not fail the run)");
  }
  if (const std::string confirmed = DescribeConfirmation(g); !confirmed.empty())
    out += fmt::format("- **Confirmation:** {}{}\n", confirmed,
                       g.flaky ? (info.fail_on_flaky ? "; flaky" : "; flaky, does not fail the run") : "");
  if (!g.exception_class.empty() || !g.message.empty()) {
    out += "- **Exception:** ";
    if (!g.exception_class.empty()) out += MarkdownCode(g.exception_class);
    if (!g.exception_class.empty() && !g.message.empty()) out += ": ";
    if (!g.message.empty()) out += MarkdownCode(g.message);
    out += "\n";
  }
  std::vector<long> statuses;
  for (const size_t i : g.members) statuses.push_back(results[i].outcome.http_status);
  std::sort(statuses.begin(), statuses.end());
  statuses.erase(std::unique(statuses.begin(), statuses.end()), statuses.end());
  if (statuses.size() == 1 && statuses[0] == 0)
    out += "- **HTTP status:** none\n";
  else
    out += fmt::format("- **HTTP status:** {}\n", fmt::join(statuses, ", "));
  out += fmt::format("- **Wikis:** {}\n", fmt::join(g.wikis, ", "));
  out += fmt::format("- **Pages:** {}\n", PageKindList(g.kinds));
  std::string minimal;
  if (g.minimal_by_kind.size() > 1) {
    // Per page kind (one may fail everywhere, another only with one parameter).
    minimal = MarkdownCode(DescribeFailingParameters(g)) + " on " + fmt::format("{}", fmt::join(g.wikis, ", "));
  } else if (g.minimal.scope_all_failing) {
    minimal = fmt::format("every probe on {} (none of these pages passed)", fmt::join(g.wikis, ", "));
  } else if (!g.minimal.all_of.empty() || !g.minimal.any_of.empty()) {
    const auto& items = g.minimal.all_of.empty() ? g.minimal.any_of : g.minimal.all_of;
    std::vector<std::string> codes;
    for (const auto& item : items) codes.push_back(MarkdownCode(item));
    minimal = fmt::format("{}{} on {}", g.minimal.all_of.empty() ? "any of " : "",
                          fmt::join(codes, g.minimal.all_of.empty() ? ", " : " and "), fmt::join(g.wikis, ", "));
  } else {
    minimal = g.minimal.Describe();
  }
  out += fmt::format("- **Minimal failing parameters:** {}\n", minimal);
  if (!g.request_ids.empty()) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < g.request_ids.size() && i < kMaxRequestIds; ++i) ids.push_back(MarkdownCode(g.request_ids[i]));
    out += fmt::format("- **Request ids:** {}", fmt::join(ids, ", "));
    if (g.request_ids.size() > kMaxRequestIds)
      out += fmt::format(" and {} more (pages.jsonl: `evidence.request_id`)", g.request_ids.size() - kMaxRequestIds);
    out += "\n";
  }
  if (const auto files = EvidenceOf(info, number, g); !files.empty()) {
    // Relative links: they work where the run directory is opened or attached.
    std::vector<std::string> links;
    for (const EvidenceFile& f : files)
      links.push_back(fmt::format("[`{}.body`]({}) ([headers]({}))", f.probe_id, f.body_path, f.headers_path));
    out += fmt::format("- **Evidence** (the failing responses, secrets redacted): {}\n", fmt::join(links, ", "));
  }
  out += fmt::format("- **First failing URL:** {}\n", MarkdownCode(first.probe.url.str()));
  if (!first.outcome.result.evidence.detail.empty())
    out += fmt::format("- **Detector:** {}\n", MarkdownCode(first.outcome.result.evidence.detail));
  // First the command that needs no cookie pasted: it logs in as the run did.
  out += "- **Reproduce** (logs in as the run did; prints the status and verdict, saves headers and body):\n\n" +
         CodeBlock("sh", ReproCommand(first.probe, info)) + "\n";
  out += "- **Or with curl:**\n\n" + CodeBlock("sh", CurlCommand(first.probe, info)) + "\n";
}

// Entries of the known-issues file that matched nothing in a whole-plan run.
void AppendKnownNotSeen(std::string& out, const RunInfo& info) {
  if (!info.WholePlan()) return;
  std::string lines;
  for (const auto& k : info.known)
    if (k.matched == 0)
      lines += fmt::format("- [{}]({}){}: not seen this run: possibly fixed\n", k.task, TaskUrl(k.task),
                           k.note.empty() ? "" : " " + MarkdownCode(k.note));
  if (!lines.empty()) out += "## Known issues not seen\n\n" + lines + "\n";
}

}  // namespace

Result<std::string> RenderSummaryMarkdown(const RunInfo& info, const RunSummary& summary,
                                          const ResultList& results) {
  std::string out;
  out += fmt::format("# beta-crawler run {}\n\n", info.run_id);
  const double seconds = info.finished_unix_ms > info.started_unix_ms
                             ? static_cast<double>(info.finished_unix_ms - info.started_unix_ms) / 1000.0
                             : 0.0;
  out += fmt::format("- **Targets:** {}\n", MarkdownCode(info.targets_path));
  out += fmt::format("- **Started:** {} · **duration:** {:.1f} s · **exit code:** {}\n",
                     FormatIsoUtc(info.started_unix_ms), seconds, info.exit_code);
  out += fmt::format("- **Result:** {}{}, {}, {} of {} planned {} done{}\n\n",
                     Plural(summary.product_failures, "product failure"),
                     summary.known || summary.flaky
                         ? fmt::format(" ({} known, {} flaky: {} fail the run)", summary.known, summary.flaky,
                                       summary.Failing(info))
                         : std::string(),
                     Plural(summary.tool_failures, "tool failure"), summary.total, info.planned,
                     PluralNoun(static_cast<long long>(info.planned), "probe"),
                     PartialNote(info, results, " — **PARTIAL run: ", "**"));
  if (const std::string throttled = DescribeThrottled(summary); !throttled.empty())
    out += "- **Throttled:** " + throttled + "\n\n";  // our own sentence: no page text in it
  if (!info.tls_verified)
    out += "- **TLS certificates were NOT verified (--insecure):** a man in the middle could have served these pages\n\n";

  const Overview overview = MakeOverview(results, info.warnings_fail);
  // The wikis a release engineer can stop worrying about, named.
  if (overview.clean.empty())
    out += "**Clean:** none (every wiki has a failure, or probes that did not run)\n\n";
  else
    out += fmt::format("**Clean:** {} (no failure on any page)\n\n", fmt::join(overview.clean, ", "));

  out += "| verdict | probes |\n|---|---:|\n";
  for (size_t v = 0; v < summary.by_verdict.size(); ++v)
    if (summary.by_verdict[v] > 0)
      out += fmt::format("| {} | {} |\n", VerdictName(static_cast<Verdict>(v)), summary.by_verdict[v]);
  out += fmt::format("| **total** | {} |\n\n", summary.total);

  if (!info.slow.empty()) {
    out += fmt::format("## Slower than the baseline ({})\n\np95 over 2x the baseline's and over 1 s slower; {}.\n\n",
                       info.slow.size(), info.fail_on_slow ? "fails the run (--fail-on slow)"
                                                           : "does not fail the run without --fail-on slow");
    for (const SlowFinding& f : info.slow) out += "- " + MarkdownCode(DescribeSlow(f)) + "\n";
    out += "\n";
  }

  const std::vector<FailureGroup>& groups = info.groups;
  const auto count_if = [&](auto pred) {
    return static_cast<size_t>(std::count_if(groups.begin(), groups.end(), pred));
  };
  const size_t product = count_if([](const FailureGroup& g) { return g.product_failure; });
  const size_t tool = count_if([](const FailureGroup& g) { return IsToolFailure(g.verdict); });
  const size_t other = groups.size() - product - tool;

  size_t number = 0;
  if (product == 0) {
    out += "## Product failures\n\nNone.\n\n";
  } else {
    out += fmt::format("## Product failures ({})\n\n", Plural(product, "group"));
  }
  for (const auto& g : groups)
    if (g.product_failure) AppendMarkdownGroup(out, ++number, g, info, results);
  if (tool > 0) {
    out += fmt::format("## Tool failures: the crawler could not judge these pages ({})\n\n",
                       Plural(tool, "group"));
    for (const auto& g : groups)
      if (IsToolFailure(g.verdict)) AppendMarkdownGroup(out, ++number, g, info, results);
  }
  AppendKnownNotSeen(out, info);
  if (other > 0) {
    out += fmt::format("## Warnings, not counted as failures ({})\n\n", Plural(other, "group"));
    for (const auto& g : groups)
      if (!g.product_failure && !IsToolFailure(g.verdict)) AppendMarkdownGroup(out, ++number, g, info, results);
  }
  return out;
}

Result<void> WriteSummaryMarkdown(const RunInfo& info, const RunSummary& summary, const ResultList& results, TextOut& out) {
  auto text = RenderSummaryMarkdown(info, summary, results);
  if (!text) return std::unexpected(text.error());
  out += *text;
  return {};
}

}  // namespace bc
