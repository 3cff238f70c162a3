#include <catch2/catch.hpp>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>

#include <memory>
#include <string>
#include <vector>

#include "report/junit_xml.h"
#include "report_fixtures.h"
#include "test_paths.h"

namespace bc {
namespace {

using Catch::Contains;
using testing::MakeOutcome;
using testing::MakeProbe;

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

Doc Parse(const std::string& xml) {
  return Doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "junit.xml", nullptr, XML_PARSE_NONET));
}

void CollectError(void* user, xmlError* error) {
  if (error && error->message) *static_cast<std::string*>(user) += error->message;
}

// 0 = valid, >0 = invalid, <0 = internal error (libxml2's convention).
// The validator's messages go to `errors` instead of stderr.
int ValidateAgainstJunitXsd(xmlDoc* doc, std::string* errors = nullptr) {
  std::string ignored;
  if (!errors) errors = &ignored;
  const std::string xsd = std::string(BC_SOURCE_DIR) + "/tests/report/junit.xsd";
  xmlSchemaParserCtxt* pctx = xmlSchemaNewParserCtxt(xsd.c_str());
  REQUIRE(pctx != nullptr);
  xmlSchema* schema = xmlSchemaParse(pctx);
  xmlSchemaFreeParserCtxt(pctx);
  REQUIRE(schema != nullptr);
  xmlSchemaValidCtxt* vctx = xmlSchemaNewValidCtxt(schema);
  xmlSchemaSetValidStructuredErrors(vctx, &CollectError, errors);
  const int rc = xmlSchemaValidateDoc(vctx, doc);
  xmlSchemaFreeValidCtxt(vctx);
  xmlSchemaFree(schema);
  return rc;
}

std::string XPathString(xmlDoc* doc, const char* expr) {
  xmlXPathContext* ctx = xmlXPathNewContext(doc);
  xmlXPathObject* obj = xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expr), ctx);
  std::string out;
  if (obj) {
    xmlChar* s = xmlXPathCastToString(obj);
    out = reinterpret_cast<const char*>(s);
    xmlFree(s);
    xmlXPathFreeObject(obj);
  }
  xmlXPathFreeContext(ctx);
  return out;
}

std::vector<ProbeResult> Results() {
  std::vector<ProbeResult> rs;
  rs.push_back({MakeProbe("a", "ruwiki", PageKind::kRecentChanges, {{"damaging", "likelybad"}}),
                MakeOutcome(Verdict::kException, 500, "MWException: null", "MWException",
                            std::string("null <b>&\"' \x01 \xff threshold"), "req-1")});
  rs.push_back({MakeProbe("b", "ruwiki", PageKind::kRecentChanges, {{"hidebots", "1"}}), MakeOutcome(Verdict::kOk)});
  Outcome t = MakeOutcome(Verdict::kTransport, 0);
  t.transport_error = "Connection refused";
  rs.push_back({MakeProbe("c", "enwiki", PageKind::kWatchlist, {{"days", "7"}}), t});
  rs.push_back({MakeProbe("d", "enwiki", PageKind::kContributions, {{"target", "QA"}}),
                MakeOutcome(Verdict::kWarning, 200, "Warning: Undefined array key")});
  rs.push_back({MakeProbe("e", "frwiki", PageKind::kWatchlist, {{"days", "7"}}), MakeOutcome(Verdict::kAuth, 200)});
  return rs;
}

RunInfo JunitInfo() {
  RunInfo info;
  info.run_id = "20261127T031845Z-abcd";
  info.targets_path = "targets/local.toml";
  info.started_unix_ms = 1795749525000;
  info.finished_unix_ms = 1795749526000;
  return info;
}

TEST_CASE("junit.xml validates against the Jenkins JUnit schema, hostile text included", "[report][junit]") {
  auto xml = RenderJunitXml(JunitInfo(), RunSummary{}, Results());
  REQUIRE(xml.has_value());
  Doc doc = Parse(*xml);
  REQUIRE(doc != nullptr);
  std::string errors;
  CHECK(ValidateAgainstJunitXsd(doc.get(), &errors) == 0);
  CHECK(errors.empty());
}

TEST_CASE("junit.xml has a suite per wiki, failures for product bugs and errors for tool failures",
          "[report][junit]") {
  auto xml = RenderJunitXml(JunitInfo(), RunSummary{}, Results());
  REQUIRE(xml.has_value());
  Doc doc = Parse(*xml);
  REQUIRE(doc != nullptr);
  CHECK(XPathString(doc.get(), "count(/testsuites/testsuite)") == "3");
  CHECK(XPathString(doc.get(), "/testsuites/@tests") == "5");
  CHECK(XPathString(doc.get(), "/testsuites/@failures") == "1");
  CHECK(XPathString(doc.get(), "/testsuites/@errors") == "2");
  CHECK(XPathString(doc.get(), "/testsuites/testsuite[1]/@name") == "enwiki");
  CHECK(XPathString(doc.get(), "/testsuites/testsuite[1]/@timestamp") == "2026-11-27T03:18:45");
  CHECK(XPathString(doc.get(), "/testsuites/testsuite[@name='ruwiki']/@failures") == "1");
  CHECK(XPathString(doc.get(), "count(//testcase[@name='recentchanges damaging=likelybad']/failure)") == "1");
  CHECK(XPathString(doc.get(), "//testcase[@name='recentchanges damaging=likelybad']/failure/@type") == "exception");
  CHECK_THAT(XPathString(doc.get(), "//failure/@message"),
             Contains("exception: MWException: null <b>&\"'") && Contains("[req-1]"));
  CHECK_THAT(XPathString(doc.get(), "//failure"),
             Contains("request id: req-1") && Contains("url: http://127.0.0.1:8080/ruwiki/") &&
                 Contains("signature: MWException: null"));
  CHECK(XPathString(doc.get(), "//testcase[@name='watchlist days=7' and contains(@classname,'enwiki')]/error/@type") ==
        "transport");
  CHECK(XPathString(doc.get(), "count(//testcase[contains(@classname,'frwiki')]/error[@type='auth'])") == "1");
  CHECK(XPathString(doc.get(), "count(//testcase[@name='recentchanges hidebots=1']/*)") == "0");
  CHECK_THAT(XPathString(doc.get(), "//testcase[@name='contributions target=QA']/system-out"),
             Contains("verdict: warning"));
}

TEST_CASE("junit.xml marks probes an interrupted run never fetched as skipped, not passed", "[report][junit]") {
  std::vector<ProbeResult> rs = {{MakeProbe("a", "enwiki", PageKind::kRecentChanges, {{"limit", "50"}}),
                                  MakeOutcome(Verdict::kOk)}};
  Outcome not_run = MakeOutcome(Verdict::kNotRun, 0);
  not_run.result.evidence.detail = "not run: interrupted";
  rs.push_back({MakeProbe("b", "enwiki", PageKind::kRecentChanges, {{"limit", "500"}}), not_run});
  auto xml = RenderJunitXml(JunitInfo(), RunSummary{}, rs);
  REQUIRE(xml.has_value());
  Doc doc = Parse(*xml);
  REQUIRE(doc != nullptr);
  std::string errors;
  CHECK(ValidateAgainstJunitXsd(doc.get(), &errors) == 0);
  CHECK(XPathString(doc.get(), "/testsuites/testsuite[@name='enwiki']/@skipped") == "1");
  CHECK(XPathString(doc.get(), "//testcase[@name='recentchanges limit=500']/skipped/@message") ==
        "not run: interrupted");
  CHECK(XPathString(doc.get(), "count(//testcase[@name='recentchanges limit=50']/*)") == "0");
  CHECK(XPathString(doc.get(), "/testsuites/@failures") == "0");
  CHECK(XPathString(doc.get(), "/testsuites/@errors") == "0");
}

TEST_CASE("the junit schema check rejects a suite without its counts", "[report][junit]") {
  Doc doc = Parse("<testsuites><testsuite name=\"x\"><testcase name=\"t\"/></testsuite></testsuites>");
  REQUIRE(doc != nullptr);
  std::string errors;
  CHECK(ValidateAgainstJunitXsd(doc.get(), &errors) > 0);
  CHECK_THAT(errors, Contains("'tests' is required"));
}

}  // namespace
}  // namespace bc
