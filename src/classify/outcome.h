// Outcome: what happened to one probe, the engine's Fetch (transport facts)
// joined with the verdict on the page. Every planned probe gets exactly one.
#pragma once

#include <cstddef>

#include "classify/verdict.h"
#include "engine/fetch.h"

namespace bc {

struct Outcome : Fetch {
  size_t probe_index = 0;  // index into the plan's probe vector
  Classification result;   // verdict + evidence
};

}  // namespace bc
