// Scheduler unit tests: a fake clock (plain time points we advance by hand),
// no network, no sleeping.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/scheduler.h"

namespace bc {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

SchedTime T0() { return SchedTime{} + seconds(1000); }

SchedulerOptions Opts(int concurrency, int per_host) {
  SchedulerOptions o;
  o.concurrency = concurrency;
  o.per_host_concurrency = per_host;
  o.retries = 3;
  o.backoff = milliseconds(100);
  o.backoff_max = milliseconds(1000);
  return o;
}

// Starts everything startable at `now`.
std::vector<size_t> StartAll(Scheduler& s, SchedTime now) {
  std::vector<size_t> started;
  while (auto id = s.Next(now)) started.push_back(*id);
  return started;
}

TEST_CASE("per-host cap holds when two wikis share a host", "[scheduler]") {
  Scheduler s(Opts(32, 2), [] { return 0.5; });
  // Two wikis (4 jobs each) on one host:port, one wiki (4 jobs) on another.
  for (size_t i = 0; i < 8; ++i) s.Add(i, "shared.local:443", 1, T0());
  for (size_t i = 8; i < 12; ++i) s.Add(i, "other.local:443", 1, T0());
  auto started = StartAll(s, T0());
  int shared = 0, other = 0;
  for (size_t id : started) (id < 8 ? shared : other)++;
  CHECK(shared == 2);
  CHECK(other == 2);
  CHECK(s.InFlight() == 4);
  // Finishing one shared job frees exactly one shared slot.
  s.Finished(started.front() < 8 ? started.front() : started.back());
  auto more = StartAll(s, T0());
  REQUIRE(more.size() == 1);
  CHECK(more[0] < 8);
}

TEST_CASE("global cap holds across hosts", "[scheduler]") {
  Scheduler s(Opts(3, 8), [] { return 0.5; });
  for (size_t i = 0; i < 20; ++i) s.Add(i, "h" + std::to_string(i % 5), 1, T0());
  CHECK(StartAll(s, T0()).size() == 3);
  CHECK_FALSE(s.NextWakeup(T0()).has_value());  // only a Finished can help
}

TEST_CASE("smoke tier starts first and hosts take turns", "[scheduler]") {
  Scheduler s(Opts(100, 100), [] { return 0.5; });
  // Host a: 3 tier-1 then 1 tier-0; host b: 1 tier-0 then 3 tier-1.
  s.Add(0, "a", 1, T0());
  s.Add(1, "a", 1, T0());
  s.Add(2, "a", 1, T0());
  s.Add(3, "a", 0, T0());
  s.Add(4, "b", 0, T0());
  s.Add(5, "b", 1, T0());
  s.Add(6, "b", 1, T0());
  s.Add(7, "b", 1, T0());
  auto order = StartAll(s, T0());
  REQUIRE(order.size() == 8);
  CHECK(std::set<size_t>{order[0], order[1]} == std::set<size_t>{3, 4});
  // Then tier 1 alternating hosts: a, b, a, b, ...
  for (size_t i = 2; i + 1 < order.size(); ++i) {
    const bool a_now = order[i] <= 3;
    const bool a_next = order[i + 1] <= 3;
    CHECK(a_now != a_next);
  }
}

TEST_CASE("Retry-After delays only that host", "[scheduler]") {
  SchedulerOptions o = Opts(32, 1);
  o.backoff_max = seconds(10);
  Scheduler s(o, [] { return 0.5; });
  s.Add(0, "slow", 1, T0());
  s.Add(1, "slow", 1, T0());
  s.Add(2, "fast", 1, T0());
  s.Add(3, "fast", 1, T0());
  auto first = StartAll(s, T0());
  REQUIRE(first.size() == 2);  // one per host (per-host cap 1)
  const size_t slow_job = first[0] < 2 ? first[0] : first[1];
  const size_t fast_job = first[0] < 2 ? first[1] : first[0];
  s.Finished(slow_job);
  auto when = s.Retry(slow_job, T0(), seconds(5));
  REQUIRE(when.has_value());
  CHECK(*when == T0() + seconds(5));
  s.Finished(fast_job);
  // The fast host goes on at once; the slow host waits although its slot is free.
  auto now_started = StartAll(s, T0() + milliseconds(1));
  REQUIRE(now_started.size() == 1);
  CHECK(now_started[0] >= 2);
  CHECK_FALSE(s.Next(T0() + seconds(4)).has_value());
  REQUIRE(s.NextWakeup(T0() + seconds(4)).has_value());
  CHECK(*s.NextWakeup(T0() + seconds(4)) == T0() + seconds(5));
  auto later = s.Next(T0() + seconds(5));
  REQUIRE(later.has_value());
  CHECK(*later == slow_job);  // the retried job goes before its host's fresh one
}

TEST_CASE("Retry-After is capped at backoff_max", "[scheduler]") {
  Scheduler s(Opts(32, 1), [] { return 0.5; });
  s.Add(0, "h", 1, T0());
  REQUIRE(s.Next(T0()) == 0u);
  s.Finished(0);
  CHECK(s.Retry(0, T0(), seconds(3600)) == T0() + milliseconds(1000));
}

TEST_CASE("backoff grows and is capped", "[scheduler]") {
  for (double j : {0.0, 0.999}) {
    SchedulerOptions o = Opts(1, 1);
    o.retries = 8;
    Scheduler s(o, [j] { return j; });
    s.Add(0, "h", 1, T0());
    SchedTime now = T0();
    std::vector<SchedDuration> delays;
    for (int k = 0; k < 8; ++k) {
      REQUIRE(s.Next(now) == 0u);
      s.Finished(0);
      auto when = s.Retry(0, now, std::nullopt);
      REQUIRE(when.has_value());
      delays.push_back(*when - now);
      now = *when;
    }
    // 100 ms, 200, 400, 800, then capped at 1000: each delay in [base/2, base].
    const std::vector<int> base_ms = {100, 200, 400, 800, 1000, 1000, 1000, 1000};
    for (size_t k = 0; k < delays.size(); ++k) {
      CHECK(delays[k] >= milliseconds(base_ms[k]) / 2);
      CHECK(delays[k] <= milliseconds(base_ms[k]));
      if (k > 0 && base_ms[k] > base_ms[k - 1]) CHECK(delays[k] > delays[k - 1]);
    }
    // The retry limit: the 9th failure is final.
    REQUIRE(s.Next(now) == 0u);
    s.Finished(0);
    CHECK_FALSE(s.Retry(0, now, std::nullopt).has_value());
  }
}

TEST_CASE("per-host rate spaces starts evenly", "[scheduler]") {
  SchedulerOptions o = Opts(32, 32);
  o.per_host_rps = 4;  // one start per 250 ms
  Scheduler s(o, [] { return 0.5; });
  for (size_t i = 0; i < 4; ++i) s.Add(i, "h", 1, T0());
  CHECK(StartAll(s, T0()).size() == 1);
  CHECK(StartAll(s, T0() + milliseconds(249)).empty());
  REQUIRE(s.NextWakeup(T0() + milliseconds(100)).has_value());
  CHECK(*s.NextWakeup(T0() + milliseconds(100)) == T0() + milliseconds(250));
  CHECK(StartAll(s, T0() + milliseconds(250)).size() == 1);
}

TEST_CASE("every probe ends exactly once", "[scheduler]") {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  SchedulerOptions o = Opts(7, 3);
  o.per_host_rps = 50;
  Scheduler s(o, [&] { return uni(rng); });
  const size_t n = 2000;
  for (size_t i = 0; i < n; ++i) s.Add(i, "host" + std::to_string(i % 5), i % 40 == 0 ? 0 : 1, T0());
  std::vector<int> ended(n, 0);
  std::vector<size_t> in_flight;
  SchedTime now = T0();
  size_t done = 0;
  int steps = 0;
  while (done < n && steps < 1000000) {
    ++steps;
    for (size_t id : StartAll(s, now)) in_flight.push_back(id);
    CHECK(s.InFlight() <= 7);
    if (in_flight.empty()) {
      auto wake = s.NextWakeup(now);
      REQUIRE(wake.has_value());  // nothing in flight: time alone must unblock
      now = std::max(now + milliseconds(1), *wake);
      continue;
    }
    // Finish a random in-flight job; a third of the attempts fail and retry.
    const size_t pick = static_cast<size_t>(uni(rng) * static_cast<double>(in_flight.size()));
    const size_t id = in_flight[pick];
    in_flight.erase(in_flight.begin() + static_cast<long>(pick));
    s.Finished(id);
    now += milliseconds(3);
    if (uni(rng) < 0.33) {
      auto ra = uni(rng) < 0.2 ? std::optional<SchedDuration>(milliseconds(200)) : std::nullopt;
      if (s.Retry(id, now, ra)) continue;
    }
    ++ended[id];
    ++done;
  }
  CHECK(done == n);
  CHECK(s.Waiting() == 0);
  CHECK(s.InFlight() == 0);
  for (size_t i = 0; i < n; ++i) {
    INFO("job " << i);
    REQUIRE(ended[i] == 1);
    CHECK(s.Attempts(i) >= 1);
    CHECK(s.Attempts(i) <= 4);
  }
}

TEST_CASE("drain hands back every waiting job and none in flight", "[scheduler]") {
  Scheduler s(Opts(2, 2), [] { return 0.5; });
  for (size_t i = 0; i < 10; ++i) s.Add(i, "h", 1, T0());
  auto started = StartAll(s, T0());
  REQUIRE(started.size() == 2);
  auto drained = s.Drain();
  CHECK(drained.size() == 8);
  std::set<size_t> all(drained.begin(), drained.end());
  all.insert(started.begin(), started.end());
  CHECK(all.size() == 10);
  CHECK(s.Waiting() == 0);
  CHECK_FALSE(s.Next(T0()).has_value());
}

// Fresh jobs are stored as runs of consecutive ids (no entry per job): the
// order, the tiers, the ready times and Drain must be exactly as if each job
// had its own entry.
TEST_CASE("fresh jobs keep their order across runs of ids, tiers and ready times", "[scheduler]") {
  Scheduler s(Opts(1, 1), [] { return 0.5; });
  for (size_t i = 0; i < 5; ++i) s.Add(i, "h", 1, T0());
  for (size_t i = 5; i < 7; ++i) s.Add(i, "h", 0, T0());   // smoke tier: first
  s.Add(7, "h", 1, T0() + seconds(1));                     // not ready yet: holds the line behind it
  s.Add(8, "h", 1, T0());
  s.Add(20, "h", 1, T0());                                 // a gap in the ids
  s.Add(9, "h", 1, T0());
  CHECK(s.Waiting() == 11);
  std::vector<size_t> order;
  auto drive = [&](SchedTime now) {
    while (auto id = s.Next(now)) {
      order.push_back(*id);
      s.Finished(*id);
    }
  };
  drive(T0());
  CHECK(order == std::vector<size_t>{5, 6, 0, 1, 2, 3, 4});
  CHECK(s.NextWakeup(T0()) == T0() + seconds(1));
  drive(T0() + seconds(1));
  CHECK(order == std::vector<size_t>{5, 6, 0, 1, 2, 3, 4, 7, 8, 20, 9});
  CHECK(s.Waiting() == 0);
}

TEST_CASE("a job's state lives from its first start until Forget", "[scheduler]") {
  Scheduler s(Opts(4, 4), [] { return 0.5; });
  for (size_t i = 0; i < 100; ++i) s.Add(i, "h", 1, T0());
  CHECK(s.Attempts(42) == 0);
  auto started = StartAll(s, T0() + milliseconds(30));
  REQUIRE(started == std::vector<size_t>{0, 1, 2, 3});
  CHECK(s.Attempts(0) == 1);
  CHECK(s.Waited(0) == milliseconds(30));
  s.Finished(0);
  REQUIRE(s.Retry(0, T0() + milliseconds(40)).has_value());
  CHECK(s.Attempts(0) == 1);
  s.Finished(1);
  s.Forget(1);
  CHECK(s.Attempts(1) == 0);
  CHECK(s.Waited(1) == SchedDuration{});
  // Drain, one id at a time: the retried job, then the untouched rest (4..99) once each.
  std::vector<size_t> drained;
  s.Drain([&](size_t id) { drained.push_back(id); });
  REQUIRE(drained.size() == 97);
  CHECK(drained.front() == 0);
  std::set<size_t> unique(drained.begin(), drained.end());
  CHECK(unique.size() == 97);
  CHECK_FALSE(unique.contains(1));
  CHECK_FALSE(unique.contains(2));
  CHECK(s.Waiting() == 0);
}

}  // namespace
}  // namespace bc
