// What `crawler run` shows while it crawls. On a terminal: one progress line
// on stderr, redrawn at most 10 times a second (done/total, pages/s over the
// fetched pages, failures so far, ETA), with each failing probe printed above
// it. Not a terminal (CI logs): one plain line per failing probe, nothing else.
//
// What is not a line per probe:
//  - a failed login is one line per wiki, said first (Logins, before any
//    probe): "login failed on frwiki (auth): the wiki said "Incorrect
//    password..."". The probes it kept from being fetched (auth) and, for a
//    wiki whose API did not answer (transport), its transport failures are
//    counted, not listed: one cause, not 27 findings;
//  - probes that never ran (--fail-fast, the deadline, Ctrl-C) are counted,
//    never listed: the final totals say how many;
//  - when the last probe of the smoke tier (tier 0: the first probe of every
//    wiki x page kind, fetched first) is in, one line says how it went:
//    "smoke: 12 wikis x 3 pages, all ok, 1.8 s".
// `watch` prefixes every line with the UTC time (SetTimestamps).
// With a heartbeat (run --progress-every SECONDS; the demo), a phase that shows
// nothing for that long still says what it is doing: on a terminal the
// progress line is redrawn with the elapsed time and the activity; elsewhere
// one line "12 s: logging in: 0 of 81 probes, 0 not ok".
//
// Thread safety: every method may be called from any thread; a mutex
// serialises them and the heartbeat thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <thread>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "classify/outcome.h"
#include "mediawiki/session.h"
#include "plan/probe.h"

namespace bc {

// Login failures for people, one line each: one per wiki that failed, with
// its cause ("transport" when the wiki did not answer, else "auth") and the
// wiki's own message quoted; one per refused account for all the wikis it
// was then not tried on. Empty when every login worked.
std::vector<std::string> DescribeLoginFailures(const std::vector<LoginResult>& logins);

// "transport" (the wiki's API did not answer: refused connection, timeout,
// HTTP 5xx) or "auth" (the wiki answered and refused, or the session did
// not hold).
const char* LoginFailureCause(const LoginResult& login);

class ProgressDisplay {
 public:
  // total: probes planned; tty: draw the progress line (on `err`); failures:
  // print a line per non-ok probe on `out` (off with --quiet or --format json).
  ProgressDisplay(size_t total, bool tty, bool failures, std::FILE* out = stdout, std::FILE* err = stderr);
  ~ProgressDisplay();
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;
  // Says what is going on at least every `seconds` (> 0) until Finish.
  void StartHeartbeat(double seconds);
  // What the crawl is doing now ("logging in", "fetching"): for the heartbeat only.
  void SetActivity(const std::string& text);
  // The smoke tier: the tier-0 probes of `probes` and the pre-flight
  // outcomes fetched with the facts (each wiki's RecentChanges page, the
  // ORES API pre-flight), which the crawl reports first (none: no smoke line).
  void SetSmokeTier(const std::vector<Probe>& probes, const std::vector<std::pair<Probe, Outcome>>& preflight = {});
  // Every line starts with the UTC time ("2026-12-05T10:40:00Z ").
  void SetTimestamps(bool on) { timestamps_ = on; }
  // The first logins are done: their failures, one line per wiki, before any
  // probe's line. Probes of those wikis then say nothing they would repeat.
  void Logins(const std::vector<LoginResult>& logins);
  void Add(const Probe& probe, const Outcome& outcome);
  // A phase without outcomes begins (RunOptions::on_phase): one line.
  void Phase(const std::string& text);
  // Stops the heartbeat and erases the progress line (call before the final summary).
  void Finish();

  size_t not_run() const { return not_run_; }
  // Whether Logins printed anything (the final summary then need not repeat it).
  bool logins_said() const { return logins_said_; }

 private:
  // With mu_ held:
  void Draw(bool force);
  void Line(const std::string& text);  // a line above the progress line
  void Beat();                         // the heartbeat's line
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread heartbeat_;
  bool stopping_ = false;
  std::string activity_ = "starting";
  std::chrono::steady_clock::time_point last_said_ = std::chrono::steady_clock::now();
  size_t total_;
  bool tty_;
  bool failures_;
  std::FILE* out_;
  std::FILE* err_;
  bool timestamps_ = false;
  bool logins_said_ = false;
  size_t done_ = 0;
  size_t failed_ = 0;
  size_t not_run_ = 0;
  size_t smoke_total_ = 0, smoke_done_ = 0, smoke_bad_ = 0, smoke_wikis_ = 0, smoke_kinds_ = 0;
  // (wiki, verdict) whose probe lines the login line already explains.
  std::set<std::pair<std::string, Verdict>> muted_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace bc
