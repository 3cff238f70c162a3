#include "engine/engine.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <map>
#include <random>
#include <thread>
#include <unordered_map>
#include <utility>

#include "core/redact.h"
#include "engine/http_util.h"
#include "engine/scheduler.h"
#include "core/plural.h"
#include "core/text.h"

namespace bc {
namespace {

// libcurl's receive buffer per transfer (CURLOPT_BUFFERSIZE).
constexpr long kReceiveBufferBytes = 100 * 1024;

using Clock = std::chrono::steady_clock;

struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
struct EasyDeleter {
  void operator()(CURL* e) const { curl_easy_cleanup(e); }
};
struct ShareDeleter {
  void operator()(CURLSH* s) const { curl_share_cleanup(s); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using MultiPtr = std::unique_ptr<CURLM, MultiDeleter>;
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
using SharePtr = std::unique_ptr<CURLSH, ShareDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

// Failures worth another attempt for a GET: the server or the path hiccuped.
bool RetryableGet(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool RetryableStatus(long status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

double Seconds(curl_off_t micros) { return static_cast<double>(micros) / 1e6; }

int64_t UnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const std::string* FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers)
    if (n == name) return &v;
  return nullptr;
}

}  // namespace

struct Engine::Impl {
  // One attempt of one job: lives from curl_multi_add_handle to the reap.
  struct Transfer {
    Impl* impl = nullptr;
    size_t job = 0;
    EasyPtr easy;
    SlistPtr request_headers;
    char error[CURL_ERROR_SIZE] = {};
    long status = 0;          // of the latest response (ReadHead)
    Headers headers;          // of the latest response, names lower-cased (ReadHead)
    bool body_started = false;
    bool discard = false;     // a 3xx body with a Location: never given to a sink, never kept
    bool too_big = false;
    std::string sink_error;   // set when the sink threw
    int64_t bytes = 0;        // decoded body bytes of this attempt
    std::unique_ptr<BodySink> sink;  // Request.sink's, made at the first body byte
    std::string body;         // requests without a sink
  };

  // A request from its first start (or its unstarted end) to its Response.
  struct Job {
    Request req;           // req.url is the current URL: replaced by each followed redirect
    int redirects = 0;
    Clock::duration throttle_waited{};  // server-asked waits so far (EngineOptions::throttle_wait_max_ms)
    std::unique_ptr<Transfer> transfer;  // the attempt in curl; null between attempts
  };

  // Job `id`, made from the batch the first time it is needed.
  Job& JobAt(size_t id) {
    auto [it, made] = jobs.try_emplace(id);
    if (made) {
      it->second.req = batch->make(id);
      AddMaxlag(it->second.req);
    }
    return it->second;
  }

  void AddMaxlag(Request& req) const {
    if (!req.api || options.maxlag_seconds <= 0) return;
    const std::string param = "maxlag=" + std::to_string(options.maxlag_seconds);
    if (req.post_fields.empty()) {
      req.url += req.url.find('?') == std::string::npos ? "?" : "&";
      req.url += param;
    } else {
      req.post_fields += "&" + param;
    }
  }

  explicit Impl(const EngineOptions& o) : options(o) {
    init_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (init_ok) multi.reset(curl_multi_init());
    if (multi) {
      // Keep enough idle connections for every slot, so keep-alive survives
      // between batches; the per-host limits are the scheduler's, not curl's.
      curl_multi_setopt(multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(std::max(4, o.concurrency)));
    }
    for (const std::string& entry : o.resolve) {
      curl_slist* grown = curl_slist_append(resolve_list.get(), entry.c_str());
      if (grown) {
        (void)resolve_list.release();  // curl_slist_append returned the (same) head
        resolve_list.reset(grown);
      }
    }
  }
  ~Impl() {
    jobs.clear();
    shares.clear();
    multi.reset();
    if (init_ok) curl_global_cleanup();
  }

  // --- cookie scopes -------------------------------------------------------
  CURLSH* Share(const std::string& scope) {
    auto it = shares.find(scope);
    if (it != shares.end()) return it->second.get();
    SharePtr share(curl_share_init());
    if (!share) return nullptr;
    curl_share_setopt(share.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_COOKIE);
    CURLSH* raw = share.get();
    shares.emplace(scope, std::move(share));
    return raw;
  }

  // --- curl callbacks (thin: cast, call a member) ---------------------------
  static size_t WriteCallback(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    return t->impl->OnBody(*t, std::string_view(data, size * count));
  }
  // The status and headers of the transfer's latest response, read from
  // curl (CURLINFO_RESPONSE_CODE, curl_easy_nextheader) rather than parsed
  // from header lines: at the first body byte (for the sink) and when the
  // transfer ends. 1xx responses are not included; names are lower-cased.
  void ReadHead(Transfer& t) {
    long status = 0;
    curl_easy_getinfo(t.easy.get(), CURLINFO_RESPONSE_CODE, &status);
    t.status = status;
    t.headers.clear();
    const bool has_session = !JobAt(t.job).req.session.empty();
    for (curl_header* h = nullptr; (h = curl_easy_nextheader(t.easy.get(), CURLH_HEADER, -1, h)) != nullptr;) {
      std::string name(h->name);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      // A session cookie is a secret from the moment it arrives
      // (core/redact.h): this very page may echo it.
      if (has_session && name == "set-cookie") RegisterSetCookieHeader(h->value);
      t.headers.emplace_back(std::move(name), std::string(h->value));
    }
  }

  size_t OnBody(Transfer& t, std::string_view chunk) {
    Job& job = JobAt(t.job);
    if (!t.body_started) {
      t.body_started = true;
      ReadHead(t);
      // A 3xx body is never judged: either we follow the Location, or the
      // verdict comes from the status and Location alone.
      t.discard = t.status >= 300 && t.status < 400 && FindHeader(t.headers, "location") != nullptr;
    }
    t.bytes += static_cast<int64_t>(chunk.size());
    if (t.bytes > options.max_body_bytes) {
      t.too_big = true;
      return 0;  // anything but chunk.size() makes curl abort with CURLE_WRITE_ERROR
    }
    if (t.discard) return chunk.size();
    if (!job.req.sink) {
      t.body.append(chunk);
      return chunk.size();
    }
    // No exception may cross curl's C frames: a throwing sink ends this
    // transfer kFailed instead.
    try {
      if (!t.sink) t.sink = job.req.sink(ResponseHead{t.status, t.headers, job.req.url, job.redirects});
      if (t.sink) t.sink->Feed(chunk);
    } catch (const std::exception& ex) {
      t.sink_error = std::string("body sink failed: ") + ex.what();
      return 0;
    }
    return chunk.size();
  }

  // --- starting a transfer --------------------------------------------------
  // Hands job `id` to curl. Only for jobs the scheduler just started (or a
  // redirect of a job that still holds its slot).
  void StartTransfer(size_t id) {
    Job& job = JobAt(id);
    auto t = std::make_unique<Transfer>();
    t->impl = this;
    t->job = id;
    t->easy.reset(curl_easy_init());
    if (!t->easy) {
      scheduler->Finished(id);
      EndFailed(id, "curl_easy_init failed");
      return;
    }
    CURL* e = t->easy.get();
    const EngineOptions& c = options;
    curl_easy_setopt(e, CURLOPT_URL, job.req.url.c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::WriteCallback);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are ours (same origin only)
    // Credentials are only what we send ourselves (a form post, cookies):
    // never user:password@ from a URL, never a .netrc, never re-sent to
    // another host (belt and braces: ResolveLocation refuses such redirects).
    curl_easy_setopt(e, CURLOPT_DISALLOW_USERNAME_IN_URL, 1L);
    curl_easy_setopt(e, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED));
    curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, c.user_agent.c_str());
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // every encoding this libcurl decodes
    // The curl tool's receive buffer (100 KB, tool_operate.c), not libcurl's
    // 16 KB default: a 185 KB page then takes 2 reads, write callbacks and
    // poll rounds instead of 12 (bench/RESULTS.md: CPU per page).
    curl_easy_setopt(e, CURLOPT_BUFFERSIZE, kReceiveBufferBytes);
    curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, 300L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(c.connect_timeout_ms));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(c.timeout_ms));
    if (c.low_speed_bytes > 0 && c.low_speed_time_ms > 0) {
      curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(c.low_speed_bytes));
      curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, static_cast<long>(std::max<int64_t>(1, (c.low_speed_time_ms + 999) / 1000)));
    }
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, c.verify_tls ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, c.verify_tls ? 2L : 0L);
    if (!options.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options.ca_file.c_str());
    if (resolve_list) curl_easy_setopt(e, CURLOPT_RESOLVE, resolve_list.get());
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
                     options.http2 ? static_cast<long>(CURL_HTTP_VERSION_2TLS) : static_cast<long>(CURL_HTTP_VERSION_1_1));
    // With HTTP/2, wait for the first connection's ALPN answer and multiplex
    // on it rather than opening one connection per transfer. Only for https:
    // plain http is HTTP/1.1 here, and PIPEWAIT there made curl hold every
    // further transfer to a host until one of its connections had answered
    // (a stalled host then ran one transfer at a time, and timeouts ran out in
    // curl's own queue with misleading errors; tests/faults found it).
    if (options.http2 && job.req.url.starts_with("https:")) curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    if (!job.req.session.empty()) {
      if (CURLSH* share = Share(job.req.session)) {
        curl_easy_setopt(e, CURLOPT_SHARE, share);
        curl_easy_setopt(e, CURLOPT_COOKIEFILE, "");  // cookie engine on, in memory only
      }
    }
    if (!job.req.post_fields.empty()) {
      // The Job outlives the transfer, so curl may point at its buffer.
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, job.req.post_fields.c_str());
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(job.req.post_fields.size()));
      // No "Expect: 100-continue" round trip for a form post.
      t->request_headers.reset(curl_slist_append(nullptr, "Expect:"));
      // Appending to a non-empty list keeps its head (on failure the list is unchanged).
      if (!job.req.content_type.empty() && t->request_headers)
        curl_slist_append(t->request_headers.get(), ("Content-Type: " + job.req.content_type).c_str());
      curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->request_headers.get());
    }
    if (curl_multi_add_handle(multi.get(), e) != CURLM_OK) {
      scheduler->Finished(id);
      EndFailed(id, "curl_multi_add_handle failed");
      return;
    }
    job.transfer = std::move(t);
    ++active;
  }

  // --- finishing ------------------------------------------------------------
  // Ends job `id` kFailed with `cause` (also its transport_error unless given).
  void EndFailed(size_t id, const std::string& cause, Fetch fetch = {}, std::string text = {}) {
    fetch.transport_error = text.empty() ? cause : std::move(text);
    Response r;
    r.end = Response::End::kFailed;
    r.cause = cause;
    r.fetch = std::move(fetch);
    Complete(id, std::move(r));
  }

  // Ends a job the scheduler handed back unstarted (Drain): never attempted
  // => not run; waiting for a retry => its attempts failed, so kFailed with
  // the reason it stopped.
  void EndUnstarted(size_t id, const std::string& reason) {
    JobAt(id);
    if (scheduler->Attempts(id) > 0) {
      EndFailed(id, reason);
      return;
    }
    Response r;
    r.end = Response::End::kNotRun;
    r.cause = reason;
    Complete(id, std::move(r));
  }

  // Delivers job `id`'s one Response. Every path that ends a job goes here.
  void Complete(size_t id, Response r) {
    if (done[id]) return;  // cannot happen; the guard keeps "exactly once" even if it did
    done[id] = true;
    --remaining;
    Job& job = JobAt(id);
    r.index = job.req.index;
    Fetch& f = r.fetch;
    if (f.final_url.empty()) f.final_url = job.req.url;
    if (r.end != Response::End::kNotRun) f.redirects = job.redirects;
    f.retries = std::max(0, scheduler->Attempts(id) - 1);
    f.timings.queue = std::chrono::duration<double>(scheduler->Waited(id)).count();
    f.finished_unix_ms = UnixMs();
    scheduler->Forget(id);  // the job is over: the scheduler keeps nothing of it
    ++stats.requests;
    stats.retries += static_cast<size_t>(f.retries);
    stats.redirects += static_cast<size_t>(f.redirects);
    switch (r.end) {
      case Response::End::kAnswered: ++stats.answered; break;
      case Response::End::kFailed: ++stats.failed; break;
      case Response::End::kNotRun: ++stats.not_run; break;
    }
    jobs.erase(id);  // `job` is gone from here on
    const Next next = (*on_done)(std::move(r));
    if (next.stop_starting && !stats.stopped_starting) {
      stats.stopped_starting = true;
      scheduler->Drain([&](size_t waiting) { EndUnstarted(waiting, next.reason); });
    }
  }

  // The one function that reaps finished transfers.
  void Reap() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi.get(), &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* raw = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
      const CURLcode code = msg->data.result;
      curl_multi_remove_handle(multi.get(), msg->easy_handle);
      --active;
      std::unique_ptr<Transfer> t = std::move(JobAt(raw->job).transfer);
      OnTransferDone(std::move(t), code);
    }
  }

  void FillTimings(CURL* e, Fetch& o) {
    curl_off_t v = 0;
    if (curl_easy_getinfo(e, CURLINFO_CONNECT_TIME_T, &v) == CURLE_OK) o.timings.connect = Seconds(v);
    if (curl_easy_getinfo(e, CURLINFO_APPCONNECT_TIME_T, &v) == CURLE_OK) o.timings.tls = Seconds(v);
    if (curl_easy_getinfo(e, CURLINFO_STARTTRANSFER_TIME_T, &v) == CURLE_OK) o.timings.first_byte = Seconds(v);
    if (curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &v) == CURLE_OK) o.timings.total = Seconds(v);
    long version = 0;
    if (curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &version) == CURLE_OK) {
      o.http_version = version == CURL_HTTP_VERSION_2_0 ? 20
                       : version == CURL_HTTP_VERSION_1_1 ? 11
                       : version == CURL_HTTP_VERSION_1_0 ? 10
                       : version == CURL_HTTP_VERSION_3   ? 30
                                                          : 0;
    }
  }

  void OnTransferDone(std::unique_ptr<Transfer> t, CURLcode code) {
    const size_t id = t->job;
    Job& job = JobAt(id);
    const bool is_post = !job.req.post_fields.empty();
    const auto now = Clock::now();
    stats.bytes += t->bytes;
    if (!t->body_started) ReadHead(*t);  // else read at the first body byte

    Fetch f;
    f.http_status = t->status;
    f.bytes = t->bytes;
    f.final_url = job.req.url;
    FillTimings(t->easy.get(), f);

    if (code != CURLE_OK) {
      std::string text;
      std::string cause = curl_easy_strerror(code);
      if (t->too_big) {
        text = "body larger than " + std::to_string(options.max_body_bytes) + " bytes";
        cause = "body too large";
      } else if (!t->sink_error.empty()) {
        text = t->sink_error;
        cause = "body sink failed";
      } else {
        text = t->error[0] != '\0' ? std::string(t->error) : cause;
      }
      scheduler->Finished(id);
      // A POST is retried only when it never reached the server.
      const bool retry = !t->too_big && t->sink_error.empty() && (is_post ? code == CURLE_COULDNT_CONNECT : RetryableGet(code));
      if (retry && scheduler->Retry(id, now)) return;
      EndFailed(id, cause, std::move(f), std::move(text));
      return;
    }

    // A maxlag error means the API did not execute the request: safe to
    // repeat even for a POST, after the lag the server asked for.
    const std::string* api_error = FindHeader(t->headers, "mediawiki-api-error");
    const bool maxlag = job.req.api && t->status < 300 &&
                        ((api_error != nullptr && *api_error == "maxlag") ||
                         FindHeader(t->headers, "x-database-lag") != nullptr);
    // A 429 with Retry-After was refused before the application saw it (an
    // edge's rate limit): safe to repeat after the wait, even a POST (a
    // clientlogin then counts once against the password throttle, not twice).
    const bool refused_post = is_post && t->status == 429 && FindHeader(t->headers, "retry-after") != nullptr;
    if (maxlag || refused_post || (!is_post && RetryableStatus(t->status))) {
      std::optional<SchedDuration> retry_after;
      if (const std::string* ra = FindHeader(t->headers, "retry-after")) {
        if (auto secs = ParseRetryAfter(*ra, std::time(nullptr))) retry_after = *secs;
      }
      if (maxlag && !retry_after) retry_after = std::chrono::seconds(5);
      scheduler->Finished(id);
      // The server asked us to wait: wait all of it, without using up a
      // retry, while the wait ends before the run's deadline and this
      // request's waits stay within throttle_wait_max_ms.
      std::string gave_up;
      if (retry_after && (maxlag || t->status == 429 || t->status == 503)) {
        // At least our own first backoff: "Retry-After: 0" must not spin.
        const auto wait = std::max<Clock::duration>(std::chrono::duration_cast<Clock::duration>(*retry_after),
                                                    std::chrono::milliseconds(options.backoff_ms));
        if (options.deadline && now + wait >= *options.deadline) {
          gave_up = fmt::format("Retry-After {} s would pass the run's deadline",
                                std::chrono::duration_cast<std::chrono::seconds>(*retry_after).count());
        } else if (job.throttle_waited + wait > std::chrono::milliseconds(options.throttle_wait_max_ms)) {
          gave_up = fmt::format("waited {} s in all, the most one request waits",
                                std::chrono::duration_cast<std::chrono::seconds>(job.throttle_waited).count());
        } else {
          job.throttle_waited += wait;
          scheduler->Wait(id, now, wait);
          return;
        }
      } else if (scheduler->Retry(id, now, retry_after)) {
        return;
      }
      if (t->status == 429) {
        // Still refused: the crawler never saw the page, so this says nothing
        // about the wiki (a crawl problem, "throttled", not "broken").
        const std::string after = fmt::format("HTTP 429 Too Many Requests after {}", Plural(scheduler->Attempts(id), "attempt"));
        EndFailed(id, std::string(kThrottledCause), std::move(f), gave_up.empty() ? after : after + "; " + gave_up);
        return;
      }
    } else if (t->status >= 300 && t->status < 400) {
      if (const std::string* location = FindHeader(t->headers, "location")) {
        auto target = ResolveLocation(job.req.url, *location);
        // Same origin, or the same host upgraded from http to https (never
        // the other way): the same wiki, re-issued on the same slot and
        // cookie scope. Anything else is judged as the 3xx it is.
        const bool upgrade = target && HttpsUpgrade(job.req.url, *target);
        const bool follow = target && !is_post && (upgrade || SameOrigin(job.req.url, *target)) &&
                            job.redirects < options.max_redirects;
        if (follow) {
          ++job.redirects;
          job.req.url = *target;
          StartTransfer(id);
          return;
        }
        f.redirect_location = target ? *target : *location;
      }
      scheduler->Finished(id);
    } else {
      scheduler->Finished(id);
    }

    Response r;
    r.end = Response::End::kAnswered;
    r.fetch = std::move(f);
    r.headers = std::move(t->headers);
    r.body = std::move(t->body);
    r.sink = std::move(t->sink);
    Complete(id, std::move(r));
  }

  // Ends every unfinished job (stop, deadline): kFailed in flight, kNotRun unstarted.
  void AbortAll(const std::string& reason) {
    std::vector<size_t> started;  // Complete erases jobs: collect first
    for (const auto& [id, job] : jobs) started.push_back(id);
    for (size_t id : started) {
      Job& job = jobs.at(id);
      if (!job.transfer) continue;
      std::unique_ptr<Transfer> t = std::move(job.transfer);
      curl_multi_remove_handle(multi.get(), t->easy.get());
      --active;
      stats.bytes += t->bytes;
      scheduler->Finished(id);
      if (!t->body_started) ReadHead(*t);
      Fetch f;
      f.http_status = t->status;
      f.bytes = t->bytes;
      FillTimings(t->easy.get(), f);
      EndFailed(id, reason, std::move(f));
    }
    scheduler->Drain([&](size_t id) { EndUnstarted(id, reason); });
    // A guard for "exactly once": anything else not yet done.
    for (size_t id = 0; id < done.size(); ++id)
      if (!done[id]) EndFailed(id, reason);
  }

  Result<RunStats> Run(const RequestBatch& requests, const OnDone& done_cb, const std::atomic<bool>* stop);

  EngineOptions options;
  SlistPtr resolve_list;  // options.resolve for CURLOPT_RESOLVE, built once
  bool init_ok = false;
  MultiPtr multi;                            // destroyed after shares and transfers
  std::map<std::string, SharePtr> shares;    // cookie scope -> store
  // Per Run:
  const RequestBatch* batch = nullptr;
  std::unordered_map<size_t, Job> jobs;      // by job id (batch index): started, not yet done
  std::vector<bool> done;                    // by job id: its Response was delivered
  std::unique_ptr<Scheduler> scheduler;
  const OnDone* on_done = nullptr;
  RunStats stats;
  size_t remaining = 0;
  size_t active = 0;       // easy handles in the multi
  bool running = false;
};

Result<RunStats> Engine::Impl::Run(const RequestBatch& requests, const OnDone& done_cb,
                                   const std::atomic<bool>* stop) {
  if (!multi) return Fail(Error::Code::kNetwork, "libcurl could not be initialised");
  if (running) return Fail(Error::Code::kInternal, "Engine::Run called from its own on_done");
  running = true;
  const auto start = Clock::now();
  const EngineOptions& c = options;

  stats = RunStats{};
  on_done = &done_cb;
  batch = &requests;
  jobs.clear();
  done.assign(requests.size, false);
  remaining = requests.size;
  active = 0;

  SchedulerOptions so;
  so.concurrency = c.concurrency;
  so.per_host_concurrency = c.per_host_concurrency;
  so.per_host_rps = c.per_host_rps;
  so.retries = c.retries;
  so.backoff = std::chrono::milliseconds(c.backoff_ms);
  so.backoff_max = std::chrono::milliseconds(c.backoff_max_ms);
  std::mt19937_64 rng(options.seed != 0 ? options.seed : std::random_device{}());
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  scheduler = std::make_unique<Scheduler>(so, [&] { return uniform(rng); });
  for (size_t id = 0; id < requests.size; ++id) {
    const RequestBatch::Slot slot = requests.slot(id);
    scheduler->Add(id, std::string(slot.host), slot.tier, start);
  }

  // The run's deadline, shared by every Run of this Engine.
  const bool has_deadline = c.deadline.has_value();
  const auto deadline = c.deadline.value_or(Clock::time_point::max());
  const size_t cap = static_cast<size_t>(std::max(1, c.concurrency));
  while (remaining > 0) {
    auto now = Clock::now();
    if (stop != nullptr && stop->load()) {
      stats.interrupted = true;
      AbortAll("interrupted");
      break;
    }
    if (has_deadline && now >= deadline) {
      stats.deadline_exceeded = true;
      AbortAll("deadline exceeded");
      break;
    }
    while (active < cap) {
      auto id = scheduler->Next(now);
      if (!id) break;
      StartTransfer(*id);
    }
    // Retry-After pauses and backoffs are scheduler wake-ups: waiting for
    // them is this poll, so *stop and the deadline are seen during them too.
    auto wait = std::chrono::milliseconds(100);  // upper bound: *stop is checked this often
    if (auto wake = scheduler->NextWakeup(now))
      wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(*wake - now));
    if (has_deadline) wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
    wait = std::max(wait, std::chrono::milliseconds(0));
    curl_multi_poll(multi.get(), nullptr, 0, static_cast<int>(wait.count()), nullptr);
    int running_handles = 0;
    curl_multi_perform(multi.get(), &running_handles);
    Reap();
  }

  stats.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  RunStats out = stats;
  jobs.clear();
  done = {};
  batch = nullptr;
  scheduler.reset();
  on_done = nullptr;
  running = false;
  return out;
}

Engine::Engine(const EngineOptions& options) : impl_(std::make_unique<Impl>(options)) {}
Engine::~Engine() = default;

Result<RunStats> Engine::Run(const RequestBatch& batch, const OnDone& on_done, const std::atomic<bool>* stop) {
  return impl_->Run(batch, on_done, stop != nullptr ? stop : impl_->options.stop);
}

Result<RunStats> Engine::Run(std::vector<Request> requests, const OnDone& on_done, const std::atomic<bool>* stop) {
  RequestBatch batch;
  batch.size = requests.size();
  batch.slot = [&](size_t i) { return RequestBatch::Slot{requests[i].host, requests[i].tier}; };
  batch.make = [&](size_t i) { return std::move(requests[i]); };
  return Run(batch, on_done, stop);
}

bool Engine::Sleep(std::chrono::milliseconds d) const {
  const EngineOptions& o = impl_->options;
  const auto wanted = Clock::now() + d;
  const bool cut_by_deadline = o.deadline && *o.deadline < wanted;
  const auto until = cut_by_deadline ? *o.deadline : wanted;
  for (;;) {
    if (o.stop != nullptr && o.stop->load()) return false;
    const auto now = Clock::now();
    if (now >= until) return !cut_by_deadline;
    std::this_thread::sleep_for(std::min<Clock::duration>(until - now, std::chrono::milliseconds(100)));
  }
}

void Engine::ClearSession(const std::string& scope) { impl_->shares.erase(scope); }

namespace {
// Every cookie of a share, one Netscape-format line each ("[#HttpOnly_]domain
// TAB tailmatch TAB path TAB secure TAB expires TAB name TAB value").
std::vector<std::string> CookieLines(CURLSH* share) {
  std::vector<std::string> lines;
  EasyPtr e(curl_easy_init());
  if (!e) return lines;
  curl_easy_setopt(e.get(), CURLOPT_SHARE, share);
  curl_slist* list = nullptr;
  if (curl_easy_getinfo(e.get(), CURLINFO_COOKIELIST, &list) != CURLE_OK) return lines;
  SlistPtr owned(list);
  for (curl_slist* l = list; l != nullptr; l = l->next) lines.emplace_back(l->data);
  return lines;
}
}  // namespace

size_t Engine::CopyDomainCookies(const std::string& from, const std::string& to, std::string_view host) {
  auto it = impl_->shares.find(from);
  if (it == impl_->shares.end() || from == to) return 0;
  const std::string lower_host =
      AsciiLower(host.substr(0, host.rfind(':') == std::string_view::npos ? host.size() : host.rfind(':')));
  std::vector<std::string> wanted;
  for (const std::string& line : CookieLines(it->second.get())) {
    // Field 1 is the domain ("#HttpOnly_" first for an HttpOnly cookie),
    // field 2 "TRUE" for a cookie set with a Domain attribute (tail match).
    const size_t tab = line.find('\t');
    if (tab == std::string::npos || line.compare(tab + 1, 5, "TRUE\t") != 0) continue;
    std::string_view domain(line.data(), tab);
    if (domain.starts_with("#HttpOnly_")) domain.remove_prefix(10);
    while (domain.starts_with('.')) domain.remove_prefix(1);
    const std::string d = AsciiLower(domain);
    if (d.empty() || !(lower_host == d || lower_host.ends_with("." + d))) continue;
    wanted.push_back(line);
  }
  if (wanted.empty()) return 0;
  CURLSH* target = impl_->Share(to);
  if (target == nullptr) return 0;
  const std::vector<std::string> have = CookieLines(target);
  EasyPtr e(curl_easy_init());
  if (!e) return 0;
  curl_easy_setopt(e.get(), CURLOPT_SHARE, target);
  size_t copied = 0;
  for (const std::string& line : wanted) {
    if (std::find(have.begin(), have.end(), line) != have.end()) continue;
    if (curl_easy_setopt(e.get(), CURLOPT_COOKIELIST, line.c_str()) == CURLE_OK) ++copied;
  }
  return copied;
}

std::vector<std::string> Engine::CookieNames(const std::string& scope) const {
  std::vector<std::string> names;
  auto it = impl_->shares.find(scope);
  if (it == impl_->shares.end()) return names;
  EasyPtr e(curl_easy_init());
  if (!e) return names;
  curl_easy_setopt(e.get(), CURLOPT_SHARE, it->second.get());
  curl_slist* list = nullptr;
  if (curl_easy_getinfo(e.get(), CURLINFO_COOKIELIST, &list) != CURLE_OK) return names;
  SlistPtr owned(list);
  // Netscape format: domain, tailmatch, path, secure, expires, name, value.
  for (curl_slist* l = list; l != nullptr; l = l->next) {
    std::string_view line(l->data);
    for (int field = 0; field < 5; ++field) {
      const size_t tab = line.find('\t');
      if (tab == std::string_view::npos) {
        line = {};
        break;
      }
      line.remove_prefix(tab + 1);
    }
    const std::string_view name = line.substr(0, line.find('\t'));
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end())
      names.emplace_back(name);
  }
  return names;
}

}  // namespace bc
