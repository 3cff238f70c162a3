#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "report/run_dir.h"
#include "test_files.h"

namespace bc {
namespace {
namespace fs = std::filesystem;

std::string RunDirTempDir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("bc-report-" + name + "-" + MakeRunId());
  fs::remove_all(dir);
  return dir.string();
}

TEST_CASE("run ids are UTC timestamps with a hex suffix and sort by time", "[report][rundir]") {
  CHECK(MakeRunId(1795749525123, 0xabcd) == "20261127T031845Z-abcd");
  CHECK(MakeRunId(1795749525123, 0x1234abcd) == "20261127T031845Z-abcd");
  CHECK(MakeRunId(1795749524999, 0xffff) < MakeRunId(1795749525000, 0x0000));
  CHECK(IsRunId("20261127T031845Z-abcd"));
  CHECK(IsRunId(MakeRunId()));
  CHECK_FALSE(IsRunId("latest"));
  CHECK_FALSE(IsRunId("../61127T031845Z-abcd"));
  CHECK_FALSE(IsRunId("20261127T031845Z-ABCD"));
}

TEST_CASE("timestamps format as ISO 8601 UTC with milliseconds", "[report][rundir]") {
  CHECK(FormatIsoUtc(0) == "1970-01-01T00:00:00.000Z");
  CHECK(FormatIsoUtc(1795749525123) == "2026-11-27T03:18:45.123Z");
  CHECK(FormatIsoUtc(1795749525007) == "2026-11-27T03:18:45.007Z");
  CHECK(FormatIsoUtc(-1) == "1969-12-31T23:59:59.999Z");  // floored, not garbage
  CHECK(FormatIsoUtcSeconds(1795749525999) == "2026-11-27T03:18:45Z");
  CHECK(MakeRunId(951782400000, 0x0001) == "20000229T000000Z-0001");
}

TEST_CASE("a run directory is created once and never reused", "[report][rundir]") {
  const std::string results = RunDirTempDir("rundir");
  auto dir = CreateRunDir(results, "20261127T031845Z-abcd");
  REQUIRE(dir.has_value());
  CHECK(fs::is_directory(*dir));
  auto again = CreateRunDir(results, "20261127T031845Z-abcd");
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == Error::Code::kIo);
  CHECK_FALSE(CreateRunDir(results, "../escape").has_value());
  fs::remove_all(results);
}

TEST_CASE("an atomic write replaces the whole file and leaves no temporary behind", "[report][rundir]") {
  const std::string results = RunDirTempDir("atomic");
  fs::create_directories(results);
  const std::string path = results + "/summary.md";
  REQUIRE(WriteFileAtomically(path, "first version, longer than the second\n").has_value());
  REQUIRE(WriteFileAtomically(path, "second\n").has_value());
  CHECK(bc_test::ReadFile(path) == "second\n");
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(results)) ++files;
  CHECK(files == 1);
  CHECK_FALSE(WriteFileAtomically(results + "/no-such-dir/x", "x").has_value());
  fs::remove_all(results);
}

TEST_CASE("latest points at the newest run and is replaced, not rewritten", "[report][rundir]") {
  const std::string results = RunDirTempDir("latest");
  REQUIRE(CreateRunDir(results, "20261127T031845Z-0001").has_value());
  REQUIRE(CreateRunDir(results, "20261127T041845Z-0002").has_value());
  REQUIRE(UpdateLatestSymlink(results, "20261127T031845Z-0001").has_value());
  CHECK(fs::read_symlink(results + "/latest") == "20261127T031845Z-0001");
  REQUIRE(UpdateLatestSymlink(results, "20261127T041845Z-0002").has_value());
  CHECK(fs::read_symlink(results + "/latest") == "20261127T041845Z-0002");
  // The link resolves relative to the results directory.
  CHECK(fs::is_directory(results + "/latest"));
  auto runs = ListRunDirs(results);
  REQUIRE(runs.has_value());
  CHECK(*runs == std::vector<std::string>{"20261127T031845Z-0001", "20261127T041845Z-0002"});
  // Removing the run latest points at is refused; an older one goes.
  CHECK_FALSE(RemoveRunDir(results, "20261127T041845Z-0002").has_value());
  REQUIRE(RemoveRunDir(results, "20261127T031845Z-0001").has_value());
  CHECK_FALSE(fs::exists(results + "/20261127T031845Z-0001"));
  fs::remove_all(results);
}

}  // namespace
}  // namespace bc
