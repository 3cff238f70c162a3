#include "core/url.h"

#include <curl/curl.h>

#include "core/text.h"

namespace bc {

void Url::Free::operator()(CURLU* u) const { curl_url_cleanup(u); }

Url::Url(Url&&) noexcept = default;
Url& Url::operator=(Url&&) noexcept = default;
Url::~Url() = default;

Result<Url> Url::Parse(const std::string& text) {
  std::unique_ptr<CURLU, Free> u(curl_url());
  if (!u) return Fail(Error::Code::kInternal, "curl_url() failed");
  if (const CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0); rc != CURLUE_OK)
    return Fail(Error::Code::kUsage, std::string("not a URL (") + curl_url_strerror(rc) + ")");
  return Url(std::move(u));
}

Result<Url> Url::Resolve(const std::string& reference) const {
  std::unique_ptr<CURLU, Free> u(curl_url_dup(u_.get()));
  if (!u) return Fail(Error::Code::kInternal, "curl_url_dup() failed");
  // With a URL already set, a relative reference is resolved against it.
  if (const CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, reference.c_str(), 0); rc != CURLUE_OK)
    return Fail(Error::Code::kUsage, std::string("not a URL (") + curl_url_strerror(rc) + ")");
  return Url(std::move(u));
}

std::optional<std::string> Url::Find(int part, unsigned flags) const {
  char* raw = nullptr;
  if (curl_url_get(u_.get(), static_cast<CURLUPart>(part), &raw, flags) != CURLUE_OK || raw == nullptr) {
    curl_free(raw);
    return std::nullopt;
  }
  std::string out(raw);
  curl_free(raw);
  return out;
}

std::string Url::Text() const { return Find(CURLUPART_URL).value_or(""); }
std::string Url::Scheme() const { return Find(CURLUPART_SCHEME).value_or(""); }
std::string Url::Host() const { return Find(CURLUPART_HOST).value_or(""); }
std::string Url::Port() const { return Find(CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or(""); }
std::string Url::Path() const { return Find(CURLUPART_PATH).value_or(""); }
std::string Url::Query() const { return Find(CURLUPART_QUERY).value_or(""); }
bool Url::HasUserOrPassword() const { return Find(CURLUPART_USER) || Find(CURLUPART_PASSWORD); }

std::string Url::Origin() const {
  const std::string scheme = Scheme(), host = Host(), port = Port();
  if (scheme.empty() || host.empty() || port.empty()) return {};
  return scheme + "://" + AsciiLower(host) + ":" + port;
}

Result<void> Url::AppendQuery(const std::string& key_value) {
  if (const CURLUcode rc = curl_url_set(u_.get(), CURLUPART_QUERY, key_value.c_str(), CURLU_APPENDQUERY | CURLU_URLENCODE);
      rc != CURLUE_OK)
    return Fail(Error::Code::kUsage, std::string("cannot add '") + key_value + "' to the query (" + curl_url_strerror(rc) + ")");
  return {};
}

}  // namespace bc
