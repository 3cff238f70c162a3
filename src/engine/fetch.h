// Fetch: what the engine knows of one request when it ends: transport facts
// only (status, URLs, timings, bytes). The verdict on the page is not the
// engine's: the crawl's body sink (classify/) decides it (classify/outcome.h).
#pragma once

#include <cstdint>
#include <string>

namespace bc {

struct Timings {  // seconds, from curl's CURLINFO_*_TIME_T, plus our own queue time
  double queue = 0;       // planned -> handed to curl (scheduler delays, Retry-After, backoff)
  double connect = 0;     // TCP connect done
  double tls = 0;         // TLS handshake done (0 for http)
  double first_byte = 0;  // first response byte
  double total = 0;       // last byte of the last attempt
};

struct Fetch {
  long http_status = 0;        // of the final response; 0 when none arrived
  std::string final_url;       // after redirects; equals the request URL when none
  int redirects = 0;           // redirects followed (same host only)
  std::string redirect_location;  // a 3xx Location NOT followed (another host, from a POST,
                                  // or past max_redirects); "" when none. The verdict then comes
                                  // from the 3xx response itself.
  int http_version = 0;        // of the final response: 11 = HTTP/1.1, 20 = HTTP/2; 0 when none
  int retries = 0;             // attempts beyond the first
  int64_t bytes = 0;           // decoded body bytes received on the final attempt
  std::string transport_error; // why the transfer failed (curl's text, "interrupted", ...); "" when it did not
  Timings timings;
  int64_t finished_unix_ms = 0;  // wall clock when the request ended
};

}  // namespace bc
