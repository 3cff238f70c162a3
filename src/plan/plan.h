// The plan: targets -> probes. Pure and deterministic: the same targets give
// the same probes, with the same ids, in the same order, in every run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/targets.h"
#include "core/error.h"
#include "plan/probe.h"

namespace bc {

// Narrows a plan (the run/plan command's filters). Empty lists keep everything.
struct PlanFilter {
  std::vector<std::string> wikis;  // dbnames to keep
  std::vector<PageKind> kinds;     // page kinds to keep
  Params required;                 // keep only probes that have every one of these key=value params
  size_t shard_index = 0;          // keep probes whose position % shard_count == shard_index
  size_t shard_count = 1;
};

// Expands wikis x page kinds x parameter combinations into probes, deduplicated
// by id, the first probe of every wiki x kind in tier 0. Applies the filter,
// then enforces targets.max_probes (an Error naming max_probes' position).
Result<std::vector<Probe>> BuildPlan(const Targets& targets, const PlanFilter& filter = {});

// The absolute URL of `script` (e.g. "index.php") on `wiki` with `params`
// appended in order, percent-encoded, built with curl's URL API. Also returns
// the canonical query and the "host:port" scheduling key.
struct BuiltUrl {
  std::string url;
  std::string query;
  std::string host;
};
Result<BuiltUrl> BuildUrl(const Wiki& wiki, const std::string& script, const Params& params);

// ORES levels on one wiki (Wiki::ores_levels, from the wiki's meta=ores).
// The rule, per parameter of an ORES axis value:
//   "damaging=likelybad;verylikelybad"   levels the wiki lacks are removed
//                                         (-> "damaging=likelybad");
//   "damaging__verylikelybad_color=c5"    removed when the wiki lacks the level;
//   anything else (hidenondamaging=1)     kept.
// A value that had level-bearing parameters and keeps none of them is dropped
// (nullopt): a probe for a level the wiki does not offer tests nothing the
// wiki claims to do. "" (no parameter) is always kept. A model whose levels are
// unknown (absent from ores_levels) keeps every level.
std::optional<Params> TrimOresValue(const Params& value, const Wiki& wiki);

// The values `axis` has on `wiki`, in file order, duplicates (after
// trimming) removed: every value of a base axis; none of an ORES axis whose
// model the wiki does not run; else the trimmed values.
std::vector<Params> AxisValuesOn(const Axis& axis, const Wiki& wiki);

// 16 hex digits of a 64-bit FNV-1a hash of wiki, kind and canonical query.
std::string ProbeId(const std::string& wiki, PageKind kind, const std::string& query);

}  // namespace bc
