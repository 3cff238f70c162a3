// Options shared by the commands that build a plan (plan, run, ...): the
// targets file and the filters. Parsed by CLI11 into this plain struct.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/targets.h"
#include "core/error.h"
#include "plan/plan.h"

namespace bc {

// Where the crawler connects and whom it trusts, over the targets file's
// [crawl] resolve / ca_file: --resolve adds entries, --ca-file replaces the file.
struct NetOptions {
  std::vector<std::string> resolve;    // --resolve HOST:PORT:ADDR (repeatable)
  std::string ca_file;                 // --ca-file FILE (relative to the working directory)
};

// Adds --resolve and --ca-file to a command (run, plan, login, ...).
void AddNetOptions(CLI::App& cmd, NetOptions& opts);
// Checks the flags (each --resolve entry, the --ca-file file) and applies them
// to `crawl`. Errors are kUsage naming the flag and the entry.
Result<void> ApplyNetOptions(const NetOptions& opts, CrawlOptions& crawl);

struct PlanOptions {
  std::string targets;                 // path of the targets TOML file
  std::vector<std::string> wikis;      // --wiki (repeatable)
  std::vector<std::string> kinds;      // --page (repeatable)
  std::vector<std::string> params;     // --param KEY=VALUE (repeatable)
  std::string shard;                   // --shard I/N
  NetOptions net;                      // --resolve, --ca-file
  // Where history.sqlite is: with [discovery] facts the plan merges in each
  // wiki's last healthy facts from it (run and plan: --results).
  std::string results_dir = "results";
};

// `targets_required` = false lets a command offer another source (run --urls).
// "I/N" with 0 <= I < N, digits only: the shard's index and count.
std::optional<std::pair<size_t, size_t>> ParseShard(std::string_view text);

void AddPlanOptions(CLI::App& cmd, PlanOptions& opts, bool targets_required = true);

// The filter the options ask for; --wiki must name a wiki of `targets`
// (after discovery, when the targets discover their wikis).
Result<PlanFilter> MakePlanFilter(const PlanOptions& opts, const Targets& targets);

// The filters as one canonical line ("--wiki frwiki --page watchlist"; "" when
// none): RunInfo::scope, so `--baseline last` compares like with like.
std::string PlanScope(const PlanOptions& opts);

// LoadTargets(opts.targets) with opts.net applied.
Result<Targets> LoadTargetsFor(const PlanOptions& opts);

// Nothing selected is an error, never an empty (and so passing) run: when the
// filters of `opts` leave no probe of `targets`' plan, a usage Error naming the
// filter that emptied it and the values it could have had ("no probe matches
// --param damaging=nosuchlevel (damaging in the plan: likelybad, maybebad)").
// OK when `selected` > 0 or no filter was given.
Result<void> RequireSelection(const PlanOptions& opts, const Targets& targets, size_t selected);

// Loads the targets and builds the filtered plan (RequireSelection applied).
Result<std::pair<Targets, std::vector<Probe>>> LoadPlan(const PlanOptions& opts);

// Prints "crawler: <where>: <message>" on stderr; returns the exit code (2).
int ReportError(const Error& error);

}  // namespace bc
