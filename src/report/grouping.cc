#include "report/grouping.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/escape.h"
#include "core/plural.h"

namespace bc {

namespace {

// key -> value of one probe's params (first value wins on a repeated key,
// as in pages.jsonl).
std::map<std::string, std::string> ParamMap(const Params& params) {
  std::map<std::string, std::string> m;
  for (const auto& [k, v] : params) m.emplace(k, v);
  return m;
}

int Tier(const FailureGroup& g) {
  // Failures that fail the run first; known and flaky ones after them.
  if (g.product_failure) return g.known_task.empty() && !g.flaky ? 0 : 1;
  if (IsToolFailure(g.verdict)) return 2;
  return 3;
}

}  // namespace

std::string MinimalParams::Describe() const {
  // Nothing passed in the scope: the keys every failing probe has would only
  // list what every selected probe carries ("days=* and enhanced=* and ...").
  if (scope_all_failing)
    return scope_not_run == 0 ? "every probe" : fmt::format("every probe that ran ({} did not run)", scope_not_run);
  if (!all_of.empty()) return fmt::format("{}", fmt::join(all_of, " and "));
  if (!any_of.empty()) return fmt::format("{}", fmt::join(any_of, " or "));
  return "none found";
}

MinimalParams FindMinimalParams(const ResultList& results, const std::vector<size_t>& failing) {
  MinimalParams out;
  if (failing.empty()) return out;

  std::set<std::pair<std::string, PageKind>> scope;
  std::vector<std::map<std::string, std::string>> fail_params;
  for (const size_t i : failing) {
    scope.emplace(results[i].probe.wiki, results[i].probe.kind);
    fail_params.push_back(ParamMap(results[i].probe.params));
  }
  // Rule 1's keys: those of every failing probe, with their failing values.
  std::map<std::string, std::set<std::string>> common;
  for (const auto& [key, first_value] : fail_params.front()) {
    std::set<std::string> values;
    bool everywhere = true;
    for (const auto& fp : fail_params) {
      auto it = fp.find(key);
      if (it == fp.end()) {
        everywhere = false;
        break;
      }
      values.insert(it->second);
    }
    if (everywhere) common.emplace(key, std::move(values));
  }
  std::set<std::string> fail_keys;  // every key of any failing probe
  for (const auto& fp : fail_params)
    for (const auto& [key, value] : fp) fail_keys.insert(key);

  // The passing probes of the scope, in one pass and never stored (a big run
  // has hundreds of thousands): which failing keys they use, and which of
  // rule 1's keys they share a failing value of.
  std::set<std::string> pass_keys, pass_shares_value;
  bool any_pass = false;
  for (const auto& r : results) {
    if (r.outcome.result.verdict == Verdict::kNotRun && scope.contains({r.probe.wiki.str(), r.probe.kind})) ++out.scope_not_run;
    if (r.outcome.result.verdict != Verdict::kOk || !scope.contains({r.probe.wiki.str(), r.probe.kind})) continue;
    any_pass = true;
    std::vector<std::string_view> seen;  // first value wins on a repeated key (ParamMap)
    for (const auto& [key, value] : r.probe.params) {
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(key);
      if (fail_keys.contains(key)) pass_keys.insert(key);
      if (auto it = common.find(key); it != common.end() && it->second.contains(value)) pass_shares_value.insert(key);
    }
  }
  out.scope_all_failing = !any_pass;

  // Rule 1: keys common to every failing probe that no passing probe shares.
  for (const auto& [key, values] : common) {
    if (pass_shares_value.contains(key)) continue;
    if (values.size() == 1)
      out.all_of.push_back(key + "=" + *values.begin());
    else if (!pass_keys.contains(key))
      out.all_of.push_back(key + "=*");
    else
      out.all_of.push_back(fmt::format("{}={}", key, fmt::join(values, "|")));
  }
  if (!out.all_of.empty() || out.scope_all_failing) return out;

  // Rule 2: alternatives, from keys no passing probe has.
  std::set<std::string> candidates;
  for (const auto& key : fail_keys)
    if (!pass_keys.contains(key)) candidates.insert(key);
  std::vector<bool> covered(fail_params.size(), false);
  size_t left = fail_params.size();
  std::vector<std::string> picked;
  while (left > 0) {
    std::string best;
    size_t best_count = 0;
    for (const auto& key : candidates) {  // sorted: ties go to the smaller name
      size_t count = 0;
      for (size_t i = 0; i < fail_params.size(); ++i)
        if (!covered[i] && fail_params[i].contains(key)) ++count;
      if (count > best_count) {
        best = key;
        best_count = count;
      }
    }
    if (best_count == 0) return out;  // cannot cover every failing probe: no claim
    for (size_t i = 0; i < fail_params.size(); ++i)
      if (!covered[i] && fail_params[i].contains(best)) {
        covered[i] = true;
        --left;
      }
    candidates.erase(best);
    picked.push_back(best + "=*");
  }
  std::sort(picked.begin(), picked.end());
  out.any_of = std::move(picked);
  return out;
}

std::vector<FailureGroup> GroupFailures(const ResultList& results, bool warnings_fail) {
  std::vector<FailureGroup> groups;
  std::map<std::string, size_t> by_key;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    const Outcome& o = r.outcome;
    const Verdict v = o.result.verdict;
    if (v == Verdict::kOk || v == Verdict::kNotRun) continue;  // not run: one line, DescribeNotRun
    const Evidence& ev = o.result.evidence;
    const std::string key = FailureKey(o);
    // A known issue and a failure that did not reproduce are told apart from
    // the same cause failing for real: each gets its own group.
    const bool product = IsProductFailure(v, warnings_fail);
    const bool flaky = product && o.known_task.empty() && IsFlaky(o);
    const std::string known = product ? o.known_task : std::string();
    auto [it, inserted] = by_key.emplace(key + '\x1f' + known + (flaky ? "\x1f" "flaky" : ""), groups.size());
    if (inserted) {
      FailureGroup g;
      g.key = key;
      g.verdict = v;
      g.product_failure = product;
      g.known_task = known;
      g.flaky = flaky;
      g.first = i;
      groups.push_back(std::move(g));
    }
    FailureGroup& g = groups[it->second];
    g.members.push_back(i);
    g.fetches += 1 + o.confirm_fetches;
    g.failed_fetches += 1 + o.confirm_failed;
    if (g.exception_class.empty()) g.exception_class = ev.exception_class;
    if (g.message.empty()) g.message = ev.message;
    if (!ev.request_id.empty() &&
        std::find(g.request_ids.begin(), g.request_ids.end(), ev.request_id) == g.request_ids.end())
      g.request_ids.push_back(ev.request_id);
  }
  for (auto& g : groups) {
    std::set<std::string> wikis;
    std::set<PageKind> kinds;
    for (const size_t i : g.members) {
      wikis.insert(results[i].probe.wiki.str());
      kinds.insert(results[i].probe.kind);
    }
    g.wikis.assign(wikis.begin(), wikis.end());
    g.kinds.assign(kinds.begin(), kinds.end());
    g.minimal = FindMinimalParams(results, g.members);
    for (PageKind kind : g.kinds) {
      std::vector<size_t> of_kind;
      for (const size_t i : g.members)
        if (results[i].probe.kind == kind) of_kind.push_back(i);
      g.minimal_by_kind.emplace_back(kind, FindMinimalParams(results, of_kind));
    }
  }
  std::stable_sort(groups.begin(), groups.end(), [](const FailureGroup& a, const FailureGroup& b) {
    return std::make_tuple(Tier(a), -static_cast<int64_t>(a.members.size()), a.key) <
           std::make_tuple(Tier(b), -static_cast<int64_t>(b.members.size()), b.key);
  });
  return groups;
}

std::string DescribeNotRun(const ResultList& results) {
  size_t count = 0;
  std::vector<std::string> causes;  // in order of first appearance
  for (const auto& r : results) {
    if (r.outcome.result.verdict != Verdict::kNotRun) continue;
    ++count;
    std::string_view cause = r.outcome.result.evidence.signature;
    if (cause.starts_with("not run: ")) cause.remove_prefix(9);
    if (!cause.empty() && std::find(causes.begin(), causes.end(), cause) == causes.end()) causes.emplace_back(cause);
  }
  if (count == 0) return "";
  return causes.empty() ? fmt::format("{} not run", count) : fmt::format("{} not run ({})", count, fmt::join(causes, ", "));
}

std::string DescribeUnjudged(const RunSummary& summary) {
  if (summary.tool_failures == 0) return "";
  std::vector<std::string> verdicts;  // the tool-failure verdicts this run has, in enum order
  for (size_t v = 0; v < summary.by_verdict.size(); ++v)
    if (summary.by_verdict[v] > 0 && IsToolFailure(static_cast<Verdict>(v)))
      verdicts.push_back(fmt::format("{} {}", VerdictName(static_cast<Verdict>(v)), summary.by_verdict[v]));
  return fmt::format("{} could not be judged ({})", Plural(summary.tool_failures, "probe"), fmt::join(verdicts, ", "));
}

std::string DescribeThrottled(const RunSummary& summary) {
  const int64_t throttled = summary.Of(Verdict::kThrottled);
  if (throttled == 0) return "";
  // The engine gives up on a 429 only when its next wait would pass the run's
  // deadline or one request has waited 10 minutes (engine.h throttle_wait_max_ms).
  return fmt::format("{} throttled: the server kept answering 429 Too Many Requests, every Retry-After waited "
                     "out, until the run's deadline; the {} never seen, so this is no product failure "
                     "(exit code 2): run again later, or lower per_host_rps",
                     Plural(throttled, "probe"), throttled == 1 ? "page was" : "pages were");
}

std::string PartialNote(const RunInfo& info, const ResultList& results, std::string_view prefix,
                        std::string_view suffix) {
  if (!info.partial) return "";
  std::string what = DescribeNotRun(results);
  if (what.empty()) what = "not every probe ran (Ctrl-C, the deadline or --fail-fast)";
  return fmt::format("{}{}{}", prefix, what, suffix);
}

std::string FailureKey(const Outcome& o) {
  const Verdict v = o.result.verdict;
  std::string key = o.result.evidence.signature;
  if (key.empty() && v == Verdict::kTransport && !o.transport_error.empty()) key = "transport: " + o.transport_error;
  if (key.empty()) key = fmt::format("{} HTTP {}", VerdictName(v), o.http_status);
  return key;
}

std::string DescribeConfirmation(const FailureGroup& g) {
  if (g.fetches <= static_cast<int64_t>(g.members.size())) return "";  // nothing was fetched again
  if (g.flaky) return fmt::format("not reproduced: failed on {} of {} (the first ones only)", g.failed_fetches, Plural(g.fetches, "fetch"));
  return fmt::format("reproduced on {} of {}", g.failed_fetches, Plural(g.fetches, "fetch"));
}

std::string DescribeFailingParameters(const FailureGroup& group) {
  if (group.minimal_by_kind.size() <= 1) return group.minimal.Describe();
  // Kinds with the same description share one clause.
  std::vector<std::pair<std::string, std::vector<std::string>>> clauses;
  for (const auto& [kind, minimal] : group.minimal_by_kind) {
    // No probe of that kind passed on these wikis: naming parameters would
    // only list what every probe of the kind carries.
    const std::string what = minimal.Describe();
    auto it = std::find_if(clauses.begin(), clauses.end(), [&](const auto& c) { return c.first == what; });
    if (it == clauses.end()) clauses.push_back({what, {std::string(PageKindName(kind))}});
    else it->second.emplace_back(PageKindName(kind));
  }
  if (clauses.size() == 1) return group.minimal.Describe();  // every kind says the same
  std::string out;
  for (const auto& [what, kinds] : clauses)
    out += fmt::format("{}{}: {}", out.empty() ? "" : "; ", fmt::join(kinds, ", "), what);
  return out;
}

std::string CurlCommand(const Probe& probe, const RunInfo& info) {
  std::string cmd = "curl -sS --compressed";
  if (!info.user_agent.empty()) cmd += " -A " + ShellQuote(info.user_agent);
  if (!probe.account.empty()) {
    auto it = info.cookie_names.find(probe.wiki.str());
    if (it != info.cookie_names.end() && !it->second.empty()) {
      // Names only: the values are the secret. "..." is for the user to fill in.
      std::string cookies;
      for (const auto& name : it->second) cookies += (cookies.empty() ? "" : "; ") + name + "=...";
      cmd += " -b " + ShellQuote(cookies);
    }
  }
  cmd += " " + ShellQuote(probe.url.str());
  return cmd;
}

}  // namespace bc

namespace bc {

std::string ReproCommand(const Probe& probe, const RunInfo& info) {
  // Ids and run ids are hex, digits, 'T', 'Z' and '-' (IsRunId): nothing to quote.
  return fmt::format("./crawler repro {} --run {} --save repro/", probe.id, info.run_id);
}

}  // namespace bc
