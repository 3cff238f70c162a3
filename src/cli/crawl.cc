#include "cli/crawl.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "core/memory.h"
#include "engine/engine.h"
#include "mediawiki/ores.h"
#include "report/history.h"
#include "report/redact.h"
#include "report/run_dir.h"

namespace bc {
namespace {

Request ToRequest(const Probe& p, size_t index) {
  Request r;
  r.index = index;
  r.url = p.url;
  r.host = p.host;
  r.session = p.account.empty() ? std::string() : p.wiki;
  r.classify = Expectations{p.kind, p.expect_user, p.expect_filter_groups};
  r.tier = p.tier;
  return r;
}

// An auth verdict on a page that expected our user means the session was
// lost (expired, or deleted server-side): worth one re-login.
bool SessionLost(const Probe& p, const Outcome& o) { return o.result.verdict == Verdict::kAuth && !p.expect_user.empty(); }

}  // namespace

Result<PreparedPlan> LoadPreparedPlan(const PlanOptions& opts) {
  auto targets = LoadTargets(opts.targets);
  if (!targets) return std::unexpected(targets.error());
  if (!targets->discovery.enabled()) {
    auto loaded = LoadPlan(opts);
    if (!loaded) return std::unexpected(loaded.error());
    return PreparedPlan{std::move(loaded->first), std::move(loaded->second), {}, {}};
  }
  PreparedPlan out;
  auto prep = PrepareTargets(*targets);
  if (!prep) return std::unexpected(prep.error());
  // --wiki is checked against the discovered wikis, not only the file's.
  auto made = MakePlanFilter(opts, *targets);
  if (!made) return std::unexpected(made.error());
  const PlanFilter& filter = *made;
  auto probes = BuildPlan(*targets, filter);
  if (!probes) return std::unexpected(probes.error());
  if (targets->discovery.facts && targets->discovery.preflight)
    for (auto& po : PreflightOutcomes(*targets, prep->facts))
      if (filter.wikis.empty() || std::find(filter.wikis.begin(), filter.wikis.end(), po.first.wiki) != filter.wikis.end())
        out.preflight.push_back(std::move(po));
  out.targets = std::move(*targets);
  out.probes = std::move(*probes);
  out.preparation = std::move(*prep);
  return out;
}

int CrawlExitCode(const RunSummary& summary, bool login_failed, bool interrupted, double max_tool_failure_share) {
  if (interrupted) return 130;
  const double tool_share = summary.total ? static_cast<double>(summary.tool_failures) / static_cast<double>(summary.total) : 0;
  if (login_failed || tool_share > max_tool_failure_share) return 2;
  if (summary.product_failures > 0) return 1;
  // Probes never fetched (the run deadline) leave the answer open: not a pass.
  return summary.Of(Verdict::kNotRun) > 0 ? 2 : 0;
}

Result<CrawlReport> RunCrawl(const Targets& targets, const std::vector<Probe>& probes, const RunOptions& options) {
  CrawlReport report;
  report.resident_at_start_kb = ResidentKb();
  RunInfo& info = report.info;
  info.run_id = MakeRunId();
  // Absolute, so `--baseline last` finds earlier runs of the same file from any directory.
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(targets.path, ec);
  info.targets_path = ec ? targets.path : absolute.lexically_normal().string();
  info.started_unix_ms = NowUnixMs();
  info.planned = probes.size() + options.preflight.size();
  info.scope = options.scope;
  info.warnings_fail = targets.crawl.warnings_fail;
  info.user_agent = targets.crawl.user_agent;

  std::vector<std::string> wikis;  // wikis in the plan, in plan order
  for (const Probe& p : probes)
    if (std::find(wikis.begin(), wikis.end(), p.wiki) == wikis.end()) wikis.push_back(p.wiki);
  auto passwords = ReadPasswords(targets, wikis);
  if (!passwords) return std::unexpected(passwords.error());

  auto files = RunReport::Start(options.results_dir, info);
  if (!files) return std::unexpected(files.error());
  report.files.emplace(std::move(*files));
  RunReport& out = *report.files;

  // Every outcome goes through here exactly once: redacted (report/redact.h:
  // the progress display and every file see only redacted text), then
  // appended to pages.jsonl at once, so a crash later loses nothing already
  // fetched.
  std::optional<Error> write_error;
  auto emit = [&](const Probe& probe, Outcome outcome) {
    RedactOutcome(outcome);
    if (options.on_outcome) options.on_outcome(probe, outcome);
    if (auto ok = out.Add(probe, outcome); !ok && !write_error) write_error = ok.error();
  };

  EngineOptions eo;
  eo.crawl = targets.crawl;
  eo.fail_fast = options.fail_fast;
  eo.stop = options.stop;  // a signal during the logins ends them too
  Engine engine(eo);

  for (const auto& [probe, outcome] : options.preflight) emit(probe, outcome);

  report.logins = LogIn(engine, targets, wikis, *passwords);
  // A login cut short by Ctrl-C/TERM is no login failure: its probes are
  // not run (the engine ends them at once), and the exit code is 130/143.
  const bool stopped_at_login = options.stop != nullptr && options.stop->load();
  std::map<std::string, std::string> login_failed;  // wiki -> reason
  for (const LoginResult& l : report.logins)
    if (!l.ok && !stopped_at_login) login_failed[l.wiki] = l.message;

  // Probes of a wiki whose login failed are not fetched: an auth outcome each.
  const auto skipped = [&](const Probe& p) { return !p.account.empty() && login_failed.contains(p.wiki); };
  bool fetch_all = true;
  for (size_t i = 0; i < probes.size(); ++i) {
    const Probe& p = probes[i];
    if (!skipped(p)) continue;
    Outcome o;
    o.probe_index = i;
    o.result.verdict = Verdict::kAuth;
    o.result.evidence.detail = "not fetched: login to " + p.wiki + " failed: " + login_failed.at(p.wiki);
    o.result.evidence.signature = "login failed";
    o.finished_unix_ms = NowUnixMs();
    emit(p, std::move(o));
    fetch_all = false;
  }
  // Requests are made when they start: the engine never holds the whole plan
  // twice. Every probe is fetched unless a login failed; only then does
  // to_fetch map the batch's indices to plan indices (in plan order).
  std::vector<size_t> to_fetch;
  if (!fetch_all)
    for (size_t i = 0; i < probes.size(); ++i)
      if (!skipped(probes[i])) to_fetch.push_back(i);
  const auto plan_index = [&](size_t k) { return fetch_all ? k : to_fetch[k]; };
  RequestBatch batch;
  batch.size = fetch_all ? probes.size() : to_fetch.size();
  batch.slot = [&](size_t k) { return RequestBatch::Slot{probes[plan_index(k)].host, probes[plan_index(k)].tier}; };
  batch.make = [&](size_t k) { return ToRequest(probes[plan_index(k)], plan_index(k)); };

  std::map<std::string, std::vector<size_t>> held;  // wiki -> probes to re-fetch after a re-login
  std::map<size_t, Outcome> held_outcomes;
  auto on_done = [&](Response&& r) {
    const Probe& p = probes[r.index];
    r.outcome.probe_index = r.index;
    if (SessionLost(p, r.outcome)) {
      held[p.wiki].push_back(r.index);
      held_outcomes[r.index] = std::move(r.outcome);
      return;
    }
    emit(p, std::move(r.outcome));
  };
  auto stats = engine.Run(batch, on_done, options.stop);
  if (!stats) return std::unexpected(stats.error());
  bool interrupted = stats->interrupted;
  // Past the run deadline the engine ends unfinished probes (transport in
  // flight, not-run unstarted): the run did not do all its work, so it is
  // partial (never a baseline or the last clean run), not complete.
  bool deadline = stats->deadline_exceeded;

  // The session was lost on some wikis: log in again once and re-fetch those probes.
  if (!held.empty()) {
    std::vector<std::string> again;
    for (auto& [wiki, _] : held) again.push_back(wiki);
    report.relogins = LogIn(engine, targets, again, *passwords);
    std::vector<Request> retry;
    for (const LoginResult& l : report.relogins) {
      for (size_t i : held[l.wiki]) {
        if (l.ok && !interrupted) {
          retry.push_back(ToRequest(probes[i], i));
        } else {
          Outcome o = std::move(held_outcomes[i]);
          o.result.evidence.detail += l.ok ? "; not re-fetched: interrupted" : "; re-login failed: " + l.message;
          emit(probes[i], std::move(o));
        }
      }
    }
    if (!retry.empty()) {
      auto again_stats = engine.Run(std::move(retry), [&](Response&& r) {
        r.outcome.probe_index = r.index;
        emit(probes[r.index], std::move(r.outcome));
      }, options.stop);
      if (!again_stats) return std::unexpected(again_stats.error());
      interrupted = interrupted || again_stats->interrupted;
      deadline = deadline || again_stats->deadline_exceeded;
    }
  }

  for (const Wiki& w : targets.wikis)
    if (!w.account.empty()) info.cookie_names[w.dbname] = engine.CookieNames(w.dbname);
  info.finished_unix_ms = NowUnixMs();
  // --fail-fast leaves probes not-run too: partial whenever a probe did not run.
  info.partial = interrupted || deadline || out.results().size() < info.planned ||
                 out.summary().Of(Verdict::kNotRun) > 0;
  info.exit_code = CrawlExitCode(out.summary(), !login_failed.empty(), interrupted, targets.crawl.max_tool_failure_share);

  // Compared with a baseline, probe by probe: with --fail-on new only new
  // failures make exit code 1 (tool trouble and interruption still win).
  if (!options.baseline.empty()) {
    auto history = History::Open(out.history_path());
    if (!history) return std::unexpected(history.error());
    auto base = history->FindBaseline(options.baseline, info);
    if (!base) return std::unexpected(base.error());
    std::vector<OutcomeRow> base_rows;
    if (*base) {
      auto rows = history->LoadOutcomes(**base);
      if (!rows) return std::unexpected(rows.error());
      base_rows = std::move(*rows);
      report.baseline_id = **base;
    }
    report.diff = DiffRuns(base_rows, out.CurrentRows());
    if (options.fail_on_new_only && info.exit_code == 1 && report.diff->new_failures.empty()) info.exit_code = 0;
  }

  if (auto ok = out.Finish(info); !ok && !write_error) write_error = ok.error();
  if (write_error) return std::unexpected(*write_error);
  report.groups = GroupFailures(out.results(), info.warnings_fail);
  return report;
}

}  // namespace bc
