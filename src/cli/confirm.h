// Confirmation: a failure must reproduce before it turns a job red. After the
// crawl, each product failure is fetched again, at least confirm_after_ms
// after its last fetch (scap's "wait and check again", not an immediate
// retry), up to confirm_times rounds; a failure is confirmed at the first
// re-fetch that fails again, and `flaky` when every re-fetch that judged the
// page passed. A re-fetch that could not judge it (transport, auth, not run)
// counts neither way: with none that judged, the failure stays unconfirmed
// (it fails the run as before).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "config/targets.h"
#include "core/error.h"
#include "classify/outcome.h"
#include "engine/engine.h"

namespace bc {

// A product failure held back from the reports until it is confirmed.
struct HeldFailure {
  size_t index = 0;           // plan index of the probe
  Outcome outcome;            // of the first fetch; confirm_fetches/confirm_failed are filled in
  int64_t last_fetch_ms = 0;  // unix ms the probe was last fetched (outcome.finished_unix_ms at first)
};

struct ConfirmOptions {
  int64_t after_ms = 10000;     // CrawlOptions::confirm_after_ms; 0 = do nothing
  int times = 1;                // CrawlOptions::confirm_times
  // The run deadline (RunDeadline): no round whose wait would reach it starts.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  bool warnings_fail = false;   // what counts as failing again
  const std::atomic<bool>* stop = nullptr;  // Ctrl-C/TERM: stop waiting and fetching
};

struct ConfirmStats {
  int rounds = 0;              // rounds fetched
  bool interrupted = false;    // *stop became true
  bool deadline = false;       // a round was skipped (or cut off) by the run deadline
};

// Re-fetches the held failures through `engine` (its sessions' cookies, its
// limits, its deadline) with make(index) as the request and judge(index,
// response) for the verdict. Waits with Engine::Sleep (ends at *stop or the
// deadline). Updates each held outcome.
Result<ConfirmStats> ConfirmFailures(Engine& engine, std::vector<HeldFailure>& held, const ConfirmOptions& options,
                                     const std::function<Request(size_t index)>& make,
                                     const std::function<Verdict(size_t index, Response&&)>& judge);

}  // namespace bc
