// What a run records of one wiki's ORES facts (history.sqlite, table
// wiki_facts), and how a later plan uses the record of the last run in which
// that wiki was healthy: merged with today's answer, so a wiki that reports
// fewer ORES models or levels during an incident does not shrink its own
// probe set, and compared with it, so what vanished is a finding of its own
// ("ORES facts regressed: goodfaith levels gone: likelybad").
// Pure: no I/O. History stores the record as JSON text (report/history.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/targets.h"
#include "mediawiki/wiki_facts.h"

namespace bc {

// One wiki's ORES facts as a plan reads them.
struct OresFactsRecord {
  bool ores = false;  // ORES runs: in siteinfo's extensions, or meta=ores answered
  std::map<std::string, std::string> models;               // damaging/goodfaith -> version (meta=ores)
  // model -> levels, sorted; a model absent here: its levels were unknown.
  std::map<std::string, std::vector<std::string>> levels;
  std::map<std::string, std::string> level_source;         // model -> "RecentChanges filters" or "meta=ores"
  bool page_read = false;             // the anonymous RC page answered: `groups` is what it showed
  std::vector<std::string> groups;    // ORES filter groups on that page (damaging, goodfaith), sorted
};

// The record of today's facts; nullopt when they say nothing reliable about
// ORES (siteinfo failed, or ORES is installed and meta=ores could not be read).
std::optional<OresFactsRecord> RecordOf(const WikiFacts& facts);

// JSON text for history, and back. FromJson: nullopt when the text is not a
// record (a damaged row is ignored, never an error of the plan).
std::string ToJson(const OresFactsRecord& record);
std::optional<OresFactsRecord> FromJson(std::string_view json);

// A wiki's key in the history: dbname and base URL, so enwiki of the local
// farm and enwiki of the beta cluster never share facts.
std::string FactsSiteKey(const Wiki& wiki);

// The last record of a run in which the wiki was healthy (History::LastHealthyFacts).
struct HealthyFacts {
  std::string run_id;
  OresFactsRecord facts;
};
using FactsHistory = std::map<std::string, HealthyFacts>;  // by FactsSiteKey

// What `live` lost against `healthy`, one phrase each, in a fixed order:
// "ORES gone from siteinfo", "model goodfaith gone", "goodfaith levels gone:
// likelybad, verylikelybad", "filter group goodfaith gone from the
// RecentChanges page". Levels are compared where both know them, groups where
// both read the page. Empty: nothing lost.
std::vector<std::string> FactsLost(const OresFactsRecord& healthy, const OresFactsRecord& live);

}  // namespace bc
