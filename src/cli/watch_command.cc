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
#include "cli/progress.h"
#include "cli/signals.h"
#include "engine/engine.h"
#include "mediawiki/deploy_watch.h"
#include "mediawiki/wiki_facts.h"
#include "report/run_dir.h"
#include "core/plural.h"

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

// "2026-12-05T10:40:00Z": every line of a watch log says when.
std::string UtcNow() { return FormatIsoUtcSeconds(NowUnixMs()); }

// Sleeps one interval in small steps so Ctrl-C is answered at once; false
// when stopped.
bool SleepInterval(const WatchOptions& o, const std::atomic<bool>* stop) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(o.interval_s);
  while (std::chrono::steady_clock::now() < until) {
    if (stop->load()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

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
  PlanOptions plan = o.plan;
  plan.results_dir = o.results_dir;
  auto prepared = LoadPreparedPlan(plan, RunClock{started, stop});
  if (!prepared) return ReportError(prepared.error());
  RunOptions run;
  run.wiki_facts = std::move(prepared->wiki_facts);
  run.started = started;
  run.results_dir = o.results_dir;
  run.stop = stop;
  run.preflight = std::move(prepared->preflight);
  run.scope = PlanScope(o.plan);
  // Each failure as it is found, with its time: a watch runs for days, its
  // log is read later.
  auto progress = std::make_shared<ProgressDisplay>(prepared->probes.size() + run.preflight.size(), /*tty=*/false,
                                                    !o.quiet);
  progress->SetTimestamps(true);
  progress->SetSmokeTier(prepared->probes, run.preflight);
  run.on_outcome = [progress](const Probe& p, const Outcome& out) { progress->Add(p, out); };
  run.on_logins = [progress](const std::vector<LoginResult>& logins) { progress->Logins(logins); };
  run.on_phase = [progress](const std::string& text) { progress->Phase(text); };
  auto report = RunCrawl(prepared->targets, prepared->probes, run);
  if (!report) return ReportError(report.error());
  PrintCrawlReport(*report, o.quiet, progress->logins_said());
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
  for (int poll = 1;; ++poll) {
    const bool first = poll == 1;
    auto now = Poll(engine, *targets);
    if (!now) {
      // The first poll failing is a setup problem; later, a poll that failed
      // is said with its time and the watch goes on.
      if (first) return ReportError(now.error());
      fmt::print("{} poll {} failed: {}\n", UtcNow(), poll, now.error().message);
      std::fflush(stdout);
      if (!SleepInterval(o, stop)) return runs ? code : InterruptedExitCode();
      continue;
    }
    std::vector<std::string> changed;
    if (first) {
      fmt::print("watching {} every {:g} s:\n", Plural(now->size(), "wiki"), o.interval_s);
      for (const auto& [wiki, fp] : *now) fmt::print("  {:<12} {}\n", wiki, fp);
    }
    fmt::print("{} {}\n", UtcNow(), DescribePoll(poll, last, *now));
    if (!first) {
      changed = ChangedWikis(last, *now);
      for (const std::string& wiki : changed)
        fmt::print("{} deploy detected on {}: {} -> {}\n", UtcNow(), wiki, last.contains(wiki) ? last[wiki] : "(absent)",
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
    if (!SleepInterval(o, stop)) return runs ? code : InterruptedExitCode();
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
