// Per-wiki facts, asked of each wiki's own API before planning:
//   meta=siteinfo&siprop=general|extensions  who the wiki is, and whether ORES is loaded
//   meta=ores                                ORES models, versions, damaging thresholds
// Pure parsers (tested on recorded answers) and one fetch that runs every
// wiki's calls concurrently through the Engine (anonymous; the Engine adds maxlag=5).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "classify/outcome.h"
#include "config/targets.h"
#include "core/error.h"
#include "engine/engine.h"
#include "mediawiki/api_round.h"

namespace bc {

struct SiteFacts {
  std::string dbname;       // general.wikiid (general.dbname when present)
  std::string lang;         // content language
  std::string sitename;
  std::string server;       // e.g. "https://en.wikipedia.beta.wmcloud.org" (may be protocol-relative)
  std::string script_path;  // general.scriptpath, "" or "/w"
  std::string generator;    // "MediaWiki 1.42.0-wmf.5"
  std::string git_hash;     // general.git-hash; "" when the wiki does not say
  std::vector<std::string> extensions;  // names, as listed
  // name -> "VERSION" and, when the wiki says, " @VCS-VERSION" (the git commit
  // of the extension): what a deploy of an extension alone changes.
  std::map<std::string, std::string> extension_versions;
  bool ores_installed = false;          // "ORES" is among the extensions
};

struct OresFacts {
  bool answered = false;    // meta=ores gave a query.ores object (false: module unknown = no ORES)
  std::string wikiid;
  std::map<std::string, std::string> models;  // enabled model -> version
  bool has_damaging_thresholds = false;       // the damagingthresholds key was there
  // level -> lower bound as answered; nullopt when the answer was null (the 2017 bug)
  std::map<std::string, std::optional<double>> damaging_thresholds;
};

// Pure parsers of api.php JSON (formatversion 1 or 2). An Error (kNetwork)
// when the body is not JSON or is an API error.
Result<SiteFacts> ParseSiteInfo(std::string_view body);
Result<OresFacts> ParseOresMeta(std::string_view body);

// The ORES filter levels a RecentChanges page offers, from its
// wgStructuredChangeFilters: group name (damaging, goodfaith) -> filter names.
// Groups absent from the page are absent from the map. Pure; an Error when the
// page has no wgStructuredChangeFilters at all.
Result<std::map<std::string, std::vector<std::string>>> ParseFilterLevels(std::string_view html);

// The levels `model` offers according to meta=ores, or nullopt when the API
// does not say. ORES registers a level only when its threshold exists, and
// damagingthresholds lists the lower bounds of maybebad/likelybad/verylikelybad
// (null ones included: the wiki claims the level, the pre-flight flags the
// null); likelygood has no lower bound and is offered with the model unless
// the answer lists likelygood itself. goodfaith thresholds are not in meta=ores:
// nullopt (unknown), so the plan keeps every configured goodfaith level.
std::optional<std::vector<std::string>> OfferedLevels(const OresFacts& ores, const std::string& model);

// Everything learnt about one wiki. `error` set: the wiki could not be asked
// (transport failure, non-JSON, API error); the other fields are then partial.
struct WikiFacts {
  std::string dbname;        // the targets' dbname
  std::string error;         // why siteinfo failed; "" when it answered
  SiteFacts site;
  std::string ores_error;    // why meta=ores could not be read; "" when it answered or ORES is absent
  OresFacts ores;
  ApiAnswer ores_answer;     // the meta=ores exchange (URL, status, timings), for the pre-flight probe
  // Levels of the ORES groups on an anonymous RecentChanges page (limit=1):
  // the only place goodfaith's levels show. Empty when the page failed or has
  // no ORES group (then meta=ores decides; models always come from meta=ores).
  std::map<std::string, std::vector<std::string>> page_levels;
  std::string page_error;    // why the page gave no levels; "" when it did
  // The same page judged as a RecentChanges probe (anonymous; the filter
  // groups of the models meta=ores names must show): the wiki's first page
  // verdict, long before the crawl (FactsPageOutcomes). Only the verdict and
  // the exchange's facts are kept, never the body.
  bool page_judged = false;
  Outcome page_outcome;
};

// Asks every wiki of `wikis` for its facts (siteinfo, meta=ores, one
// anonymous RecentChanges page), concurrently, through `engine`; every
// wiki's page is requested before any API call, so each wiki's first page
// verdict (page_outcome) comes as early in the run as it can.
// One result per wiki, in the given order. An Error only when the Engine
// could not run at all.
// `page_levels` = false: API calls only (no RecentChanges page; page_levels stay empty).
Result<std::vector<WikiFacts>> FetchFacts(Engine& engine, const std::vector<Wiki>& wikis,
                                          std::chrono::milliseconds maxlag_wait_cap, bool page_levels = true,
                                          const Sleeper& sleep = {});

// The index.php parameters of the anonymous RecentChanges page FetchFacts
// loads (days=1, limit=1): FactsPageOutcomes (mediawiki/ores.h) names its probe.
Params FactsPageParams();

}  // namespace bc
