// The process's own memory, from /proc/self/status (Linux).
#pragma once

#include <cstdint>

namespace bc {

// Resident set size now (VmRSS) and its peak so far (VmHWM), in KiB; 0 when
// /proc cannot be read.
int64_t ResidentKb();
int64_t PeakResidentKb();

}  // namespace bc
