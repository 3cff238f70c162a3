// `crawler classify`: one JSON object per file; exit 0 when every page is ok,
// 1 when one is a product failure, 2 when a file cannot be read or a page judged.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/classify_command.h"
#include "test_paths.h"

namespace {

struct RunResult {
  int exit_code = -1;
  std::vector<nlohmann::json> lines;
};

RunResult RunClassify(std::vector<std::string> args) {
  CLI::App app;
  int exit_code = 0;
  bc::AddClassifyCommand(app, exit_code);
  args.insert(args.begin(), "classify");
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
  std::ostringstream out;
  std::streambuf* old = std::cout.rdbuf(out.rdbuf());
  app.parse(args);
  std::cout.rdbuf(old);
  RunResult r;
  r.exit_code = exit_code;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) r.lines.push_back(nlohmann::json::parse(line));
  return r;
}

const std::string kCorpus = std::string(BC_SOURCE_DIR) + "/tests/corpus/";

}  // namespace

TEST_CASE("classify prints the 2017 ORES exception with its class and request id", "[classify][cli]") {
  const RunResult r = RunClassify({kCorpus + "farm-ru-rc-null-threshold.body", "--status", "500"});
  CHECK(r.exit_code == 1);  // a product failure
  REQUIRE(r.lines.size() == 1);
  CHECK(r.lines[0]["verdict"] == "exception");
  CHECK(r.lines[0]["evidence"]["exception_class"] == "RuntimeException");
  CHECK(r.lines[0]["evidence"]["request_id"].get<std::string>().size() == 24);
  CHECK(r.lines[0]["file"] == kCorpus + "farm-ru-rc-null-threshold.body");
}

TEST_CASE("classify applies --expect-filter-group and --expect-user", "[classify][cli]") {
  const std::string page = kCorpus + "farm-en-rc-silent.body";
  CHECK(RunClassify({page}).lines.at(0)["verdict"] == "ok");
  CHECK(RunClassify({page, "--expect-filter-group", "damaging"}).lines.at(0)["verdict"] == "broken");
  const RunResult anon = RunClassify({kCorpus + "en-rc-anon.body", "--expect-user", "CrawlerQA"});
  CHECK(anon.lines.at(0)["verdict"] == "auth");
  CHECK(anon.exit_code == 2);  // not the page asked about: cannot be judged, like run's tool failures
}

TEST_CASE("classify applies --expect-ores and --expect-ores-rows (issue 13)", "[classify][cli]") {
  const std::string unscored = kCorpus + "farm-en-contribs-unscored.body";
  CHECK(RunClassify({unscored, "--kind", "contributions"}).lines.at(0)["verdict"] == "ok");
  CHECK(RunClassify({unscored, "--kind", "contributions", "--expect-ores"}).lines.at(0)["verdict"] == "ok");
  const RunResult rows = RunClassify({unscored, "--kind", "contributions", "--expect-ores-rows"});
  CHECK(rows.lines.at(0)["verdict"] == "broken");
  CHECK(rows.lines.at(0)["evidence"]["signature"] == "ORES flags missing on Contributions rows");
  CHECK(RunClassify({kCorpus + "farm-en-contribs-ores-rows.body", "--kind", "contributions", "--expect-ores-rows"})
            .lines.at(0)["verdict"] == "ok");
}

TEST_CASE("classify reads api pages and headers files", "[classify][cli]") {
  CHECK(RunClassify({kCorpus + "en-api-exception.body", "--kind", "api"}).lines.at(0)["verdict"] == "exception");
  // A body without error plus the header MediaWiki sends on a DB failure: the header decides.
  const auto headers = std::filesystem::temp_directory_path() / ("bc-classify-headers-" + std::to_string(::getpid()));
  {
    std::ofstream h(headers);
    h << "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMediaWiki-API-Error: internal_api_error_DBQueryError\r\n";
  }
  const RunResult r = RunClassify({kCorpus + "en-api-rc-ok.body", "--kind", "api", "--headers", headers.string()});
  std::filesystem::remove(headers);
  CHECK(r.exit_code == 1);
  CHECK(r.lines.at(0)["verdict"] == "db-error");
  CHECK(r.lines.at(0)["evidence"]["exception_class"] == "DBQueryError");
}

TEST_CASE("classify exits 2 on an unreadable file but still classifies the others", "[classify][cli]") {
  const RunResult r = RunClassify({kCorpus + "does-not-exist.body", kCorpus + "en-rc-enhanced0.body"});
  CHECK(r.exit_code == 2);
  REQUIRE(r.lines.size() == 1);
  CHECK(r.lines[0]["verdict"] == "ok");
}

namespace {
std::string WriteTemp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  std::ofstream(path) << text;
  return path.string();
}
}  // namespace

TEST_CASE("classify exits 0 when every page is ok and 1 when one is a product failure", "[classify][cli]") {
  const std::string ok = kCorpus + "en-rc-enhanced0.body";
  const std::string bad = kCorpus + "farm-ru-rc-null-threshold.body";
  CHECK(RunClassify({ok}).exit_code == 0);
  CHECK(RunClassify({ok, ok}).exit_code == 0);
  const RunResult mixed = RunClassify({ok, bad, "--status", "500"});
  CHECK(mixed.exit_code == 1);
  REQUIRE(mixed.lines.size() == 2);
  CHECK(mixed.lines[1]["verdict"] == "exception");
  // An error wins over a finding: the answer is incomplete.
  CHECK(RunClassify({bad, kCorpus + "does-not-exist.body"}).exit_code == 2);
}

TEST_CASE("classify takes the status from the headers file's last status line unless --status is given",
          "[classify][cli]") {
  const std::string body = kCorpus + "en-api-rc-ok.body";
  // curl -D -L: a redirect first, then the final answer, a 503 from the edge.
  const std::string headers = WriteTemp("bc-classify-status",
                                        "HTTP/1.1 302 Found\r\nLocation: /api.php\r\n\r\n"
                                        "HTTP/2 503\r\ncontent-type: application/json\r\n\r\n");
  const RunResult from_file = RunClassify({body, "--kind", "api", "--headers", headers});
  CHECK(from_file.lines.at(0)["verdict"] == "edge-error");
  CHECK(from_file.exit_code == 1);
  const RunResult given = RunClassify({body, "--kind", "api", "--headers", headers, "--status", "200"});
  CHECK(given.lines.at(0)["verdict"] == "ok");
  CHECK(given.exit_code == 0);
  CHECK(RunClassify({body, "--kind", "api"}).lines.at(0)["verdict"] == "ok");  // no headers: 200

  const std::string broken = WriteTemp("bc-classify-badstatus", "HTTP/1.1 OK\r\n");
  const RunResult bad = RunClassify({body, "--kind", "api", "--headers", broken});
  CHECK(bad.exit_code == 2);
  CHECK(bad.lines.empty());
  std::filesystem::remove(headers);
  std::filesystem::remove(broken);
}
