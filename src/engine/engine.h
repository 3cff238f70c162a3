// Engine: fetches a batch of requests with one libcurl multi loop and gives
// every request exactly one Response. It knows HTTP (retries, redirects,
// cookies, limits), not pages: a request's body goes to the BodySink its
// factory makes (the crawl supplies the classifier), or is kept in the
// Response. engine/ includes nothing from classify/ or config/.
//
// Threads: Run() is the I/O loop and runs on the calling thread; that thread
// owns the curl multi handle, every easy handle, every cookie store and every
// BodySink, and is the only one that calls curl, the sinks and on_done. An
// Engine is not thread-safe: use it from one thread.
//
// Ownership and lifetime: the Engine owns its multi handle (connection pool,
// DNS cache) and one cookie store per session scope; both live until the
// Engine is destroyed, so a login Run and a later crawl Run share cookies and
// connections. Cookies live in memory only (never a file, never a log line).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.h"
#include "engine/fetch.h"

namespace bc {

using Headers = std::vector<std::pair<std::string, std::string>>;  // names lower-cased

// Response::cause of a request the server kept refusing with 429 (Too Many
// Requests) until the deadline or EngineOptions::throttle_wait_max_ms.
inline constexpr std::string_view kThrottledCause = "throttled";

// The engine's own settings. Plain values: whoever builds an Engine maps its
// configuration onto this (config/engine_options.h does it for [crawl]).
struct EngineOptions {
  std::string user_agent;             // sent on every request
  int concurrency = 32;               // transfers in flight across all hosts
  int per_host_concurrency = 8;       // transfers in flight per host:port
  double per_host_rps = 0;            // request starts per second per host; 0 = no limit
  int64_t connect_timeout_ms = 5000;  // TCP+TLS connect, per attempt
  int64_t timeout_ms = 60000;         // whole transfer, per attempt
  int64_t low_speed_bytes = 1;        // abort when below this many bytes/s ...
  int64_t low_speed_time_ms = 15000;  // ... for this long (stalled body)
  int retries = 2;                    // extra attempts (GET: 429/502/503/504/connect/reset/timeout);
                                      // a wait the server asked for does not use one up (below)
  int64_t backoff_ms = 500;           // first backoff; doubles per retry, with jitter
  int64_t backoff_max_ms = 30000;     // our own backoff is capped at this (and a 502/504's Retry-After)
  // A 429, a 503 or a maxlag answer with Retry-After (or maxlag's own 5 s) is
  // the server asking us to wait: the request is tried again after the whole
  // wait (no cap below it; the host pauses meanwhile), without using up
  // `retries`, until the run's deadline (the wait would pass it) or until one
  // request has waited this long in total (each wait is at least backoff_ms,
  // so "Retry-After: 0" cannot spin). Then it ends with that answer: a
  // 429 kFailed with cause kThrottledCause, a 503 kAnswered (its page judged).
  int64_t throttle_wait_max_ms = 600000;
  int64_t max_body_bytes = 16 << 20;  // a larger body aborts the transfer (kFailed "body too large")
  int max_redirects = 5;              // same-origin redirects followed per request
  bool verify_tls = true;

  // Offer HTTP/2 over TLS (ALPN) and multiplex a host's transfers on one
  // connection. Plain http is always HTTP/1.1 keep-alive: h2c hits curl issue
  // 10634 in Debian 12's libcurl 7.88.1; h2 over TLS passed here (README.md).
  bool http2 = true;

  // CA bundle file for TLS verification; "" = the system store. For tests
  // against a local server with its own certificate, and [crawl] ca_file.
  std::string ca_file;

  // "HOST:PORT:ADDR[,ADDR...]" entries handed to libcurl (CURLOPT_RESOLVE):
  // connections to HOST:PORT go to ADDR; URLs, Host, SNI and the certificate
  // check keep HOST. Checked by the caller (config's CheckResolveEntry).
  std::vector<std::string> resolve;

  // maxlag (seconds) added to Request.api calls; 0 = not added.
  int maxlag_seconds = 5;

  // The run's stop flag (Ctrl-C/TERM) for every Run not given its own, and
  // the run's deadline for every Run: one run, one deadline, however many
  // Runs (discovery, logins, crawl, re-logins, re-fetch) it takes. At either,
  // transfers in flight end kFailed ("interrupted" / "deadline exceeded") and
  // unstarted requests kNotRun.
  const std::atomic<bool>* stop = nullptr;
  std::optional<std::chrono::steady_clock::time_point> deadline;

  // Seed for the backoff jitter; 0 = from std::random_device.
  uint64_t seed = 0;
};

// The status line and headers of the response whose body is about to arrive.
struct ResponseHead {
  long status = 0;
  const Headers& headers;
  std::string_view url;  // the URL this response came from (after followed redirects)
  int redirects = 0;     // redirects followed before it
};

// Receives one attempt's body, chunk by chunk, inside curl's write callback
// on the I/O thread: it must be quick (it holds up every transfer) and must
// not call the Engine. A throw (std::exception) ends the transfer kFailed
// "body sink failed: WHAT", not retried. A 3xx body with a Location is never
// given to a sink.
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual void Feed(std::string_view chunk) = 0;
};
// Makes the sink of one attempt, at its first body byte. Each attempt
// (retry, followed redirect) gets a fresh sink; the Response carries the last.
using BodySinkFactory = std::function<std::unique_ptr<BodySink>(const ResponseHead&)>;

struct Request {
  size_t index = 0;          // caller's handle, returned in the Response (e.g. the probe index)
  std::string url;           // absolute http(s) URL
  std::string host;          // scheduling key "host:port"; per-host limits apply to it
  std::string post_fields;   // non-empty => POST application/x-www-form-urlencoded
                             // (retried only when the connection could not be made)
  std::string content_type;  // with post_fields: its Content-Type instead of the form's
                             // (a webhook's "application/json"); "" = the form
  std::string session;       // cookie scope (a wiki dbname): same scope => one in-memory
                             // cookie store; "" = no cookies at all
  BodySinkFactory sink;      // set: the body goes to the sinks it makes, Response.body stays
                             // empty; unset: the body is kept (<= max_body_bytes) in Response.body
  int tier = 1;              // 0 = smoke tier: scheduled before every tier-1 request
  bool api = false;          // api.php call: maxlag=<EngineOptions::maxlag_seconds> is added
                             // (query for GET, form field for POST), and a maxlag error
                             // (MediaWiki-API-Error: maxlag / X-Database-Lag) is retried after
                             // its Retry-After like a 503, also for a POST (it was not executed)
};

// A batch of requests made on demand. A Run asks for request i (0..size-1)
// only when it is about to start it (or must end it unstarted), and forgets
// it when it is done, so the engine holds the requests in flight, not the
// batch: memory stays flat in the number of probes (issue 3's target).
struct RequestBatch {
  struct Slot {
    std::string_view host;  // Request.host of request i
    int tier = 1;           // Request.tier of request i
  };
  size_t size = 0;
  std::function<Slot(size_t i)> slot;     // called once per i when the Run begins
  std::function<Request(size_t i)> make;  // called at most once per i, when it starts
                                          // (the result must match slot(i))
};

struct Response {
  enum class End {
    kAnswered,  // a final response arrived (any status; a 3xx not followed too)
    kFailed,    // no usable response: transport error, body too large, sink threw, still
                // throttled (429: cause kThrottledCause), or cut off in flight (stop, deadline)
    kNotRun,    // never attempted (stop, deadline, on_done's Next::StopStarting)
  };
  size_t index = 0;   // Request.index
  End end = End::kAnswered;
  std::string cause;  // kFailed: a short, groupable name ("Timeout was reached", "body too large",
                      // "HTTP 429 Too Many Requests", "interrupted", ...; the full text is
                      // fetch.transport_error); kNotRun: why it did not run; "" for kAnswered
  Fetch fetch;
  Headers headers;    // of the final response; empty when none arrived
  std::string body;   // only when Request.sink was unset
  std::shared_ptr<BodySink> sink;  // the final response's sink (Request.sink set and a body
                                   // began); null otherwise, e.g. an empty body or a 3xx.
                                   // Shared only so that a Response stays copyable.
  bool answered() const { return end == End::kAnswered; }
};

// What on_done answers: go on, or start nothing new. Requests in flight still
// finish; every request not yet started ends kNotRun with `reason`
// (the crawl's --fail-fast).
struct Next {
  bool stop_starting = false;
  std::string reason;
  static Next GoOn() { return {}; }
  static Next StopStarting(std::string why) { return {true, std::move(why)}; }
};
using OnDone = std::function<Next(Response&&)>;

struct RunStats {
  size_t requests = 0;     // Responses delivered (== requests given)
  size_t answered = 0;     // End::kAnswered
  size_t failed = 0;       // End::kFailed (incl. cut off in flight by a stop or the deadline)
  size_t not_run = 0;      // End::kNotRun
  size_t retries = 0;      // attempts beyond the first, summed
  size_t redirects = 0;    // redirects followed, summed
  int64_t bytes = 0;       // body bytes received, all attempts
  double seconds = 0;      // wall time of Run
  bool interrupted = false;       // *stop became true
  bool deadline_exceeded = false;
  bool stopped_starting = false;  // on_done answered Next::StopStarting
};

class Engine {
 public:
  // Never throws. If curl cannot be set up, every Run returns kNetwork.
  explicit Engine(const EngineOptions& options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Runs every request to completion on the calling thread, calling on_done
  // exactly once per request, on the calling thread, as each finishes (in
  // completion order). Returns when all are done; when *stop becomes true
  // (checked at least every 100 ms, during Retry-After and backoff waits
  // too), every request in flight ends kFailed "interrupted" and every one
  // never started kNotRun "interrupted"; at the deadline the same with
  // "deadline exceeded". on_done must not call Run and must not throw. An
  // Error only when nothing could be attempted (curl unusable, Run re-entered
  // from on_done); then on_done was not called at all.
  Result<RunStats> Run(const RequestBatch& batch, const OnDone& on_done, const std::atomic<bool>* stop = nullptr);
  // The same for requests already in memory (logins, API rounds, tests).
  Result<RunStats> Run(std::vector<Request> requests, const OnDone& on_done, const std::atomic<bool>* stop = nullptr);
  // An on_done that never stops the run may return nothing.
  template <class F>
    requires std::is_void_v<std::invoke_result_t<F&, Response&&>>
  Result<RunStats> Run(std::vector<Request> requests, F&& on_done, const std::atomic<bool>* stop = nullptr) {
    return Run(std::move(requests), OnDone([&on_done](Response&& r) {
                 on_done(std::move(r));
                 return Next::GoOn();
               }),
               stop);
  }

  // Waits `d` (a maxlag delay outside a Run), ending early at the stop flag
  // (checked every 100 ms) or the deadline. False when cut short.
  bool Sleep(std::chrono::milliseconds d) const;

  // Forgets a scope's cookies (before a re-login). Not during Run.
  void ClearSession(const std::string& scope);
  // Names of the cookies a scope holds, never their values (repro commands).
  std::vector<std::string> CookieNames(const std::string& scope) const;
  // Copies into scope `to` the domain cookies of scope `from` that would be
  // sent to `host` (set with a Domain attribute that `host` is under:
  // CentralAuth's central login cookies on .wikipedia.beta.wmcloud.org reach
  // fr.wikipedia.beta.wmcloud.org, not commons.wikimedia.beta.wmcloud.org).
  // Host-only cookies stay where they are. Returns how many `to` did not hold
  // with the same value (0: nothing new for `host`). Not during Run.
  size_t CopyDomainCookies(const std::string& from, const std::string& to, std::string_view host);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bc
