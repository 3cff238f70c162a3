#include "engine/http_util.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>

namespace bc {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlPtr = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlStr {  // owns a string curl_url_get allocated
  char* p = nullptr;
  ~CurlStr() { curl_free(p); }
};

std::optional<std::string> Part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  CurlStr s;
  if (curl_url_get(u, part, &s.p, flags) != CURLUE_OK || s.p == nullptr) return std::nullopt;
  return std::string(s.p);
}

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
  UrlPtr u(curl_url());
  if (!u) return std::nullopt;
  if (curl_url_set(u.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK) return std::nullopt;
  // With a URL already set, a relative reference is resolved against it.
  if (curl_url_set(u.get(), CURLUPART_URL, location.c_str(), 0) != CURLUE_OK) return std::nullopt;
  auto scheme = Part(u.get(), CURLUPART_SCHEME);
  if (!scheme || (*scheme != "http" && *scheme != "https")) return std::nullopt;
  // A Location with user:password@ would make libcurl send credentials we
  // never configured (Authorization: Basic): never followed.
  if (Part(u.get(), CURLUPART_USER) || Part(u.get(), CURLUPART_PASSWORD)) return std::nullopt;
  return Part(u.get(), CURLUPART_URL);
}

std::string OriginOf(const std::string& url) {
  UrlPtr u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return {};
  auto scheme = Part(u.get(), CURLUPART_SCHEME);
  auto host = Part(u.get(), CURLUPART_HOST);
  auto port = Part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!scheme || !host || !port) return {};
  std::string h = *host;
  std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return *scheme + "://" + h + ":" + *port;
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
