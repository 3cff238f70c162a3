#include "cli/progress.h"

#include <fmt/format.h>

#include <cstdio>

namespace bc {

ProgressDisplay::ProgressDisplay(size_t total, bool tty, bool failures)
    : total_(total), tty_(tty), failures_(failures) {}

void ProgressDisplay::Add(const Probe& probe, const Outcome& outcome) {
  ++done_;
  const bool ok = outcome.result.verdict == Verdict::kOk;
  if (!ok) ++failed_;
  if (!ok && failures_) {
    if (tty_) std::fputs("\r\033[K", stderr);  // the failure line goes above the progress line
    fmt::print("{:<10} {:<10} {:<14} {}\n", VerdictName(outcome.result.verdict), probe.wiki, PageKindName(probe.kind),
               probe.query);
    std::fflush(stdout);
  }
  Draw(!ok);
}

void ProgressDisplay::Draw(bool force) {
  if (!tty_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100) && done_ < total_) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
  const double eta = rate > 0 && total_ > done_ ? static_cast<double>(total_ - done_) / rate : 0;
  fmt::print(stderr, "\r\033[K[{}/{}] {:.1f} pages/s, {} not ok, ETA {:.0f} s", done_, total_, rate, failed_, eta);
  std::fflush(stderr);
}

void ProgressDisplay::Finish() {
  if (tty_) std::fputs("\r\033[K", stderr);
}

}  // namespace bc
