#include "engine/http_util.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>

#include "core/url.h"

namespace bc {
namespace {

std::string_view Trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n'))
    v.remove_suffix(1);
  return v;
}

}  // namespace

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, std::time_t now_unix) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    long long secs = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), secs);
    if (ec != std::errc() || ptr != value.data() + value.size()) {
      secs = 365LL * 24 * 3600;  // absurdly large: the caller caps it anyway
    }
    return std::chrono::seconds(secs);
  }
  const std::string date(value);
  const time_t when = curl_getdate(date.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::chrono::seconds(when > now_unix ? when - now_unix : 0);
}

std::optional<std::string> ResolveLocation(const std::string& base, const std::string& location) {
  auto from = Url::Parse(base);
  if (!from) return std::nullopt;
  auto to = from->Resolve(location);
  if (!to) return std::nullopt;
  const std::string scheme = to->Scheme();
  if (scheme != "http" && scheme != "https") return std::nullopt;
  // A Location with user:password@ would make libcurl send credentials we
  // never configured (Authorization: Basic): never followed.
  if (to->HasUserOrPassword()) return std::nullopt;
  return to->Text();
}

std::string OriginOf(const std::string& url) {
  auto u = Url::Parse(url);
  return u ? u->Origin() : std::string();
}

bool HttpsUpgrade(const std::string& from, const std::string& to) {
  const std::string a = OriginOf(from);
  const std::string b = OriginOf(to);
  if (!a.starts_with("http://") || !b.starts_with("https://")) return false;
  // "scheme://host:port": the hosts must match, the ports may not.
  const std::string host_a = a.substr(7, a.rfind(':') - 7);
  const std::string host_b = b.substr(8, b.rfind(':') - 8);
  return host_a == host_b;
}

bool SameOrigin(const std::string& a, const std::string& b) {
  const std::string oa = OriginOf(a);
  return !oa.empty() && oa == OriginOf(b);
}

}  // namespace bc
