// [crawl] mapped onto the engine's own options, with the run's stop flag and
// deadline. The engine knows nothing of targets files; every caller that
// builds an Engine from a targets file goes through here.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>

#include "config/targets.h"
#include "engine/engine.h"

namespace bc {

// When a run began and how it is stopped: one per run, handed to every stage
// that builds an Engine (discovery, logins, the crawl), so they share one
// deadline (CrawlOptions::deadline_ms from `started`) and one stop flag.
struct RunClock {
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  const std::atomic<bool>* stop = nullptr;  // Ctrl-C/TERM; null = none
};

// started + deadline_ms; nullopt when deadline_ms is 0 (no deadline).
std::optional<std::chrono::steady_clock::time_point> RunDeadline(const CrawlOptions& crawl, const RunClock& clock);

// Every [crawl] limit the engine uses, the run's stop flag and deadline.
EngineOptions EngineOptionsFor(const CrawlOptions& crawl, const RunClock& clock = {});

}  // namespace bc
