// What a MediaWiki page's <head> says about the page, read from the bytes
// before <body>: the <title> text and, from the inline RLCONF={...} JSON,
// wgUserName, wgRequestId, wgCanonicalSpecialPageName and the group names of
// wgStructuredChangeFilters. Pure function over a buffer; no state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bc {

struct HeadInfo {
  bool has_rlconf = false;           // "RLCONF=" found: a page rendered by MediaWiki's skin
  bool user_present = false;         // "wgUserName" key found
  bool user_is_null = false;         // "wgUserName":null (anonymous view)
  std::string user_name;             // when present and not null
  std::string request_id;            // wgRequestId, "" when absent
  std::string canonical_special;     // wgCanonicalSpecialPageName ("Recentchanges", "Userlogin", ...); "" = not a special page or absent
  bool has_filter_groups = false;    // "wgStructuredChangeFilters" key found and parsed
  std::vector<std::string> filter_groups;  // group "name"s in page order
  std::string title;                 // <title> text, entities decoded, <= 300 bytes
};

// `head` is everything before <body> (possibly capped). `want_filter_groups`:
// parse wgStructuredChangeFilters (the only costly part; skipped otherwise).
// Only the values of the named keys are parsed (nlohmann-json SAX, non-strict,
// starting at the key's value), never the whole RLCONF object: a key token
// "wgUserName": can only occur as a key, since quotes inside JSON strings are escaped.
HeadInfo AnalyzeHead(std::string_view head, bool want_filter_groups);

// Whether every group in `groups` is in the page's wgStructuredChangeFilters.
// Fast path first: MediaWiki serialises each group as {"name":G,"type":...}
// (ChangesListFilterGroup::getJsData; filters have no "type"), so a byte
// search inside the value decides "all present" without parsing. Only when
// that fails is the value parsed with nlohmann-json (AnalyzeHead's SAX), so a
// key-order change in MediaWiki costs speed, never a wrong "missing" verdict.
bool HasAllFilterGroups(std::string_view head, const std::vector<std::string>& groups);

}  // namespace bc
