// Discovery: which wikis to crawl, from the SiteMatrix API (action=sitematrix,
// with continuation), narrowed by a dblist file, dbname globs, families and
// states; then the per-wiki facts ([discovery] facts = true). Runs before
// planning: PrepareTargets turns a targets file's [discovery] into plain
// [[wiki]] entries with ores_models/ores_levels set, so the plan stays pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/engine_options.h"
#include "config/targets.h"
#include "core/error.h"
#include "mediawiki/api_round.h"
#include "mediawiki/facts_record.h"
#include "mediawiki/ores.h"
#include "mediawiki/wiki_facts.h"

namespace bc {

// One wiki as SiteMatrix lists it.
struct MatrixSite {
  std::string dbname;
  std::string url;       // as listed (may be protocol-relative "//host")
  std::string code;      // "wiki", "wiktionary", ... or a special's code ("meta")
  std::string lang;      // language code ("" for specials without lang)
  std::string sitename;
  bool special = false;  // listed under "specials"
  bool closed = false, private_ = false, fishbowl = false, nonglobal = false;
  std::string family() const;  // "wikipedia" for code "wiki", else code
};

struct MatrixPage {
  std::vector<MatrixSite> sites;
  std::string smcontinue;  // "" when the list is complete
};

// Pure parser of one action=sitematrix answer (formatversion 1 or 2; closed
// flags as "" or true; continuation under query-continue or continue).
Result<MatrixPage> ParseSiteMatrix(std::string_view body);

// Pure parser of a dblist: one dbname a line, '#' starts a comment, blanks ignored.
std::vector<std::string> ParseDblist(std::string_view text);

// Shell-style glob (* and ?) over a whole dbname.
bool GlobMatch(std::string_view pattern, std::string_view name);

struct SkippedSite {
  std::string dbname;
  std::string reason;  // "closed", "not in dblist", "excluded by 'test*'", ...
  bool refused = false;  // failed a trust check (origin, URL, dbname): `run` says so on stderr
};

// The origins discovered wikis may have ([discovery] allow_hosts, or its
// default from the SiteMatrix URL: targets/README.md). A wiki outside gets no
// request at all: not even the facts.
struct OriginAllowlist {
  std::string sitematrix_scheme;   // "https": discovered wikis must be https too (never downgraded)
  std::string sitematrix_port;     // the port of globs that name none
  std::vector<std::string> globs;  // "host:port" globs, lower-case
  std::string Describe() const;    // "*.beta.wmcloud.org:443, ..." for messages
};
OriginAllowlist MakeOriginAllowlist(const Discovery& d);
// "" when a wiki SiteMatrix lists may be crawled: its dbname, URL (no userinfo,
// path, query or fragment) as a [[wiki]]'s; its origin allowed; https when
// SiteMatrix was https; with an account, https unless loopback. Else why not. Pure.
std::string DiscoveredSiteProblem(const OriginAllowlist& allow, const MatrixSite& site, std::string_view url,
                                  bool logs_in);
struct Selection {
  std::vector<MatrixSite> kept;      // in SiteMatrix order
  std::vector<SkippedSite> skipped;
};

// Applies [discovery]'s filters (states, families, dblist, include, exclude)
// to SiteMatrix's list. `dblist` empty = no dblist filter. Pure.
Selection SelectSites(const std::vector<MatrixSite>& sites, const Discovery& d, const std::vector<std::string>& dblist);

struct Preparation {
  std::vector<MatrixSite> discovered;   // added to targets.wikis
  std::vector<SkippedSite> skipped;
  std::vector<WikiFacts> facts;         // one per wiki, when [discovery] facts = true
  std::vector<std::string> notes;       // ApplyFacts' lines
  FactsRegressions regressions;         // wikis whose facts lost what their last healthy run had
  int sitematrix_requests = 0;
};

// Does what targets.discovery asks: SiteMatrix discovery (wikis appended to
// targets.wikis after the file's own [[wiki]] entries; a file entry with the
// same dbname wins), then facts for every wiki (ApplyFacts). Uses one Engine
// built from targets.crawl (anonymous API calls, maxlag=5). An Error when the
// SiteMatrix wiki cannot be read or the dblist file is unreadable; facts
// failures are per wiki (notes), not Errors. `history`: the last healthy
// facts of each wiki (History::LastHealthyFacts), merged in by ApplyFacts.
Result<Preparation> PrepareTargets(Targets& targets, const RunClock& clock = {}, const Sleeper& sleep = {},
                                   const FactsHistory& history = {});

}  // namespace bc
