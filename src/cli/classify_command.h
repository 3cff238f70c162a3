// `crawler classify FILE...`: triage saved pages with the crawler's own
// classifier; prints one JSON object per file on stdout:
//   {"file": F, "verdict": V, "evidence": {exception_class, message, request_id,
//    signature, excerpt, detail}}
// Exit code 0 when every file was classified (whatever the verdicts), 2 when a
// file or the --headers file could not be read (the other files are still done).
#pragma once

#include <CLI/CLI.hpp>

namespace bc {

void AddClassifyCommand(CLI::App& app, int& exit_code);

}  // namespace bc
