// A probe is one page to load: the unit the plan produces, the engine fetches
// and the classifier judges. Plain data; copied freely.
//
// Memory (issue 16: 64 MB for a 200,000-probe run): a probe is 60 bytes with
// no heap block of its own, against ~290 bytes plus 2-6 heap blocks before.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/intern.h"

namespace bc {

enum class PageKind : uint8_t { kRecentChanges, kWatchlist, kContributions, kApi };

// "recentchanges", "watchlist", "contributions", "api".
std::string_view PageKindName(PageKind kind);
std::optional<PageKind> ParsePageKind(std::string_view name);
// "recentchanges, watchlist": the names joined with ", " (reports list a group's pages so).
std::string PageKindList(const std::vector<PageKind>& kinds);

// Query parameters in canonical order: sorted by key, then value. Values are
// raw (not percent-encoded).
using Params = std::vector<std::pair<std::string, std::string>>;

// A probe id: up to 16 characters kept inline (a plan's ids are 16 hex
// digits; tests use shorter ones), so an id costs no heap block. Reads like
// a string: converts to std::string_view, compares, formats, hashes.
class FixedId {
 public:
  FixedId() = default;
  FixedId(std::string_view s);  // NOLINT: implicit on purpose; throws std::length_error past 16 characters
  FixedId(const std::string& s) : FixedId(std::string_view(s)) {}  // NOLINT
  FixedId(const char* s) : FixedId(std::string_view(s)) {}         // NOLINT

  std::string_view view() const { return {text_, size()}; }
  operator std::string_view() const { return view(); }  // NOLINT
  std::string str() const { return std::string(view()); }
  bool empty() const { return text_[0] == 0; }
  size_t size() const { return strnlen(text_, sizeof(text_)); }

  friend bool operator==(const FixedId& a, const FixedId& b) { return a.view() == b.view(); }
  friend bool operator==(const FixedId& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const FixedId& a, const std::string& b) { return a.view() == b; }
  friend bool operator==(const FixedId& a, const char* b) { return a.view() == b; }
  friend auto operator<=>(const FixedId& a, const FixedId& b) { return a.view() <=> b.view(); }
  friend auto operator<=>(const FixedId& a, std::string_view b) { return a.view() <=> b; }
  friend std::string operator+(std::string a, const FixedId& b) { return a.append(b.view()); }
  friend std::string operator+(const char* a, const FixedId& b) { return std::string(a).append(b.view()); }
  friend std::string operator+(const FixedId& a, const char* b) { return a.str().append(b); }
  // std::ostream, not a template over the stream (core/intern.h says why).
  friend std::ostream& operator<<(std::ostream& os, const FixedId& id) { return os << id.view(); }
  template <class Json>
  friend void to_json(Json& j, const FixedId& id) {
    j = id.view();
  }

 private:
  char text_[16] = {};  // NUL-padded (an id has no NUL)
};

// An absolute URL kept as three interned parts: the directory (through the
// path's last '/': one per wiki in a plan, one for a whole URL list of
// pages side by side), the leaf (the path's last segment and the '?':
// "index.php?" in a plan, each page's own name in a URL list) and the query
// (the same on every wiki). So a plan's URLs cost three handles a probe, not
// a string each, and a URL list's only their last segment. Reads like the
// std::string it stands for (made on each use: it is read when a request
// starts and when a result is written, not in loops).
class UrlText {
 public:
  UrlText() = default;
  UrlText(std::string_view url);  // NOLINT: implicit on purpose
  UrlText(const std::string& url) : UrlText(std::string_view(url)) {}  // NOLINT
  UrlText(const char* url) : UrlText(std::string_view(url)) {}         // NOLINT

  std::string str() const;
  operator std::string() const { return str(); }  // NOLINT
  bool empty() const { return dir_.empty() && leaf_.empty() && query_.empty(); }
  size_t size() const { return dir_.size() + leaf_.size() + query_.size(); }

  friend bool operator==(const UrlText& a, const UrlText& b) {
    return a.dir_ == b.dir_ && a.leaf_ == b.leaf_ && a.query_ == b.query_;
  }
  friend bool operator==(const UrlText& a, std::string_view b) {
    return b.size() == a.size() && b.starts_with(a.dir_.view()) && b.substr(a.dir_.size()).starts_with(a.leaf_.view()) &&
           b.ends_with(a.query_.view());
  }
  friend bool operator==(const UrlText& a, const std::string& b) { return a == std::string_view(b); }
  friend bool operator==(const UrlText& a, const char* b) { return a == std::string_view(b); }
  friend std::string operator+(const UrlText& a, std::string_view b) { return a.str().append(b); }
  friend std::string operator+(const UrlText& a, const char* b) { return a.str().append(b); }
  friend std::ostream& operator<<(std::ostream& os, const UrlText& url) { return os << url.str(); }
  template <class Json>
  friend void to_json(Json& j, const UrlText& url) {
    j = url.str();
  }

 private:
  InternedString dir_;    // through the path's last '/': "https://host/w/", "http://127.0.0.1:8450/x/"
  InternedString leaf_;   // the rest of the path and the '?', if any: "index.php?", "123"
  InternedString query_;  // after the '?'
};

// Plain data, copied freely: 60 bytes and no heap block of its own. Values
// that repeat across probes (every field but the id and the URL's base on a
// URL list) are interned (core/intern.h): they live for the process.
struct Probe {
  FixedId id;             // 16 hex digits: hash of wiki + kind + canonical query; stable across runs
  InternedString wiki;    // dbname, e.g. "enwiki"
  InternedString host;    // scheduling key "host:port" (per-host limits apply to it)
  InternedString account;  // account name from the targets file; empty = anonymous
  InternedString expect_user;  // username the page must show; empty = none
  Interned<std::vector<std::string>> expect_filter_groups;  // RC/WL filter groups that must be present
  Interned<Params> params;  // canonical, includes title=Special:...
  InternedString query;     // canonical percent-encoded query string built from params
  UrlText url;              // absolute URL (built with curl's URL API)
  PageKind kind = PageKind::kRecentChanges;
  bool expect_ores = false;  // the wiki runs ORES and the probe asks for ORES data (Expectations::expect_ores)
  bool expect_ores_rows = false;  // Contributions with hidenondamaging=1 there (Expectations::expect_ores_rows)
  uint8_t tier = 1;         // 0 = smoke tier (first probe of each wiki x kind), fetched first
};
static_assert(sizeof(void*) != 8 || sizeof(Probe) == 60, "a probe is 60 bytes (issue 16's memory target)");

}  // namespace bc

template <>
struct std::hash<bc::FixedId> {
  size_t operator()(const bc::FixedId& id) const { return std::hash<std::string_view>{}(id.view()); }
};

template <>
struct fmt::formatter<bc::FixedId> : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(const bc::FixedId& id, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(id.view(), ctx);
  }
};

template <>
struct fmt::formatter<bc::UrlText> : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(const bc::UrlText& url, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(url.str(), ctx);
  }
};
