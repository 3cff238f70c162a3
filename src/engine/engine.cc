#include "engine/engine.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <concurrentqueue/blockingconcurrentqueue.h>
#include <cctype>
#include <map>
#include <random>
#include <thread>
#include <unordered_map>
#include <utility>

#include "core/redact.h"
#include "engine/http_util.h"
#include "engine/scheduler.h"

namespace bc {
namespace {

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

using Headers = std::vector<std::pair<std::string, std::string>>;

// A finished body on its way to a classifier worker (kQueue), and back.
struct ClassifyWork {
  size_t job = 0;
  bool stop = false;  // tells one worker to exit
  Expectations expectations;
  long status = 0;
  Headers headers;
  std::string final_url;  // set when a redirect was followed or seen
  std::string body;
};
struct ClassifyDone {
  size_t job = 0;
  Classification result;
};

Classification ClassifyWhole(ClassifyWork& work) {
  PageClassifier c(std::move(work.expectations));
  c.SetStatus(work.status);
  for (const auto& [name, value] : work.headers) c.AddHeader(name, value);
  if (!work.final_url.empty()) c.SetFinalUrl(work.final_url);
  // Fed in curl-sized slices, as in streaming mode: the classifier may stop
  // parsing early (at the changes list), which one whole-body Feed defeats.
  constexpr size_t kSlice = 16 * 1024;
  const std::string_view body(work.body);
  for (size_t at = 0; at < body.size(); at += kSlice) c.Feed(body.substr(at, kSlice));
  return c.Finish();
}

Classification TransportResult(const std::string& signature, const std::string& text) {
  Classification c;
  c.verdict = Verdict::kTransport;
  c.evidence.signature = "transport: " + signature;
  c.evidence.message = text;
  c.evidence.detail = "transport: " + text;
  return c;
}

// A request that never started (stop, deadline, --fail-fast): not judged.
Classification NotRunResult(const std::string& reason) {
  Classification c;
  c.verdict = Verdict::kNotRun;
  c.evidence.signature = "not run: " + reason;
  c.evidence.detail = "not run: " + reason;
  return c;
}

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
    long status = 0;          // of the latest status line
    Headers headers;          // of the latest response, names lower-cased
    bool body_started = false;
    bool discard = false;     // a 3xx body: never classified, never kept
    bool too_big = false;
    std::string classifier_error;  // set when the streaming classifier threw
    int64_t bytes = 0;        // decoded body bytes of this attempt
    std::optional<PageClassifier> classifier;  // kStreaming, created on the first body byte
    std::string body;         // kQueue or unclassified requests
  };

  // A request from its first start (or its unstarted end) to its Response.
  struct Job {
    Request req;           // req.url is the current URL: replaced by each followed redirect
    int redirects = 0;
    bool classifying = false;  // kQueue: body handed to a worker
    std::unique_ptr<Outcome> pending;  // kQueue: outcome waiting for its verdict
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
      curl_multi_setopt(multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(std::max(4, o.crawl.concurrency)));
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
  static size_t HeaderCallback(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    t->impl->OnHeader(*t, std::string_view(data, size * count));
    return size * count;
  }

  void OnHeader(Transfer& t, std::string_view line) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {  // a new response (100 Continue, then the real one)
      t.headers.clear();
      const size_t sp = line.find(' ');
      t.status = sp == std::string_view::npos ? 0 : std::atol(std::string(line.substr(sp + 1, 3)).c_str());
      return;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    // A session cookie is a secret from the moment it arrives (core/redact.h):
    // this very page may echo it.
    if (name == "set-cookie" && !JobAt(t.job).req.session.empty()) RegisterSetCookieHeader(value);
    t.headers.emplace_back(std::move(name), std::string(value));
  }

  size_t OnBody(Transfer& t, std::string_view chunk) {
    Job& job = JobAt(t.job);
    if (!t.body_started) {
      t.body_started = true;
      // A 3xx body is never judged: either we follow the Location, or the
      // verdict comes from the status and Location alone.
      t.discard = t.status >= 300 && t.status < 400 && FindHeader(t.headers, "location") != nullptr;
    }
    t.bytes += static_cast<int64_t>(chunk.size());
    if (t.bytes > options.crawl.max_body_bytes) {
      t.too_big = true;
      return 0;  // anything but chunk.size() makes curl abort with CURLE_WRITE_ERROR
    }
    if (t.discard) return chunk.size();
    if (job.req.classify && options.classify_mode == EngineOptions::ClassifyMode::kStreaming) {
      // No exception may cross curl's C frames: a throwing classifier ends
      // this transfer with a transport verdict instead.
      try {
        if (!t.classifier) t.classifier = NewClassifier(t, job);
        t.classifier->Feed(chunk);
      } catch (const std::exception& ex) {
        t.classifier_error = std::string("classifier failed: ") + ex.what();
        return 0;
      }
    } else {
      t.body.append(chunk);
    }
    return chunk.size();
  }

  PageClassifier NewClassifier(const Transfer& t, const Job& job) {
    PageClassifier c(*job.req.classify);
    c.SetStatus(t.status);
    for (const auto& [name, value] : t.headers) c.AddHeader(name, value);
    if (job.redirects > 0) c.SetFinalUrl(job.req.url);
    return c;
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
      Complete(id, Failed(job, "curl_easy_init failed", "curl_easy_init failed"));
      return;
    }
    CURL* e = t->easy.get();
    const CrawlOptions& c = options.crawl;
    curl_easy_setopt(e, CURLOPT_URL, job.req.url.c_str());
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Impl::WriteCallback);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Impl::HeaderCallback);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
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
      curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->request_headers.get());
    }
    if (curl_multi_add_handle(multi.get(), e) != CURLM_OK) {
      scheduler->Finished(id);
      Complete(id, Failed(job, "curl_multi_add_handle failed", "curl_multi_add_handle failed"));
      return;
    }
    job.transfer = std::move(t);
    ++active;
  }

  // --- finishing ------------------------------------------------------------
  Outcome Failed(const Job& job, const std::string& signature, const std::string& text) {
    Outcome o;
    o.result = TransportResult(signature, text);
    o.final_url = job.req.url;
    o.redirects = job.redirects;
    o.transport_error = text;
    return o;
  }

  // The outcome of a job the scheduler handed back unstarted (Drain): never
  // attempted => not run; waiting for a retry => its attempts failed, so a
  // transport verdict that says why it stopped.
  Outcome Unstarted(size_t id, const std::string& reason) {
    Job& job = JobAt(id);
    if (scheduler->Attempts(id) > 0) return Failed(job, reason, reason);
    Outcome o;
    o.result = NotRunResult(reason);
    o.final_url = job.req.url;
    return o;
  }

  // Delivers job `id`'s one Response. Every path that ends a job goes here.
  void Complete(size_t id, Outcome outcome, std::string body = {}, Headers headers = {}) {
    if (done[id]) return;  // cannot happen; the guard keeps "exactly once" even if it did
    done[id] = true;
    --remaining;
    Job& job = JobAt(id);
    outcome.probe_index = job.req.index;
    outcome.retries = std::max(0, scheduler->Attempts(id) - 1);
    outcome.timings.queue = std::chrono::duration<double>(scheduler->Waited(id)).count();
    scheduler->Forget(id);  // the job is over: the scheduler keeps nothing of it
    outcome.finished_unix_ms = UnixMs();
    if (outcome.final_url.empty()) outcome.final_url = job.req.url;
    ++stats.requests;
    stats.retries += static_cast<size_t>(outcome.retries);
    stats.redirects += static_cast<size_t>(outcome.redirects);
    const Verdict v = outcome.result.verdict;
    if (v == Verdict::kOk) ++stats.ok;
    if (v == Verdict::kTransport) ++stats.transport;
    if (v == Verdict::kNotRun) ++stats.not_run;
    const bool product_failure = IsProductFailure(v, options.crawl.warnings_fail);
    if (product_failure) ++stats.product_failures;
    Response r;
    r.index = job.req.index;
    r.outcome = std::move(outcome);
    r.body = std::move(body);
    r.headers = std::move(headers);
    jobs.erase(id);  // `job` is gone from here on
    (*on_done)(std::move(r));
    if (product_failure && options.fail_fast && !stats.fail_fast_triggered) {
      stats.fail_fast_triggered = true;
      scheduler->Drain([&](size_t waiting) { Complete(waiting, Unstarted(waiting, "--fail-fast")); });
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

  void FillTimings(CURL* e, Outcome& o) {
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

    Outcome o;
    o.http_status = t->status;
    o.bytes = t->bytes;
    o.redirects = job.redirects;
    o.final_url = job.req.url;
    FillTimings(t->easy.get(), o);

    if (code != CURLE_OK) {
      std::string text;
      std::string signature = curl_easy_strerror(code);
      if (t->too_big) {
        text = "body larger than " + std::to_string(options.crawl.max_body_bytes) + " bytes";
        signature = "body too large";
      } else if (!t->classifier_error.empty()) {
        text = t->classifier_error;
        signature = "classifier failed";
      } else {
        text = t->error[0] != '\0' ? std::string(t->error) : signature;
      }
      scheduler->Finished(id);
      // A POST is retried only when it never reached the server.
      const bool retry = !t->too_big && t->classifier_error.empty() && (is_post ? code == CURLE_COULDNT_CONNECT : RetryableGet(code));
      if (retry && scheduler->Retry(id, now)) return;
      o.result = TransportResult(signature, text);
      o.transport_error = text;
      Complete(id, std::move(o));
      return;
    }

    // A maxlag error means the API did not execute the request: safe to
    // repeat even for a POST, after the lag the server asked for.
    const std::string* api_error = FindHeader(t->headers, "mediawiki-api-error");
    const bool maxlag = job.req.api && t->status < 300 &&
                        ((api_error != nullptr && *api_error == "maxlag") ||
                         FindHeader(t->headers, "x-database-lag") != nullptr);
    if (maxlag || (!is_post && RetryableStatus(t->status))) {
      std::optional<SchedDuration> retry_after;
      if (const std::string* ra = FindHeader(t->headers, "retry-after")) {
        if (auto secs = ParseRetryAfter(*ra, std::time(nullptr))) retry_after = *secs;
      }
      if (maxlag && !retry_after) retry_after = std::chrono::seconds(5);
      scheduler->Finished(id);
      if (scheduler->Retry(id, now, retry_after)) return;
      if (t->status == 429) {
        // Still throttled after every retry: the crawler never saw the page,
        // so this says nothing about the wiki (a tool failure, not "broken").
        const std::string text = fmt::format("HTTP 429 Too Many Requests after {} attempts (throttled)",
                                             scheduler->Attempts(id));
        o.result = TransportResult("HTTP 429 Too Many Requests", text);
        o.transport_error = text;
        Complete(id, std::move(o));
        return;
      }
    } else if (t->status >= 300 && t->status < 400) {
      if (const std::string* location = FindHeader(t->headers, "location")) {
        auto target = ResolveLocation(job.req.url, *location);
        const bool follow = target && !is_post && SameOrigin(job.req.url, *target) &&
                            job.redirects < options.crawl.max_redirects;
        if (follow) {
          // Same wiki: re-issue on the same slot and cookie scope.
          ++job.redirects;
          job.req.url = *target;
          StartTransfer(id);
          return;
        }
        o.redirect_location = target ? *target : *location;
      }
      scheduler->Finished(id);
    } else {
      scheduler->Finished(id);
    }

    if (!job.req.classify) {
      Complete(id, std::move(o), std::move(t->body), std::move(t->headers));
      return;
    }
    const std::string seen_url = !o.redirect_location.empty() ? o.redirect_location
                                 : job.redirects > 0          ? job.req.url
                                                              : std::string();
    if (options.classify_mode == EngineOptions::ClassifyMode::kQueue) {
      ClassifyWork work;
      work.job = id;
      work.expectations = *job.req.classify;
      work.status = t->status;
      work.headers = std::move(t->headers);
      work.final_url = seen_url;
      work.body = std::move(t->body);
      job.classifying = true;
      job.pending = std::make_unique<Outcome>(std::move(o));
      ++classifying;
      to_classify.enqueue(std::move(work));
      return;
    }
    try {
      if (!t->classifier) t->classifier = NewClassifier(*t, job);
      if (!o.redirect_location.empty()) t->classifier->SetFinalUrl(o.redirect_location);
      o.result = t->classifier->Finish();
    } catch (const std::exception& ex) {
      o.result = TransportResult("classifier failed", std::string("classifier failed: ") + ex.what());
      o.transport_error = o.result.evidence.message;
    }
    Complete(id, std::move(o));
  }

  void CollectClassified() {
    ClassifyDone finished[64];
    size_t n = 0;
    while ((n = classified.try_dequeue_bulk(finished, 64)) > 0) {
      for (size_t i = 0; i < n; ++i) {
        --classifying;
        auto it = jobs.find(finished[i].job);
        if (it == jobs.end() || !it->second.classifying) continue;  // already ended (interrupt)
        Job& job = it->second;
        job.classifying = false;
        Outcome o = std::move(*job.pending);
        job.pending.reset();
        o.result = std::move(finished[i].result);
        Complete(finished[i].job, std::move(o));
      }
    }
  }

  // Ends every unfinished job with a transport verdict (stop, deadline).
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
      Outcome o = Failed(job, reason, reason);
      o.http_status = t->status;
      o.bytes = t->bytes;
      FillTimings(t->easy.get(), o);
      Complete(id, std::move(o));
    }
    scheduler->Drain([&](size_t id) { Complete(id, Unstarted(id, reason)); });
    // Left: bodies with the classifier workers (kQueue), and, as a guard for
    // "exactly once", anything else not yet done.
    for (size_t id = 0; id < done.size(); ++id) {
      if (done[id]) continue;
      Job& job = JobAt(id);
      job.classifying = false;  // a late verdict is ignored
      Outcome o = job.pending ? std::move(*job.pending) : Failed(job, reason, reason);
      job.pending.reset();
      o.result = TransportResult(reason, reason);
      o.transport_error = reason;
      Complete(id, std::move(o));
    }
  }

  static void Worker(moodycamel::BlockingConcurrentQueue<ClassifyWork>* in,
                     moodycamel::BlockingConcurrentQueue<ClassifyDone>* out) {
    for (;;) {
      ClassifyWork work;
      in->wait_dequeue(work);
      if (work.stop) return;
      ClassifyDone done;
      done.job = work.job;
      try {
        done.result = ClassifyWhole(work);
      } catch (const std::exception& ex) {  // keep the worker (and the invariant) alive
        done.result = TransportResult("classifier failed", std::string("classifier failed: ") + ex.what());
      }
      out->enqueue(std::move(done));
    }
  }

  Result<RunStats> Run(const RequestBatch& requests, const std::function<void(Response&&)>& done_cb,
                       const std::atomic<bool>* stop);

  EngineOptions options;
  bool init_ok = false;
  MultiPtr multi;                            // destroyed after shares and transfers
  std::map<std::string, SharePtr> shares;    // cookie scope -> store
  // Per Run:
  const RequestBatch* batch = nullptr;
  std::unordered_map<size_t, Job> jobs;      // by job id (batch index): started, not yet done
  std::vector<bool> done;                    // by job id: its Response was delivered
  std::unique_ptr<Scheduler> scheduler;
  const std::function<void(Response&&)>* on_done = nullptr;
  RunStats stats;
  size_t remaining = 0;
  size_t active = 0;       // easy handles in the multi
  size_t classifying = 0;  // bodies with the workers
  bool running = false;
  moodycamel::BlockingConcurrentQueue<ClassifyWork> to_classify;
  moodycamel::BlockingConcurrentQueue<ClassifyDone> classified;
};

Result<RunStats> Engine::Impl::Run(const RequestBatch& requests,
                                   const std::function<void(Response&&)>& done_cb,
                                   const std::atomic<bool>* stop) {
  if (!multi) return Fail(Error::Code::kNetwork, "libcurl could not be initialised");
  if (running) return Fail(Error::Code::kInternal, "Engine::Run called from its own on_done");
  running = true;
  const auto start = Clock::now();
  const CrawlOptions& c = options.crawl;

  stats = RunStats{};
  on_done = &done_cb;
  batch = &requests;
  jobs.clear();
  done.assign(requests.size, false);
  remaining = requests.size;
  active = 0;
  classifying = 0;

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

  std::vector<std::thread> workers;
  if (options.classify_mode == EngineOptions::ClassifyMode::kQueue) {
    for (int i = 0; i < std::max(1, options.classifier_threads); ++i)
      workers.emplace_back(&Impl::Worker, &to_classify, &classified);
  }

  const bool has_deadline = c.deadline_ms > 0;
  const auto deadline = start + std::chrono::milliseconds(c.deadline_ms);
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
    // Queued bodies count against the global cap: memory stays bounded when
    // classification is slower than fetching.
    while (active + classifying < cap) {
      auto id = scheduler->Next(now);
      if (!id) break;
      StartTransfer(*id);
    }
    auto wait = std::chrono::milliseconds(100);  // upper bound: *stop is checked this often
    if (auto wake = scheduler->NextWakeup(now))
      wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(*wake - now));
    if (has_deadline) wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
    if (classifying > 0) wait = std::min(wait, std::chrono::milliseconds(1));
    wait = std::max(wait, std::chrono::milliseconds(0));
    curl_multi_poll(multi.get(), nullptr, 0, static_cast<int>(wait.count()), nullptr);
    int running_handles = 0;
    curl_multi_perform(multi.get(), &running_handles);
    Reap();
    if (classifying > 0) CollectClassified();
  }

  // Workers finish what they hold; anything still queued is dropped here.
  ClassifyWork leftover;
  while (to_classify.try_dequeue(leftover)) --classifying;
  for (size_t i = 0; i < workers.size(); ++i) {
    ClassifyWork stop_work;
    stop_work.stop = true;
    to_classify.enqueue(std::move(stop_work));
  }
  for (auto& w : workers) w.join();
  ClassifyDone late;
  while (classified.try_dequeue(late)) {
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

Result<RunStats> Engine::Run(const RequestBatch& batch, const std::function<void(Response&&)>& on_done,
                             const std::atomic<bool>* stop) {
  return impl_->Run(batch, on_done, stop != nullptr ? stop : impl_->options.stop);
}

Result<RunStats> Engine::Run(std::vector<Request> requests, const std::function<void(Response&&)>& on_done,
                             const std::atomic<bool>* stop) {
  RequestBatch batch;
  batch.size = requests.size();
  batch.slot = [&](size_t i) { return RequestBatch::Slot{requests[i].host, requests[i].tier}; };
  batch.make = [&](size_t i) { return std::move(requests[i]); };
  return Run(batch, on_done, stop);
}

void Engine::ClearSession(const std::string& scope) { impl_->shares.erase(scope); }

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
