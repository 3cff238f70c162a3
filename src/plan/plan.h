// The plan: targets -> probes. Pure and deterministic: the same targets give
// the same probes, with the same ids, in the same order, in every run.
#pragma once

#include <optional>
#include <string_view>
#include <string>
#include <utility>
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

// The model and level a parameter names: "damaging" -> (damaging, "") (its
// value lists the levels, ';'-separated), "goodfaith__likelybad_color" ->
// (goodfaith, likelybad); nullopt for any other parameter.
std::optional<std::pair<std::string, std::string>> OresParam(const std::string& key);

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

// 16 hex digits of a 64-bit FNV-1a hash of wiki, kind and the query in
// CanonicalQuery's spelling (for "PATH?QUERY", the part after '?'): the id
// does not depend on how libcurl or a pasted URL percent-encoded the query.
std::string ProbeId(std::string_view wiki, PageKind kind, std::string_view query);

// One spelling of a query string: escapes decoded and re-encoded with
// lower-case hex (what libcurl 7.88 writes, so ids stayed as they were),
// unreserved characters (A-Z a-z 0-9 - . _ ~) literal, a space as '+'; the
// literal '&' separators and each pair's first '=' kept, escaped ones stay
// escaped. "title=Special%3ARecentChanges" and "title=Special:RecentChanges"
// both become "title=Special%3aRecentChanges".
std::string CanonicalQuery(std::string_view query);

// The api.php parameters of the ORES API probe for the data of a page kind
// (list=recentchanges / watchlist / usercontribs with *prop=…|oresscores and
// *show=oresreview, format=json, formatversion=2, assert=user when logged
// in), sorted. Empty for PageKind::kApi.
Params OresApiParams(PageKind page, const std::string& target_user, bool logged_in);

// The ORES API probes of one wiki, one per page kind of the targets (the
// watchlist one only with an account, the usercontribs one only with a
// target_user), when [crawl] ores_api_probes is on (the default) and ORES
// runs there: the wiki's own API (or its last healthy facts) said so
// (Wiki::ores_from_facts), or its [[wiki]] entry names ores_models
// (Wiki::ores_models_set); never on a wiki without models.
// Each has expect_ores set: an "Unrecognized value … oresscores" warning is
// broken. Part of BuildPlan, after the wiki's pages.
Result<std::vector<Probe>> OresApiProbes(const Targets& targets, const Wiki& wiki, const Account* account);

}  // namespace bc
