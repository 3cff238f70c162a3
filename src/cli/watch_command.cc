// crawler watch TARGETS: poll every wiki's deployed version and run the crawl
// when it changes, so a deploy triggers the check without anyone wiring it
// into the deploy job.
#include <fmt/format.h>

#include <chrono>
#include <map>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "cli/crawl.h"
#include "cli/options.h"
#include "cli/signals.h"
#include "engine/engine.h"
#include "mediawiki/deploy_watch.h"
#include "mediawiki/wiki_facts.h"

namespace bc {
namespace {

struct WatchOptions {
  PlanOptions plan;
  std::string results_dir = "results";
  double interval_s = 300;  // seconds between polls
  int max_runs = 0;         // crawls before exiting; 0 = until interrupted
  bool run_first = false;   // crawl once at start, before any change
  bool quiet = false;
};

// Fingerprints of every wiki of the targets, fetched concurrently.
Result<std::map<std::string, std::string>> Poll(Engine& engine, const Targets& targets) {
  auto facts = FetchFacts(engine, targets.wikis, std::chrono::seconds(30), /*page_levels=*/false);
  if (!facts) return std::unexpected(facts.error());
  std::map<std::string, std::string> out;
  for (const WikiFacts& f : *facts) out[f.dbname] = DeployFingerprint(f);
  return out;
}

// One crawl of the whole targets plan; returns its exit code.
int CrawlOnce(const WatchOptions& o, const std::atomic<bool>* stop) {
  const auto started = std::chrono::steady_clock::now();  // the crawl's deadline counts from here
  auto prepared = LoadPreparedPlan(o.plan, RunClock{started, stop});
  if (!prepared) return ReportError(prepared.error());
  RunOptions run;
  run.started = started;
  run.results_dir = o.results_dir;
  run.stop = stop;
  run.preflight = std::move(prepared->preflight);
  run.scope = PlanScope(o.plan);
  auto report = RunCrawl(prepared->targets, prepared->probes, run);
  if (!report) return ReportError(report.error());
  PrintCrawlReport(*report, o.quiet);
  return report->write_error ? 2 : report->info.exit_code;
}

int Watch(const WatchOptions& o) {
  auto targets = LoadTargets(o.plan.targets);
  if (!targets) return ReportError(targets.error());
  const std::atomic<bool>* stop = InstallStopHandlers();
  // The poller lives as long as `watch`: [crawl] deadline_ms bounds each
  // crawl it starts (RunOptions::started), not the polling.
  EngineOptions eo = EngineOptionsFor(targets->crawl, RunClock{std::chrono::steady_clock::now(), stop});
  eo.deadline.reset();
  Engine engine(eo);

  std::map<std::string, std::string> last;
  int runs = 0, code = 0;
  for (bool first = true;; first = false) {
    auto now = Poll(engine, *targets);
    if (!now) return ReportError(now.error());
    std::vector<std::string> changed;
    if (first) {
      fmt::print("watching {} wikis every {:g} s:\n", now->size(), o.interval_s);
      for (const auto& [wiki, fp] : *now) fmt::print("  {:<12} {}\n", wiki, fp);
    } else {
      changed = ChangedWikis(last, *now);
      for (const std::string& wiki : changed)
        fmt::print("deploy detected on {}: {} -> {}\n", wiki, last.contains(wiki) ? last[wiki] : "(absent)",
                   now->contains(wiki) ? (*now)[wiki] : "(absent)");
    }
    std::fflush(stdout);
    last = std::move(*now);
    if ((first && o.run_first) || !changed.empty()) {
      code = CrawlOnce(o, stop);
      ++runs;
      std::fflush(stdout);
      if (stop->load()) return InterruptedExitCode();
      if (o.max_runs > 0 && runs >= o.max_runs) return code;
    }
    // Sleep in small steps so Ctrl-C is answered at once.
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.interval_s);
    while (std::chrono::steady_clock::now() < until) {
      if (stop->load()) return runs ? code : InterruptedExitCode();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace

void AddWatchCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("watch", "Poll each wiki's deployed version; crawl when it changes");
  auto o = std::make_shared<WatchOptions>();
  cmd->add_option("targets", o->plan.targets, "Targets file (TOML)")->required();
  cmd->add_option("--interval", o->interval_s, "Seconds between polls (default 300)")->check(CLI::Range(0.1, 86400.0));
  cmd->add_option("--max-runs", o->max_runs, "Exit after this many crawls with the last one's exit code (0 = never)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_flag("--run-first", o->run_first, "Crawl once at start too");
  cmd->add_option("--results", o->results_dir, "Results root (default: results)");
  cmd->add_flag("-q,--quiet", o->quiet, "Print only the totals of each crawl");
  cmd->callback([o, &exit_code] { exit_code = Watch(*o); });
}

}  // namespace bc
