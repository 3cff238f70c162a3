#include "cli/crawl.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "core/memory.h"
#include "classify/page_sink.h"
#include "engine/engine.h"
#include "engine/http_util.h"
#include "mediawiki/facts_record.h"
#include "mediawiki/ores.h"
#include "report/history.h"
#include "report/evidence.h"
#include "report/known_match.h"
#include "report/redact.h"
#include "report/run_dir.h"
#include "core/plural.h"

namespace bc {
namespace {


// `sink`: the run's memory budget, and whether to keep the body for evidence.
Request ToRequest(const Probe& p, size_t index, const SinkOptions& sink) {
  Request r;
  r.index = index;
  r.url = p.url;
  r.host = p.host;
  r.session = p.account.empty() ? std::string() : p.wiki;
  r.sink = ClassifyingSink(ExpectationsFor(p), sink);
  r.tier = p.tier;
  return r;
}

// An auth verdict on a page that expected our user means the session was
// lost (expired, or deleted server-side): worth one re-login.
bool SessionLost(const Probe& p, const Outcome& o) { return o.result.verdict == Verdict::kAuth && !p.expect_user.empty(); }

// Each site's last healthy facts in `results_dir`'s history, and a line
// saying what was read. A missing, unreadable or damaged history costs only
// the merge: the plan then rests on today's facts and the targets file.
FactsHistory ReadHealthyFacts(const std::string& results_dir, std::string& note) {
  const std::string path = (std::filesystem::path(results_dir) / "history.sqlite").string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    note = fmt::format("no history at {}: today's facts and the targets file apply", path);
    return {};
  }
  auto history = History::Open(path);
  Result<std::map<std::string, History::RecordedFacts>> rows =
      history ? history->LastHealthyFacts() : std::unexpected(history.error());
  if (!rows) {
    note = fmt::format("history {} unreadable ({}): today's facts and the targets file apply", path,
                       rows.error().message);
    return {};
  }
  FactsHistory out;
  for (auto& [site, row] : *rows)
    if (auto record = FromJson(row.facts)) out[site] = HealthyFacts{row.run_id, std::move(*record)};
  note = fmt::format("{} with healthy facts in {}", Plural(out.size(), "wiki"), path);
  return out;
}

}  // namespace

Result<PreparedPlan> LoadPreparedPlan(const PlanOptions& opts, const RunClock& clock) {
  auto targets = LoadTargetsFor(opts);
  if (!targets) return std::unexpected(targets.error());
  if (!targets->discovery.enabled()) {
    auto loaded = LoadPlan(opts);
    if (!loaded) return std::unexpected(loaded.error());
    return PreparedPlan{std::move(loaded->first), std::move(loaded->second), {}, {}, {}, {}};
  }
  PreparedPlan out;
  FactsHistory history;
  if (targets->discovery.facts) history = ReadHealthyFacts(opts.results_dir, out.history_note);
  auto prep = PrepareTargets(*targets, clock, {}, history);
  if (!prep) return std::unexpected(prep.error());
  // --wiki is checked against the discovered wikis, not only the file's.
  auto made = MakePlanFilter(opts, *targets);
  if (!made) return std::unexpected(made.error());
  const PlanFilter& filter = *made;
  auto probes = BuildPlan(*targets, filter);
  if (!probes) return std::unexpected(probes.error());
  if (auto selected = RequireSelection(opts, *targets, probes->size()); !selected)
    return std::unexpected(selected.error());
  if (targets->discovery.facts) {
    // Already fetched with the facts, first in the run: each wiki's
    // RecentChanges page (the smoke tier's first wave), then the ORES API
    // pre-flight.
    std::vector<std::pair<Probe, Outcome>> fetched;
    if (targets->discovery.preflight) fetched = FactsPageOutcomes(*targets, prep->facts);
    for (auto& po : PreflightOutcomes(*targets, prep->facts, prep->regressions, targets->discovery.preflight))
      fetched.push_back(std::move(po));
    for (auto& po : fetched)
      if (filter.wikis.empty() || std::find(filter.wikis.begin(), filter.wikis.end(), po.first.wiki) != filter.wikis.end())
        out.preflight.push_back(std::move(po));
    for (const Wiki& w : targets->wikis)
      for (const WikiFacts& f : prep->facts)
        if (f.dbname == w.dbname)
          if (auto record = RecordOf(f)) out.wiki_facts.push_back({w.dbname, FactsSiteKey(w), ToJson(*record)});
  }
  out.targets = std::move(*targets);
  out.probes = std::move(*probes);
  out.preparation = std::move(*prep);
  return out;
}

int CrawlExitCode(const RunSummary& summary, bool login_failed, bool interrupted, double max_tool_failure_share,
                  bool fail_on_known, bool fail_on_flaky) {
  if (interrupted) return 130;
  const double tool_share = summary.total ? static_cast<double>(summary.tool_failures) / static_cast<double>(summary.total) : 0;
  if (login_failed || tool_share > max_tool_failure_share) return 2;
  if (summary.Failing(fail_on_known, fail_on_flaky) > 0) return 1;
  // Probes never fetched (the run deadline) or refused with 429 until it
  // (throttled) leave the answer open: not a pass.
  return summary.Of(Verdict::kNotRun) > 0 || summary.Of(Verdict::kThrottled) > 0 ? 2 : 0;
}

Crawl::Crawl(const Targets& targets, const std::vector<Probe>& probes, const RunOptions& options)
    : targets_(targets), probes_(probes), options_(options) {}

Crawl::~Crawl() = default;

Result<CrawlReport> Crawl::Run() {
  if (auto ok = Start(); !ok) return std::unexpected(ok.error());
  LogIn();
  if (auto ok = Fetch(); !ok) return std::unexpected(ok.error());
  if (auto ok = Relogin(); !ok) return std::unexpected(ok.error());
  if (auto ok = Confirm(); !ok) return std::unexpected(ok.error());
  return Conclude();
}

Result<void> Crawl::Start() {
  // A bad known-issues file stops the run before anything is fetched (exit 2).
  if (const std::string& file = options_.known_file.empty() ? targets_.crawl.known : options_.known_file;
      !file.empty()) {
    auto loaded = LoadKnownIssues(file);
    if (!loaded) return std::unexpected(loaded.error());
    for (const std::string& note : loaded->deprecations) std::fprintf(stderr, "%s\n", note.c_str());
    known_ = std::move(*loaded);
  }
  known_matched_.assign(known_.entries.size(), 0);
  report_.resident_at_start_kb = ResidentKb();
  RunInfo& info = report_.info;
  info.run_id = MakeRunId();
  // Absolute, so `--baseline last` finds earlier runs of the same file from any directory.
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(targets_.path, ec);
  info.targets_path = ec ? targets_.path : absolute.lexically_normal().string();
  info.started_unix_ms = NowUnixMs();
  info.planned = probes_.size() + options_.preflight.size();
  info.scope = options_.scope;
  info.warnings_fail = targets_.crawl.warnings_fail;
  info.user_agent = targets_.crawl.user_agent;
  info.tls_verified = targets_.crawl.verify_tls;
  info.fail_on_known = options_.fail_on_known;
  info.fail_on_flaky = options_.fail_on_flaky;
  info.wiki_facts = options_.wiki_facts;
  info.fail_on_slow = options_.fail_on_slow;
  info.evidence_per_group = targets_.crawl.evidence_per_group;
  // One budget for every classifier (and evidence capture) of the run.
  budget_ = std::make_unique<MemoryBudget>(targets_.crawl.memory_budget_bytes);
  fetch_sink_ = SinkOptions{budget_.get(), info.evidence_per_group > 0 ? kCaptureBytes : 0};

  for (const Probe& p : probes_)
    if (std::find(wikis_.begin(), wikis_.end(), p.wiki) == wikis_.end()) wikis_.push_back(p.wiki.str());
  auto passwords = ReadPasswords(targets_, wikis_);
  if (!passwords) return std::unexpected(passwords.error());
  passwords_ = std::move(*passwords);

  auto files = RunReport::Start(options_.results_dir, info);
  if (!files) return std::unexpected(files.error());
  report_.files.emplace(std::move(*files));

  // One engine for every phase: the stop flag ends logins too, and the
  // deadline counts from the run's start (discovery included).
  engine_ = std::make_unique<Engine>(EngineOptionsFor(targets_.crawl, RunClock{options_.started, options_.stop}));
  for (const auto& [probe, outcome] : options_.preflight) Emit(probe, outcome);
  return {};
}

// Every outcome goes through here exactly once: redacted (report/redact.h:
// the progress display and every file see only redacted text), matched
// against the known issues, then appended to pages.jsonl at once, so a crash
// later loses nothing already fetched.
void Crawl::Emit(const Probe& probe, Outcome outcome, bool shown) {
  RedactOutcome(outcome);
  if (const KnownIssue* k = MatchKnownIssue(known_, probe, outcome, targets_.crawl.warnings_fail)) {
    outcome.known_task = k->task;
    ++known_matched_[static_cast<size_t>(k - known_.entries.data())];
  }
  if (options_.on_outcome && !shown) options_.on_outcome(probe, outcome);
  if (auto ok = report_.files->Add(probe, outcome); !ok && !write_error_) write_error_ = ok.error();
}

void Crawl::LogIn() {
  if (options_.on_activity) options_.on_activity(fmt::format("logging in to {}", Plural(wikis_.size(), "wiki")));
  report_.logins = bc::LogIn(*engine_, targets_, wikis_, passwords_);
  // A login cut short by Ctrl-C/TERM is no login failure: its probes are
  // not run (the engine ends them at once), and the exit code is 130/143.
  const bool stopped_at_login = Stopped();
  // A wiki whose API did not answer the login (an edge error page, a reset)
  // says nothing about the account: its pages are loaded anyway, anonymously,
  // so their verdicts (edge-error, transport) name the real trouble rather
  // than "auth: login failed" on every probe.
  for (const LoginResult& l : report_.logins)
    if (!l.ok && !stopped_at_login && !l.unreachable) login_failed_[l.wiki] = l.message;
  if (options_.on_logins && !stopped_at_login) options_.on_logins(report_.logins);
}

Next Crawl::OnFetched(Response&& r, bool may_hold) {
  const Probe& p = probes_[r.index];
  const Expectations expect = ExpectationsFor(p);
  CapturedBody body;
  Outcome o = JudgeResponse(std::move(r), &expect, &body);
  // Only a followed http -> https redirect on the same host changes the
  // scheme (engine/http_util.h HttpsUpgrade): one warning per wiki.
  if (const std::string url = p.url; url.starts_with("http://") && o.final_url.starts_with("https://"))
    report_.https_upgrades.try_emplace(p.wiki.str(), OriginOf(url), OriginOf(o.final_url));
  if (may_hold && SessionLost(p, o)) {
    held_[p.wiki.str()].push_back(o.probe_index);
    held_outcomes_[o.probe_index] = std::move(o);
    return Next::GoOn();
  }
  // A final outcome: its response may be evidence of its group (report/evidence.h),
  // keyed as Conclude will group it: redacted, with its known task.
  RedactOutcome(o);
  if (const KnownIssue* k = MatchKnownIssue(known_, p, o, targets_.crawl.warnings_fail)) o.known_task = k->task;
  // With confirmation, a key may end as two groups (confirmed and flaky): twice
  // as many are staged so that both usually get their first N (evidence.h).
  const int per_key = targets_.crawl.evidence_per_group * (targets_.crawl.confirm_after_ms > 0 ? 2 : 1);
  if (auto ok = report_.files->StageEvidence(p, o, r.headers, std::move(body.bytes), body.total, body.cut, per_key);
      !ok && !write_error_)
    write_error_ = ok.error();
  const bool product_failure = IsProductFailure(o.result.verdict, targets_.crawl.warnings_fail);
  if (product_failure && targets_.crawl.confirm_after_ms > 0) {
    // Shown at once, written after Confirm (pages.jsonl then says "confirmed").
    if (options_.on_outcome) options_.on_outcome(p, o);
    const int64_t at = o.finished_unix_ms;
    unconfirmed_.push_back(HeldFailure{o.probe_index, std::move(o), at});
  } else {
    Emit(p, std::move(o));
  }
  if (product_failure && options_.fail_fast) return Next::StopStarting("--fail-fast");
  return Next::GoOn();
}

Result<void> Crawl::Fetch() {
  if (options_.on_activity) options_.on_activity("fetching");
  // Probes of a wiki whose login failed are not fetched: an auth outcome each.
  const auto skipped = [&](const Probe& p) { return !p.account.empty() && login_failed_.contains(p.wiki.str()); };
  bool fetch_all = true;
  for (size_t i = 0; i < probes_.size(); ++i) {
    const Probe& p = probes_[i];
    if (!skipped(p)) continue;
    Outcome o;
    o.probe_index = i;
    o.result.verdict = Verdict::kAuth;
    o.result.evidence.detail = "not fetched: login to " + p.wiki + " failed: " + login_failed_.at(p.wiki.str());
    o.result.evidence.signature = "login failed";
    o.finished_unix_ms = NowUnixMs();
    Emit(p, std::move(o));
    fetch_all = false;
  }
  // Requests are made when they start: the engine never holds the whole plan
  // twice. Every probe is fetched unless a login failed; only then does
  // to_fetch map the batch's indices to plan indices (in plan order).
  std::vector<size_t> to_fetch;
  if (!fetch_all)
    for (size_t i = 0; i < probes_.size(); ++i)
      if (!skipped(probes_[i])) to_fetch.push_back(i);
  const auto plan_index = [&](size_t k) { return fetch_all ? k : to_fetch[k]; };
  RequestBatch batch;
  batch.size = fetch_all ? probes_.size() : to_fetch.size();
  batch.slot = [&](size_t k) { return RequestBatch::Slot{probes_[plan_index(k)].host, probes_[plan_index(k)].tier}; };
  batch.make = [&](size_t k) { return ToRequest(probes_[plan_index(k)], plan_index(k), fetch_sink_); };

  auto stats = engine_->Run(batch, [&](Response&& r) { return OnFetched(std::move(r), /*may_hold=*/true); },
                            options_.stop);
  if (!stats) return std::unexpected(stats.error());
  interrupted_ = stats->interrupted;
  // Past the run deadline the engine ends unfinished probes (transport in
  // flight, not-run unstarted): the run did not do all its work, so it is
  // partial (never a baseline or the last clean run), not complete.
  deadline_exceeded_ = stats->deadline_exceeded;
  return {};
}

Result<void> Crawl::Relogin() {
  if (held_.empty()) return {};
  std::vector<std::string> again;
  for (auto& [wiki, _] : held_) again.push_back(wiki);
  if (options_.on_activity) options_.on_activity("session lost: logging in again");
  report_.relogins = bc::LogIn(*engine_, targets_, again, passwords_);
  std::vector<Request> retry;
  for (const LoginResult& l : report_.relogins) {
    for (size_t i : held_[l.wiki]) {
      if (l.ok && !interrupted_) {
        retry.push_back(ToRequest(probes_[i], i, fetch_sink_));
      } else {
        Outcome o = std::move(held_outcomes_[i]);
        // A re-login a signal cut short is no failed re-login.
        o.result.evidence.detail +=
            l.ok || Stopped() ? "; not re-fetched: interrupted" : "; re-login failed: " + l.message;
        Emit(probes_[i], std::move(o));
      }
    }
  }
  if (retry.empty()) return {};
  auto stats = engine_->Run(std::move(retry), OnDone([&](Response&& r) { return OnFetched(std::move(r), false); }),
                            options_.stop);
  if (!stats) return std::unexpected(stats.error());
  interrupted_ = interrupted_ || stats->interrupted;
  deadline_exceeded_ = deadline_exceeded_ || stats->deadline_exceeded;
  return {};
}

Result<void> Crawl::Confirm() {
  if (unconfirmed_.empty()) return {};
  if (!interrupted_) {
    ConfirmOptions co;
    co.after_ms = targets_.crawl.confirm_after_ms;
    co.times = targets_.crawl.confirm_times;
    co.deadline = RunDeadline(targets_.crawl, RunClock{options_.started, options_.stop});
    co.warnings_fail = targets_.crawl.warnings_fail;
    co.stop = options_.stop;
    if (options_.on_phase)
      options_.on_phase(fmt::format("confirming {}: fetching each again {} ms after its first fetch",
                                    Plural(unconfirmed_.size(), "product failure"), co.after_ms));
    auto confirmed = ConfirmFailures(
        // The evidence is the first fetch's: re-fetches keep no body.
        *engine_, unconfirmed_, co, [&](size_t i) { return ToRequest(probes_[i], i, SinkOptions{budget_.get(), 0}); },
        [&](size_t i, Response&& r) {
          const Expectations expect = ExpectationsFor(probes_[i]);
          return JudgeResponse(std::move(r), &expect).result.verdict;
        });
    if (!confirmed) return std::unexpected(confirmed.error());
    // Cut short by Ctrl-C: exit 130. The deadline only leaves failures unconfirmed
    // (every probe ran; they fail the run as without confirmation).
    interrupted_ = interrupted_ || confirmed->interrupted;
  }
  for (HeldFailure& h : unconfirmed_) Emit(probes_[h.index], std::move(h.outcome), /*shown=*/true);
  unconfirmed_.clear();
  return {};
}

Result<CrawlReport> Crawl::Conclude() {
  if (options_.on_activity) options_.on_activity("writing the results");
  RunInfo& info = report_.info;
  RunReport& out = *report_.files;
  // A signal before this crawl's first request (during discovery) or after
  // its last one is an interruption too.
  interrupted_ = interrupted_ || Stopped();
  for (const Wiki& w : targets_.wikis)
    if (!w.account.empty()) info.cookie_names[w.dbname] = engine_->CookieNames(w.dbname);
  info.finished_unix_ms = NowUnixMs();
  // --fail-fast leaves probes not-run too: partial whenever a probe did not run.
  info.partial = interrupted_ || deadline_exceeded_ || out.results().size() < info.planned ||
                 out.summary().Of(Verdict::kNotRun) > 0;
  info.exit_code = CrawlExitCode(out.summary(), !login_failed_.empty(), interrupted_,
                                 targets_.crawl.max_tool_failure_share, options_.fail_on_known, options_.fail_on_flaky);
  for (size_t i = 0; i < known_.entries.size(); ++i)
    info.known.push_back({known_.entries[i].task, known_.entries[i].note, known_matched_[i]});

  // Compared with a baseline, probe by probe: with --fail-on new only new
  // failures make exit code 1 (tool trouble and interruption still win).
  // An unreadable history costs the comparison, never the files.
  if (!options_.baseline.empty()) {
    std::vector<LatencyRow> base_latency;
    auto base_rows = [&]() -> Result<std::vector<OutcomeRow>> {
      auto history = History::Open(out.history_path());
      if (!history) return std::unexpected(history.error());
      auto base = history->FindBaseline(options_.baseline, info);
      if (!base) return std::unexpected(base.error());
      if (!*base) return std::vector<OutcomeRow>{};
      report_.baseline_id = **base;
      auto latency = history->LoadLatencies(**base);
      if (!latency) return std::unexpected(latency.error());
      base_latency = std::move(*latency);
      return history->LoadOutcomes(**base);
    }();
    if (base_rows) {
      report_.diff = DiffRuns(*base_rows, out.CurrentRows());
      if (options_.fail_on_new_only && info.exit_code == 1) {
        // Only new failures that fail the run count: not a known or flaky one.
        std::set<std::string> not_failing;
        for (const auto& r : out.results())
          if (IsProductFailure(r.outcome.result.verdict, info.warnings_fail) && !FailsRun(r.outcome, info))
            not_failing.insert(r.probe.id.str());
        const bool any_new = std::any_of(report_.diff->new_failures.begin(), report_.diff->new_failures.end(),
                                         [&](const DiffEntry& e) { return !not_failing.contains(e.probe_id); });
        if (!any_new) info.exit_code = 0;
      }
      // Slower pages: a finding beside the failures; the run's verdict only
      // with --fail-on slow, and never over tool trouble (2) or a signal.
      info.slow = FindSlow(base_latency, ComputeLatencies(out.results()));
      if (options_.fail_on_slow && !info.slow.empty() && info.exit_code == 0) info.exit_code = 1;
    } else if (!write_error_) {
      write_error_ = base_rows.error();
    }
  }

  // Every file is attempted; what could not be written is in the report
  // (write_error: the verdict line is still printed, the exit code is 2).
  if (auto ok = out.Finish(info); !ok && !write_error_) write_error_ = ok.error();
  report_.write_error = std::move(write_error_);
  report_.memory_budget_peak = budget_->peak();
  report_.memory_budget_refusals = budget_->refusals();
  return std::move(report_);
}

Result<CrawlReport> RunCrawl(const Targets& targets, const std::vector<Probe>& probes, const RunOptions& options) {
  return Crawl(targets, probes, options).Run();
}

}  // namespace bc
