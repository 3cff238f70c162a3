#include "cli/confirm.h"

#include <algorithm>

#include "report/run_dir.h"

namespace bc {

Result<ConfirmStats> ConfirmFailures(Engine& engine, std::vector<HeldFailure>& held, const ConfirmOptions& options,
                                     const std::function<Request(size_t index)>& make,
                                     const std::function<Verdict(size_t index, Response&&)>& judge) {
  ConfirmStats stats;
  if (options.after_ms <= 0) return stats;
  const auto stopped = [&] { return options.stop != nullptr && options.stop->load(); };
  for (int round = 0; round < options.times; ++round) {
    // Those not reproduced yet; the round starts when the newest of them is old enough.
    std::vector<size_t> todo;
    int64_t start_ms = 0;
    for (size_t i = 0; i < held.size(); ++i)
      if (held[i].outcome.confirm_failed == 0) {
        todo.push_back(i);
        start_ms = std::max(start_ms, held[i].last_fetch_ms + options.after_ms);
      }
    if (todo.empty()) break;
    const auto wait = std::chrono::milliseconds(std::max<int64_t>(0, start_ms - NowUnixMs()));
    if (options.deadline && std::chrono::steady_clock::now() + wait >= *options.deadline) {
      stats.deadline = true;  // these stay unconfirmed: they fail the run as before
      break;
    }
    if (!engine.Sleep(wait) || stopped()) {
      stats.interrupted = stopped();
      stats.deadline = !stats.interrupted;
      break;
    }
    std::vector<Request> requests;
    for (size_t k = 0; k < todo.size(); ++k) {
      Request r = make(held[todo[k]].index);
      r.index = k;  // into todo
      requests.push_back(std::move(r));
    }
    auto run = engine.Run(std::move(requests), [&](Response&& resp) {
      HeldFailure& h = held[todo[resp.index]];
      h.last_fetch_ms = NowUnixMs();
      const Verdict v = judge(h.index, std::move(resp));
      if (IsToolFailure(v) || v == Verdict::kNotRun) return;  // could not judge the page
      ++h.outcome.confirm_fetches;
      if (IsProductFailure(v, options.warnings_fail)) ++h.outcome.confirm_failed;
    }, options.stop);
    if (!run) return std::unexpected(run.error());
    ++stats.rounds;
    stats.interrupted = stats.interrupted || run->interrupted;
    stats.deadline = stats.deadline || run->deadline_exceeded;
    if (stats.interrupted) break;
  }
  return stats;
}

}  // namespace bc
