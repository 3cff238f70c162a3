#include "engine/scheduler.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace bc {

Scheduler::Scheduler(SchedulerOptions options, std::function<double()> jitter)
    : options_(options), jitter_(std::move(jitter)) {
  options_.concurrency = std::max(1, options_.concurrency);
  options_.per_host_concurrency = std::max(1, options_.per_host_concurrency);
}

void Scheduler::Add(size_t id, const std::string& host, int tier, SchedTime ready) {
  auto [it, inserted] = host_index_.try_emplace(host, hosts_.size());
  if (inserted) {
    hosts_.emplace_back();
    hosts_.back().key = host;
  }
  auto& queue = hosts_[it->second].tiers[tier <= 0 ? 0 : 1];
  if (!queue.empty() && queue.back().first + queue.back().count == id && queue.back().ready == ready)
    ++queue.back().count;
  else
    queue.push_back(Run{id, 1, ready});
  ++waiting_;
}

bool Scheduler::HostOpen(const Host& host, SchedTime now) const {
  return host.in_flight < options_.per_host_concurrency && now >= host.paused_until &&
         now >= host.next_start;
}

std::optional<size_t> Scheduler::Take(size_t h, int max_tier, SchedTime now) {
  Host& host = hosts_[h];
  // Retried jobs first: they are the oldest work of their host.
  auto best = host.retries.end();
  for (auto it = host.retries.begin(); it != host.retries.end(); ++it) {
    const Job& job = started_.at(*it);
    if (job.tier > max_tier || job.ready > now) continue;
    if (best == host.retries.end() || job.ready < started_.at(*best).ready) best = it;
  }
  if (best != host.retries.end()) {
    const size_t id = *best;
    host.retries.erase(best);
    Start(started_.at(id), now);
    return id;
  }
  for (int tier = 0; tier <= max_tier; ++tier) {
    auto& queue = host.tiers[tier];
    if (queue.empty() || queue.front().ready > now) continue;
    Run& run = queue.front();
    const size_t id = run.first;
    Job& job = started_[id];
    job = Job{};
    job.host = h;
    job.tier = tier;
    job.ready = run.ready;
    job.queued = run.ready;
    ++run.first;
    if (--run.count == 0) queue.pop_front();
    Start(job, now);
    return id;
  }
  return std::nullopt;
}

void Scheduler::Start(Job& job, SchedTime now) {
  Host& host = hosts_[job.host];
  ++job.attempts;
  job.waited += now - job.queued;
  ++host.in_flight;
  ++in_flight_;
  --waiting_;
  if (options_.per_host_rps > 0) {
    // Evenly spaced starts, no burst: a host that was idle does not get to
    // "catch up" on the starts it did not use.
    host.next_start = now + std::chrono::duration_cast<SchedDuration>(
                                std::chrono::duration<double>(1.0 / options_.per_host_rps));
  }
}

std::optional<size_t> Scheduler::Next(SchedTime now) {
  if (in_flight_ >= static_cast<size_t>(options_.concurrency) || hosts_.empty()) return std::nullopt;
  // Two passes: the smoke tier of every host before the rest of any host.
  for (int max_tier = 0; max_tier <= 1; ++max_tier) {
    for (size_t i = 0; i < hosts_.size(); ++i) {
      const size_t h = (cursor_ + i) % hosts_.size();
      Host& host = hosts_[h];
      if (!HostOpen(host, now)) continue;
      if (auto id = Take(h, max_tier, now)) {
        cursor_ = h + 1;  // the next call starts with the following host
        return id;
      }
    }
  }
  return std::nullopt;
}

std::optional<SchedTime> Scheduler::NextWakeup(SchedTime now) const {
  if (in_flight_ >= static_cast<size_t>(options_.concurrency)) return std::nullopt;
  std::optional<SchedTime> best;
  for (const Host& host : hosts_) {
    if (host.in_flight >= options_.per_host_concurrency) continue;
    std::optional<SchedTime> ready;
    auto consider = [&](SchedTime t) {
      if (!ready || t < *ready) ready = t;
    };
    for (size_t id : host.retries) consider(started_.at(id).ready);
    for (const auto& queue : host.tiers)
      if (!queue.empty()) consider(queue.front().ready);
    if (!ready) continue;
    const SchedTime when = std::max({*ready, host.paused_until, host.next_start, now});
    if (!best || when < *best) best = when;
  }
  return best;
}

void Scheduler::Finished(size_t id) {
  const Job& job = started_.at(id);
  --hosts_[job.host].in_flight;
  --in_flight_;
}

std::optional<SchedTime> Scheduler::Retry(size_t id, SchedTime now,
                                          std::optional<SchedDuration> retry_after) {
  Job& job = started_.at(id);
  if (job.attempts - job.waits > options_.retries) return std::nullopt;
  Host& host = hosts_[job.host];
  SchedDuration delay{};
  if (retry_after) {
    delay = std::clamp(*retry_after, SchedDuration::zero(), options_.backoff_max);
    host.paused_until = std::max(host.paused_until, now + delay);
  } else {
    // attempts >= 1 here: retry k waits around backoff * 2^(k-1).
    const double factor = std::ldexp(1.0, std::min(job.attempts - 1, 30));
    const double base = std::min(static_cast<double>(options_.backoff.count()) * factor,
                                 static_cast<double>(options_.backoff_max.count()));
    const double j = std::clamp(jitter_ ? jitter_() : 0.5, 0.0, 1.0);
    delay = SchedDuration(static_cast<SchedDuration::rep>(base / 2 + j * base / 2));
  }
  return Requeue(id, job, now, now + delay);
}

SchedTime Scheduler::Wait(size_t id, SchedTime now, SchedDuration wait) {
  Job& job = started_.at(id);
  Host& host = hosts_[job.host];
  wait = std::max(wait, SchedDuration::zero());
  host.paused_until = std::max(host.paused_until, now + wait);
  ++job.waits;
  return Requeue(id, job, now, now + wait);
}

SchedTime Scheduler::Requeue(size_t id, Job& job, SchedTime now, SchedTime ready) {
  job.ready = ready;
  job.queued = now;
  hosts_[job.host].retries.push_back(id);
  ++waiting_;
  return ready;
}

std::vector<size_t> Scheduler::Drain() {
  std::vector<size_t> out;
  Drain([&](size_t id) { out.push_back(id); });
  return out;
}

void Scheduler::Drain(const std::function<void(size_t)>& each) {
  // Taken out of the queues first, so `each` may call back into the scheduler.
  std::vector<std::vector<size_t>> retries;
  std::vector<std::deque<Run>> runs;
  for (Host& host : hosts_) {
    retries.push_back(std::move(host.retries));
    host.retries.clear();
    for (auto& queue : host.tiers) {
      runs.push_back(std::move(queue));
      queue.clear();
    }
  }
  waiting_ = 0;
  for (const auto& ids : retries)
    for (size_t id : ids) each(id);
  for (const auto& queue : runs)
    for (const Run& run : queue)
      for (size_t id = run.first; id < run.first + run.count; ++id) each(id);
}

int Scheduler::Attempts(size_t id) const {
  auto it = started_.find(id);
  return it == started_.end() ? 0 : it->second.attempts;
}

SchedDuration Scheduler::Waited(size_t id) const {
  auto it = started_.find(id);
  return it == started_.end() ? SchedDuration{} : it->second.waited;
}

}  // namespace bc
