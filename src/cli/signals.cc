#include "cli/signals.h"

#include <unistd.h>

#include <csignal>

namespace bc {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void OnStopSignal(int sig) {
  // A second signal: leave at once. history.sqlite is written in
  // transactions (report/history_writer.h), so an abrupt exit cannot corrupt
  // it: at worst the run stays recorded as in progress (partial).
  if (g_stop.exchange(true)) _exit(128 + sig);
  g_signal = sig;
}

}  // namespace

const std::atomic<bool>* InstallStopHandlers() {
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  return &g_stop;
}

int InterruptedExitCode() { return g_signal == SIGTERM ? 143 : 130; }

}  // namespace bc
