// Scheduler: decides which transfer may start now. Pure: no curl, no clock of
// its own (every call takes `now`), no threads; the engine's I/O thread is its
// only user. Unit-tested with a fake clock (tests/unit/scheduler_test.cc).
//
// What it enforces:
//  - a global in-flight cap and a per-host in-flight cap ("host" is the
//    scheduling key "host:port": two wikis on one host share its cap);
//  - a per-host start rate (requests/s, evenly spaced, no burst);
//  - per-host pauses from Retry-After (the whole host waits, other hosts don't);
//  - per-job backoff: exponential with jitter, capped, and a retry limit;
//  - order: every tier-0 job before any tier-1 job that could start at the
//    same moment; hosts take turns (round-robin), so one slow wiki cannot
//    starve the others and a smoke tier covers every host first.
//
// Job lifecycle (a job id is the caller's index, 0..n-1, unique per Add):
//   Add -> Next (started, counts in flight) -> Finished (slot freed) ->
//   either Retry (back to waiting, returns when) or the job is over (Forget
//   drops its state once Attempts and Waited are read).
// Drain() hands back every job still waiting (stop, deadline, --fail-fast).
//
// Memory: a job that never started costs nothing of its own. Jobs added with
// consecutive ids, one host, one tier and one ready time (a plan's probes of
// one wiki) are one run {first, count, ready} in their host's queue; only
// started jobs (in flight, or waiting for a retry) have a Job entry, and
// Forget removes it. So the scheduler holds O(hosts + runs + in flight), not
// O(probes): 200,000 probes of one host are one run.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace bc {

using SchedClock = std::chrono::steady_clock;
using SchedTime = SchedClock::time_point;
using SchedDuration = std::chrono::nanoseconds;

struct SchedulerOptions {
  int concurrency = 32;                 // jobs in flight across all hosts; >= 1
  int per_host_concurrency = 8;         // jobs in flight per host; >= 1
  double per_host_rps = 0;              // starts per second per host; 0 = unlimited
  int retries = 2;                      // Retry() succeeds this many times per job
  SchedDuration backoff = std::chrono::milliseconds(500);       // first backoff
  SchedDuration backoff_max = std::chrono::milliseconds(30000);  // cap for backoff and Retry's retry_after
};

class Scheduler {
 public:
  // `jitter` returns a uniform value in [0, 1); it is called once per backoff.
  // The delay for retry k (1-based) is d = min(max, backoff * 2^(k-1)) and the
  // job waits d/2 + jitter()*d/2 ("equal jitter": it still grows with k).
  Scheduler(SchedulerOptions options, std::function<double()> jitter);

  // Queues a job; `ready` is the earliest start time (usually now). Whether a
  // failure may be retried at all (GET vs POST) is the caller's decision.
  void Add(size_t id, const std::string& host, int tier, SchedTime ready);

  // The next job allowed to start at `now`, marking it in flight; nullopt when
  // none may start now (caps full, host paused or rate-limited, backoff).
  std::optional<size_t> Next(SchedTime now);

  // When a waiting job could next become startable by time alone (backoff,
  // Retry-After, rate), or nullopt when nothing waits or only a free slot
  // (a Finished call) would help. The engine sleeps until then at most.
  std::optional<SchedTime> NextWakeup(SchedTime now) const;

  // The job's transfer ended (any way); frees its slots.
  void Finished(size_t id);

  // Re-queues a finished job for another attempt. `retry_after` (from the
  // server) pauses the job's whole host until now + retry_after (capped at
  // backoff_max) and replaces the backoff for this attempt. Returns the time
  // the job may start again, or nullopt when the job used all its retries.
  std::optional<SchedTime> Retry(size_t id, SchedTime now,
                                 std::optional<SchedDuration> retry_after = std::nullopt);

  // Re-queues a finished job after a wait the server asked for (429/503
  // Retry-After, maxlag): the job's whole host pauses until now + wait, in
  // full (no backoff_max cap), and the attempt does not count against
  // `retries`. Whether to wait at all (the run's deadline, a bound on the
  // total) is the caller's decision. Returns the time the job may start.
  SchedTime Wait(size_t id, SchedTime now, SchedDuration wait);

  // Removes and returns every job waiting to start (not those in flight).
  std::vector<size_t> Drain();
  // The same, one id at a time (no list of every unstarted job at once).
  void Drain(const std::function<void(size_t)>& each);

  int Attempts(size_t id) const;  // starts so far (1 after the first Next)
  // Time the job spent waiting to start, summed over its attempts.
  SchedDuration Waited(size_t id) const;
  // The job is over and its Attempts/Waited were read: drop its state
  // (afterwards both read as for a job that never started).
  void Forget(size_t id) { started_.erase(id); }
  size_t InFlight() const { return in_flight_; }
  size_t Waiting() const { return waiting_; }

 private:
  // A started job (in flight, or waiting for a retry).
  struct Job {
    size_t host = 0;     // index into hosts_
    int tier = 1;
    int attempts = 0;
    int waits = 0;       // attempts re-queued by Wait (not counted against retries)
    SchedTime ready{};   // earliest start (backoff)
    SchedTime queued{};  // when it last started waiting
    SchedDuration waited{};
  };
  // Fresh jobs first, first+1, ..., first+count-1: same host, tier and ready time.
  struct Run {
    size_t first = 0;
    size_t count = 0;
    SchedTime ready{};
  };
  struct Host {
    std::string key;
    std::deque<Run> tiers[2];     // waiting fresh jobs by tier (0 smoke, 1 rest)
    std::vector<size_t> retries;  // waiting retried jobs (any ready time)
    int in_flight = 0;
    SchedTime paused_until{};     // Retry-After
    SchedTime next_start{};       // rate limit
  };

  // A job of host `h` (at most tier `max_tier`) startable at `now`, removed
  // from its queue and started; nullopt if none.
  std::optional<size_t> Take(size_t h, int max_tier, SchedTime now);
  bool HostOpen(const Host& host, SchedTime now) const;
  void Start(Job& job, SchedTime now);
  // Back among `id`'s host's waiting retries, startable from `ready` (Retry
  // and Wait). Returns `ready`.
  SchedTime Requeue(size_t id, Job& job, SchedTime now, SchedTime ready);

  SchedulerOptions options_;
  std::function<double()> jitter_;
  std::unordered_map<std::string, size_t> host_index_;
  std::vector<Host> hosts_;
  std::unordered_map<size_t, Job> started_;  // by id: only jobs that started
  size_t cursor_ = 0;  // round-robin position over hosts_
  size_t in_flight_ = 0;
  size_t waiting_ = 0;
};

}  // namespace bc
