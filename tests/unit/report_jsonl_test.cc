#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/jsonl_writer.h"
#include "report/run_dir.h"
#include "report_fixtures.h"

namespace bc {
namespace {

using testing::MakeOutcome;
using testing::MakeProbe;

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("bc-report-" + name + "-" + MakeRunId());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_CASE("a jsonl line carries the fields the demo script and readers rely on", "[report][jsonl]") {
  Probe p = MakeProbe("00000000000000aa", "ruwiki", PageKind::kWatchlist,
                      {{"damaging", "likelybad"}, {"title", "Special:Watchlist"}});
  Outcome o = MakeOutcome(Verdict::kException, 500, "MWException: thresholds null", "MWException",
                          "Threshold is null", "abc123");
  o.transport_error = "";
  o.final_url = p.url;
  o.retries = 1;
  o.bytes = 4096;
  o.timings.total = 0.25;
  const nlohmann::json j = OutcomeToJson(p, o);
  CHECK(j["id"] == "00000000000000aa");
  CHECK(j["wiki"] == "ruwiki");
  CHECK(j["kind"] == "watchlist");
  CHECK(j["params"]["damaging"] == "likelybad");
  CHECK(j["params"]["title"] == "Special:Watchlist");
  CHECK(j["verdict"] == "exception");
  CHECK(j["status"] == 500);
  CHECK(j["evidence"]["exception_class"] == "MWException");
  CHECK_FALSE(j["evidence"].contains("class"));  // the old name is not written
  CHECK(j["evidence"]["request_id"] == "abc123");
  CHECK_FALSE(j["evidence"].contains("excerpt"));  // empty fields are left out
  CHECK_FALSE(j.contains("error"));
  CHECK(j["retries"] == 1);
  CHECK(j["bytes"] == 4096);
  CHECK(j["timings"]["total"] == 0.25);
  CHECK(j["finished"] == "2026-11-27T03:18:45.123Z");
}

TEST_CASE("invalid UTF-8 from a page is replaced instead of throwing", "[report][jsonl]") {
  Probe p = MakeProbe("01", "enwiki", PageKind::kRecentChanges, {{"title", "Special:RecentChanges"}});
  Outcome o = MakeOutcome(Verdict::kFatal, 500, "sig", "", std::string("bad \xff\xfe bytes"));
  const std::string line = DumpJsonLine(OutcomeToJson(p, o));
  const nlohmann::json back = nlohmann::json::parse(line);
  CHECK(back["evidence"]["message"] == "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
}

TEST_CASE("the jsonl writer appends one parseable line per probe as it finishes", "[report][jsonl]") {
  const std::string dir = TempDir("jsonl");
  const std::string path = dir + "/pages.jsonl";
  JsonlWriter writer(path);
  RunInfo info;
  REQUIRE(writer.Begin(info).has_value());
  Probe a = MakeProbe("0a", "enwiki", PageKind::kRecentChanges, {{"title", "Special:RecentChanges"}});
  Probe b = MakeProbe("0b", "frwiki", PageKind::kContributions, {{"title", "Special:Contributions"}});
  REQUIRE(writer.Add(a, MakeOutcome(Verdict::kOk)).has_value());
  // Flushed per line: visible to a reader before Finish.
  REQUIRE(ReadLines(path).size() == 1);
  Outcome t = MakeOutcome(Verdict::kTransport, 0);
  t.transport_error = "Connection reset by peer";
  REQUIRE(writer.Add(b, t).has_value());
  REQUIRE(writer.Finish(info, RunSummary{}).has_value());
  const auto lines = ReadLines(path);
  REQUIRE(lines.size() == 2);
  CHECK(nlohmann::json::parse(lines[0])["id"] == "0a");
  const auto second = nlohmann::json::parse(lines[1]);
  CHECK(second["verdict"] == "transport");
  CHECK(second["error"] == "Connection reset by peer");
  std::filesystem::remove_all(dir);
}

TEST_CASE("the jsonl writer refuses to append to an existing file", "[report][jsonl]") {
  const std::string dir = TempDir("jsonl-exists");
  const std::string path = dir + "/pages.jsonl";
  std::ofstream(path) << "{}\n";
  JsonlWriter writer(path);
  auto begun = writer.Begin(RunInfo{});
  REQUIRE_FALSE(begun.has_value());
  CHECK(begun.error().code == Error::Code::kIo);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bc
