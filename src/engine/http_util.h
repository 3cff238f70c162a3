// Small HTTP helpers the engine needs and tests check without a network:
// Retry-After parsing, Location resolution, same-origin checks. Built on
// core/url.h (libcurl's URL API) and curl_getdate; pure otherwise (callers
// pass the time).
#pragma once

#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace bc {

// Retry-After: delta-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015
// 07:28:00 GMT"), relative to `now_unix` (seconds since the epoch). A date in
// the past gives zero. nullopt when the value is neither.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, std::time_t now_unix);

// Resolves a Location header value against the URL it came from (relative
// references allowed). nullopt when it is not a usable http(s) URL.
std::optional<std::string> ResolveLocation(const std::string& base, const std::string& location);

// "scheme://host:port" with the default port filled in and host lower-cased;
// "" for an unparsable URL.
std::string OriginOf(const std::string& url);

// Both URLs parse and have the same scheme, host and port.
bool SameOrigin(const std::string& a, const std::string& b);

// `to` is `from`'s host over https while `from` is plain http (any ports): the
// one cross-origin redirect the engine follows, as a server answers
// http://wiki/... with 301 to https://wiki/.... Never https -> http.
bool HttpsUpgrade(const std::string& from, const std::string& to);

}  // namespace bc
