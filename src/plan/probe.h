// A probe is one page to load: the unit the plan produces, the engine fetches
// and the classifier judges. Plain data; copied freely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bc {

enum class PageKind { kRecentChanges, kWatchlist, kContributions, kApi };

// "recentchanges", "watchlist", "contributions", "api".
std::string_view PageKindName(PageKind kind);
std::optional<PageKind> ParsePageKind(std::string_view name);
// "recentchanges, watchlist": the names joined with ", " (reports list a group's pages so).
std::string PageKindList(const std::vector<PageKind>& kinds);

// Query parameters in canonical order: sorted by key, then value. Values are
// raw (not percent-encoded).
using Params = std::vector<std::pair<std::string, std::string>>;

struct Probe {
  std::string id;        // 16 hex digits: hash of wiki + kind + canonical query; stable across runs
  std::string wiki;      // dbname, e.g. "enwiki"
  PageKind kind = PageKind::kRecentChanges;
  Params params;         // canonical, includes title=Special:...
  std::string query;     // canonical percent-encoded query string built from params
  std::string url;       // absolute URL (built with curl's URL API)
  std::string host;      // scheduling key "host:port" (per-host limits apply to it)
  std::string account;   // account name from the targets file; empty = anonymous
  std::string expect_user;                        // username the page must show; empty = none
  std::vector<std::string> expect_filter_groups;  // RC/WL filter groups that must be present
  bool expect_ores = false;  // the wiki runs ORES and the probe asks for ORES data (Expectations::expect_ores)
  bool expect_ores_rows = false;  // Contributions with hidenondamaging=1 there (Expectations::expect_ores_rows)
  int tier = 1;          // 0 = smoke tier (first probe of each wiki x kind), fetched first
};

}  // namespace bc
