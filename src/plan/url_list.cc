#include "plan/url_list.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <set>

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

// The ids given so far, as positions in `probes` in an open-addressing
// table: 8 bytes a probe (a std::unordered_set of the ids was ~56).
class IdsSeen {
 public:
  IdsSeen(const std::vector<Probe>& probes, size_t most) : probes_(probes) {
    size_t n = 16;
    while (n < 2 * most) n *= 2;
    slots_.assign(n, kFree);
  }
  bool Contains(std::string_view id) const {
    for (size_t s = Start(id);; s = (s + 1) & (slots_.size() - 1)) {
      if (slots_[s] == kFree) return false;
      if (probes_[slots_[s]].id == id) return true;
    }
  }
  // Adds probes[i]'s id (not already in; at most `most` in all).
  void Add(uint32_t i) {
    size_t s = Start(probes_[i].id);
    while (slots_[s] != kFree) s = (s + 1) & (slots_.size() - 1);
    slots_[s] = i;
  }

 private:
  static constexpr uint32_t kFree = UINT32_MAX;
  size_t Start(std::string_view id) const { return std::hash<std::string_view>{}(id) & (slots_.size() - 1); }
  const std::vector<Probe>& probes_;
  std::vector<uint32_t> slots_;
};

}  // namespace

Result<std::vector<Probe>> ProbesFromUrlList(std::string_view text, const std::string& path, PageKind kind,
                                             const std::string& expect_user) {
  // Memory (bench: 200,000 URLs): the vector is sized once, as a doubling
  // one would hold both its old and new arrays at the peak, and the
  // duplicate check refers to the ids the probes hold (a set of string
  // copies was another ~22 MB).
  std::vector<Probe> out;
  out.reserve(UrlLineCount(text));
  IdsSeen ids(out, out.capacity());
  const InternedString user = expect_user;
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
    const std::string query = u->Query();
    p.query = query;
    Params params;
    std::string_view q = query;
    while (!q.empty()) {
      const size_t amp = q.find('&');
      std::string_view kv = q.substr(0, amp);
      q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
      if (kv.empty()) continue;
      const size_t eq = kv.find('=');
      params.emplace_back(Unescape(kv.substr(0, eq)), eq == std::string_view::npos ? "" : Unescape(kv.substr(eq + 1)));
    }
    std::sort(params.begin(), params.end());
    p.params = params;
    p.id = ProbeId(p.wiki, kind, u->Path() + "?" + query);
    if (ids.Contains(p.id)) p.id = ProbeId(p.wiki, kind, fmt::format("{}#{}", url, line_no));
    p.expect_user = user;
    p.tier = 1;
    out.push_back(p);
    ids.Add(static_cast<uint32_t>(out.size() - 1));
  }
  return out;
}

}  // namespace bc
