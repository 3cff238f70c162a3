// ConfirmFailures (cli/confirm.h), the confirmation phase on its own, against
// the fault server: a failure that reproduces, one that does not (flaky), one
// whose re-fetch cannot judge the page, the wait, the deadline, Ctrl-C.
// The end-to-end run is tests/faults (run_faults.py confidence).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/confirm.h"
#include "engine/engine.h"
#include "engine_servers.h"
#include "report/run_dir.h"

namespace bc {
namespace {

using testing::FaultServer;
using testing::RefusedPort;

EngineOptions Options() {
  EngineOptions o;
  o.user_agent = "beta-crawler-test/1.0 (confirm tests)";
  o.connect_timeout_ms = 2000;
  o.timeout_ms = 10000;
  o.retries = 0;
  o.seed = 7;
  return o;
}

// The verdict from the status alone: the classifier is not what is tested here.
Verdict ByStatus(size_t, Response&& r) {
  if (!r.answered()) return r.end == Response::End::kNotRun ? Verdict::kNotRun : Verdict::kTransport;
  return r.fetch.http_status >= 500 ? Verdict::kException : Verdict::kOk;
}

HeldFailure Held(size_t index) {
  HeldFailure h;
  h.index = index;
  h.outcome.probe_index = index;
  h.outcome.result.verdict = Verdict::kException;
  h.last_fetch_ms = NowUnixMs();
  return h;
}

// Requests of the fault server counted per "port|path|query" (/hitsjson).
nlohmann::json Hits(Engine& engine, const FaultServer& s) {
  Request r;
  r.url = s.Url("/hitsjson");
  r.host = s.host();
  std::string body;
  auto run = engine.Run(std::vector<Request>{r}, [&](Response&& resp) { body = resp.body; });
  REQUIRE(run.has_value());
  return nlohmann::json::parse(body);
}

TEST_CASE("ConfirmFailures: a failure that fails again is confirmed, one that passes is flaky", "[net][confirm]") {
  FaultServer s;
  REQUIRE(s.ok());
  RefusedPort refused;
  Engine engine(Options());
  const std::vector<std::string> urls = {
      s.Url("/f/exception-500/index.php?k=persist"),        // fails on every fetch
      s.Url("/f/exception-once/index.php?k=flaky"),         // fails on the first fetch of a URL only
      "http://127.0.0.1:" + std::to_string(refused.port()) + "/w/index.php",  // no answer: cannot judge
  };
  // The first fetch of the flaky URL (the crawl's), so the re-fetches pass.
  {
    Request r;
    r.url = urls[1];
    r.host = s.host();
    long status = 0;
    REQUIRE(engine.Run(std::vector<Request>{r}, [&](Response&& resp) { status = resp.fetch.http_status; }).has_value());
    REQUIRE(status == 500);
  }
  std::vector<HeldFailure> held = {Held(0), Held(1), Held(2)};
  const int64_t first_fetch = held[0].last_fetch_ms;
  ConfirmOptions co;
  co.after_ms = 200;
  co.times = 2;
  std::vector<size_t> made;  // plan indexes asked for, in order
  auto stats = ConfirmFailures(
      engine, held, co,
      [&](size_t index) {
        made.push_back(index);
        Request r;
        r.index = 99;  // ConfirmFailures sets its own
        r.url = urls[index];
        r.host = index == 2 ? "127.0.0.1:" + std::to_string(refused.port()) : s.host();
        return r;
      },
      &ByStatus);
  REQUIRE(stats.has_value());
  CHECK(stats->rounds == 2);
  CHECK_FALSE(stats->interrupted);
  CHECK_FALSE(stats->deadline);
  // Round 1 fetches all three; round 2 only those not reproduced yet.
  CHECK(made == std::vector<size_t>{0, 1, 2, 1, 2});
  // Confirmed at the first re-fetch that failed again: not fetched a third time.
  CHECK(held[0].outcome.confirm_fetches == 1);
  CHECK(held[0].outcome.confirm_failed == 1);
  CHECK_FALSE(IsFlaky(held[0].outcome));
  // Passed on both re-fetches: flaky.
  CHECK(held[1].outcome.confirm_fetches == 2);
  CHECK(held[1].outcome.confirm_failed == 0);
  CHECK(IsFlaky(held[1].outcome));
  // A refused connection judges nothing: neither confirmed nor flaky.
  CHECK(held[2].outcome.confirm_fetches == 0);
  CHECK(held[2].outcome.confirm_failed == 0);
  CHECK_FALSE(IsFlaky(held[2].outcome));
  // The verdict stays the first fetch's; the re-fetch waited after_ms.
  CHECK(held[1].outcome.result.verdict == Verdict::kException);
  CHECK(held[0].last_fetch_ms >= first_fetch + co.after_ms);
  const auto hits = Hits(engine, s);
  CHECK(hits.value(std::to_string(s.port()) + "|/f/exception-500/index.php|k=persist", 0) == 1);  // round 1 only
  CHECK(hits.value(std::to_string(s.port()) + "|/f/exception-once/index.php|k=flaky", 0) == 3);
}

TEST_CASE("ConfirmFailures: off at 0, nothing past the deadline, stops at Ctrl-C", "[net][confirm]") {
  FaultServer s;
  REQUIRE(s.ok());
  Engine engine(Options());
  int made = 0;
  const auto make = [&](size_t) {
    ++made;
    Request r;
    r.url = s.Url("/f/exception-500/index.php?k=again");
    r.host = s.host();
    return r;
  };

  SECTION("confirm_after_ms = 0 does nothing") {
    std::vector<HeldFailure> held = {Held(0)};
    ConfirmOptions co;
    co.after_ms = 0;
    auto stats = ConfirmFailures(engine, held, co, make, &ByStatus);
    REQUIRE(stats.has_value());
    CHECK(stats->rounds == 0);
    CHECK(made == 0);
    CHECK(held[0].outcome.confirm_fetches == 0);
  }
  SECTION("a wait that would reach the run deadline is not started: unconfirmed, nothing fetched") {
    std::vector<HeldFailure> held = {Held(0)};
    ConfirmOptions co;
    co.after_ms = 10000;
    co.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    auto stats = ConfirmFailures(engine, held, co, make, &ByStatus);
    REQUIRE(stats.has_value());
    CHECK(stats->deadline);
    CHECK(stats->rounds == 0);
    CHECK(made == 0);
    CHECK(held[0].outcome.confirm_fetches == 0);
  }
  SECTION("a stop flag set before the round: interrupted, nothing fetched") {
    std::vector<HeldFailure> held = {Held(0)};
    std::atomic<bool> stop{true};
    ConfirmOptions co;
    co.after_ms = 200;
    co.stop = &stop;
    auto stats = ConfirmFailures(engine, held, co, make, &ByStatus);
    REQUIRE(stats.has_value());
    CHECK(stats->interrupted);
    CHECK(stats->rounds == 0);
    CHECK(made == 0);
  }
}

}  // namespace
}  // namespace bc
