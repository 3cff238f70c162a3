#include "cli/notify.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/engine.h"
#include "engine/http_util.h"

namespace bc {
namespace {

constexpr size_t kMaxGroups = 20;  // a chat message, not the report: the rest is in summary.md

NotifyResult PostWebhook(const NotifyOptions& o, const std::string& payload, const std::string& user_agent,
                         bool verify_tls) {
  NotifyResult r;
  const std::string origin = OriginOf(o.webhook);
  // Only scheme, host and port are ever shown: a webhook's path often is its secret.
  r.notifier = "webhook " + (origin.empty() ? std::string("(unparsable URL)") : origin);
  if (origin.empty()) {
    r.message = "not an http(s) URL";
    return r;
  }
  EngineOptions eo;
  eo.user_agent = user_agent;
  eo.concurrency = eo.per_host_concurrency = 1;
  eo.timeout_ms = o.timeout_ms;
  eo.connect_timeout_ms = std::min<int64_t>(o.timeout_ms, 5000);
  eo.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(o.timeout_ms);
  eo.retries = 0;
  eo.max_redirects = 0;
  eo.max_body_bytes = 1 << 20;
  eo.verify_tls = verify_tls;
  Engine engine(eo);
  Request req;
  req.url = o.webhook;
  req.host = origin.substr(origin.find("://") + 3);
  req.post_fields = payload;
  req.content_type = "application/json";
  Response got;
  auto stats = engine.Run(std::vector<Request>{std::move(req)}, [&](Response&& resp) { got = std::move(resp); });
  if (!stats) {
    r.message = stats.error().message;
    return r;
  }
  if (!got.answered()) {
    r.message = !got.fetch.transport_error.empty() ? got.fetch.transport_error : got.cause;
    return r;
  }
  const Fetch& out = got.fetch;
  r.ok = out.http_status >= 200 && out.http_status < 300;
  r.message = fmt::format("HTTP {}", out.http_status);
  return r;
}

NotifyResult RunCommand(const NotifyOptions& o, const std::string& payload) {
  NotifyResult r;
  r.notifier = "command";
  int in[2];
  if (pipe2(in, O_CLOEXEC) != 0) {
    r.message = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    r.message = std::string("fork: ") + std::strerror(errno);
    close(in[0]);
    close(in[1]);
    return r;
  }
  if (pid == 0) {
    // The child: its own process group (so a timeout kills what it started),
    // the payload on stdin, its stdout on our stderr.
    setpgid(0, 0);
    dup2(in[0], STDIN_FILENO);
    dup2(STDERR_FILENO, STDOUT_FILENO);
    signal(SIGPIPE, SIG_DFL);
    execl("/bin/sh", "sh", "-c", o.command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);  // also here: no race with the kill below
  close(in[0]);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(o.timeout_ms);
  const auto left_ms = [&] {
    return std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now()).count());
  };
  // A command that never reads its stdin must not block us (nor SIGPIPE us).
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  struct sigaction ignore {}, old {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &old);
  size_t sent = 0;
  while (sent < payload.size() && left_ms() > 0) {
    const ssize_t n = write(in[1], payload.data() + sent, payload.size() - sent);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && errno == EAGAIN) {
      pollfd p{in[1], POLLOUT, 0};
      poll(&p, 1, static_cast<int>(std::min<int64_t>(left_ms(), 100)));
    } else if (n < 0 && errno != EINTR) {
      break;  // EPIPE: the command exited without reading; its exit status says the rest
    }
  }
  sigaction(SIGPIPE, &old, nullptr);
  close(in[1]);
  int status = 0;
  while (true) {
    const pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) {
      r.message = std::string("waitpid: ") + std::strerror(errno);
      return r;
    }
    if (left_ms() == 0) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      r.message = fmt::format("timed out after {} ms (killed)", o.timeout_ms);
      return r;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status)) {
    r.ok = WEXITSTATUS(status) == 0 && sent == payload.size();
    r.message = fmt::format("exit {}", WEXITSTATUS(status));
    if (WEXITSTATUS(status) == 0 && sent < payload.size()) r.message += " (did not read the whole payload)";
  } else {
    r.message = fmt::format("killed by signal {}", WTERMSIG(status));
  }
  return r;
}

}  // namespace

std::string NotifyPayload(const CrawlReport& report) {
  const RunInfo& info = report.info;
  const RunSummary& s = report.summary();
  nlohmann::json j;
  j["run_id"] = info.run_id;
  j["exit_code"] = info.exit_code;
  j["partial"] = info.partial;
  j["targets"] = info.targets_path;
  // Field names as in `run --format json` (docs/NAMES.md): totals, exception_class, kinds.
  j["totals"] = nlohmann::json::object();
  for (size_t v = 0; v < s.by_verdict.size(); ++v)
    if (s.by_verdict[v]) j["totals"][std::string(VerdictName(static_cast<Verdict>(v)))] = s.by_verdict[v];
  j["product_failures"] = s.product_failures;
  j["failing"] = s.Failing(info);
  j["known"] = s.known;
  j["flaky"] = s.flaky;
  j["tool_failures"] = s.tool_failures;
  j["groups"] = nlohmann::json::array();
  for (size_t i = 0; i < report.info.groups.size() && i < kMaxGroups; ++i) {
    const FailureGroup& g = report.info.groups[i];
    nlohmann::json kinds = nlohmann::json::array();
    for (PageKind k : g.kinds) kinds.push_back(PageKindName(k));
    nlohmann::json group = {{"verdict", VerdictName(g.verdict)}, {"exception_class", g.exception_class}, {"key", g.key},
                            {"probes", g.members.size()}, {"wikis", g.wikis}, {"kinds", kinds},
                            {"product_failure", g.product_failure}};
    if (!g.known_task.empty()) group["known_task"] = g.known_task;
    if (g.flaky) group["flaky"] = true;
    if (const std::string c = DescribeConfirmation(g); !c.empty()) group["confirmation"] = c;
    j["groups"].push_back(std::move(group));
  }
  if (report.info.groups.size() > kMaxGroups) j["groups_omitted"] = report.info.groups.size() - kMaxGroups;
  j["known_not_seen"] = nlohmann::json::array();
  if (info.WholePlan())
    for (const auto& k : info.known)
      if (k.matched == 0) j["known_not_seen"].push_back(k.task);
  // Absolute: the receiver may be a bot on the same machine opening the files.
  std::error_code ec;
  const auto dir = std::filesystem::absolute(report.run_dir(), ec);
  const std::string run_dir = ec ? report.run_dir() : dir.lexically_normal().string();
  j["results"] = run_dir;
  j["report"] = run_dir + "/report.html";
  j["summary"] = run_dir + "/summary.md";
  // Page-derived text may be invalid UTF-8: replace rather than throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool ShouldNotify(const NotifyOptions& options, const CrawlReport& report) {
  if (options.webhook.empty() && options.command.empty()) return false;
  return options.always || report.summary().product_failures > 0;
}

std::vector<NotifyResult> SendNotifications(const NotifyOptions& options, const std::string& payload,
                                            const std::string& user_agent, bool verify_tls) {
  std::vector<NotifyResult> out;
  if (!options.webhook.empty()) out.push_back(PostWebhook(options, payload, user_agent, verify_tls));
  if (!options.command.empty()) out.push_back(RunCommand(options, payload));
  return out;
}

}  // namespace bc
