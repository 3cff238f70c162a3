// Runs the crawler binary (BC_BINARY) as a user would, for the tests of its
// command line: exit code, stdout and stderr, in a scratch directory.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_paths.h"

extern char** environ;

namespace bc_test {

struct Ran {
  int exit_code = -1;  // -1: killed by a signal
  std::string out, err;
};

// `crawler ARGS...` with `cwd` as its working directory (relative paths in
// ARGS are taken from there). Output goes through files in `cwd`.
inline Ran RunCrawler(const std::vector<std::string>& args, const std::filesystem::path& cwd) {
  const std::string out_path = (cwd / ".stdout").string(), err_path = (cwd / ".stderr").string();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> all = {BC_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  // posix_spawn has no chdir in glibc 2.36 without _np; change and restore.
  const auto here = std::filesystem::current_path();
  std::filesystem::current_path(cwd);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, BC_BINARY, &fa, nullptr, argv.data(), environ);
  std::filesystem::current_path(here);
  posix_spawn_file_actions_destroy(&fa);
  Ran r;
  if (rc != 0) return r;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  return r;
}

}  // namespace bc_test
