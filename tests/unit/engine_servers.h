// Loopback servers for the engine's [net] tests: the fault-injection server
// (tests/faults/fault_server.py) and nginx with a generated configuration in a
// temporary directory. Each object starts its server in the constructor and
// stops it in the destructor (so a failing REQUIRE still stops it); both bind
// 127.0.0.1 only. ok() is false when the server could not be started; error()
// says why.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <fstream>
#include <string>
#include <thread>
#include <vector>
#include "test_paths.h"

extern char** environ;

namespace bc::testing {

// A child process with its stdin and stdout connected to pipes.
class Child {
 public:
  Child() = default;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() { Stop(); }

  bool Start(const std::vector<std::string>& argv) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0) return false;
    if (pipe2(out, O_CLOEXEC) != 0) return false;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int rc = posix_spawnp(&pid_, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    if (rc != 0) pid_ = -1;
    return rc == 0;
  }

  // One line from the child's stdout, waiting at most `timeout`.
  std::string ReadLine(std::chrono::milliseconds timeout) {
    std::string line;
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      pollfd p{stdout_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char c;
      if (read(stdout_, &c, 1) != 1) break;
      if (c == '\n') return line;
      line.push_back(c);
    }
    return line;
  }

  void Stop() {
    if (stdin_ >= 0) close(stdin_);
    if (stdout_ >= 0) close(stdout_);
    stdin_ = stdout_ = -1;
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }

  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
};

class FaultServer {
 public:
  FaultServer() {
    if (!child_.Start({"python3", std::string(BC_SOURCE_DIR) + "/tests/faults/fault_server.py"})) {
      error_ = "could not spawn python3";
      return;
    }
    const std::string line = child_.ReadLine(std::chrono::seconds(10));
    if (line.rfind("PORT ", 0) != 0) {
      error_ = "fault server did not report its port: '" + line + "'";
      return;
    }
    port_ = std::atoi(line.c_str() + 5);
  }
  bool ok() const { return port_ > 0; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string Url(const std::string& path) const { return "http://" + host() + path; }

 private:
  Child child_;
  int port_ = 0;
  std::string error_;
};

// A TCP port on 127.0.0.1 that refuses connections: bound, never listening,
// held for the object's lifetime so nobody else can take it.
class RefusedPort {
 public:
  RefusedPort() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0)
      port_ = ntohs(a.sin_port);
  }
  ~RefusedPort() {
    if (fd_ >= 0) close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Runs a command to completion; its exit status (-1 if it could not run).
// stdout/stderr go to /dev/null.
inline int RunCommand(const std::vector<std::string>& argv) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline int FreeLoopbackPort() {
  RefusedPort p;  // the kernel's pick, released at once for the server to bind
  return p.port();
}

inline bool CanConnect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

// nginx serving `files` (name -> content) from a temporary root, plus any
// extra `location` blocks. Access log off, error log, pid and temp paths in
// the temporary directory, removed again by the destructor. With `tls`, it
// speaks HTTPS (HTTP/2 and HTTP/1.1 via ALPN) with a fresh self-signed
// certificate for 127.0.0.1; ca_file() is that certificate.
class NginxServer {
 public:
  NginxServer(const std::vector<std::pair<std::string, std::string>>& files, const std::string& locations,
              bool tls = false)
      : tls_(tls) {
    char tmpl[] = "/tmp/bc-nginx-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      error_ = "mkdtemp failed";
      return;
    }
    dir_ = tmpl;
    // World-readable: when run as root, nginx workers run as nobody.
    chmod(dir_.c_str(), 0755);
    std::filesystem::create_directories(dir_ + "/root");
    chmod((dir_ + "/root").c_str(), 0755);
    for (const auto& [name, content] : files) {
      std::ofstream(dir_ + "/root/" + name, std::ios::binary) << content;
      chmod((dir_ + "/root/" + name).c_str(), 0644);
    }
    if (tls_ && RunCommand({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                            "-keyout", dir_ + "/key.pem", "-out", dir_ + "/cert.pem"}) != 0) {
      error_ = "openssl could not make a certificate";
      return;
    }
    for (int attempt = 0; attempt < 5 && port_ == 0; ++attempt) {
      const int port = FreeLoopbackPort();
      WriteConf(port, locations);
      child_ = std::make_unique<Child>();
      if (!child_->Start({"nginx", "-c", dir_ + "/nginx.conf", "-p", dir_, "-e", dir_ + "/error.log"})) {
        error_ = "could not spawn nginx";
        return;
      }
      for (int i = 0; i < 100; ++i) {
        int status = 0;
        if (waitpid(child_->pid(), &status, WNOHANG) == child_->pid()) break;  // exited: port taken?
        if (CanConnect(port)) {
          port_ = port;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (port_ == 0) child_.reset();
    }
    if (port_ == 0) error_ = "nginx did not start; see " + dir_ + "/error.log";
  }
  ~NginxServer() {
    child_.reset();  // SIGTERM: fast shutdown of master and workers
    if (!dir_.empty() && port_ != 0) std::filesystem::remove_all(dir_);
  }
  bool ok() const { return port_ > 0; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string Url(const std::string& path) const { return (tls_ ? "https://" : "http://") + host() + path; }
  std::string ca_file() const { return dir_ + "/cert.pem"; }

 private:
  void WriteConf(int port, const std::string& locations) {
    std::ofstream c(dir_ + "/nginx.conf");
    c << "daemon off;\nworker_processes 1;\npid " << dir_ << "/nginx.pid;\n"
      << "error_log " << dir_ << "/error.log warn;\n"
      << "events { worker_connections 1024; }\n"
      << "http {\n  access_log off;\n  default_type text/html;\n  keepalive_requests 100000;\n"
      << "  client_body_temp_path " << dir_ << "/body;\n  proxy_temp_path " << dir_ << "/proxy;\n"
      << "  fastcgi_temp_path " << dir_ << "/fastcgi;\n  uwsgi_temp_path " << dir_ << "/uwsgi;\n"
      << "  scgi_temp_path " << dir_ << "/scgi;\n"
      << "  server {\n    listen 127.0.0.1:" << port << (tls_ ? " ssl http2" : "") << ";\n"
      << (tls_ ? "    ssl_certificate " + dir_ + "/cert.pem;\n    ssl_certificate_key " + dir_ + "/key.pem;\n" : "")
      << "    root " << dir_ << "/root;\n"
      << locations << "\n  }\n}\n";
  }

  bool tls_ = false;
  std::string dir_;
  std::unique_ptr<Child> child_;
  int port_ = 0;
  std::string error_;
};

}  // namespace bc::testing
