// Evidence (report/evidence.h): the failing responses of each group saved,
// the first N per group only, redacted like every other output, and linked
// from summary.md, summary.remarkup and report.html.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/redact.h"
#include "report/evidence.h"
#include "report/run_dir.h"
#include "report/run_report.h"
#include "report_fixtures.h"

namespace bc {
namespace {
namespace fs = std::filesystem;

using Catch::Contains;
using testing::MakeOutcome;
using testing::MakeProbe;
using testing::TempResults;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Names(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("evidence: the first N failing responses per group, redacted, linked from the reports",
          "[report][evidence]") {
  ClearSecretsForTest();
  const std::string secret = "s3cr3t-session-value-0123456789";
  RegisterSecretCookie("enwiki_session", secret);
  TempResults results;
  RunInfo info;
  info.run_id = "20261127T031845Z-0e01";
  info.targets_path = "/t/local.toml";
  info.started_unix_ms = 1795749525000;
  info.planned = 9;
  info.evidence_per_group = 3;
  auto report = RunReport::Start(results.dir, info);
  REQUIRE(report.has_value());
  const std::string dir = report->run_dir();

  // 5 exceptions of one cause (the page echoes the session cookie), 2 fatals,
  // 1 ok (never evidence), 1 transport without a response (nothing to save).
  std::vector<Probe> probes;
  for (int i = 0; i < 9; ++i)
    probes.push_back(MakeProbe(fmt::format("{:016x}", i + 1), "enwiki", PageKind::kRecentChanges, {{"k", std::to_string(i)}}));
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"content-type", "text/html"}, {"x-request-id", "abc"}, {"set-cookie", "enwiki_session=" + secret + "; path=/"}};
  for (int i = 0; i < 9; ++i) {
    Outcome o = i < 5   ? MakeOutcome(Verdict::kException, 500, "RuntimeException", "RuntimeException")
                : i < 7 ? MakeOutcome(Verdict::kFatal, 500, "PHP Fatal error: Allowed memory size")
                : i < 8 ? MakeOutcome(Verdict::kOk)
                        : MakeOutcome(Verdict::kTransport, 0, "transport: Timeout was reached");
    const std::string body = fmt::format("<html><body>page {} [HTTP_COOKIE] => enwiki_session={}</body></html>", i, secret);
    REQUIRE(report->StageEvidence(probes[i], o, headers, body, static_cast<int64_t>(body.size()), "").has_value());
    REQUIRE(report->Add(probes[i], o).has_value());
  }
  info.finished_unix_ms = 1795749530000;
  info.exit_code = 1;
  REQUIRE(report->Finish(info).has_value());

  const fs::path evidence = fs::path(dir) / "evidence";
  // Groups in the order of summary.md: the bigger product group first.
  CHECK(Names(evidence) == std::vector<std::string>{"01-exception-RuntimeException", "02-fatal-PHP-Fatal-error-Allowed-memory-size"});
  const std::vector<std::string> first3 = {"0000000000000001.body", "0000000000000001.headers",
                                           "0000000000000002.body", "0000000000000002.headers",
                                           "0000000000000003.body", "0000000000000003.headers"};
  CHECK(Names(evidence / "01-exception-RuntimeException") == first3);
  CHECK(Names(evidence / "02-fatal-PHP-Fatal-error-Allowed-memory-size") ==
        std::vector<std::string>{"0000000000000006.body", "0000000000000006.headers", "0000000000000007.body",
                                 "0000000000000007.headers"});
  CHECK_FALSE(fs::exists(evidence / ".staging"));  // the rest is deleted

  const std::string body = Slurp(evidence / "01-exception-RuntimeException" / "0000000000000002.body");
  CHECK_THAT(body, Contains("page 1 "));
  CHECK_THAT(body, !Contains(secret));
  CHECK_THAT(body, Contains("[redacted]"));
  const std::string head = Slurp(evidence / "01-exception-RuntimeException" / "0000000000000002.headers");
  CHECK(head.starts_with("HTTP/1.1 500\r\n"));
  CHECK_THAT(head, Contains("x-request-id: abc\r\n"));
  CHECK_THAT(head, Contains("x-beta-crawler-probe: 0000000000000002\r\n"));
  CHECK_THAT(head, !Contains(secret));
  // The cookie's name survives the redaction step, its value never appears.
  CHECK_THAT(head, Contains("set-cookie: [redacted] (a cookie named enwiki_session)\r\n"));
  // No file anywhere in the run holds the secret.
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) CHECK_THAT(Slurp(e.path()), !Contains(secret));

  const std::string md = Slurp(fs::path(dir) / "summary.md");
  CHECK_THAT(md, Contains("- **Evidence** (the failing responses, secrets redacted): "
                          "[`0000000000000001.body`](evidence/01-exception-RuntimeException/0000000000000001.body) "
                          "([headers](evidence/01-exception-RuntimeException/0000000000000001.headers)), "
                          "[`0000000000000002.body`]"));
  CHECK_THAT(md, !Contains("0000000000000004.body"));
  const std::string html = Slurp(fs::path(dir) / "report.html");
  CHECK_THAT(html, Contains("<dt>Evidence</dt><dd class=\"evidence\"><a href=\"evidence/01-exception-RuntimeException/"
                            "0000000000000001.body\"><code>0000000000000001.body</code></a> (<a href=\"evidence/"
                            "01-exception-RuntimeException/0000000000000001.headers\">headers</a>)"));
  CHECK_THAT(html, Contains("href=\"evidence/02-fatal-PHP-Fatal-error-Allowed-memory-size/0000000000000007.body\""));
  const std::string remarkup = Slurp(fs::path(dir) / "summary.remarkup");
  CHECK_THAT(remarkup, Contains("- **Evidence** (attach; secrets redacted, .headers beside each): "
                                "`evidence/01-exception-RuntimeException/0000000000000001.body`"));
  ClearSecretsForTest();
}

TEST_CASE("evidence: none with evidence_per_group = 0; a cut body says so", "[report][evidence]") {
  TempResults results;
  RunInfo info;
  info.run_id = "20261127T031845Z-0e02";
  info.planned = 2;
  info.evidence_per_group = 0;
  auto report = RunReport::Start(results.dir, info);
  REQUIRE(report.has_value());
  const Probe p = MakeProbe("00000000000000aa", "enwiki", PageKind::kApi, {});
  const Outcome o = MakeOutcome(Verdict::kFatal, 500, "http-500");
  REQUIRE(report->StageEvidence(p, o, {}, "body", 4, "").has_value());
  REQUIRE(report->Add(p, o).has_value());
  REQUIRE(report->Finish(info).has_value());
  CHECK_FALSE(fs::exists(fs::path(report->run_dir()) / "evidence"));
  CHECK_THAT(Slurp(fs::path(report->run_dir()) / "summary.md"), !Contains("Evidence"));

  TempResults more;
  info.run_id = "20261127T031845Z-0e03";
  info.evidence_per_group = 3;
  auto cut = RunReport::Start(more.dir, info);
  REQUIRE(cut.has_value());
  REQUIRE(cut->StageEvidence(p, o, {}, std::string(100, 'x'), 5000, "capture cap").has_value());
  REQUIRE(cut->Add(p, o).has_value());
  REQUIRE(cut->Finish(info).has_value());
  const fs::path saved = fs::path(cut->run_dir()) / "evidence" / "01-fatal-http-500";
  CHECK(fs::file_size(saved / "00000000000000aa.body") == 100);
  CHECK_THAT(Slurp(saved / "00000000000000aa.headers"),
             Contains("x-beta-crawler-body: the first 100 of 5000 bytes kept (capture cap)\r\n"));
}

TEST_CASE("evidence: group directories are safe names", "[report][evidence]") {
  FailureGroup g;
  g.key = "../../etc/passwd <script> \xE2\x80\xAE ünïcode";
  g.verdict = Verdict::kException;
  CHECK(EvidenceGroupDir(7, g) == "07-exception-etc-passwd-script-n-code");
  g.key.clear();
  g.known_task = "T1";
  g.flaky = false;
  CHECK(EvidenceGroupDir(12, g) == "12-exception-known");
}

}  // namespace
}  // namespace bc
