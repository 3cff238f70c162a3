// Engine tests against loopback servers the tests start themselves
// (tests/faults/fault_server.py; nginx in engine_nginx_test.cc). Tagged [net].
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "classify/page_sink.h"
#include "engine/engine.h"
#include "engine_servers.h"

namespace bc {
namespace {

using testing::FaultServer;
using testing::RefusedPort;

// A recorded logged-in RecentChanges page (tests/corpus): the classifier's
// "ok" under default Expectations. Requests with the classifying sink are
// judged by classify/page_sink.h's JudgeResponse, as the crawl does;
// requests without a sink are ok unless the transfer failed.
constexpr const char* kRcPage = "/corpus?name=en-rc-enhanced1";

EngineOptions FastOptions() {
  EngineOptions o;
  o.user_agent = "beta-crawler-test/1.0 (engine tests)";
  o.concurrency = 8;
  o.per_host_concurrency = 8;
  o.connect_timeout_ms = 2000;
  o.timeout_ms = 10000;
  o.low_speed_time_ms = 5000;
  o.retries = 2;
  o.backoff_ms = 10;
  o.backoff_max_ms = 3000;
  o.seed = 7;
  return o;
}

Request Get(const FaultServer& s, const std::string& path, bool classify = true) {
  Request r;
  r.url = s.Url(path);
  r.host = s.host();
  if (classify) r.sink = ClassifyingSink(Expectations{});
  return r;
}

// A Response as the crawl sees it: its Outcome (JudgeResponse) and body.
struct Got {
  Outcome outcome;
  std::string body;
  Response::End end = Response::End::kAnswered;
  std::string cause;
};

Got Judge(Response&& r, bool classified) {
  static const Expectations kDefault{};
  Got g;
  g.end = r.end;
  g.cause = r.cause;
  g.body = std::move(r.body);
  g.outcome = JudgeResponse(std::move(r), classified ? &kDefault : nullptr);
  return g;
}

// Runs `requests` and returns the responses by request index; fails the test
// unless every request got exactly one response.
std::vector<Got> RunAll(Engine& engine, std::vector<Request> requests, const std::atomic<bool>* stop = nullptr) {
  const size_t n = requests.size();
  std::vector<bool> classified(n);
  for (size_t i = 0; i < n; ++i) {
    requests[i].index = i;
    classified[i] = static_cast<bool>(requests[i].sink);
  }
  std::vector<Got> out(n);
  std::vector<int> seen(n, 0);
  auto stats = engine.Run(std::move(requests), [&](Response&& r) {
    REQUIRE(r.index < n);
    ++seen[r.index];
    const size_t i = r.index;
    out[i] = Judge(std::move(r), classified[i]);
    CHECK(out[i].outcome.probe_index == i);
  }, stop);
  REQUIRE(stats.has_value());
  CHECK(stats->requests == n);
  for (size_t i = 0; i < n; ++i) {
    INFO("request " << i);
    REQUIRE(seen[i] == 1);
  }
  return out;
}

TEST_CASE("a page that loads is ok with status, bytes, timings and our user agent", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  Engine engine(FastOptions());
  auto r = RunAll(engine, {Get(s, kRcPage), Get(s, "/echo", false), Get(s, "/ok?size=5000", false)});
  CHECK(r[0].outcome.result.verdict == Verdict::kOk);
  CHECK(r[0].outcome.http_status == 200);
  CHECK(r[0].outcome.bytes > 10000);
  CHECK(r[0].body.empty());  // classified bodies are not kept
  CHECK(r[0].outcome.final_url == s.Url(kRcPage));
  CHECK(r[2].outcome.bytes == 5000);
  CHECK(r[2].body.size() == 5000);  // unclassified bodies are
  CHECK(r[0].outcome.timings.total > 0);
  CHECK(r[0].outcome.timings.first_byte <= r[0].outcome.timings.total);
  CHECK(r[0].outcome.retries == 0);
  CHECK(r[1].outcome.http_status == 200);
  CHECK_THAT(r[1].body, Catch::Contains("user-agent=beta-crawler-test/1.0 (engine tests)"));
  CHECK_THAT(r[1].body, Catch::Contains("method=GET"));
}

TEST_CASE("a 500 page is a product failure and a 200 next to it is ok", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  Engine engine(FastOptions());
  auto r = RunAll(engine, {Get(s, "/status?code=500"), Get(s, kRcPage)});
  CHECK(IsProductFailure(r[0].outcome.result.verdict));
  CHECK(r[0].outcome.http_status == 500);
  CHECK(r[0].outcome.retries == 0);  // 500 is a finding, not a hiccup
  CHECK(r[1].outcome.result.verdict == Verdict::kOk);
}

TEST_CASE("connection refused ends in one transport outcome after the retries", "[net][engine]") {
  RefusedPort refused;
  REQUIRE(refused.port() > 0);
  Engine engine(FastOptions());
  Request req;
  req.url = "http://127.0.0.1:" + std::to_string(refused.port()) + "/x";
  req.host = "127.0.0.1:" + std::to_string(refused.port());
  req.sink = ClassifyingSink(Expectations{});
  auto r = RunAll(engine, {req});
  CHECK(r[0].outcome.result.verdict == Verdict::kTransport);
  CHECK(r[0].outcome.retries == 2);
  CHECK(r[0].outcome.http_status == 0);
  CHECK_FALSE(r[0].outcome.transport_error.empty());
}

TEST_CASE("a reset connection is retried, then reported as transport", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  Engine engine(FastOptions());
  auto r = RunAll(engine, {Get(s, "/reset"), Get(s, kRcPage)});
  CHECK(r[0].outcome.result.verdict == Verdict::kTransport);
  CHECK(r[0].outcome.retries == 2);
  CHECK_FALSE(r[0].outcome.transport_error.empty());
  CHECK(r[1].outcome.result.verdict == Verdict::kOk);
}

TEST_CASE("a stalled body is aborted by the low-speed limit", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  EngineOptions o = FastOptions();
  // curl averages the speed over ~5 s: a high floor makes the 10 bytes sent
  // count as "too slow" after one second instead of five.
  o.low_speed_bytes = 1000;
  o.low_speed_time_ms = 1000;
  o.retries = 0;
  Engine engine(o);
  auto r = RunAll(engine, {Get(s, "/stall"), Get(s, "/truncate?sent=500")});
  CHECK(r[0].outcome.result.verdict == Verdict::kTransport);
  CHECK(r[0].outcome.http_status == 200);
  CHECK(r[0].outcome.bytes == 10);
  CHECK_THAT(r[0].outcome.transport_error, Catch::Contains("too slow"));
  // A body shorter than its Content-Length is a transport failure too.
  CHECK(r[1].outcome.result.verdict == Verdict::kTransport);
}

TEST_CASE("429 with Retry-After is retried once the delay has passed", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  Engine engine(FastOptions());
  auto r = RunAll(engine, {Get(s, "/limited?key=secs&fail=1&after=1", false),
                           Get(s, "/limited?key=date&fail=1&after=2&date=1", false)});
  for (const auto& resp : r) {
    CHECK(resp.outcome.result.verdict == Verdict::kOk);
    CHECK(resp.outcome.http_status == 200);
    CHECK(resp.outcome.retries == 1);
    // Waited for the server's delay (not the 10 ms backoff). Lower bounds only.
    CHECK(resp.outcome.timings.queue >= 0.5);
  }
}

TEST_CASE("a 429 that outlasts the server-asked waits is throttled: the page was never seen", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  EngineOptions o = FastOptions();
  o.backoff_ms = 50;             // each "Retry-After: 0" wait is 50 ms ...
  o.throttle_wait_max_ms = 300;  // ... and 300 ms of them in all: 6 waits, 7 attempts
  Engine engine(o);
  auto r = RunAll(engine, {Get(s, "/limited?key=always&fail=1000&after=0")});
  CHECK(r[0].outcome.result.verdict == Verdict::kThrottled);
  CHECK(r[0].outcome.http_status == 429);
  // The waits the server asked for did not use up the 2 retries.
  CHECK(r[0].outcome.retries == 6);
  CHECK_THAT(r[0].outcome.transport_error, Catch::StartsWith("HTTP 429 Too Many Requests after 7 attempts; waited 0 s"));
  CHECK(RunAll(engine, {Get(s, "/hits?key=always", false)})[0].body == "7");
}

TEST_CASE("a 429 whose Retry-After would pass the run's deadline ends at once, throttled", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  EngineOptions o = FastOptions();
  o.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  Engine engine(o);
  // Retry-After: 3600 is honoured in full (no backoff_max cap) or not at all.
  auto r = RunAll(engine, {Get(s, "/limited?key=hour&fail=1000&after=3600")});
  CHECK(r[0].outcome.result.verdict == Verdict::kThrottled);
  CHECK(r[0].outcome.retries == 0);
  CHECK_THAT(r[0].outcome.transport_error, Catch::Contains("Retry-After 3600 s would pass the run's deadline"));
  CHECK(r[0].outcome.timings.queue < 5);
}

TEST_CASE("a wave of 429s longer than the retry budget is waited out: every probe ok", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  Engine engine(FastOptions());  // retries = 2
  // Three 429s with Retry-After: 1 before the page: more than the retries,
  // each wait asked for by the server (the old engine gave up after 3).
  auto r = RunAll(engine, {Get(s, "/limited?key=wave&fail=3&after=1", false)});
  CHECK(r[0].outcome.result.verdict == Verdict::kOk);
  CHECK(r[0].outcome.http_status == 200);
  CHECK(r[0].outcome.retries == 3);
  CHECK(r[0].outcome.timings.queue >= 2.5);
}

TEST_CASE("a 503 storm uses the retry limit and then reports the 503", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  Engine engine(FastOptions());
  auto r = RunAll(engine, {Get(s, "/count?key=storm&code=503"), Get(s, "/hits?key=storm", false)});
  CHECK(r[0].outcome.retries == 2);
  CHECK(r[0].outcome.http_status == 503);
  CHECK(IsProductFailure(r[0].outcome.result.verdict));
}

TEST_CASE("an oversize body stops the transfer with a clear transport verdict", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  EngineOptions o = FastOptions();
  o.max_body_bytes = 1 << 20;
  Engine engine(o);
  auto r = RunAll(engine, {Get(s, "/big?bytes=8000000"), Get(s, "/big?bytes=8000000", false),
                           Get(s, "/big?bytes=1000000", false)});
  for (int i = 0; i < 2; ++i) {
    CHECK(r[i].end == Response::End::kFailed);
    CHECK(r[i].cause == "body too large");
    CHECK(r[i].outcome.result.verdict == Verdict::kTransport);
    CHECK(r[i].outcome.transport_error == "body larger than 1048576 bytes");
    CHECK(r[i].outcome.retries == 0);
    CHECK(r[i].body.size() <= (1u << 20));
  }
  CHECK(r[2].outcome.result.verdict == Verdict::kOk);
  CHECK(r[2].outcome.bytes == 1000000);
}

TEST_CASE("a same-host redirect is followed and an off-host one is not", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  EngineOptions o = FastOptions();
  o.max_redirects = 3;
  Engine engine(o);
  // 127.0.0.2 is another host (never contacted: the redirect is not followed).
  const std::string off_host = "http://127.0.0.2:" + std::to_string(s.port()) + "/ok";
  Request post = Get(s, "/redirect?to=/echo");
  post.post_fields = "a=1";
  auto r = RunAll(engine, {
      Get(s, "/redirect?to=%2Fcorpus%3Fname%3Den-rc-enhanced1%26title%3DSp%25C3%25A9cial%3AModifications_r%25C3%25A9centes"),
      Get(s, "/redirect?to=" + off_host),
      Get(s, "/loop"),
      post,
  });
  CHECK(r[0].outcome.result.verdict == Verdict::kOk);
  CHECK(r[0].outcome.redirects == 1);
  CHECK(r[0].outcome.final_url == s.Url("/corpus?name=en-rc-enhanced1&title=Sp%C3%A9cial:Modifications_r%C3%A9centes"));
  CHECK(r[0].outcome.redirect_location.empty());

  CHECK(r[1].outcome.redirects == 0);
  CHECK(r[1].outcome.http_status == 302);
  CHECK(r[1].outcome.redirect_location == off_host);
  CHECK(r[1].outcome.result.verdict != Verdict::kOk);

  CHECK(r[2].outcome.redirects == 3);  // the limit, then stop
  CHECK(r[2].outcome.http_status == 302);
  CHECK(r[2].outcome.redirect_location == s.Url("/loop"));

  CHECK(r[3].outcome.redirects == 0);  // never follow a POST's redirect
  CHECK(r[3].outcome.http_status == 302);
}

TEST_CASE("cookies are kept per scope and never sent to another scope", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  Engine engine(FastOptions());
  Request set = Get(s, "/setcookie?name=session&value=abc123", false);
  set.session = "enwiki";
  RunAll(engine, {set});
  CHECK(engine.CookieNames("enwiki") == std::vector<std::string>{"session"});
  CHECK(engine.CookieNames("frwiki").empty());

  auto echo = [&](const std::string& scope) {
    Request r = Get(s, "/echo", false);
    r.session = scope;
    return r;
  };
  auto r = RunAll(engine, {echo("enwiki"), echo("frwiki"), echo("")});
  CHECK_THAT(r[0].body, Catch::Contains("cookie=session=abc123"));
  CHECK_THAT(r[1].body, Catch::Contains("cookie=\n"));
  CHECK_THAT(r[2].body, Catch::Contains("cookie=\n"));

  engine.ClearSession("enwiki");
  CHECK(engine.CookieNames("enwiki").empty());
  auto after = RunAll(engine, {echo("enwiki")});
  CHECK_THAT(after[0].body, Catch::Contains("cookie=\n"));
}

TEST_CASE("a POST sends its form body and is not retried after a 503", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  Engine engine(FastOptions());
  Request post = Get(s, "/echo", false);
  post.post_fields = "action=clientlogin&username=Tester";
  Request post503 = Get(s, "/count?key=post&code=503", false);
  post503.post_fields = "x=1";
  auto r = RunAll(engine, {post, post503});
  CHECK_THAT(r[0].body, Catch::Contains("method=POST"));
  CHECK_THAT(r[0].body, Catch::Contains("content-type=application/x-www-form-urlencoded"));
  CHECK_THAT(r[0].body, Catch::Contains("body=action=clientlogin&username=Tester\n"));
  CHECK(r[1].outcome.http_status == 503);
  CHECK(r[1].outcome.retries == 0);
  auto hits = RunAll(engine, {Get(s, "/hits?key=post", false)});
  CHECK(hits[0].body == "1");
}

TEST_CASE("stop interrupts every unfinished request exactly once", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  Engine engine(FastOptions());
  std::atomic<bool> stop{false};
  std::vector<Request> reqs = {Get(s, kRcPage)};
  reqs[0].tier = 0;  // starts first
  for (int i = 0; i < 20; ++i) reqs.push_back(Get(s, "/stall"));
  for (size_t i = 0; i < reqs.size(); ++i) reqs[i].index = i;
  std::vector<int> seen(reqs.size(), 0);
  std::vector<Outcome> outcomes(reqs.size());
  auto stats = engine.Run(reqs, [&](Response&& r) {
    const size_t i = r.index;
    ++seen[i];
    outcomes[i] = Judge(std::move(r), true).outcome;
    if (i == 0) stop = true;  // Ctrl-C after the first page
  }, &stop);
  REQUIRE(stats.has_value());
  CHECK(stats->interrupted);
  CHECK(outcomes[0].result.verdict == Verdict::kOk);
  size_t cut_off = 0, not_run = 0;
  for (size_t i = 1; i < reqs.size(); ++i) {
    INFO("request " << i);
    CHECK(seen[i] == 1);
    if (outcomes[i].result.verdict == Verdict::kTransport) {  // was in flight
      CHECK(outcomes[i].transport_error == "interrupted");
      ++cut_off;
    } else {  // never started
      CHECK(outcomes[i].result.verdict == Verdict::kNotRun);
      CHECK(outcomes[i].result.evidence.detail == "not run: interrupted");
      ++not_run;
    }
  }
  CHECK(stats->not_run == not_run);
  CHECK(not_run > 0);
}

TEST_CASE("the engine's own stop flag ends runs not given one (logins after Ctrl-C)", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  std::atomic<bool> stop{true};  // the signal came before the login
  EngineOptions o = FastOptions();
  o.stop = &stop;
  Engine engine(o);
  std::vector<Request> reqs = {Get(s, "/stall"), Get(s, "/ok")};
  const auto started = std::chrono::steady_clock::now();
  auto r = RunAll(engine, reqs);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
  for (const auto& resp : r) CHECK(resp.outcome.result.verdict == Verdict::kNotRun);
}

TEST_CASE("the run deadline ends stalled transfers with a transport verdict", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  EngineOptions o = FastOptions();
  o.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  o.concurrency = 2;  // most requests never start
  Engine engine(o);
  std::vector<Request> reqs;
  for (int i = 0; i < 6; ++i) reqs.push_back(Get(s, "/stall"));
  auto r = RunAll(engine, reqs);
  size_t cut_off = 0;
  for (const auto& resp : r) {
    if (resp.outcome.result.verdict == Verdict::kTransport) {
      CHECK(resp.outcome.transport_error == "deadline exceeded");
      ++cut_off;
    } else {
      CHECK(resp.outcome.result.verdict == Verdict::kNotRun);
      CHECK(resp.outcome.result.evidence.detail == "not run: deadline exceeded");
    }
  }
  CHECK(cut_off == 2);  // the two in flight; the other four never started
}

TEST_CASE("the deadline is the run's: a later Run past it starts nothing", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  EngineOptions o = FastOptions();
  o.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  Engine engine(o);
  auto first = RunAll(engine, {Get(s, "/ok", false)});  // well before the deadline
  CHECK(first[0].outcome.result.verdict == Verdict::kOk);
  // Sleep is cut short by the deadline (and says so).
  const auto before = std::chrono::steady_clock::now();
  CHECK_FALSE(engine.Sleep(std::chrono::seconds(10)));
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(5));
  auto late = RunAll(engine, {Get(s, "/ok", false), Get(s, "/ok", false)});
  for (const auto& g : late) {
    CHECK(g.end == Response::End::kNotRun);
    CHECK(g.outcome.result.evidence.detail == "not run: deadline exceeded");
  }
}

TEST_CASE("Sleep ends at the stop flag and runs its full length otherwise", "[net][engine]") {
  std::atomic<bool> stop{false};
  EngineOptions o = FastOptions();
  o.stop = &stop;
  Engine engine(o);
  CHECK(engine.Sleep(std::chrono::milliseconds(50)));
  stop = true;
  const auto before = std::chrono::steady_clock::now();
  CHECK_FALSE(engine.Sleep(std::chrono::seconds(10)));
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(5));
}

TEST_CASE("on_done can stop new starts: unstarted requests end not-run with its reason", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  EngineOptions o = FastOptions();
  o.concurrency = 1;
  Engine engine(o);
  std::vector<Request> reqs = {Get(s, "/status?code=500")};
  reqs[0].tier = 0;
  for (int i = 0; i < 10; ++i) reqs.push_back(Get(s, "/ok"));
  const size_t n = reqs.size();
  for (size_t i = 0; i < n; ++i) reqs[i].index = i;
  std::vector<Got> r(n);
  std::vector<int> seen(n, 0);
  auto stats = engine.Run(reqs, OnDone([&](Response&& resp) {
    const size_t i = resp.index;
    ++seen[i];
    r[i] = Judge(std::move(resp), true);
    // The crawl's --fail-fast: stop after the first product failure.
    return IsProductFailure(r[i].outcome.result.verdict) ? Next::StopStarting("--fail-fast") : Next::GoOn();
  }));
  REQUIRE(stats.has_value());
  CHECK(stats->stopped_starting);
  CHECK(stats->not_run == n - 1);
  CHECK(std::all_of(seen.begin(), seen.end(), [](int x) { return x == 1; }));
  CHECK(IsProductFailure(r[0].outcome.result.verdict));
  for (size_t i = 1; i < n; ++i) {
    CHECK(r[i].end == Response::End::kNotRun);
    CHECK(r[i].outcome.result.evidence.detail == "not run: --fail-fast");
  }
}

// Records what the engine feeds it; throws on request.
class RecordingSink : public BodySink {
 public:
  RecordingSink(std::string* into, bool throws) : into_(into), throws_(throws) {}
  void Feed(std::string_view chunk) override {
    if (throws_) throw std::runtime_error("no thanks");
    into_->append(chunk);
  }

 private:
  std::string* into_;
  bool throws_;
};

TEST_CASE("a sink gets the final response's body in order; a throwing sink fails the transfer", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  Engine engine(FastOptions());
  std::vector<std::string> fed(3);
  std::vector<long> head_status(3, 0);
  std::vector<std::string> head_url(3);
  auto sink_of = [&](size_t i, bool throws) {
    return [&, i, throws](const ResponseHead& h) -> std::unique_ptr<BodySink> {
      fed[i].clear();  // a fresh sink per attempt: only the last one's bytes count
      head_status[i] = h.status;
      head_url[i] = std::string(h.url);
      return std::make_unique<RecordingSink>(&fed[i], throws);
    };
  };
  std::vector<Request> reqs = {Get(s, "/ok?size=70000", false), Get(s, "/redirect?to=/ok%3Fsize%3D100", false),
                               Get(s, "/ok?size=10", false)};
  reqs[0].sink = sink_of(0, false);
  reqs[1].sink = sink_of(1, false);
  reqs[2].sink = sink_of(2, true);
  auto r = RunAll(engine, reqs);
  CHECK(fed[0].size() == 70000);
  CHECK(r[0].body.empty());  // a request with a sink keeps no body
  CHECK(head_status[0] == 200);
  CHECK(fed[1].size() == 100);  // the 3xx body was never fed
  CHECK(head_url[1] == s.Url("/ok?size=100"));
  CHECK(r[1].outcome.redirects == 1);
  CHECK(r[2].end == Response::End::kFailed);
  CHECK(r[2].cause == "body sink failed");
  CHECK(r[2].outcome.transport_error == "body sink failed: no thanks");
  CHECK(r[2].outcome.retries == 0);
}

TEST_CASE("an API call carries maxlag and waits out a maxlag error, GET and POST", "[net][engine]") {
  FaultServer s;
  REQUIRE(s.ok());
  Engine engine(FastOptions());
  Request get = Get(s, "/api?key=g&action=query", false);
  get.api = true;
  Request post = Get(s, "/api?key=p", false);
  post.api = true;
  post.post_fields = "action=clientlogin";
  auto r = RunAll(engine, {get, post});
  for (const auto& resp : r) {
    CHECK(resp.outcome.http_status == 200);
    CHECK(resp.outcome.retries == 1);
    CHECK(resp.outcome.timings.queue >= 0.5);  // the server's Retry-After: 1, not the 10 ms backoff
  }
  CHECK_THAT(r[0].body, Catch::Contains("\"query\":\"key=g&action=query&maxlag=5\""));
  CHECK_THAT(r[1].body, Catch::Contains("\"form\":\"action=clientlogin&maxlag=5\""));
  CHECK_THAT(r[1].body, Catch::Contains("\"hit\":2"));
}

}  // namespace
}  // namespace bc
