#include "cli/options.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>

#include "core/plural.h"
#include "core/redact.h"

namespace bc {

std::optional<std::pair<size_t, size_t>> ParseShard(std::string_view text) {
  size_t i = 0, n = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, i);
  if (ec != std::errc() || p == end || *p != '/') return std::nullopt;
  auto [q, ec2] = std::from_chars(p + 1, end, n);
  if (ec2 != std::errc() || q != end || n == 0 || i >= n) return std::nullopt;
  return std::pair{i, n};
}

void AddPlanOptions(CLI::App& cmd, PlanOptions& opts, bool targets_required) {
  cmd.add_option("targets", opts.targets, "Targets file (TOML), e.g. targets/local.toml")->required(targets_required);
  cmd.add_option("--wiki", opts.wikis, "Only this wiki (dbname); repeatable");
  // --kind as pages.jsonl's "kind" and known.toml's kind; --page is its old
  // name, still read and not shown (docs/NAMES.md).
  const auto kinds = CLI::IsMember({"recentchanges", "watchlist", "contributions", "api"});
  cmd.add_option("--kind", opts.kinds, "Only this page kind; repeatable")->check(kinds);
  cmd.add_option("--page", opts.kinds, "Old name of --kind")->check(kinds)->group("");
  cmd.add_option("--param", opts.params, "Only probes with this KEY=VALUE parameter; repeatable");
  cmd.add_option("--shard", opts.shard, "I/N: the I-th of N disjoint slices of the plan (0-based)")
      ->check(CLI::Validator(
          [](std::string& value) {
            return ParseShard(value) ? std::string() : "write it as I/N with 0 <= I < N (e.g. 0/4)";
          },
          "I/N", "shard"));
  AddNetOptions(cmd, opts.net);
}

void AddNetOptions(CLI::App& cmd, NetOptions& opts) {
  cmd.add_option("--resolve", opts.resolve,
                 "HOST:PORT:ADDR: connect to ADDR for HOST:PORT (as curl --resolve); repeatable, adds to [crawl] resolve");
  cmd.add_option("--ca-file", opts.ca_file, "PEM file of the CAs to trust (a private CA); replaces [crawl] ca_file");
}

Result<void> ApplyNetOptions(const NetOptions& opts, CrawlOptions& crawl) {
  for (const std::string& entry : opts.resolve) {
    if (auto ok = CheckResolveEntry(entry); !ok)
      return Fail(Error::Code::kUsage, fmt::format("--resolve {}: {}", entry, ok.error().message));
    crawl.resolve.push_back(entry);
  }
  if (!opts.ca_file.empty()) {
    if (auto ok = CheckCaFile(opts.ca_file); !ok)
      return Fail(Error::Code::kUsage, fmt::format("--ca-file: {}", ok.error().message));
    crawl.ca_file = opts.ca_file;
    crawl.ca_file_where.clear();
  }
  return {};
}

Result<Targets> LoadTargetsFor(const PlanOptions& opts) {
  auto targets = LoadTargets(opts.targets);
  if (!targets) return std::unexpected(targets.error());
  if (auto ok = ApplyNetOptions(opts.net, targets->crawl); !ok) return std::unexpected(ok.error());
  return targets;
}

Result<PlanFilter> MakePlanFilter(const PlanOptions& opts, const Targets& targets) {
  PlanFilter filter;
  for (const auto& w : opts.wikis) {
    bool known = false;
    for (const Wiki& wiki : targets.wikis) known = known || wiki.dbname == w;
    if (!known) return Fail(Error::Code::kUsage, fmt::format("--wiki {}: no such wiki in {}", w, opts.targets));
    filter.wikis.push_back(w);
  }
  for (const auto& k : opts.kinds) filter.kinds.push_back(*ParsePageKind(k));
  for (const auto& kv : opts.params) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return Fail(Error::Code::kUsage, fmt::format("--param {}: write it as KEY=VALUE", kv));
    filter.required.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  if (!opts.shard.empty()) {
    // Checked by CLI11 already for argv; PlanOptions made in code meet it here.
    auto shard = ParseShard(opts.shard);
    if (!shard) return Fail(Error::Code::kUsage, fmt::format("--shard {}: write it as I/N with 0 <= I < N", opts.shard));
    filter.shard_index = shard->first;
    filter.shard_count = shard->second;
  }
  return filter;
}

std::string PlanScope(const PlanOptions& opts) {
  std::string scope;
  auto add = [&](const char* flag, std::vector<std::string> values) {
    // Sorted and deduplicated: `--wiki b --wiki a` and `--wiki a --wiki b` are one scope.
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (const auto& v : values) scope += fmt::format("{}{} {}", scope.empty() ? "" : " ", flag, v);
  };
  add("--wiki", opts.wikis);
  add("--kind", opts.kinds);
  add("--param", opts.params);
  if (!opts.shard.empty()) add("--shard", {opts.shard});
  return scope;
}

Result<void> RequireSelection(const PlanOptions& opts, const Targets& targets, size_t selected) {
  if (selected > 0 || PlanScope(opts).empty()) return {};
  auto made = MakePlanFilter(opts, targets);
  if (!made) return std::unexpected(made.error());
  // The whole plan, max_probes lifted (the filters may be what kept it under).
  Targets unlimited = targets;
  unlimited.max_probes = INT64_MAX;
  auto all = BuildPlan(unlimited);
  if (!all) return std::unexpected(all.error());
  // The filters one at a time, in the order they apply: the first one that
  // leaves nothing is named, with what the probes left before it offered.
  std::vector<const Probe*> left;
  for (const Probe& p : *all) left.push_back(&p);
  std::string applied;  // the filters passed so far, as flags
  // "no probe matches --wiki enwiki --param days=7 (values with --wiki enwiki: days=30)"
  const auto fail = [&](const std::string& flag, const std::string& what, const std::string& offered) {
    return Fail(Error::Code::kUsage, fmt::format("no probe matches {}{}{} ({} {}: {})", applied, applied.empty() ? "" : " ",
                                                 flag, what, applied.empty() ? "in the plan" : "with " + applied, offered));
  };
  const auto joined = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v.empty() ? std::string("none") : fmt::format("{}", fmt::join(v, ", "));
  };
  const auto keep = [&](auto pred) { std::erase_if(left, [&](const Probe* p) { return !pred(*p); }); };
  const auto flags = [](const char* flag, const std::vector<std::string>& values) {
    std::string s;
    for (const auto& v : values) s += fmt::format("{}{} {}", s.empty() ? "" : " ", flag, v);
    return s;
  };
  if (left.empty()) return Fail(Error::Code::kUsage, fmt::format("the plan of {} has no probe", opts.targets));
  if (!made->wikis.empty()) {
    std::vector<std::string> offered;
    for (const Probe* p : left) offered.push_back(p->wiki.str());
    keep([&](const Probe& p) { return std::ranges::find(made->wikis, p.wiki) != made->wikis.end(); });
    if (left.empty()) return fail(flags("--wiki", opts.wikis), "wikis with probes", joined(offered));
    applied = flags("--wiki", opts.wikis);
  }
  if (!made->kinds.empty()) {
    std::vector<std::string> offered;
    for (const Probe* p : left) offered.emplace_back(PageKindName(p->kind));
    keep([&](const Probe& p) { return std::ranges::find(made->kinds, p.kind) != made->kinds.end(); });
    if (left.empty()) return fail(flags("--kind", opts.kinds), "page kinds", joined(offered));
    applied += (applied.empty() ? "" : " ") + flags("--kind", opts.kinds);
  }
  for (const auto& want : made->required) {
    std::vector<std::string> offered;
    for (const Probe* p : left)
      for (const auto& [k, v] : p->params)
        if (k == want.first) offered.push_back(k + "=" + v);
    keep([&](const Probe& p) { return std::ranges::find(p.params, want) != p.params.end(); });
    const std::string flag = fmt::format("--param {}={}", want.first, want.second);
    if (left.empty()) {
      if (!offered.empty()) return fail(flag, "values", joined(offered));
      std::vector<std::string> keys;
      for (const Probe& p : *all)
        for (const auto& [k, v] : p.params) keys.push_back(k);
      return fail(flag, fmt::format("no probe has {}; parameters", want.first), joined(keys));
    }
    applied += (applied.empty() ? "" : " ") + flag;
  }
  return Fail(Error::Code::kUsage, fmt::format("no probe matches {}: the selection before --shard has {}, "
                                               "fewer than the {} shards",
                                               PlanScope(opts), Plural(left.size(), "probe"), made->shard_count));
}

Result<std::pair<Targets, std::vector<Probe>>> LoadPlan(const PlanOptions& opts) {
  auto targets = LoadTargetsFor(opts);
  if (!targets) return std::unexpected(targets.error());
  auto filter = MakePlanFilter(opts, *targets);
  if (!filter) return std::unexpected(filter.error());
  auto probes = BuildPlan(*targets, *filter);
  if (!probes) return std::unexpected(probes.error());
  if (auto selected = RequireSelection(opts, *targets, probes->size()); !selected)
    return std::unexpected(selected.error());
  return std::pair{std::move(*targets), std::move(*probes)};
}

int ReportError(const Error& error) {
  // Compiler style: "FILE:LINE:COL: message" when we know where, so editors can jump to it.
  // Messages may quote a server's answer (SiteMatrix, a login): redacted like every output.
  std::fprintf(stderr, "%s%s\n", error.where.empty() ? "crawler: " : "", Redact(error.ToString()).c_str());
  return 2;
}

}  // namespace bc
