// Engine: fetches a batch of requests with one libcurl multi loop and gives
// every request exactly one Response.
//
// Threads: Run() is the I/O loop and runs on the calling thread; that thread
// owns the curl multi handle, every easy handle and every cookie store, and is
// the only one that calls curl. In ClassifyMode::kQueue, classifier worker
// threads (started and joined inside Run) receive finished bodies through one
// moodycamel queue and hand verdicts back through another; they never touch
// curl or the Engine. An Engine is not thread-safe: use it from one thread.
//
// Ownership and lifetime: the Engine owns its multi handle (connection pool,
// DNS cache) and one cookie store per session scope; both live until the
// Engine is destroyed, so a login Run and a later crawl Run share cookies and
// connections. Cookies live in memory only (never a file, never a log line).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "classify/classifier.h"
#include "config/targets.h"
#include "core/error.h"
#include "engine/outcome.h"

namespace bc {

struct EngineOptions {
  // Politeness and limits: concurrency, per_host_concurrency, per_host_rps,
  // connect_timeout_ms, timeout_ms, low_speed_*, retries, backoff_ms,
  // backoff_max_ms, max_body_bytes, deadline_ms, max_redirects, verify_tls,
  // user_agent. See CrawlOptions for each field's default and unit.
  CrawlOptions crawl;

  // How bodies of requests with `classify` set reach the PageClassifier.
  //  kStreaming: each chunk is fed inside curl's write callback (holds only
  //              the classifier's window per transfer).
  //  kQueue: the body is buffered (<= max_body_bytes) and classified by
  //          `classifier_threads` worker threads.
  // Default: kStreaming, the faster one measured here (src/engine/README.md).
  enum class ClassifyMode { kStreaming, kQueue };
  ClassifyMode classify_mode = ClassifyMode::kStreaming;
  int classifier_threads = 2;  // kQueue only; >= 1

  // After the first product failure (IsProductFailure with warnings_fail),
  // start nothing new; unstarted requests get kNotRun "not run: --fail-fast".
  bool fail_fast = false;

  // Offer HTTP/2 over TLS (ALPN) and multiplex a host's transfers on one
  // connection. Plain http is always HTTP/1.1 keep-alive: h2c hits curl issue
  // 10634 in Debian 12's libcurl 7.88.1; h2 over TLS passed here (README.md).
  bool http2 = true;

  // CA bundle file for TLS verification; "" = the system store. For tests
  // against a local server with its own certificate.
  std::string ca_file;

  // maxlag (seconds) added to Request.api calls; 0 = not added.
  int maxlag_seconds = 5;

  // The stop flag (Ctrl-C/TERM) for every Run that is not given its own: the
  // logins and API rounds of a crawl then end within 100 ms of a signal too.
  const std::atomic<bool>* stop = nullptr;

  // Seed for the backoff jitter; 0 = from std::random_device.
  uint64_t seed = 0;
};

struct Request {
  size_t index = 0;          // caller's handle, returned in the Response (e.g. the probe index)
  std::string url;           // absolute http(s) URL
  std::string host;          // scheduling key "host:port"; per-host limits apply to it
  std::string post_fields;   // non-empty => POST application/x-www-form-urlencoded
                             // (retried only when the connection could not be made)
  std::string session;       // cookie scope (a wiki dbname): same scope => one in-memory
                             // cookie store; "" = no cookies at all
  std::optional<Expectations> classify;  // set: the body goes to a PageClassifier and
                                         // outcome.result is its verdict; unset: the body
                                         // is kept (<= max_body_bytes) in Response.body and
                                         // outcome.result is ok unless the transfer failed
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
  size_t index = 0;  // Request.index
  Outcome outcome;   // outcome.probe_index == index
  std::string body;  // only when Request.classify was unset
  std::vector<std::pair<std::string, std::string>> headers;  // of the final response,
                     // only when Request.classify was unset (names lower-cased)
};

struct RunStats {
  size_t requests = 0;     // Responses delivered (== requests given)
  size_t ok = 0;           // verdict ok
  size_t product_failures = 0;
  size_t transport = 0;    // verdict transport (incl. cut off in flight by a stop or the deadline)
  size_t not_run = 0;      // verdict not-run: never started (stop, deadline, --fail-fast)
  size_t retries = 0;      // attempts beyond the first, summed
  size_t redirects = 0;    // redirects followed, summed
  int64_t bytes = 0;       // body bytes received, all attempts
  double seconds = 0;      // wall time of Run
  bool interrupted = false;       // *stop became true
  bool deadline_exceeded = false;
  bool fail_fast_triggered = false;
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
  // (checked at least every 100 ms), every request in flight gets kTransport
  // "interrupted" and every one never started kNotRun "not run: interrupted";
  // at the run deadline the same with "deadline exceeded"; with
  // fail_fast, see EngineOptions. on_done must not call Run and must not throw. An Error only
  // when nothing could be attempted (curl unusable, Run re-entered from
  // on_done); then on_done was not called at all.
  Result<RunStats> Run(const RequestBatch& batch, const std::function<void(Response&&)>& on_done,
                       const std::atomic<bool>* stop = nullptr);
  // The same for requests already in memory (logins, API rounds, tests).
  Result<RunStats> Run(std::vector<Request> requests, const std::function<void(Response&&)>& on_done,
                       const std::atomic<bool>* stop = nullptr);

  // Forgets a scope's cookies (before a re-login). Not during Run.
  void ClearSession(const std::string& scope);
  // Names of the cookies a scope holds, never their values (repro commands).
  std::vector<std::string> CookieNames(const std::string& scope) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bc
