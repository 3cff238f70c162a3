// Notifiers: the command gets the payload on stdin; a failing or hanging
// notifier is reported, never thrown or waited on forever.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/notify.h"
#include "report/run_dir.h"
#include "test_files.h"

namespace bc {
namespace {

TEST_CASE("the notify command reads the payload on stdin and its exit status is reported", "[notify]") {
  const auto dir = std::filesystem::temp_directory_path() / ("bc-notify-" + MakeRunId());
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "got.json").string();
  NotifyOptions o;
  o.command = "cat > '" + file + "'";
  const std::string payload = R"({"run_id":"r","exit_code":1})";
  auto results = SendNotifications(o, payload, "test-agent");
  REQUIRE(results.size() == 1);
  CHECK(results[0].notifier == "command");
  CHECK(results[0].ok);
  CHECK(results[0].message == "exit 0");
  CHECK(bc_test::ReadFile(file) == payload);

  o.command = "cat >/dev/null; exit 3";
  results = SendNotifications(o, payload, "test-agent");
  CHECK_FALSE(results[0].ok);
  CHECK(results[0].message == "exit 3");
  std::filesystem::remove_all(dir);
}

TEST_CASE("a notify command that hangs is killed at its timeout, with what it started", "[notify]") {
  NotifyOptions o;
  o.command = "sleep 30 & sleep 30";
  o.timeout_ms = 300;
  const auto results = SendNotifications(o, std::string(200000, 'x'), "test-agent");  // larger than a pipe
  REQUIRE(results.size() == 1);
  CHECK_FALSE(results[0].ok);
  CHECK(results[0].message == "timed out after 300 ms (killed)");
}

TEST_CASE("a webhook nobody listens on is an error naming only its origin", "[notify]") {
  NotifyOptions o;
  o.webhook = "http://127.0.0.1:9/secret-token-path?key=abc";  // port 9 (discard): refused on loopback
  o.timeout_ms = 2000;
  const auto results = SendNotifications(o, "{}", "test-agent (https://example.org)");
  REQUIRE(results.size() == 1);
  CHECK(results[0].notifier == "webhook http://127.0.0.1:9");
  CHECK_FALSE(results[0].ok);
  CHECK(results[0].message.find("secret-token") == std::string::npos);
}

}  // namespace
}  // namespace bc
