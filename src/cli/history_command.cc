#include "cli/history_command.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/options.h"
#include "report/history.h"
#include "report/jsonl_writer.h"
#include "report/run_dir.h"
#include "core/plural.h"

namespace bc {

namespace fs = std::filesystem;

Result<std::string> ResolveRun(const std::string& results, const std::string& name) {
  if (name != "latest") return name;
  std::error_code ec;
  const fs::path target = fs::read_symlink(fs::path(results) / "latest", ec);
  if (ec) return Fail(Error::Code::kUsage, "no latest run (" + ec.message() + ")", results);
  return target.filename().string();
}

namespace {

std::string HistoryPath(const std::string& results) { return (fs::path(results) / "history.sqlite").string(); }

std::string Totals(const RunSummary& t) {
  std::string s = Plural(t.total, "probe");
  for (size_t v = 0; v < t.by_verdict.size(); ++v)
    if (t.by_verdict[v] > 0) s += fmt::format(", {} {}", t.by_verdict[v], VerdictName(static_cast<Verdict>(v)));
  return s;
}

int RunHistory(const std::string& results, int limit, const std::string& format) {
  auto history = History::Open(HistoryPath(results));
  if (!history) return ReportError(history.error());
  auto runs = history->ListRuns();
  if (!runs) return ReportError(runs.error());
  if (limit > 0 && runs->size() > static_cast<size_t>(limit)) runs->resize(static_cast<size_t>(limit));
  if (format == "json") {
    for (const RunRow& r : *runs) {
      nlohmann::json totals = nlohmann::json::object();
      for (size_t v = 0; v < r.totals.by_verdict.size(); ++v)
        totals[std::string(VerdictName(static_cast<Verdict>(v)))] = r.totals.by_verdict[v];
      const nlohmann::json j = {{"run_id", r.run_id},       {"started", FormatIsoUtc(r.started_unix_ms)},
                                {"finished", FormatIsoUtc(r.finished_unix_ms)},
                                {"targets", r.targets},     {"exit_code", r.exit_code},
                                {"partial", r.partial},     {"planned", r.planned},
                                {"scope", r.scope},
                                {"done", r.totals.total},  {"product_failures", r.totals.product_failures},
                                {"tool_failures", r.totals.tool_failures}, {"totals", totals}};
      fmt::print("{}\n", DumpJsonLine(j));
    }
    return 0;
  }
  if (runs->empty()) {
    fmt::print("no runs recorded in {}\n", HistoryPath(results));
    return 0;
  }
  fmt::print("{:<22} {:<20} {:>7} {:>4}  {:<30} {}\n", "run", "started (UTC)", "seconds", "exit", "targets", "totals");
  for (const RunRow& r : *runs) {
    const std::string started = FormatIsoUtc(r.started_unix_ms).substr(0, 19);
    fmt::print("{:<22} {:<20} {:>7.1f} {:>4}  {:<30} {}{}{}\n", r.run_id, started,
               static_cast<double>(r.finished_unix_ms - r.started_unix_ms) / 1000.0, r.exit_code, r.targets,
               Totals(r.totals), r.partial ? " (partial)" : "", r.scope.empty() ? "" : " [" + r.scope + "]");
  }
  return 0;
}

int RunDiffCommand(const std::string& results, const std::string& a_name, const std::string& b_name,
                   const std::string& format) {
  auto a = ResolveRun(results, a_name);
  if (!a) return ReportError(a.error());
  auto b = ResolveRun(results, b_name);
  if (!b) return ReportError(b.error());
  auto history = History::Open(HistoryPath(results));
  if (!history) return ReportError(history.error());
  for (const std::string& id : {*a, *b}) {
    auto run = history->GetRun(id);
    if (!run) return ReportError(run.error());
    if (!*run) return ReportError(Error{Error::Code::kUsage, "no run " + id + " in the history", HistoryPath(results)});
  }
  auto before = history->LoadOutcomes(*a);
  if (!before) return ReportError(before.error());
  auto after = history->LoadOutcomes(*b);
  if (!after) return ReportError(after.error());
  const RunDiff diff = DiffRuns(*before, *after);
  if (format == "json") {
    auto list = [](const std::vector<DiffEntry>& es) {
      nlohmann::json arr = nlohmann::json::array();
      for (const DiffEntry& e : es)
        arr.push_back({{"id", e.probe_id}, {"wiki", e.wiki}, {"kind", e.kind}, {"query", e.query}, {"url", e.url},
                       {"before", e.before}, {"after", e.after}, {"signature", e.signature}});
      return arr;
    };
    const nlohmann::json j = {{"baseline", *a},          {"current", *b},
                              {"new_failures", list(diff.new_failures)}, {"fixed", list(diff.fixed)},
                              {"still_failing", list(diff.still_failing)}, {"unjudged", list(diff.unjudged)},
                              {"new_probes", list(diff.new_probes)}, {"gone_probes", list(diff.gone_probes)}};
    fmt::print("{}\n", DumpJsonLine(j));  // compact, as every --format json
  } else {
    fmt::print("{}", FormatRunDiff(diff, *a, *b));
  }
  return diff.new_failures.empty() ? 0 : 1;
}

int RunPrune(const std::string& results, int keep, bool dry_run) {
  if (keep < 1) return ReportError(Error{Error::Code::kUsage, "--keep must be at least 1", ""});
  auto dirs = ListRunDirs(results);
  if (!dirs) return ReportError(dirs.error());
  auto history = History::Open(HistoryPath(results));
  if (!history) return ReportError(history.error());
  auto runs = history->ListRuns();
  if (!runs) return ReportError(runs.error());

  // Every run known by a directory or a history row, newest first.
  std::set<std::string, std::greater<>> all(dirs->begin(), dirs->end());
  for (const RunRow& r : *runs) all.insert(r.run_id);
  std::set<std::string> kept;
  for (const std::string& id : all) {
    if (kept.size() >= static_cast<size_t>(keep)) break;
    kept.insert(id);
  }
  // The run `latest` points at stays, whatever its age.
  if (auto latest = ResolveRun(results, "latest")) kept.insert(*latest);

  const std::set<std::string> with_dir(dirs->begin(), dirs->end());
  std::set<std::string> with_row;
  for (const RunRow& r : *runs) with_row.insert(r.run_id);
  size_t removed = 0;
  for (const std::string& id : all) {
    if (kept.contains(id)) continue;
    fmt::print("{} {}\n", dry_run ? "would remove" : "removing", id);
    ++removed;
    if (dry_run) continue;
    if (with_row.contains(id))
      if (auto r = history->DeleteRun(id); !r) return ReportError(r.error());
    if (with_dir.contains(id))
      if (auto r = RemoveRunDir(results, id); !r) return ReportError(r.error());
  }
  fmt::print("{} {}, kept {}\n", dry_run ? "would remove" : "removed", Plural(removed, "run"),
             all.size() - removed);
  return 0;
}

}  // namespace

void AddHistoryCommands(CLI::App& app, int& exit_code) {
  {
    auto* cmd = app.add_subcommand("history", "List recorded runs: time, targets, totals, exit code (newest first)");
    auto results = std::make_shared<std::string>("results");
    auto limit = std::make_shared<int>(0);
    auto format = std::make_shared<std::string>("text");
    cmd->add_option("--results", *results, "Results root (default: results)");
    cmd->add_option("--limit", *limit, "Show at most N runs (0 = all)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--format", *format, "text, or json: one object per run and line on stdout, newest first")->check(CLI::IsMember({"text", "json"}));
    cmd->callback([=, &exit_code] { exit_code = RunHistory(*results, *limit, *format); });
  }
  {
    auto* cmd = app.add_subcommand(
        "diff", "Compare two runs probe by probe: new failures, fixed, still failing (exit 1 if B has new failures)");
    auto results = std::make_shared<std::string>("results");
    auto a = std::make_shared<std::string>();
    auto b = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("text");
    cmd->add_option("RUN_A", *a, "Baseline run id (or latest)")->required();
    cmd->add_option("RUN_B", *b, "Run id to compare with the baseline (or latest)")->required();
    cmd->add_option("--results", *results, "Results root (default: results)");
    cmd->add_option("--format", *format, "text, or json: one object on stdout")->check(CLI::IsMember({"text", "json"}));
    cmd->callback([=, &exit_code] { exit_code = RunDiffCommand(*results, *a, *b, *format); });
  }
  {
    auto* cmd = app.add_subcommand("prune", "Remove all but the newest N runs (directories and history rows)");
    auto results = std::make_shared<std::string>("results");
    auto keep = std::make_shared<int>(0);
    auto dry_run = std::make_shared<bool>(false);
    cmd->add_option("--keep", *keep, "Runs to keep (newest first; the run `latest` points at is always kept)")
        ->required()
        ->check(CLI::Range(1, 1000000));
    cmd->add_option("--results", *results, "Results root (default: results)");
    cmd->add_flag("--dry-run", *dry_run, "Only print what would be removed");
    cmd->callback([=, &exit_code] { exit_code = RunPrune(*results, *keep, *dry_run); });
  }
}

}  // namespace bc
