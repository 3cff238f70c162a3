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

Scheduler::Job& Scheduler::JobAt(size_t id) {
  if (id >= jobs_.size()) jobs_.resize(id + 1);
  return jobs_[id];
}

void Scheduler::Add(size_t id, const std::string& host, int tier, SchedTime ready) {
  auto [it, inserted] = host_index_.try_emplace(host, hosts_.size());
  if (inserted) {
    hosts_.emplace_back();
    hosts_.back().key = host;
  }
  Job& job = JobAt(id);
  job = Job{};
  job.host = it->second;
  job.tier = tier <= 0 ? 0 : 1;
  job.ready = ready;
  job.queued = ready;
  hosts_[job.host].tiers[job.tier].push_back(id);
  ++waiting_;
}

bool Scheduler::HostOpen(const Host& host, SchedTime now) const {
  return host.in_flight < options_.per_host_concurrency && now >= host.paused_until &&
         now >= host.next_start;
}

std::optional<size_t> Scheduler::Take(Host& host, int max_tier, SchedTime now) {
  // Retried jobs first: they are the oldest work of their host.
  auto best = host.retries.end();
  for (auto it = host.retries.begin(); it != host.retries.end(); ++it) {
    const Job& job = jobs_[*it];
    if (job.tier > max_tier || job.ready > now) continue;
    if (best == host.retries.end() || job.ready < jobs_[*best].ready) best = it;
  }
  if (best != host.retries.end()) {
    const size_t id = *best;
    host.retries.erase(best);
    return id;
  }
  for (int tier = 0; tier <= max_tier; ++tier) {
    auto& queue = host.tiers[tier];
    if (!queue.empty() && jobs_[queue.front()].ready <= now) {
      const size_t id = queue.front();
      queue.pop_front();
      return id;
    }
  }
  return std::nullopt;
}

void Scheduler::Start(size_t id, SchedTime now) {
  Job& job = jobs_[id];
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
      if (auto id = Take(host, max_tier, now)) {
        Start(*id, now);
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
    auto consider = [&](size_t id) {
      if (!ready || jobs_[id].ready < *ready) ready = jobs_[id].ready;
    };
    for (size_t id : host.retries) consider(id);
    for (const auto& queue : host.tiers)
      if (!queue.empty()) consider(queue.front());
    if (!ready) continue;
    const SchedTime when = std::max({*ready, host.paused_until, host.next_start, now});
    if (!best || when < *best) best = when;
  }
  return best;
}

void Scheduler::Finished(size_t id) {
  Job& job = jobs_[id];
  --hosts_[job.host].in_flight;
  --in_flight_;
}

std::optional<SchedTime> Scheduler::Retry(size_t id, SchedTime now,
                                          std::optional<SchedDuration> retry_after) {
  Job& job = jobs_[id];
  if (job.attempts > options_.retries) return std::nullopt;
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
  job.ready = now + delay;
  job.queued = now;
  host.retries.push_back(id);
  ++waiting_;
  return job.ready;
}

std::vector<size_t> Scheduler::Drain() {
  std::vector<size_t> out;
  for (Host& host : hosts_) {
    out.insert(out.end(), host.retries.begin(), host.retries.end());
    host.retries.clear();
    for (auto& queue : host.tiers) {
      out.insert(out.end(), queue.begin(), queue.end());
      queue.clear();
    }
  }
  waiting_ = 0;
  return out;
}

int Scheduler::Attempts(size_t id) const { return id < jobs_.size() ? jobs_[id].attempts : 0; }

SchedDuration Scheduler::Waited(size_t id) const {
  return id < jobs_.size() ? jobs_[id].waited : SchedDuration{};
}

}  // namespace bc
