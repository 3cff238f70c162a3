#include "plan/url_list.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <set>
#include <unordered_set>

#include "core/url.h"
#include "plan/plan.h"

namespace bc {
namespace {

std::string Unescape(std::string_view s) {
  std::string plus(s);
  for (char& c : plus)
    if (c == '+') c = ' ';
  int n = 0;
  char* raw = curl_easy_unescape(nullptr, plus.c_str(), static_cast<int>(plus.size()), &n);
  std::string out(raw ? raw : "", raw ? static_cast<size_t>(n) : 0);
  curl_free(raw);
  return out;
}

}  // namespace

namespace {

// Lines that hold a URL (not blank, not a # comment): the most probes the
// list can give, so a file of blank lines reserves nothing.
size_t UrlLineCount(std::string_view text) {
  size_t n = 0;
  bool at_start = true, counted = false;
  for (const char c : text) {
    if (c == '\n') {
      at_start = true;
      counted = false;
    } else if (at_start && c != ' ' && c != '\t' && c != '\r') {
      at_start = false;
      if (c != '#' && !counted) ++n, counted = true;
    }
  }
  return n;
}

}  // namespace

Result<std::vector<Probe>> ProbesFromUrlList(std::string_view text, const std::string& path, PageKind kind,
                                             const std::string& expect_user) {
  // Memory (bench: 200,000 URLs): the vector is sized once, as a doubling
  // one would hold both its old and new arrays at the peak (~113 MB there),
  // and the duplicate check views the ids the probes hold (a set of string
  // copies was another ~22 MB). The reserve also keeps those views valid.
  std::vector<Probe> out;
  out.reserve(UrlLineCount(text));
  std::unordered_set<std::string_view> ids;
  ids.reserve(out.capacity());
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::string url(line);
    const std::string where = fmt::format("{}:{}:1", path, line_no);
    // user:password@host: libcurl would send it as Authorization, and the URL
    // would carry it into every output. Refused without echoing the line.
    const size_t authority = url.find("://") == std::string::npos ? 0 : url.find("://") + 3;
    const size_t at = url.find('@', authority);
    if (at != std::string::npos && at < url.find_first_of("/?#", authority))
      return Fail(Error::Code::kConfig,
                  "the URL has a user name or password (user:password@host); credentials never go in a URL list",
                  where);
    auto u = Url::Parse(url);
    if (!u) return Fail(Error::Code::kConfig, fmt::format("'{}' is not a URL", url), where);
    const std::string scheme = u->Scheme();
    if (scheme != "http" && scheme != "https")
      return Fail(Error::Code::kConfig, fmt::format("'{}' is not an http(s) URL", url), where);
    Probe p;
    p.kind = kind;
    p.url = url;
    p.host = u->HostPort();
    p.wiki = p.host;
    p.query = u->Query();
    std::string_view q = p.query;
    while (!q.empty()) {
      const size_t amp = q.find('&');
      std::string_view kv = q.substr(0, amp);
      q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
      if (kv.empty()) continue;
      const size_t eq = kv.find('=');
      p.params.emplace_back(Unescape(kv.substr(0, eq)), eq == std::string_view::npos ? "" : Unescape(kv.substr(eq + 1)));
    }
    std::sort(p.params.begin(), p.params.end());
    p.id = ProbeId(p.wiki, kind, u->Path() + "?" + p.query);
    if (ids.contains(p.id)) p.id = ProbeId(p.wiki, kind, fmt::format("{}#{}", p.url, line_no));
    p.expect_user = expect_user;
    p.tier = 1;
    out.push_back(std::move(p));
    ids.insert(out.back().id);  // `out` never reallocates (reserved above)
  }
  return out;
}

}  // namespace bc
