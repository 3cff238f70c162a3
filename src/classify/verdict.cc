#include "classify/verdict.h"

#include <array>

namespace bc {
namespace {
constexpr std::array<std::string_view, kVerdictCount> kNames = {
    "ok", "exception", "fatal", "db-error", "edge-error", "broken", "warning", "auth", "transport", "throttled", "not-run"};
}

std::string_view VerdictName(Verdict v) { return kNames[static_cast<size_t>(v)]; }

std::optional<Verdict> ParseVerdict(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<Verdict>(i);
  return std::nullopt;
}

bool IsProductFailure(Verdict v, bool warnings_fail) {
  switch (v) {
    case Verdict::kException:
    case Verdict::kFatal:
    case Verdict::kDbError:
    case Verdict::kEdgeError:
    case Verdict::kBroken:
      return true;
    case Verdict::kWarning:
      return warnings_fail;
    case Verdict::kOk:
    case Verdict::kAuth:
    case Verdict::kTransport:
    case Verdict::kThrottled:
    case Verdict::kNotRun:
      return false;
  }
  return false;
}

bool IsToolFailure(Verdict v) {
  return v == Verdict::kAuth || v == Verdict::kTransport || v == Verdict::kThrottled;
}

}  // namespace bc
