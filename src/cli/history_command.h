// `crawler history`, `crawler diff`, `crawler prune`: reading and trimming
// results/ (run directories and results/history.sqlite).
#pragma once

#include <string>

#include "core/error.h"

#include <CLI/CLI.hpp>

namespace bc {

// Registers the three subcommands; each callback stores its exit code in
// `exit_code` (which must outlive app.parse):
//   history [--results DIR] [--limit N] [--format text|json]   0, or 2 on error
//   diff RUN_A RUN_B [--results DIR] [--format text|json]      0 no new failures in B, 1 new failures, 2 error
//   prune --keep N [--results DIR] [--dry-run]                 0, or 2 on error
// RUN_A / RUN_B are run ids, or "latest" (what results/latest points at).
void AddHistoryCommands(CLI::App& app, int& exit_code);

// "latest" -> the run id results/latest points at; anything else as is.
Result<std::string> ResolveRun(const std::string& results, const std::string& name);

}  // namespace bc
