// Ctrl-C and SIGTERM for long-running commands (run, recheck, watch): the first
// signal sets a flag the engine polls (finish in-flight transfers quickly,
// write every outcome, exit 130/143); a second one exits at once.
// Installed before discovery: the engine's stop flag ends discovery, logins and
// the crawl alike, and an interrupted run is written from any of them.
#pragma once

#include <atomic>

namespace bc {

// Installs the SIGINT/SIGTERM handlers; returns the flag they set. The flag
// lives for the whole process (the one piece of process-wide state: a signal
// handler can reach nothing else).
const std::atomic<bool>* InstallStopHandlers();

// The exit code for an interrupted command: 130 after SIGINT, 143 after SIGTERM.
int InterruptedExitCode();

}  // namespace bc
