#include "cli/options.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

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
  cmd.add_option("--page", opts.kinds, "Only this page kind; repeatable")
      ->check(CLI::IsMember({"recentchanges", "watchlist", "contributions"}));
  cmd.add_option("--param", opts.params, "Only probes with this KEY=VALUE parameter; repeatable");
  cmd.add_option("--shard", opts.shard, "I/N: the I-th of N disjoint slices of the plan (0-based)")
      ->check(CLI::Validator(
          [](std::string& value) {
            return ParseShard(value) ? std::string() : "write it as I/N with 0 <= I < N (e.g. 0/4)";
          },
          "I/N", "shard"));
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
  add("--page", opts.kinds);
  add("--param", opts.params);
  if (!opts.shard.empty()) add("--shard", {opts.shard});
  return scope;
}

Result<std::pair<Targets, std::vector<Probe>>> LoadPlan(const PlanOptions& opts) {
  auto targets = LoadTargets(opts.targets);
  if (!targets) return std::unexpected(targets.error());
  auto filter = MakePlanFilter(opts, *targets);
  if (!filter) return std::unexpected(filter.error());
  auto probes = BuildPlan(*targets, *filter);
  if (!probes) return std::unexpected(probes.error());
  return std::pair{std::move(*targets), std::move(*probes)};
}

int ReportError(const Error& error) {
  // Compiler style: "FILE:LINE:COL: message" when we know where, so editors can jump to it.
  // Messages may quote a server's answer (SiteMatrix, a login): redacted like every output.
  std::fprintf(stderr, "%s%s\n", error.where.empty() ? "crawler: " : "", Redact(error.ToString()).c_str());
  return 2;
}

}  // namespace bc
