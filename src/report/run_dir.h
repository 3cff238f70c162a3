// The results directory: run ids, one directory per run, atomic file writes
// and the `latest` symlink.
//
//   results/
//     history.sqlite
//     latest -> 20261127T031845Z-abcd      (relative symlink, newest finished run, partial or not)
//     20261127T031845Z-abcd/pages.jsonl ...
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace bc {

// "20261127T031845Z-abcd": the UTC second of `unix_ms` and 4 hex digits of
// `random` (its low 16 bits). Ids sort by time as plain strings.
std::string MakeRunId(int64_t unix_ms, uint32_t random);
// Same, for now, with a random suffix from std::random_device.
std::string MakeRunId();

// "2026-11-27T03:18:45.123Z" (ISO 8601, UTC, milliseconds).
std::string FormatIsoUtc(int64_t unix_ms);
// "2026-11-27T03:18:45Z" (ISO 8601, UTC, whole seconds): log line stamps.
std::string FormatIsoUtcSeconds(int64_t unix_ms);

// Wall clock now, in Unix milliseconds.
int64_t NowUnixMs();

// True when `name` has the shape MakeRunId produces (also guards prune and
// path joins against "../x" or "latest").
bool IsRunId(std::string_view name);

// Creates results_dir (with parents) and results_dir/run_id; the run
// directory must not exist yet. Returns the run directory's path.
Result<std::string> CreateRunDir(const std::string& results_dir, const std::string& run_id);

// Writes `content` to a temporary file next to `path`, fsyncs it and renames
// it over `path`: readers see the old file or the whole new one, never a part.
Result<void> WriteFileAtomically(const std::string& path, std::string_view content);

// Points results_dir/latest at run_id (a relative symlink), replacing an
// older link atomically (new link under a temporary name, then rename).
Result<void> UpdateLatestSymlink(const std::string& results_dir, const std::string& run_id);

// Names of the run directories under results_dir, oldest first.
Result<std::vector<std::string>> ListRunDirs(const std::string& results_dir);

// Removes results_dir/run_id and everything in it. Refuses names that are
// not run ids, and refuses the run `latest` points at.
Result<void> RemoveRunDir(const std::string& results_dir, const std::string& run_id);

}  // namespace bc
