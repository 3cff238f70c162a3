// The ORES verdict rules of issue 13: the silent ORES failure on
// Contributions (ORES's hidenondamaging control missing) and on api.php
// (oresscores / oresreview "Unrecognized value"), the API auth codes, and user
// names compared as MediaWiki compares them. Each fed whole and in small chunks.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "classify/classifier.h"
#include "classify/rules.h"
#include "test_paths.h"

using namespace bc;

namespace {

std::string ReadCorpus(const std::string& name) {
  std::ifstream in(std::string(BC_SOURCE_DIR) + "/tests/corpus/" + name, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Classification Run(const Expectations& e, long status, const std::string& body, size_t chunk) {
  PageClassifier c(e);
  c.SetStatus(status);
  for (size_t i = 0; i < body.size(); i += chunk) c.Feed(std::string_view(body).substr(i, chunk));
  return c.Finish();
}

// The same verdict and signature fed whole, 1 byte and 7 bytes at a time.
Classification RunAll(const Expectations& e, long status, const std::string& body) {
  const Classification whole = Run(e, status, body, body.size() + 1);
  for (size_t chunk : {size_t{1}, size_t{7}}) {
    const Classification c = Run(e, status, body, chunk);
    CHECK(c.verdict == whole.verdict);
    CHECK(c.evidence.signature == whole.evidence.signature);
  }
  return whole;
}

// farm-en-contribs.body as the silent ORES fault serves it: the form without
// ORES's checkbox (the OOUI field layout that holds it is dropped).
std::string WithoutOresControl(std::string body) {
  for (const std::string token : {"name='hidenondamaging'", "\"name\":\"hidenondamaging\""}) {
    for (size_t at = body.find(token); at != std::string::npos; at = body.find(token))
      body.replace(at, token.size(), "name='hidebots'");
  }
  return body;
}

Expectations Contribs(bool expect_ores) {
  return Expectations{PageKind::kContributions, "CrawlerQA", {}, expect_ores};
}

}  // namespace

TEST_CASE("Contributions on an ORES wiki without ORES's control is broken; with it ok", "[classify][ores]") {
  const std::string page = ReadCorpus("farm-en-contribs.body");
  REQUIRE(page.find("name='hidenondamaging'") != std::string::npos);
  CHECK(RunAll(Contribs(true), 200, page).verdict == Verdict::kOk);
  const std::string silent = WithoutOresControl(page);
  const auto c = RunAll(Contribs(true), 200, silent);
  CHECK(c.verdict == Verdict::kBroken);
  CHECK(c.evidence.signature == "ORES filter missing on Contributions");
  // Not expected (no ORES parameter, or a wiki without ORES): the same page is fine.
  CHECK(RunAll(Contribs(false), 200, silent).verdict == Verdict::kOk);
}

TEST_CASE("the ORES control counts only before the contributions list", "[classify][ores]") {
  std::string page = WithoutOresControl(ReadCorpus("farm-en-contribs.body"));
  const size_t list = page.find("mw-contributions-list");
  REQUIRE(list != std::string::npos);
  const size_t after = page.find("</ul>", list);
  REQUIRE(after != std::string::npos);
  page.insert(after, "<li><input name='hidenondamaging'></li>");
  CHECK(RunAll(Contribs(true), 200, page).verdict == Verdict::kBroken);
}

TEST_CASE("api.php calling oresscores or oresreview unrecognized is broken on an ORES wiki", "[classify][ores]") {
  const Expectations ores{PageKind::kApi, "", {}, true};
  const Expectations plain{PageKind::kApi, "", {}, false};
  const std::string fv2 =
      R"({"batchcomplete":true,"warnings":{"recentchanges":{"warnings":"Unrecognized value for parameter \"rcprop\": oresscores.\nUnrecognized value for parameter \"rcshow\": oresreview."}},"query":{"recentchanges":[]}})";
  const std::string fv1 =
      R"({"warnings":{"usercontribs":{"*":"Unrecognized values for parameter \"ucprop\": oresscores."}},"query":{"usercontribs":[]}})";
  const std::string errorformat =
      R"({"warnings":[{"code":"unrecognizedvalues","text":"Unrecognized value for parameter \"wlshow\": oresreview.","module":"query+watchlist"}],"query":{"watchlist":[]}})";
  for (const std::string& body : {fv2, fv1, errorformat}) {
    INFO(body);
    const auto c = RunAll(ores, 200, body);
    CHECK(c.verdict == Verdict::kBroken);
    CHECK(c.evidence.signature == "ORES API parameters unrecognized");
    CHECK(RunAll(plain, 200, body).verdict == Verdict::kOk);
  }
  // Another unrecognized value, or a healthy answer with scores: ok.
  CHECK(RunAll(ores, 200, R"({"warnings":{"main":{"warnings":"Unrecognized parameter: foo."}},"query":{}})").verdict ==
        Verdict::kOk);
  CHECK(RunAll(ores, 200,
               R"({"query":{"recentchanges":[{"revid":7,"oresscores":{"damaging":{"true":0.12,"false":0.88}}}]}})")
            .verdict == Verdict::kOk);
}

TEST_CASE("API error codes of a lost session are auth; internal errors exceptions with their class", "[classify][ores]") {
  const Expectations api{PageKind::kApi, "", {}, true};
  for (const char* code : {"notloggedin", "assertuserfailed", "assertnameduserfailed", "readapidenied"}) {
    INFO(code);
    const auto c = RunAll(api, 200, std::string(R"({"error":{"code":")") + code + R"(","info":"x"}})");
    CHECK(c.verdict == Verdict::kAuth);
    CHECK(c.evidence.signature == std::string("api-auth: ") + code);
  }
  CHECK(RunAll(api, 200, R"({"error":{"code":"badvalue","info":"x"}})").verdict == Verdict::kBroken);
  const auto ex = RunAll(api, 200,
                         R"({"error":{"code":"internal_api_error_RuntimeException","info":"[abc123def] Caught exception of type RuntimeException","errorclass":"RuntimeException"}})");
  CHECK(ex.verdict == Verdict::kException);
  CHECK(ex.evidence.exception_class == "RuntimeException");
  CHECK(ex.evidence.request_id == "abc123def");
  // The same DB error asked with errorformat (errors[0].data.errorclass): the
  // full class, so both spellings of the answer group together.
  const auto plain = RunAll(api, 200,
                            R"({"error":{"code":"internal_api_error_DBQueryError","info":"[d1] Caught exception of type Wikimedia\\Rdbms\\DBQueryError","errorclass":"Wikimedia\\Rdbms\\DBQueryError"}})");
  const auto formatted = RunAll(api, 200,
                                R"({"errors":[{"code":"internal_api_error_DBQueryError","text":"[d2] Caught exception of type Wikimedia\\Rdbms\\DBQueryError","data":{"errorclass":"Wikimedia\\Rdbms\\DBQueryError"}}]})");
  CHECK(plain.verdict == Verdict::kDbError);
  CHECK(formatted.verdict == Verdict::kDbError);
  CHECK(formatted.evidence.exception_class == "Wikimedia\\Rdbms\\DBQueryError");
  CHECK(formatted.evidence.signature == plain.evidence.signature);
}

TEST_CASE("user names are compared as MediaWiki compares them", "[classify][user]") {
  CHECK(NormalizeUserName("crawler_QA") == "Crawler QA");
  CHECK(NormalizeUserName(" Crawler QA ") == "Crawler QA");
  CHECK(NormalizeUserName("élise") == "Élise");
  CHECK(NormalizeUserName("élise") == NormalizeUserName("Élise"));
  CHECK(NormalizeUserName("жанна_д") == "Жанна д");
  // Runs of '_' and Unicode spaces are one space; bidi marks vanish (MediaWikiTitleCodec).
  CHECK(NormalizeUserName("_crawler__ QA_") == "Crawler QA");
  CHECK(NormalizeUserName("Crawler\u00a0\u3000QA") == "Crawler QA");
  CHECK(NormalizeUserName("\u200eCrawler QA\u200f") == "Crawler QA");
  CHECK(NormalizeUserName("élise\u2003dupont") == "Élise dupont");
  CHECK(NormalizeUserName("crawler_QA") != NormalizeUserName("crawlerQA"));
}

TEST_CASE("an account named élise is not a wrong user", "[classify][user]") {
  const std::string page = ReadCorpus("farm-en-rc.body");
  const size_t at = page.find("\"wgUserName\":\"");
  REQUIRE(at != std::string::npos);
  const size_t end = page.find('"', at + 14);
  std::string elise = page;
  elise.replace(at + 14, end - at - 14, "\\u00c9lise");  // RLCONF escapes non-ASCII: "Élise"
  const Expectations e{PageKind::kRecentChanges, "élise", {}, false};
  CHECK(RunAll(e, 200, elise).verdict == Verdict::kOk);
  const Expectations other{PageKind::kRecentChanges, "elise", {}, false};
  CHECK(RunAll(other, 200, elise).verdict == Verdict::kAuth);
}

namespace {

Expectations ContribsRows() {
  Expectations e = Contribs(true);
  e.expect_ores_rows = true;  // the probe asked hidenondamaging=1
  return e;
}

// farm-en-contribs.body (recorded before the fixture gave rows ORES's scores)
// with ORES's row data added to RLCONF, as ORES's formatRow::flags hook does.
std::string WithOresData(std::string body) {
  const size_t at = body.find("RLCONF={");
  REQUIRE(at != std::string::npos);
  body.insert(at + 8, R"("oresData":{"101":{"damaging":0.48}},"oresThresholds":{"damaging":{"maybebad":0.16}},)");
  return body;
}

}  // namespace

TEST_CASE("hidenondamaging=1 rows without ORES's scores are broken; with them, or without rows, ok",
          "[classify][ores]") {
  const std::string page = ReadCorpus("farm-en-contribs.body");
  REQUIRE(page.find("\"oresData\"") == std::string::npos);
  const auto c = RunAll(ContribsRows(), 200, page);
  CHECK(c.verdict == Verdict::kBroken);
  CHECK(c.evidence.signature == "ORES flags missing on Contributions rows");
  CHECK(RunAll(ContribsRows(), 200, WithOresData(page)).verdict == Verdict::kOk);
  // Not asked to hide good edits: rows without scores are fine (ORES scores recent edits only).
  CHECK(RunAll(Contribs(true), 200, page).verdict == Verdict::kOk);
  // No rows: nothing to carry scores (this recorded empty page is from a wiki
  // without ORES, so only the rows rule is asked for).
  Expectations empty = ContribsRows();
  empty.expect_ores = false;
  CHECK(RunAll(empty, 200, ReadCorpus("en-contribs-empty.body")).verdict == Verdict::kOk);
  // The checkbox missing is the first finding (the silent failure), not the rows.
  CHECK(RunAll(ContribsRows(), 200, WithoutOresControl(page)).evidence.signature ==
        "ORES filter missing on Contributions");
}
