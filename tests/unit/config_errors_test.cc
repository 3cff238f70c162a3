// Every file in tests/config_errors/ holds one realistic mistake and says on
// its first line what the crawler must answer:
//   # expect: LINE:COL: message
// The error must name the file at exactly that position and start with that
// message (a prefix, so a list of known keys may grow). The real binary must
// refuse the same files with exit code 2, nothing on stdout and one line on
// stderr: no crash, no exception text, no stack trace.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/targets.h"
#include "test_paths.h"
#include "test_files.h"

extern char** environ;

using namespace bc;
namespace fs = std::filesystem;

namespace {

const std::string kDir = std::string(BC_SOURCE_DIR) + "/tests/config_errors";

std::vector<std::string> BrokenFiles() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kDir))
    if (e.path().extension() == ".toml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// "LINE:COL: message" from the file's first line, or "" when it has none.
std::string ExpectationOf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string first;
  std::getline(in, first);
  const std::string tag = "# expect: ";
  return first.starts_with(tag) ? first.substr(tag.size()) : std::string();
}

// Values planted in the files that must never be echoed back.
bool MentionsPlantedSecret(const std::string& s) { return s.find("hunter2") != std::string::npos; }

struct BinaryRun {
  int exit_code = -1;  // -1: did not exit normally (signal)
  int signal = 0;
  std::string out, err;
};

// Runs the crawler binary with args, stdout and stderr into files under dir.
BinaryRun RunBinary(const std::vector<std::string>& args, const fs::path& dir) {
  const std::string out_path = (dir / "stdout").string(), err_path = (dir / "stderr").string();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> all = {BC_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, BC_BINARY, &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  REQUIRE(rc == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  BinaryRun r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = bc_test::ReadFile(out_path);
  r.err = bc_test::ReadFile(err_path);
  return r;
}

}  // namespace

TEST_CASE("every broken targets file is refused at its FILE:LINE:COL with its message", "[config]") {
  const auto files = BrokenFiles();
  REQUIRE(files.size() >= 25);
  for (const std::string& path : files) {
    INFO(path);
    const std::string expect = ExpectationOf(path);
    REQUIRE_FALSE(expect.empty());  // every file says what it expects
    auto r = LoadTargets(path);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Error::Code::kConfig);
    const std::string line = r.error().ToString();
    CHECK_THAT(line, Catch::StartsWith(path + ":" + expect));
    CHECK(line.find('\n') == std::string::npos);
    CHECK_FALSE(MentionsPlantedSecret(line));
  }
}

TEST_CASE("the expectations cover every kind of mistake the issue names", "[config]") {
  // Syntax, types, unknown keys, impossible limits, secrets inline, bad URLs,
  // missing accounts, empty axes, duplicate wikis: at least one file each.
  const auto files = BrokenFiles();
  for (const char* kind : {"syntax-", "type-", "unknown-key-", "limit-", "secret-", "url-", "account-", "axis-empty",
                           "duplicate-wiki"}) {
    INFO(kind);
    CHECK(std::any_of(files.begin(), files.end(),
                      [&](const std::string& f) { return fs::path(f).filename().string().find(kind) != std::string::npos; }));
  }
}

TEST_CASE("the crawler binary refuses broken targets files: exit 2, stdout empty, one line on stderr", "[config]") {
  const fs::path tmp = fs::temp_directory_path() / ("bc-config-errors-" + std::to_string(getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  // A sample across the kinds, including the ones that once crashed the parser
  // (null deref, nan) or were accepted (credentials in a URL).
  std::vector<std::string> picks;
  for (const std::string& f : BrokenFiles())
    for (const char* name : {"01-", "06-", "08-", "16-", "24-", "28-", "30-", "31-", "36-", "41-", "47-", "55-"})
      if (fs::path(f).filename().string().starts_with(name)) picks.push_back(f);
  REQUIRE(picks.size() == 12);
  for (const std::string& path : picks) {
    for (const char* command : {"plan", "run"}) {
      INFO(command << " " << path);
      std::vector<std::string> args = {command, path};
      const fs::path results = tmp / "results";
      if (std::string(command) == "run") args.insert(args.end(), {"--results", results.string()});
      const BinaryRun r = RunBinary(args, tmp);
      CHECK(r.signal == 0);
      CHECK(r.exit_code == 2);
      CHECK(r.out.empty());
      CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
      CHECK(r.err.ends_with("\n"));
      CHECK_THAT(r.err, Catch::StartsWith(path + ":" + ExpectationOf(path)));
      for (const char* crash : {"terminate called", "what()", "Aborted", "Segmentation fault", "#0 ", "internal error", "Sanitizer"})
        CHECK(r.err.find(crash) == std::string::npos);
      CHECK_FALSE(MentionsPlantedSecret(r.err));
      // A refused configuration starts no run: no run directory appears.
      CHECK((!fs::exists(results) || fs::is_empty(results)));
    }
  }
  fs::remove_all(tmp);
}

TEST_CASE("a password that cannot be read stops the run before any request: exit 2, one line, no secret", "[config]") {
  const fs::path tmp = fs::temp_directory_path() / ("bc-config-pw-" + std::to_string(getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  const std::string pw_file = (tmp / "qa.password").string();
  {
    std::ofstream(pw_file) << "hunter2-file-secret\n";
  }
  fs::permissions(pw_file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                               fs::perms::others_read);  // 0644: refused
  struct Case {
    const char* source;  // the account's password line
    const char* says;    // what stderr must contain
  };
  const Case cases[] = {
      {"password_env = \"BC_TEST_UNSET_PASSWORD_VAR_1f3a\"", "BC_TEST_UNSET_PASSWORD_VAR_1f3a is not set"},
      {"password_file = \"does-not-exist.password\"", "cannot read password file"},
      {"password_file = \"qa.password\"", "readable by others"},
  };
  for (const Case& c : cases) {
    INFO(c.source);
    const std::string targets = (tmp / "t.toml").string();
    std::ofstream(targets) << "[crawl]\nuser_agent = \"beta-crawler-test/0.1 (qa@example.org)\"\n\n"
                              "[account.qa]\nusername = \"CrawlerQA\"\n"
                           << c.source
                           << "\n\n[[wiki]]\ndbname = \"enwiki\"\nurl = \"http://127.0.0.1:9\"\naccount = \"qa\"\n\n"
                              "[page.recentchanges]\n[page.recentchanges.axes]\nlimit = [\"50\"]\n";
    const fs::path results = tmp / "results";
    const BinaryRun r = RunBinary({"run", targets, "--results", results.string()}, tmp);
    CHECK(r.signal == 0);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.err, Catch::StartsWith(targets + ":") && Catch::Contains("account.qa") && Catch::Contains(c.says));
    CHECK_FALSE(MentionsPlantedSecret(r.err));
    CHECK((!fs::exists(results) || fs::is_empty(results)));
  }
  fs::remove_all(tmp);
}

TEST_CASE("TLS verification is on by default and a targets file cannot turn it off", "[config]") {
  auto t = ParseTargets(
      "[crawl]\nuser_agent = \"beta-crawler-test/0.1 (qa@example.org)\"\n"
      "[[wiki]]\ndbname = \"enwiki\"\nurl = \"https://en.wikipedia.beta.wmcloud.org\"\n"
      "[page.recentchanges]\n[page.recentchanges.axes]\nlimit = [\"50\"]\n",
      "t.toml");
  REQUIRE(t.has_value());
  CHECK(t->crawl.verify_tls);
  auto off = ParseTargets(
      "[crawl]\nuser_agent = \"beta-crawler-test/0.1 (qa@example.org)\"\nverify_tls = false\n"
      "[[wiki]]\ndbname = \"enwiki\"\nurl = \"https://en.wikipedia.beta.wmcloud.org\"\n"
      "[page.recentchanges]\n[page.recentchanges.axes]\nlimit = [\"50\"]\n",
      "t.toml");
  REQUIRE_FALSE(off.has_value());
  CHECK_THAT(off.error().ToString(), Catch::StartsWith("t.toml:3:1: unknown key 'verify_tls' in [crawl]"));
}
