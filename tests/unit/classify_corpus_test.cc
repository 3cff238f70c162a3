// Every recorded page in tests/corpus/ gets its expected verdict, whether it
// is fed whole or one byte at a time, and both feedings agree on the evidence.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "classify/classifier.h"
#include "plan/probe.h"
#include "test_paths.h"
#include "test_files.h"

namespace {

struct CorpusPage {
  std::string name;
  nlohmann::json meta;
  std::string body;
};

CorpusPage LoadPage(const std::string& name) {
  const std::string dir = std::string(BC_SOURCE_DIR) + "/tests/corpus/";
  CorpusPage p;
  p.name = name;
  p.meta = nlohmann::json::parse(bc_test::ReadFile(dir + name + ".meta.json"));
  p.body = bc_test::ReadFile(dir + p.meta.at("file").get<std::string>());
  return p;
}

bc::Classification Classify(const CorpusPage& p, size_t chunk) {
  bc::Expectations exp;
  exp.kind = *bc::ParsePageKind(p.meta.at("kind").get<std::string>());
  exp.expect_user = p.meta.value("expect_user", "");
  exp.expect_filter_groups = p.meta.value("expect_filter_groups", std::vector<std::string>{});
  exp.expect_ores = p.meta.value("expect_ores", false);
  exp.expect_ores_rows = p.meta.value("expect_ores_rows", false);
  bc::PageClassifier c(exp);
  c.SetStatus(p.meta.at("status").get<long>());
  for (const auto& h : p.meta.at("headers")) c.AddHeader(h.at(0).get<std::string>(), h.at(1).get<std::string>());
  c.SetFinalUrl(p.meta.value("final_url", ""));
  const std::string_view body = p.body;
  for (size_t i = 0; i < body.size(); i += chunk) c.Feed(body.substr(i, chunk));
  return c.Finish();
}

}  // namespace

TEST_CASE("every corpus page gets its expected verdict, whole and byte by byte", "[classify][corpus]") {
  const auto index = nlohmann::json::parse(bc_test::ReadFile(std::string(BC_SOURCE_DIR) + "/tests/corpus/index.json"));
  REQUIRE(index.size() >= 40);
  for (const auto& entry : index) {
    const CorpusPage page = LoadPage(entry.at("name").get<std::string>());
    const std::string expected = entry.at("expected").get<std::string>();
    INFO("corpus page " << page.name << " (" << page.meta.value("why", "") << ")");
    const bc::Classification whole = Classify(page, page.body.size() + 1);
    INFO("whole: " << bc::VerdictName(whole.verdict) << " / " << whole.evidence.detail << " / "
                   << whole.evidence.signature);
    CHECK(bc::VerdictName(whole.verdict) == expected);
    const bc::Classification bytewise = Classify(page, 1);
    CHECK(bytewise.verdict == whole.verdict);
    CHECK(bytewise.evidence.signature == whole.evidence.signature);
    CHECK(bytewise.evidence.exception_class == whole.evidence.exception_class);
    CHECK(bytewise.evidence.message == whole.evidence.message);
    CHECK(bytewise.evidence.request_id == whole.evidence.request_id);
    CHECK(bytewise.evidence.excerpt == whole.evidence.excerpt);
    CHECK(bytewise.evidence.detail == whole.evidence.detail);
    if (whole.verdict != bc::Verdict::kOk) {
      CHECK_FALSE(whole.evidence.detail.empty());
      CHECK_FALSE(whole.evidence.signature.empty());
      CHECK(whole.evidence.excerpt.size() <= 300);
    }
  }
}
