// Beta versus production parity of ORES: per dbname, whether ORES runs, which
// models (and versions) and which levels, on each side; and which production
// ORES wikis have no beta counterpart at all. Pure over the facts of two
// targets files (after ApplyFacts), so it is tested without a network.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/targets.h"
#include "mediawiki/wiki_facts.h"

namespace bc {

// One side's ORES facts of one wiki.
struct OresSide {
  bool listed = false;      // the wiki is in this side's targets
  std::string error;        // facts could not be fetched ("" = fine)
  bool ores = false;        // ORES installed (siteinfo) or meta=ores answered
  std::map<std::string, std::string> models;               // model -> version
  std::map<std::string, std::vector<std::string>> levels;  // model -> levels (known ones only)
};

struct ParityRow {
  std::string dbname;
  OresSide beta, prod;
  std::vector<std::string> differences;  // empty = the same; e.g. "models: beta lacks goodfaith"
};

struct ParityReport {
  std::vector<ParityRow> rows;                  // every dbname of either side, sorted
  std::vector<std::string> prod_only_ores;      // production ORES wikis with no beta wiki of that dbname
};

// The side of each wiki of `targets` (after ApplyFacts) from `facts`.
std::map<std::string, OresSide> SidesOf(const Targets& targets, const std::vector<WikiFacts>& facts);

// Compares the two sides, dbname by dbname. Differences, in this order:
// "no beta wiki" / "no production wiki", "facts unavailable on beta|production: ...",
// "ORES only on beta|production", "models: beta lacks M" / "models: production lacks M",
// "M version: beta V1, production V2", "M levels: beta lacks L, ..." / "... production lacks ...".
ParityReport CompareParity(const std::map<std::string, OresSide>& beta, const std::map<std::string, OresSide>& prod);

// `parity --fail-on-diff`: 1 when beta and production differ (any difference,
// or a production ORES wiki with no beta counterpart), 2 when a side's facts
// could not be fetched (nothing can be said), else 0. Always 0 without the flag.
int ParityExitCode(const ParityReport& report, bool fail_on_diff);

// The report for a terminal, narrow: the wikis that differ first, one
// difference a line, then "same on both: ..." on one line, then the totals.
// As markdown: a table with what each side runs, differing rows first (cells escaped).
std::string RenderParityText(const ParityReport& report);
std::string RenderParityMarkdown(const ParityReport& report);

}  // namespace bc
