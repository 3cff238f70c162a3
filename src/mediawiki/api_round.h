// Rounds of api.php GET requests through the Engine, polite to Wikimedia.
// The Engine adds maxlag=5 to every Request.api call (EngineOptions::
// maxlag_seconds) and retries header-flagged maxlag errors within its
// `retries`. This layer is the second line: an answer that is still the API's
// maxlag error (HTTP 200 with error.code "maxlag" in the body, or the
// MediaWiki-API-Error: maxlag header once the Engine's retries are used up)
// is a delay, not a failure: the request is sent again after Retry-After
// seconds (capped), a few times.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/targets.h"
#include "core/error.h"
#include "engine/engine.h"
#include "plan/probe.h"

namespace bc {

// One api.php GET: the wiki's api.php with `params` plus format=json and
// formatversion=2 (the canonical query order: sorted by key; the Engine
// appends maxlag).
struct ApiCall {
  std::string key;     // caller's name for the answer (e.g. a dbname)
  Wiki wiki;           // where api.php lives (url + script_path)
  Params params;       // e.g. {{"action","query"},{"meta","siteinfo"}}
  std::string script = "api.php";  // another script (index.php) gets `params` as they are, no maxlag
};

// The full, sorted parameter list of a call (params + format, formatversion).
Params ApiParams(const Params& params);

// True when an answer is the API's maxlag error. Pure.
bool IsMaxlagAnswer(std::string_view body, const std::vector<std::pair<std::string, std::string>>& headers);

// The delay before re-sending a maxlag answer: Retry-After when present and
// parseable (delta seconds), else 5 s; at most `cap`. Pure.
std::chrono::milliseconds MaxlagDelay(const std::vector<std::pair<std::string, std::string>>& headers,
                                      std::chrono::milliseconds cap);

struct ApiAnswer {
  std::string key;
  std::string url;        // the URL fetched (maxlag included)
  std::string host;
  Response response;      // the last attempt's response (body kept)
  int maxlag_waits = 0;   // how many times a maxlag answer made us wait
};

// How the waiting is done; tests inject a no-op to keep them instant.
using Sleeper = std::function<void(std::chrono::milliseconds)>;

// Runs every call concurrently through `engine` (no cookies), re-sending
// maxlag answers up to `max_waits` times each. Returns one answer per call,
// in call order. An Error only when a URL cannot be built or the Engine could
// not run at all.
Result<std::vector<ApiAnswer>> RunApiCalls(Engine& engine, const std::vector<ApiCall>& calls,
                                           std::chrono::milliseconds wait_cap, int max_waits = 3,
                                           const Sleeper& sleep = {});

}  // namespace bc
