// Outcome: what happened to one probe, the engine's Fetch (transport facts)
// joined with the verdict on the page. Every planned probe gets exactly one.
#pragma once

#include <cstddef>
#include <string>

#include "classify/verdict.h"
#include "engine/fetch.h"

namespace bc {

struct Outcome : Fetch {
  size_t probe_index = 0;  // index into the plan's probe vector
  Classification result;   // verdict + evidence
  // Set after the fetch, for product failures only (src/cli/crawl.cc):
  std::string known_task;  // "T181191": a known-issues entry matched (config/known.h); "" = none
  int confirm_fetches = 0; // re-fetches that judged the page (ok or failing) to confirm it; 0 = not confirmed
  int confirm_failed = 0;  // of those, how many failed again
};

// A product failure that was fetched again and never failed again.
inline bool IsFlaky(const Outcome& o) { return o.confirm_fetches > 0 && o.confirm_failed == 0; }

}  // namespace bc
