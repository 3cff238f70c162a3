// What the per-wiki facts mean for ORES: which models and levels the plan
// uses on each wiki (ApplyFacts), why (ExplainPlan, `crawler plan --explain`),
// and the ORES API pre-flight: one api probe per ORES wiki whose verdict says
// whether meta=ores is sound (PreflightOutcomes).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "classify/verdict.h"
#include "config/targets.h"
#include "classify/outcome.h"
#include "mediawiki/wiki_facts.h"
#include "plan/probe.h"

namespace bc {

// Sets each wiki's ores_models and ores_levels from its facts (matched by
// dbname). The wiki's own answer wins over the file's ores_models:
//   siteinfo failed            the file's ores_models are kept
//   ORES not in extensions     no models (no ORES axes, no ORES groups expected)
//   meta=ores unreadable       the file's ores_models are kept
//   meta=ores answered         its models (damaging/goodfaith), with OfferedLevels
// Returns one line per wiki saying which case applied.
std::vector<std::string> ApplyFacts(Targets& targets, const std::vector<WikiFacts>& facts);

// Per wiki and page kind: the ORES axes kept, trimmed (value -> new value) or
// dropped, and the filter groups expected, with reasons. Lines for a terminal.
// `notes` (from ApplyFacts) are printed under each wiki's heading.
std::vector<std::string> ExplainPlan(const Targets& targets, const std::vector<std::string>& notes);

// The pre-flight verdict of one wiki's meta=ores exchange: a transfer that
// failed keeps its transport verdict; everything else is judged by
// classify/ores_answer.h (JudgeOresMeta), beside the other verdict rules.
Classification JudgeOresAnswer(const WikiFacts& facts);

// One api probe + outcome per wiki of `targets` whose facts say ORES is
// installed (or whose meta=ores answered), in targets order, tier 0. The probe
// is the meta=ores request itself (its URL, stable id), so it lands in
// pages.jsonl, summary and junit like any page.
std::vector<std::pair<Probe, Outcome>> PreflightOutcomes(const Targets& targets, const std::vector<WikiFacts>& facts);

}  // namespace bc
