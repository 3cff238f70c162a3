// Verdicts (../shared/DESIGN.md): every planned probe gets exactly one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bc {

enum class Verdict {
  kOk,         // rendered, and the structure the page kind must have is there
  kException,  // MediaWiki's exception page / error box ("Fatal exception of type ...")
  kFatal,      // PHP fatal error text, or an empty 5xx body
  kDbError,    // "A database query error has occurred"
  kEdgeError,  // the CDN/edge error page; 502/503/504 from a proxy
  kBroken,     // 200 but expected structure missing (truncated, no changes list, ORES groups gone)
  kWarning,    // PHP warnings/notices/deprecations printed into the page
  kAuth,       // expected a logged-in view, got the anonymous or login-required one
  kTransport,  // timeout, reset, DNS, TLS, oversize body: after retries
  kThrottled,  // the server kept answering 429 (Too Many Requests) until the run's deadline
               // or the engine's throttle wait bound: the page was never seen. A crawl
               // problem (exit code 2), not a product failure.
  kNotRun,     // never fetched: the run was interrupted, hit its deadline or stopped at
               // --fail-fast before this probe started. Neither a product nor a tool
               // failure; a complete run has none (a deadline with some is exit code 2).
};
inline constexpr size_t kVerdictCount = 11;

// "ok", "exception", "fatal", "db-error", "edge-error", "broken", "warning", "auth",
// "transport", "throttled", "not-run".
std::string_view VerdictName(Verdict v);
std::optional<Verdict> ParseVerdict(std::string_view name);

// Product failures make exit code 1; tool failures (auth, transport,
// throttled) count toward exit code 2. A warning is a product failure only when the target says so.
bool IsProductFailure(Verdict v, bool warnings_fail = false);
bool IsToolFailure(Verdict v);

// What a non-ok verdict is based on. Every string here may come from a page:
// writers must escape it.
struct Evidence {
  std::string exception_class;  // e.g. "RuntimeException"; empty when not shown
  std::string message;          // the exception / error message as shown
  std::string request_id;       // "[abc123]" box id, wgRequestId or X-Request-Id
  std::string signature;        // normalised class + message, for grouping failures
  std::string excerpt;          // at most 300 characters of the relevant page text
  std::string detail;           // one line for humans: which detector fired and why
};

struct Classification {
  Verdict verdict = Verdict::kOk;
  Evidence evidence;
};

}  // namespace bc
