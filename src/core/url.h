// One URL, parsed by libcurl's URL API (curl_url): the only place the
// crawler parses or builds URLs (targets, --urls lists, plan URLs, redirects,
// SiteMatrix answers), so every part agrees with what libcurl will request.
//
// A Url owns its CURLU handle (move-only). Parse errors are values naming
// libcurl's reason; a part the URL does not have is nullopt (Find) or ""
// (the named getters).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/error.h"

typedef struct Curl_URL CURLU;  // <curl/urlapi.h>

namespace bc {

class Url {
 public:
  // An absolute URL with a scheme. kUsage "not a URL (REASON)" otherwise.
  static Result<Url> Parse(const std::string& text);

  Url(Url&&) noexcept;
  Url& operator=(Url&&) noexcept;
  ~Url();

  // `reference` resolved against this URL (a relative reference allowed), as
  // a browser follows a Location header.
  Result<Url> Resolve(const std::string& reference) const;

  std::string Text() const;    // the whole URL, normalised by libcurl
  std::string Scheme() const;  // lower case: "https"
  std::string Host() const;    // as written ("[::1]" for IPv6)
  std::string Port() const;    // the default port of the scheme when none is written
  std::string Path() const;    // "/w/index.php"; "/" at least
  std::string Query() const;   // without '?'; "" when none
  bool HasUserOrPassword() const;
  // "host:port" (Port's default filled in): a connection's key.
  std::string HostPort() const { return Host() + ":" + Port(); }
  // "scheme://host:port" with the host lower-cased and the default port
  // filled in: two URLs with the same Origin are the same origin.
  std::string Origin() const;

  // Appends "key=value" to the query, URL-encoding both (CURLU_URLENCODE).
  Result<void> AppendQuery(const std::string& key_value);

 private:
  struct Free {
    void operator()(CURLU* u) const;
  };
  explicit Url(std::unique_ptr<CURLU, Free> u) : u_(std::move(u)) {}
  std::optional<std::string> Find(int part, unsigned flags = 0) const;

  std::unique_ptr<CURLU, Free> u_;
};

}  // namespace bc
