// Notifications: when a run ends, one compact JSON document about it goes to
// a webhook (one HTTP POST) and/or to a command (on its stdin), so failures
// reach a channel nobody has to watch. A notifier that fails or times out is
// reported; it never changes the run's exit code.
//
// The document (NotifyPayload) holds totals, groups (verdict, exception class,
// key, wikis, page kinds, known task, flaky) and the paths of the run's files: no URL
// query of a logged-in probe's session, no cookie, no password, no webhook URL.
#pragma once

#include <string>
#include <vector>

#include "cli/crawl.h"
#include "config/targets.h"

namespace bc {

// The run as one compact JSON object (one line):
//   {"run_id", "exit_code", "partial", "targets", "totals": {verdict: n},
//    "product_failures", "failing", "known", "flaky", "tool_failures",
//    "groups": [{"verdict", "exception_class", "key", "probes", "wikis", "kinds",
//                "known_task", "flaky", "confirmation"}] (at most 20; "groups_omitted"),
//    "known_not_seen": [task], "report", "summary", "results"}
std::string NotifyPayload(const CrawlReport& report);

// Notify at all? Always with options.always, else when the run found product
// failures (known and flaky ones included: someone may want to know).
bool ShouldNotify(const NotifyOptions& options, const CrawlReport& report);

struct NotifyResult {
  std::string notifier;  // "webhook http://host:port" (never the URL's path or query) or "command"
  bool ok = false;
  std::string message;   // "HTTP 200", "exit 0", or what went wrong
};

// Sends `payload` to every notifier options names, each bounded by
// options.timeout_ms. The webhook goes through an Engine of its own (no
// cookies, no redirects, no retries of the POST). The command runs as
// `/bin/sh -c COMMAND` with the payload on stdin and its stdout sent to our
// stderr (stdout may be `run --format json`); past the timeout its process
// group is killed.
std::vector<NotifyResult> SendNotifications(const NotifyOptions& options, const std::string& payload,
                                            const std::string& user_agent, bool verify_tls = true);

}  // namespace bc
