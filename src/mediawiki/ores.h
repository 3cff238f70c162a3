// What the per-wiki facts mean for ORES: which models and levels the plan
// uses on each wiki (ApplyFacts), why (ExplainPlan, `crawler plan --explain`),
// and the ORES API pre-flight: one api probe per ORES wiki whose verdict says
// whether meta=ores is sound (PreflightOutcomes).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "classify/verdict.h"
#include "config/targets.h"
#include "classify/outcome.h"
#include "mediawiki/facts_record.h"
#include "mediawiki/wiki_facts.h"
#include "plan/probe.h"

namespace bc {

// What a wiki's facts lost against the last healthy ones (FactsLost), and
// the run those were recorded in; and what its [[wiki]] entry names that
// neither today's facts nor those healthy ones have.
struct FactsRegression {
  std::string run_id;             // of the healthy facts `lost` is against; "" when `lost` is empty
  std::vector<std::string> lost;  // "goodfaith levels gone: likelybad", ...
  // "model goodfaith gone (named in the targets file)", "ORES gone from
  // siteinfo (the targets file names damaging)": the file is the reference a
  // wiki without healthy history has (its first run included).
  std::vector<std::string> file_lost = {};
};
using FactsRegressions = std::map<std::string, FactsRegression>;  // by dbname

// Sets each wiki's ores_models and ores_levels (and their sources) from its
// facts (matched by dbname) and `history`, the last facts of a run in which
// the wiki was healthy (by FactsSiteKey). The wiki's own answer adds to the
// file's ores_models, and never shrinks what the last healthy facts had nor
// what the [[wiki]] entry names (Wiki::ores_models_set; the file names no
// levels per wiki, so levels come from the facts and the history only):
//   siteinfo failed / ORES installed but meta=ores unreadable
//                              the last healthy facts plus the models the entry
//                              names, else the file's ores_models
//   ORES not in extensions     no models, unless the last healthy facts had some
//                              or the entry names some
//   meta=ores answered         its models (damaging/goodfaith) with their levels
//                              (RC page, else OfferedLevels), plus every model and
//                              level the last healthy facts had and today's lack,
//                              plus every model the entry names (levels unknown:
//                              all configured kept; source "the targets file")
// What today's readable facts lost, against the healthy facts or the entry's
// models, is put in `regressions` (when given).
// Returns one line per wiki saying which case applied; without healthy facts
// it says that today's facts and the targets file apply.
std::vector<std::string> ApplyFacts(Targets& targets, const std::vector<WikiFacts>& facts,
                                    const FactsHistory& history = {}, FactsRegressions* regressions = nullptr);

// Per wiki and page kind: the ORES axes kept, trimmed (value -> new value) or
// dropped, and the filter groups expected, with reasons. Lines for a terminal.
// `notes` (from ApplyFacts) are printed under each wiki's heading.
std::vector<std::string> ExplainPlan(const Targets& targets, const std::vector<std::string>& notes);

// Where one probe's parameters came from, for `plan --explain`: each ORES
// level from its Wiki::ores_level_source (today's RecentChanges filters or
// meta=ores, or the history of the run whose healthy facts kept it), the
// rest from the targets file. "the targets file: days enhanced limit title;
// RecentChanges filters: damaging=likelygood; history of run X:
// goodfaith=likelybad". An ORES API probe: where its wiki's models came from.
std::string ProbeProvenance(const Probe& probe, const Wiki& wiki);

// The pre-flight verdict of one wiki's meta=ores exchange: a transfer that
// failed keeps its transport verdict; everything else is judged by
// classify/ores_answer.h (JudgeOresMeta), beside the other verdict rules.
Classification JudgeOresAnswer(const WikiFacts& facts);

// One api probe + outcome per wiki of `targets` whose facts say ORES is
// installed (or whose meta=ores answered), in targets order, tier 0. The probe
// is the meta=ores request itself (its URL, stable id), so it lands in
// pages.jsonl, summary and junit like any page. `judge_meta` = false ([discovery]
// preflight = false): only wikis with a regression get one.
// A wiki in `regressions` (its ORES facts lost a model, level or filter group
// since its last healthy run, or lack a model its [[wiki]] entry names) gets
// `broken` with the signature "ORES facts regressed: <what vanished>" when
// meta=ores itself was fine; a worse verdict stays and names the regression in
// its detail. The message names the reference: the healthy run, the targets file.
std::vector<std::pair<Probe, Outcome>> PreflightOutcomes(const Targets& targets, const std::vector<WikiFacts>& facts,
                                                         const FactsRegressions& regressions = {},
                                                         bool judge_meta = true);

// The smoke tier's first wave, already fetched: one recentchanges probe and
// outcome per wiki of `targets` (in targets order) whose facts judged the
// RecentChanges page (WikiFacts::page_outcome), tier 0, with the page's URL
// and stable id, so it lands in pages.jsonl, summary and junit like any probe
// ([discovery] preflight).
std::vector<std::pair<Probe, Outcome>> FactsPageOutcomes(const Targets& targets, const std::vector<WikiFacts>& facts);

}  // namespace bc
