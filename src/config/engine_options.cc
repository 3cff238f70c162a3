#include "config/engine_options.h"

namespace bc {

std::optional<std::chrono::steady_clock::time_point> RunDeadline(const CrawlOptions& crawl, const RunClock& clock) {
  if (crawl.deadline_ms <= 0) return std::nullopt;
  return clock.started + std::chrono::milliseconds(crawl.deadline_ms);
}

EngineOptions EngineOptionsFor(const CrawlOptions& crawl, const RunClock& clock) {
  EngineOptions o;
  o.user_agent = crawl.user_agent;
  o.concurrency = crawl.concurrency;
  o.per_host_concurrency = crawl.per_host_concurrency;
  o.per_host_rps = crawl.per_host_rps;
  o.connect_timeout_ms = crawl.connect_timeout_ms;
  o.timeout_ms = crawl.timeout_ms;
  o.low_speed_bytes = crawl.low_speed_bytes;
  o.low_speed_time_ms = crawl.low_speed_time_ms;
  o.retries = crawl.retries;
  o.backoff_ms = crawl.backoff_ms;
  o.backoff_max_ms = crawl.backoff_max_ms;
  o.max_body_bytes = crawl.max_body_bytes;
  o.max_redirects = crawl.max_redirects;
  o.verify_tls = crawl.verify_tls;
  o.ca_file = crawl.ca_file;
  o.resolve = crawl.resolve;
  o.stop = clock.stop;
  o.deadline = RunDeadline(crawl, clock);
  return o;
}

}  // namespace bc
