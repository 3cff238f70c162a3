// Every recorded page in tests/corpus/ gets its expected verdict, whether it
// is fed whole or one byte at a time, and both feedings agree on the evidence.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
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
  std::map<std::string, std::pair<size_t, size_t>> by_verdict;  // expected verdict -> (pages, agree)
  size_t agree = 0;
  for (const auto& entry : index) {
    const CorpusPage page = LoadPage(entry.at("name").get<std::string>());
    const std::string expected = entry.at("expected").get<std::string>();
    INFO("corpus page " << page.name << " (" << page.meta.value("why", "") << ")");
    const bc::Classification whole = Classify(page, page.body.size() + 1);
    INFO("whole: " << bc::VerdictName(whole.verdict) << " / " << whole.evidence.detail << " / "
                   << whole.evidence.signature);
    CHECK(bc::VerdictName(whole.verdict) == expected);
    const bool agrees = bc::VerdictName(whole.verdict) == expected;
    agree += agrees ? 1 : 0;
    by_verdict[expected].first += 1;
    by_verdict[expected].second += agrees ? 1 : 0;
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
  std::string per_verdict;
  for (const auto& [verdict, counts] : by_verdict)
    per_verdict += " " + verdict + " " + std::to_string(counts.second) + "/" + std::to_string(counts.first);
  WARN("tests/corpus agreement: " << agree << " of " << index.size() << " (per expected verdict:" << per_verdict << ")");
}

// The test above walks index.json; a page recorded into the directory but
// never listed there would silently go unchecked. So: every file of
// tests/corpus/ is a listed page's .meta.json or body (or the index, the
// recorder, the 1.43 folder), every listed page has both, and the meta's own
// expected verdict is the index's.
TEST_CASE("every file in tests/corpus/ is a page with an expected verdict in index.json", "[classify][corpus]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(BC_SOURCE_DIR) / "tests" / "corpus";
  const auto index = nlohmann::json::parse(bc_test::ReadFile((dir / "index.json").string()));
  std::map<std::string, std::string> expected;  // page name -> verdict
  for (const auto& entry : index) {
    const std::string name = entry.at("name").get<std::string>();
    INFO("index.json entry " << name);
    CHECK(bc::ParseVerdict(entry.at("expected").get<std::string>()).has_value());
    CHECK(expected.emplace(name, entry.at("expected").get<std::string>()).second);  // listed once
  }
  std::set<std::string> bodies;  // the files the listed pages' meta.json name
  for (const auto& [name, verdict] : expected) {
    INFO("listed page " << name);
    const fs::path meta_path = dir / (name + ".meta.json");
    REQUIRE(fs::is_regular_file(meta_path));
    const auto meta = nlohmann::json::parse(bc_test::ReadFile(meta_path.string()));
    CHECK(meta.value("expected", std::string()) == verdict);
    const std::string body = meta.at("file").get<std::string>();
    CHECK(fs::is_regular_file(dir / body));
    bodies.insert(body);
  }
  size_t files = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    const std::string file = e.path().filename().string();
    if (file == "index.json" || file == "record.py" || file == "mw143") continue;
    ++files;
    INFO("tests/corpus/" << file);
    const bool listed_meta = file.ends_with(".meta.json") &&
                             expected.contains(file.substr(0, file.size() - std::string(".meta.json").size()));
    CHECK((listed_meta || bodies.contains(file)));
  }
  CHECK(files == 2 * expected.size());  // one meta.json and one body per page, nothing else
}
