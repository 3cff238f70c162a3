// crawler recheck RUN_ID: re-run only the probes that failed in that run (what
// a release engineer does after a fix) and say which are fixed.
#include <fmt/format.h>

#include <memory>
#include <set>

#include "cli/commands.h"
#include "cli/crawl.h"
#include "cli/history_command.h"
#include "cli/options.h"
#include "cli/signals.h"
#include "report/history.h"
#include "core/plural.h"

namespace bc {
namespace {

struct RecheckOptions {
  std::string run = "latest";
  std::string results_dir = "results";
  bool quiet = false;
};

int Recheck(const RecheckOptions& o) {
  auto run_id = ResolveRun(o.results_dir, o.run);
  if (!run_id) return ReportError(run_id.error());
  auto history = History::Open(o.results_dir + "/history.sqlite");
  if (!history) return ReportError(history.error());
  auto run = history->GetRun(*run_id);
  if (!run) return ReportError(run.error());
  if (!*run) return ReportError(Error{Error::Code::kUsage, fmt::format("no run {} in the history", *run_id), o.results_dir});
  auto rows = history->LoadOutcomes(*run_id);
  if (!rows) return ReportError(rows.error());
  // Product failures and tool failures: both mean "not known to work".
  std::set<std::string> failing;
  for (const OutcomeRow& r : *rows)
    if (r.product_failure || r.tool_failure) failing.insert(r.probe_id);
  if (failing.empty()) {
    fmt::print("run {} had no failing probe: nothing to recheck\n", *run_id);
    return 0;
  }
  PlanOptions plan;
  plan.results_dir = o.results_dir;
  plan.targets = (*run)->targets;
  const auto started = std::chrono::steady_clock::now();  // the recheck's deadline counts from here
  auto prepared = LoadPreparedPlan(plan, RunClock{started, nullptr});
  if (!prepared) return ReportError(prepared.error());
  std::vector<Probe> probes;
  std::vector<std::pair<Probe, Outcome>> preflight;
  for (Probe& p : prepared->probes)
    if (failing.contains(p.id.str())) probes.push_back(std::move(p));
  for (auto& po : prepared->preflight)
    if (failing.contains(po.first.id.str())) preflight.push_back(std::move(po));
  const size_t found = probes.size() + preflight.size();
  fmt::print("rechecking {} of run {} ({})\n", Plural(found, "failing probe"), *run_id, plan.targets);
  if (found < failing.size())
    fmt::print("note: {} of that run {} no longer in the plan\n", Plural(failing.size() - found, "failing probe"),
               failing.size() - found == 1 ? "is" : "are");
  RunOptions options;
  options.started = started;
  options.results_dir = o.results_dir;
  options.stop = InstallStopHandlers();
  options.baseline = *run_id;
  // A few probes of the plan: never a baseline or a "clean run" for the whole plan.
  options.scope = "recheck of " + *run_id;
  options.preflight = std::move(preflight);
  auto report = RunCrawl(prepared->targets, probes, options);
  if (!report) return ReportError(report.error());
  // Only the failing probes were re-run: the others are "gone" by design.
  if (report->diff) report->diff->gone_probes.clear();
  PrintCrawlReport(*report, o.quiet);
  return ExitCodeOf(*report);
}

}  // namespace

void AddRecheckCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("recheck", "Re-run only the failing probes of a run (default: latest) and show what is fixed");
  auto o = std::make_shared<RecheckOptions>();
  cmd->add_option("run", o->run, "Run id, or 'latest'");
  cmd->add_option("--results", o->results_dir, "Results root (default: results)");
  cmd->add_flag("-q,--quiet", o->quiet, "Print only the totals");
  cmd->callback([o, &exit_code] { exit_code = Recheck(*o); });
}

}  // namespace bc
