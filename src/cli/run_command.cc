// crawler run TARGETS: plan -> login -> fetch + classify -> results/<run-id>/.
// crawler login TARGETS: check every account on every wiki.
#include <fmt/color.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/crawl.h"
#include "cli/notify.h"
#include "cli/options.h"
#include "cli/progress.h"
#include "cli/signals.h"
#include "config/wiki_checks.h"
#include "core/file.h"
#include "core/memory.h"
#include "engine/engine.h"
#include "mediawiki/session.h"
#include "plan/url_list.h"
#include "report/escape.h"
#include "report/overview.h"
#include "core/plural.h"

namespace bc {
namespace {

// `run --urls`: no targets file, so limits come from flags with defaults that
// are safe for a public wiki (few transfers in flight, a few retries).
struct UrlListOptions {
  std::string file;
  std::string kind = "recentchanges";
  std::string expect_user;
  CrawlOptions crawl = [] {
    CrawlOptions c;
    c.user_agent = std::string("beta-crawler/") + BC_VERSION + " (URL list re-check; https://www.mediawiki.org/wiki/Release_engineering)";
    c.concurrency = 8;
    c.per_host_concurrency = 4;
    return c;
  }();
};

Result<std::pair<Targets, std::vector<Probe>>> LoadUrlList(const PlanOptions& plan, const UrlListOptions& urls) {
  if (!plan.targets.empty())
    return Fail(Error::Code::kUsage, "give either a targets file or --urls FILE, not both");
  if (!plan.wikis.empty() || !plan.kinds.empty() || !plan.params.empty() || !plan.shard.empty())
    return Fail(Error::Code::kUsage, "--wiki, --param and --shard filter a targets plan; not with --urls");
  if (urls.crawl.per_host_concurrency > urls.crawl.concurrency)
    return Fail(Error::Code::kUsage, "--per-host-concurrency cannot be larger than --concurrency");
  if (std::string problem = UserAgentProblem(urls.crawl.user_agent); !problem.empty())
    return Fail(Error::Code::kUsage, "--user-agent: " + problem);
  auto text = ReadFileToString(urls.file);
  if (!text) return Fail(Error::Code::kConfig, "cannot read the URL list: " + text.error().message, urls.file);
  auto probes = ProbesFromUrlList(*text, urls.file, *ParsePageKind(urls.kind), urls.expect_user);
  if (!probes) return std::unexpected(probes.error());
  Targets t;
  t.path = urls.file;
  t.crawl = urls.crawl;
  if (auto ok = ApplyNetOptions(plan.net, t.crawl); !ok) return std::unexpected(ok.error());
  t.max_probes = static_cast<int64_t>(probes->size());
  return std::pair{std::move(t), std::move(*probes)};
}

// Discovered wikis that failed a trust check (outside allow_hosts, a bad
// URL or dbname): never crawled, and the run says so.
// Both strings come from the network: control bytes (terminal escapes) are shown as \xHH.
void PrintRefusedSites(const Preparation& prep) {
  const auto printable = [](std::string_view text) { return TerminalText(text); };
  for (const SkippedSite& s : prep.skipped)
    if (s.refused)
      fmt::print(stderr, "crawler: discovery: {} not crawled: {}\n", printable(s.dbname), printable(s.reason));
}

// A targets plan after [discovery] (SiteMatrix, facts); the ORES API
// pre-flight outcomes go to `preflight`, to be written before the pages.
// Today's facts go to `run` too, to be recorded with the run.
Result<std::pair<Targets, std::vector<Probe>>> LoadDiscoveredPlan(const PlanOptions& plan, const RunClock& clock,
                                                                 RunOptions& run) {
  auto prepared = LoadPreparedPlan(plan, clock);
  if (!prepared) return std::unexpected(prepared.error());
  PrintRefusedSites(prepared->preparation);
  run.preflight = std::move(prepared->preflight);
  run.wiki_facts = std::move(prepared->wiki_facts);
  return std::pair{std::move(prepared->targets), std::move(prepared->probes)};
}


}  // namespace

std::string DescribeTotals(const CrawlReport& r, double seconds) {
  const RunSummary& s = r.summary();
  const int64_t not_run = s.Of(Verdict::kNotRun);
  const int64_t fetched = s.total - not_run;
  std::string totals;
  for (size_t v = 0; v < s.by_verdict.size(); ++v)
    if (s.by_verdict[v] && static_cast<Verdict>(v) != Verdict::kNotRun)
      totals += fmt::format(" {} {}", VerdictName(static_cast<Verdict>(v)), s.by_verdict[v]);
  const std::string not_run_text = DescribeNotRun(r.results());
  // Pages per second over the pages fetched: not-run probes took no time.
  return fmt::format("{} of {} fetched{} in {:.1f} s ({:.1f} pages/s){}{}", fetched,
                     Plural(static_cast<int64_t>(r.info.planned), "probe"),
                     not_run_text.empty() ? "" : ", " + not_run_text, seconds,
                     seconds > 0 ? static_cast<double>(fetched) / seconds : 0.0, totals.empty() ? "" : ":", totals);
}

std::string DescribeCrawlTrouble(const CrawlReport& r) {
  std::vector<std::string> why;
  std::vector<std::string> refused;
  for (const LoginResult& l : r.logins)
    if (!l.ok && !l.unreachable) refused.push_back(l.wiki);
  if (!refused.empty()) why.push_back(fmt::format("login failed on {}", fmt::join(refused, ", ")));
  if (r.summary().tool_failures > 0) why.push_back(DescribeUnjudged(r.summary()));
  if (const std::string not_run = DescribeNotRun(r.results()); !not_run.empty()) why.push_back(not_run);
  if (why.empty()) why.push_back("see above");
  return fmt::format("{}", fmt::join(why, "; "));
}

void PrintCrawlReport(const CrawlReport& r, bool quiet, bool logins_said) {
  const double seconds = static_cast<double>(r.info.finished_unix_ms - r.info.started_unix_ms) / 1000.0;
  // A login a signal cut short is no failed login (crawl.cc: its probes are not-run).
  const bool interrupted = r.info.exit_code == 130 || r.info.exit_code == 143;
  if (interrupted) {
    for (const LoginResult& l : r.logins)
      if (!l.ok) fmt::print("login interrupted on {}\n", l.wiki);
  } else if (!logins_said) {
    for (const std::string& line : DescribeLoginFailures(r.logins)) fmt::print("{}\n", line);
  }
  for (const auto& [wiki, origins] : r.https_upgrades)
    fmt::print("warning: {}: {} redirects to {} (followed); use {} in the targets file\n", wiki, origins.first,
               origins.second, origins.second);
  for (const LoginResult& l : r.relogins)
    fmt::print("session lost on {}: re-login {}\n", l.wiki,
               l.ok ? "ok" : interrupted ? "interrupted" : "failed: " + l.message);
  if (!quiet && !r.info.groups.empty()) {
    fmt::print("\nfailure groups:\n");
    for (const FailureGroup& g : r.info.groups) {
      std::string what = g.exception_class.empty() ? g.key
                         : g.message.empty()       ? g.exception_class + " (message hidden by the wiki; see the request ids)"
                                                   : g.exception_class + ": " + g.message;
      std::vector<std::string> kinds;
      for (PageKind k : g.kinds) kinds.emplace_back(PageKindName(k));
      fmt::print("  [{}{}] {}\n      {} on {} ({}); failing parameters: {}\n", VerdictName(g.verdict),
                 g.flaky ? ", flaky" : !g.known_task.empty() ? ", known" : "", what, Plural(g.members.size(), "probe"),
                 fmt::join(g.wikis, ", "), fmt::join(kinds, ", "), DescribeFailingParameters(g));
      if (!g.known_task.empty()) {
        std::string note;
        for (const auto& k : r.info.known)
          if (k.task == g.known_task && !k.note.empty()) note = " (" + k.note + ")";
        fmt::print("      known issue {}{}: {}{}\n", g.known_task, note, TaskUrl(g.known_task),
                   r.info.fail_on_known ? "" : "; does not fail the run");
      }
      if (const std::string confirmed = DescribeConfirmation(g); !confirmed.empty())
        fmt::print("      {}{}\n", confirmed,
                   g.flaky ? (r.info.fail_on_flaky ? "; flaky" : "; flaky, does not fail the run") : "");
      fmt::print("      e.g. {}\n", r.results()[g.first].probe.url);
    }
  }
  if (r.info.WholePlan())
    for (const auto& k : r.info.known)
      if (k.matched == 0) fmt::print("known issue {} not seen this run: possibly fixed ({})\n", k.task, TaskUrl(k.task));
  if (r.diff) {
    fmt::print("\n{}", FormatRunDiff(*r.diff, r.baseline_id.empty() ? "(no earlier run)" : r.baseline_id, r.info.run_id));
  }
  if (!r.info.slow.empty()) {
    fmt::print("\nslow (p95 over 2x the baseline's and over 1 s slower{}):\n",
               r.info.fail_on_slow ? "; fails the run" : "; does not fail the run without --fail-on slow");
    for (const SlowFinding& f : r.info.slow) fmt::print("  {}\n", DescribeSlow(f));
  }
  fmt::print("\nrun {}: {}\n", r.info.run_id, DescribeTotals(r, seconds));
  if (r.summary().known || r.summary().flaky)
    fmt::print("of the product failures: {} known, {} flaky (did not reproduce)\n", r.summary().known, r.summary().flaky);
  if (const std::string throttled = DescribeThrottled(r.summary()); !throttled.empty()) fmt::print("{}\n", throttled);
  fmt::print("results: {}/\n", r.run_dir());
  // The verdict line in colour on a terminal: what a release engineer reads first.
  const bool color = isatty(STDOUT_FILENO);
  auto line = [color](fmt::terminal_color c, const std::string& text) {
    if (color) fmt::print(fmt::fg(c) | fmt::emphasis::bold, "{}\n", text);
    else fmt::print("{}\n", text);
  };
  switch (r.info.exit_code) {
    case 0:
      if (r.summary().product_failures == 0) {
        line(fmt::terminal_color::green, "PASS: no product failure");
      } else {
        std::vector<std::string> parts;
        if (r.summary().known) parts.push_back(fmt::format("{} known", r.summary().known));
        if (r.summary().flaky) parts.push_back(fmt::format("{} flaky", r.summary().flaky));
        line(fmt::terminal_color::green, fmt::format("PASS: no product failure beyond {}", fmt::join(parts, " and ")));
      }
      break;
    case 1:
      line(fmt::terminal_color::red,
           r.summary().Failing(r.info) > 0
               ? fmt::format("FAIL: {}", Plural(r.summary().Failing(r.info), "product failure"))
               : fmt::format("FAIL: {} slower than the baseline (--fail-on slow)",
                             Plural(static_cast<int64_t>(r.info.slow.size()), "page kind")));
      break;
    case 2: line(fmt::terminal_color::yellow, "ERROR: the crawl could not be done properly: " + DescribeCrawlTrouble(r)); break;
    default: line(fmt::terminal_color::yellow, "INTERRUPTED: partial results written"); break;
  }
  std::fflush(stdout);
  if (r.write_error) ReportError(*r.write_error);
}

int ExitCodeOf(const CrawlReport& r) {
  if (r.info.exit_code == 130) return InterruptedExitCode();
  return r.write_error ? 2 : r.info.exit_code;
}

std::string CrawlReportJson(const CrawlReport& r) {
  nlohmann::json j;
  j["run_id"] = r.info.run_id;
  j["exit_code"] = r.info.exit_code;
  j["partial"] = r.info.partial;
  j["planned"] = r.info.planned;
  j["done"] = r.summary().total;
  j["fetched"] = r.summary().total - r.summary().Of(Verdict::kNotRun);
  j["not_run"] = r.summary().Of(Verdict::kNotRun);
  j["seconds"] = static_cast<double>(r.info.finished_unix_ms - r.info.started_unix_ms) / 1000.0;
  j["results"] = r.run_dir();
  j["product_failures"] = r.summary().product_failures;
  j["tool_failures"] = r.summary().tool_failures;
  j["failing"] = r.summary().Failing(r.info);
  j["known"] = r.summary().known;
  j["flaky"] = r.summary().flaky;
  j["totals"] = nlohmann::json::object();
  for (size_t v = 0; v < r.summary().by_verdict.size(); ++v)
    if (r.summary().by_verdict[v]) j["totals"][std::string(VerdictName(static_cast<Verdict>(v)))] = r.summary().by_verdict[v];
  j["groups"] = nlohmann::json::array();
  for (const FailureGroup& g : r.info.groups) {
    nlohmann::json kinds = nlohmann::json::array();
    for (PageKind k : g.kinds) kinds.push_back(PageKindName(k));
    j["groups"].push_back({{"verdict", VerdictName(g.verdict)}, {"key", g.key}, {"exception_class", g.exception_class},
                           {"message", g.message}, {"probes", g.members.size()}, {"wikis", g.wikis},
                           {"kinds", kinds}, {"failing_parameters", DescribeFailingParameters(g)},
                           {"example_url", r.results()[g.first].probe.url}, {"known_task", g.known_task},
                           {"flaky", g.flaky}, {"fetches", g.fetches}, {"failed_fetches", g.failed_fetches}});
  }
  if (r.info.WholePlan())
    for (const auto& k : r.info.known)
      if (k.matched == 0) j["known_not_seen"].push_back(k.task);
  for (const LoginResult& l : r.logins)
    if (!l.ok && r.info.exit_code != 130) j["login_failures"][l.wiki] = l.message;
  for (const SlowFinding& f : r.info.slow)
    j["slow"].push_back({{"wiki", f.wiki}, {"kind", f.kind}, {"p95", f.p95}, {"baseline_p95", f.baseline_p95}});
  // The crawl's own memory, beyond the plan (issue 3's target; bench/run reads it), and the budget's.
  j["memory"] = {{"resident_at_start_kb", r.resident_at_start_kb}, {"peak_resident_kb", PeakResidentKb()},
                 {"budget_peak_bytes", r.memory_budget_peak}, {"budget_refusals", r.memory_budget_refusals}};
  if (r.diff) {
    j["baseline"] = r.baseline_id;
    j["new_failures"] = r.diff->new_failures.size();
    j["fixed"] = r.diff->fixed.size();
    j["still_failing"] = r.diff->still_failing.size();
  }
  // Page-derived text may be invalid UTF-8: replace rather than throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AddRunCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("run", "Crawl the targets and write results/<run-id>/");
  auto plan = std::make_shared<PlanOptions>();
  auto run = std::make_shared<RunOptions>();
  auto quiet = std::make_shared<bool>(false);
  auto urls = std::make_shared<UrlListOptions>();
  AddPlanOptions(*cmd, *plan, /*targets_required=*/false);
  cmd->add_option("--urls", urls->file, "Crawl a plain list of URLs (one per line, # comments) instead of a targets file");
  // One --kind: a filter of the plan, or with --urls what the listed pages are.
  cmd->get_option("--kind")->description("Only this page kind; repeatable. With --urls: what the pages are (one kind; "
                                         "default recentchanges)");
  cmd->add_option("--expect-user", urls->expect_user, "With --urls: the user name every page must show");
  cmd->add_option("--user-agent", urls->crawl.user_agent, "With --urls: User-Agent (default names beta-crawler)");
  cmd->add_option("--concurrency", urls->crawl.concurrency, "With --urls: transfers in flight (default 8)")
      ->check(CLI::Range(1, 1024));
  // As [crawl] per_host_concurrency; --per-host is its old name (not shown).
  cmd->add_option("--per-host-concurrency", urls->crawl.per_host_concurrency,
                  "With --urls: in flight per host (default 4; [crawl] per_host_concurrency)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--per-host", urls->crawl.per_host_concurrency, "Old name of --per-host-concurrency")
      ->check(CLI::Range(1, 1024))
      ->group("");
  cmd->add_option("--results", run->results_dir, "Results root (default: results)");
  cmd->add_flag("--fail-fast", run->fail_fast, "Stop scheduling after the first product failure");
  auto fail_on = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--baseline", run->baseline, "Compare with a run: 'last' (same targets and filters) or a run id");
  cmd->add_option("--fail-on", *fail_on, "What makes exit code 1: 'any' product failure (default) but known and "
                                         "flaky ones, or only 'new' ones (implies --baseline last); add 'known' "
                                         "and/or 'flaky' to count those too; 'slow': a page kind whose p95 is over "
                                         "2x the baseline's and over 1 s slower (implies --baseline last); "
                                         "comma-separated or repeated")
      ->delimiter(',')
      ->check(CLI::IsMember({"any", "new", "known", "flaky", "slow"}));
  auto confirm_after = std::make_shared<int64_t>(-1);
  cmd->add_option("--confirm-after-ms", *confirm_after, "Fetch each product failure again this long after its first "
                                                        "fetch (instead of [crawl] confirm_after_ms, default 10000); "
                                                        "0 = no confirmation")
      ->check(CLI::Range(int64_t{0}, int64_t{600000}));
  auto memory_budget = std::make_shared<int64_t>(-1);
  cmd->add_option("--memory-budget-mb", *memory_budget, "Bytes all page classifiers may hold together, in MB (instead "
                                                        "of [crawl] memory_budget_mb, default 256); past it a page is "
                                                        "classified from what was kept and says so")
      ->check(CLI::Range(int64_t{16}, int64_t{1} << 20));
  auto evidence = std::make_shared<int>(-1);
  cmd->add_option("--evidence-per-group", *evidence, "Failing responses saved per failure group under "
                                                     "results/RUN/evidence/ (instead of [crawl] evidence_per_group, "
                                                     "default 3); 0 = none")
      ->check(CLI::Range(0, 100));
  cmd->add_option("--known", run->known_file, "Known-issues file (TOML, [[known]] entries with a task); instead of "
                                              "[crawl] known");
  cmd->add_flag("-q,--quiet", *quiet, "Print only the final totals");
  auto insecure = std::make_shared<bool>(false);
  cmd->add_flag("--insecure", *insecure, "Do not verify TLS certificates (prints a warning; never for real wikis)");
  auto notify = std::make_shared<NotifyOptions>();
  auto notify_when = std::make_shared<std::string>();
  cmd->add_option("--notify-webhook", notify->webhook, "POST the run's JSON to this http(s) URL when it ends "
                                                       "(instead of [notify] webhook)")
      ->check([](const std::string& url) {
        return url.starts_with("http://") || url.starts_with("https://") ? std::string()
                                                                         : std::string("must be an http(s) URL");
      });
  cmd->add_option("--notify-command", notify->command, "Run this shell command with the run's JSON on stdin when it "
                                                       "ends (instead of [notify] command)");
  // As [notify] when; --notify is its old name (not shown).
  cmd->add_option("--notify-when", *notify_when, "When to notify: 'failures' (runs with product failures; default) "
                                                 "or 'always' (instead of [notify] when)")
      ->check(CLI::IsMember({"failures", "always"}));
  cmd->add_option("--notify", *notify_when, "Old name of --notify-when")
      ->check(CLI::IsMember({"failures", "always"}))
      ->group("");
  auto progress_every = std::make_shared<double>(0);
  cmd->add_option("--progress-every", *progress_every, "Say what the crawl is doing at least every SECONDS, also "
                                                       "while nothing is fetched (logins, confirmation): a line when "
                                                       "not on a terminal (CI logs, the demo)")
      ->check(CLI::Range(0.1, 3600.0));
  auto format = std::make_shared<std::string>("text");
  cmd->add_option("--format", *format, "text (default), or json: one object on stdout when the run ends, nothing else there (no progress)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([plan, run, quiet, urls, fail_on, insecure, format, notify, notify_when, confirm_after, progress_every,
                 memory_budget, evidence, &exit_code] {
    const auto asked = [&](const char* what) { return std::find(fail_on->begin(), fail_on->end(), what) != fail_on->end(); };
    run->fail_on_new_only = asked("new");
    run->fail_on_known = asked("known");
    run->fail_on_flaky = asked("flaky");
    run->fail_on_slow = asked("slow");
    if (!urls->file.empty() && !plan->kinds.empty()) {
      // With --urls, --kind says what the listed pages are: one kind, not a filter.
      if (plan->kinds.size() > 1) {
        exit_code = ReportError(Error{Error::Code::kUsage, "--kind: with --urls give one page kind (what the listed "
                                                           "pages are)", ""});
        return;
      }
      urls->kind = plan->kinds.front();
      plan->kinds.clear();
    }
    run->scope = PlanScope(*plan);
    if ((run->fail_on_new_only || run->fail_on_slow) && run->baseline.empty()) run->baseline = "last";
    if (urls->file.empty() && plan->targets.empty()) {
      exit_code = ReportError(Error{Error::Code::kUsage, "give a targets file (e.g. targets/local.toml) or --urls FILE", ""});
      return;
    }
    // Before discovery: Ctrl-C/TERM there writes an interrupted run (exit
    // 130/143) like during the crawl, not a dead process without results.
    run->stop = InstallStopHandlers();
    // The run's deadline counts from here: discovery, logins and the crawl share it.
    run->started = std::chrono::steady_clock::now();
    plan->results_dir = run->results_dir;  // the last healthy facts are read from its history
    auto loaded = urls->file.empty() ? LoadDiscoveredPlan(*plan, RunClock{run->started, run->stop}, *run)
                                     : LoadUrlList(*plan, *urls);
    if (!loaded && run->stop->load()) {
      // Interrupted before there was a plan: an empty, interrupted run of the file.
      if (auto file = LoadTargets(plan->targets)) loaded = std::pair{std::move(*file), std::vector<Probe>{}};
    }
    if (!loaded) {
      exit_code = ReportError(loaded.error());
      return;
    }
    auto& [targets, probes] = *loaded;
    if (*confirm_after >= 0) targets.crawl.confirm_after_ms = *confirm_after;
    if (*memory_budget >= 0) targets.crawl.memory_budget_bytes = *memory_budget << 20;
    if (*evidence >= 0) targets.crawl.evidence_per_group = *evidence;
    if (*insecure) {
      targets.crawl.verify_tls = false;
      std::fprintf(stderr, "crawler: WARNING: --insecure: TLS certificates are not verified; a man in the middle can "
                           "read the session cookies\n");
    }
    const bool json = *format == "json";
    auto progress = std::make_shared<ProgressDisplay>(probes.size() + run->preflight.size(),
                                                      !*quiet && isatty(STDERR_FILENO), !*quiet && !json);
    progress->SetSmokeTier(probes, run->preflight);
    run->on_outcome = [progress](const Probe& p, const Outcome& o) { progress->Add(p, o); };
    run->on_logins = [progress](const std::vector<LoginResult>& logins) { progress->Logins(logins); };
    run->on_phase = [progress](const std::string& text) { progress->Phase(text); };
    run->on_activity = [progress](const std::string& text) { progress->SetActivity(text); };
    progress->StartHeartbeat(*progress_every);
    auto report = RunCrawl(targets, probes, *run);
    progress->Finish();
    if (!report) {
      exit_code = ReportError(report.error());
      return;
    }
    if (json) {
      fmt::print("{}\n", CrawlReportJson(*report));
      std::fflush(stdout);
      if (report->write_error) ReportError(*report->write_error);
    } else {
      PrintCrawlReport(*report, *quiet, progress->logins_said());
    }
    std::fflush(stdout);
    exit_code = ExitCodeOf(*report);
    // Flags win over the targets' [notify]; a notifier never changes the exit code.
    NotifyOptions to = targets.notify;
    if (!notify->webhook.empty()) to.webhook = notify->webhook;
    if (!notify->command.empty()) to.command = notify->command;
    if (!notify_when->empty()) to.always = *notify_when == "always";
    if (ShouldNotify(to, *report))
      for (const NotifyResult& n : SendNotifications(to, NotifyPayload(*report), targets.crawl.user_agent,
                                                     targets.crawl.verify_tls)) {
        if (n.ok) std::fprintf(stderr, "notify: %s: %s\n", n.notifier.c_str(), n.message.c_str());
        else std::fprintf(stderr, "crawler: notify: %s failed: %s (the exit code stays %d)\n", n.notifier.c_str(),
                          n.message.c_str(), exit_code);
      }
  });
}

void AddLoginCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("login", "Log in to every wiki of the targets and say as whom");
  auto opts = std::make_shared<PlanOptions>();
  cmd->add_option("targets", opts->targets, "Targets file (TOML)")->required();
  AddNetOptions(*cmd, opts->net);
  cmd->callback([opts, &exit_code] {
    const std::string* path = &opts->targets;
    auto targets = LoadTargetsFor(*opts);
    if (!targets) {
      exit_code = ReportError(targets.error());
      return;
    }
    // A signal ends discovery and the logins; it is reported as such, never as a failed login.
    const std::atomic<bool>* stop = InstallStopHandlers();
    if (!targets->discovery.sitematrix.empty()) {  // the wikis to log in to come from SiteMatrix
      targets->discovery.facts = false;
      auto prep = PrepareTargets(*targets, RunClock{std::chrono::steady_clock::now(), stop});
      if (stop->load()) {
        fmt::print("interrupted during discovery: no login tried\n");
        exit_code = InterruptedExitCode();
        return;
      }
      if (!prep) {
        exit_code = ReportError(prep.error());
        return;
      }
      PrintRefusedSites(*prep);
    }
    auto passwords = ReadPasswords(*targets);
    if (!passwords) {
      exit_code = ReportError(passwords.error());
      return;
    }
    Engine engine(EngineOptionsFor(targets->crawl, RunClock{std::chrono::steady_clock::now(), stop}));
    auto results = LogIn(engine, *targets, {}, *passwords);
    const bool stopped = stop->load();
    exit_code = stopped ? InterruptedExitCode() : 0;
    for (const LoginResult& l : results) {
      if (l.ok && !l.via.empty())
        fmt::print("{:<12} logged in as {} by {}'s login ({:.2f} s)\n", l.wiki, l.user, l.via, l.seconds);
      else if (l.ok) fmt::print("{:<12} logged in as {} ({:.2f} s)\n", l.wiki, l.user, l.seconds);
      else if (stopped) fmt::print("{:<12} interrupted: no verdict\n", l.wiki);
      else if (!l.skipped) fmt::print("{:<12} LOGIN FAILED: {}\n", l.wiki, l.message);
      if (!l.ok && !stopped) exit_code = 2;
    }
    if (!stopped)
      for (const std::string& line : DescribeLoginFailures(results))
        if (line.starts_with("account ")) fmt::print("{}\n", line);
    if (results.empty()) fmt::print("no wiki in {} has an account\n", *path);
  });
}

}  // namespace bc
