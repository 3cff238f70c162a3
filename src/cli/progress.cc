#include "cli/progress.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <map>

#include "report/escape.h"
#include "report/overview.h"
#include "report/run_dir.h"
#include "core/plural.h"

namespace bc {
namespace {

// The wiki's refusal quoted: "clientlogin FAIL: Incorrect password." reads
// `the wiki said "Incorrect password." (clientlogin FAIL)`. Other messages
// (ours: a token request that failed, a session that did not hold) as they are.
// The message comes from the network: control bytes are shown as \xHH.
std::string LoginMessage(const std::string& raw) {
  constexpr std::string_view kClientLogin = "clientlogin ";
  const std::string message = TerminalText(raw);
  const size_t colon = message.find(": ");
  if (!message.starts_with(kClientLogin) || colon == std::string::npos) return message;
  return fmt::format("the wiki said \"{}\" ({})", message.substr(colon + 2), message.substr(0, colon));
}

}  // namespace

const char* LoginFailureCause(const LoginResult& l) { return l.unreachable ? "transport" : "auth"; }

std::vector<std::string> DescribeLoginFailures(const std::vector<LoginResult>& logins) {
  std::vector<std::string> lines;
  std::map<std::string, std::vector<std::string>> skipped;  // refusing wiki -> wikis not tried
  for (const LoginResult& l : logins) {
    if (l.ok) continue;
    if (l.skipped) skipped[l.refused_on].push_back(l.wiki);
    else
      lines.push_back(fmt::format("login failed on {} ({}): {}; {}", l.wiki, LoginFailureCause(l), LoginMessage(l.message),
                                  l.unreachable ? "the wiki did not answer, its pages are loaded anyway"
                                                : "its probes are not fetched (auth)"));
  }
  for (const auto& [wiki, others] : skipped) {
    std::string account;
    for (const LoginResult& l : logins)
      if (l.wiki == wiki) account = l.account;
    lines.push_back(fmt::format("account '{}' not tried on {} ({}) after {} refused it: one more attempt per wiki "
                                "would only count against the password throttle; their probes are not fetched (auth)",
                                account, Plural(static_cast<int64_t>(others.size()), "other wiki"),
                                fmt::join(others, ", "), wiki));
  }
  return lines;
}

ProgressDisplay::ProgressDisplay(size_t total, bool tty, bool failures, std::FILE* out, std::FILE* err)
    : total_(total), tty_(tty), failures_(failures), out_(out), err_(err) {}

ProgressDisplay::~ProgressDisplay() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
}

void ProgressDisplay::StartHeartbeat(double seconds) {
  if (seconds <= 0 || heartbeat_.joinable() || !failures_) return;
  const auto every = std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
  heartbeat_ = std::thread([this, every] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::milliseconds(100));
      if (!stopping_ && std::chrono::steady_clock::now() - last_said_ >= every) Beat();
    }
  });
}

void ProgressDisplay::SetActivity(const std::string& text) {
  std::lock_guard lock(mu_);
  activity_ = text;
}

void ProgressDisplay::Phase(const std::string& text) {
  std::lock_guard lock(mu_);
  activity_ = text.substr(0, text.find(':'));
  Line(text);
}

void ProgressDisplay::Beat() {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (tty_) {
    Draw(true);
    fmt::print(err_, " ({:.0f} s: {})", seconds, activity_);
    std::fflush(err_);
    last_said_ = std::chrono::steady_clock::now();
  } else {
    Line(fmt::format("{:.0f} s: {}: {} of {}, {} not ok", seconds, activity_, done_, Plural(total_, "probe"), failed_));
  }
}

void ProgressDisplay::SetSmokeTier(const std::vector<Probe>& probes,
                                   const std::vector<std::pair<Probe, Outcome>>& preflight) {
  std::set<std::string> wikis;
  std::set<PageKind> kinds;
  smoke_total_ = 0;
  const auto count = [&](const Probe& p) {
    if (p.tier != 0) return;
    ++smoke_total_;
    wikis.insert(p.wiki.str());
    kinds.insert(p.kind);
  };
  for (const auto& [p, _] : preflight) count(p);
  for (const Probe& p : probes) count(p);
  smoke_wikis_ = wikis.size();
  smoke_kinds_ = kinds.size();
}

void ProgressDisplay::Line(const std::string& text) {
  if (!failures_) return;
  last_said_ = std::chrono::steady_clock::now();
  if (tty_) std::fputs("\r\033[K", err_);  // the line goes above the progress line
  if (timestamps_) fmt::print(out_, "{} ", FormatIsoUtcSeconds(NowUnixMs()));
  fmt::print(out_, "{}\n", text);
  std::fflush(out_);
}

void ProgressDisplay::Logins(const std::vector<LoginResult>& logins) {
  std::lock_guard lock(mu_);
  activity_ = "fetching";
  for (const LoginResult& l : logins) {
    if (l.ok) continue;
    // Said once here; each probe of the wiki would only repeat it.
    muted_.emplace(l.wiki, l.unreachable ? Verdict::kTransport : Verdict::kAuth);
  }
  for (const std::string& line : DescribeLoginFailures(logins)) {
    Line(line);
    logins_said_ = logins_said_ || failures_;
  }
}

void ProgressDisplay::Add(const Probe& probe, const Outcome& outcome) {
  std::lock_guard lock(mu_);
  ++done_;
  const Verdict v = outcome.result.verdict;
  const bool ok = v == Verdict::kOk;
  const bool not_run = v == Verdict::kNotRun;
  if (not_run) ++not_run_;
  else if (!ok) ++failed_;
  if (!ok && !not_run && !muted_.contains({probe.wiki.str(), v}))
    Line(fmt::format("{:<10} {:<10} {:<14} {}", VerdictName(v), probe.wiki, PageKindName(probe.kind), probe.query));
  if (probe.tier == 0 && smoke_done_ < smoke_total_) {
    ++smoke_done_;
    if (!ok) ++smoke_bad_;
    if (smoke_done_ == smoke_total_) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      Line(fmt::format("smoke: {} x {}, {}, {:.1f} s", Plural(static_cast<int64_t>(smoke_wikis_), "wiki"),
                       Plural(static_cast<int64_t>(smoke_kinds_), "page"),
                       smoke_bad_ == 0 ? std::string("all ok") : fmt::format("{} not ok", smoke_bad_), seconds));
    }
  }
  Draw(!ok && !not_run);
}

void ProgressDisplay::Draw(bool force) {
  if (!tty_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100) && done_ < total_) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  // Not-run probes take no time: the rate is over pages fetched.
  const size_t fetched = done_ - not_run_;
  const double rate = seconds > 0 ? static_cast<double>(fetched) / seconds : 0;
  const double eta = rate > 0 && total_ > done_ ? static_cast<double>(total_ - done_) / rate : 0;
  fmt::print(err_, "\r\033[K[{}/{}] {:.1f} pages/s, {} not ok, ETA {:.0f} s", done_, total_, rate, failed_, eta);
  std::fflush(err_);
  last_said_ = now;
}

void ProgressDisplay::Finish() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
  std::lock_guard lock(mu_);
  if (tty_) std::fputs("\r\033[K", err_);
}

}  // namespace bc
