// Every api.php parser against answers of the wrong shape. A wiki behind a
// broken proxy, a half-deployed extension or an attacker can send valid JSON
// where any member has another type than MediaWiki's ({"query":"x"},
// {"clientlogin":{"status":5}}). nlohmann throws type_error on such access
// (operator[] on a string, value() on a mismatched type): the fuzzer found
// one in CI (ParseUserInfo on {"query":"..."}). This test is the deterministic
// version of that search: for each seed answer the fuzzer starts from, every
// member in turn is replaced by each JSON type, and every parser must return
// a value or an Error, never throw.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mediawiki/discovery.h"
#include "mediawiki/session.h"
#include "mediawiki/wiki_facts.h"
#include "test_paths.h"

using namespace bc;
using Json = nlohmann::json;

namespace {

// Every parser the fuzz target fuzz_api_json drives; returns how many said no.
int RunAllParsers(const std::string& body) {
  int errors = 0;
  errors += !ParseLoginToken(body).has_value();
  errors += !ParseClientLogin(body).has_value();
  errors += !ParseUserInfo(body).has_value();
  errors += !ParseSiteInfo(body).has_value();
  errors += !ParseOresMeta(body).has_value();
  errors += !ParseSiteMatrix(body).has_value();
  (void)ParseDblist(body);
  // ParseFilterLevels reads the JSON out of a page's RLCONF.
  errors += !ParseFilterLevels("<script>RLCONF={\"wgStructuredChangeFilters\":" + body + "};</script>").has_value();
  return errors;
}

void CollectPointers(const Json& j, const Json::json_pointer& at, std::vector<Json::json_pointer>& out) {
  out.push_back(at);
  if (j.is_object())
    for (const auto& [k, v] : j.items()) CollectPointers(v, at / k, out);
  else if (j.is_array())
    for (size_t i = 0; i < j.size(); ++i) CollectPointers(j[i], at / i, out);
}

const std::vector<Json> kOtherShapes = {
    Json("text"), Json(5), Json(2.5), Json(true), Json(nullptr), Json::array({"a", 1}), Json::object({{"x", "y"}}),
    Json::array(),  Json::object()};

}  // namespace

TEST_CASE("every api.php parser survives any member of a seed answer having any other JSON type", "[api-json]") {
  const std::filesystem::path seeds = std::filesystem::path(BC_SOURCE_DIR) / "tests/fuzz/seeds/api";
  size_t variants = 0, files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(seeds)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const Json seed = Json::parse(text.str());
    ++files;
    std::vector<Json::json_pointer> pointers;
    CollectPointers(seed, Json::json_pointer(), pointers);
    for (const auto& p : pointers) {
      for (const Json& shape : kOtherShapes) {
        Json variant = seed;
        if (p.empty()) variant = shape;
        else variant[p] = shape;
        const std::string body = variant.dump();
        INFO(entry.path().filename().string() << ": " << body);
        CHECK_NOTHROW(RunAllParsers(body));
        ++variants;
      }
    }
  }
  CHECK(files >= 8);
  CHECK(variants > 500);
}

TEST_CASE("the inputs that crashed fuzz_api_json parse without an exception", "[api-json]") {
  size_t replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(BC_SOURCE_DIR) / "tests/fuzz/crashes")) {
    if (!entry.path().filename().string().starts_with("api-json-")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    INFO(entry.path().filename().string());
    CHECK_NOTHROW(RunAllParsers(text.str()));
    ++replayed;
  }
  CHECK(replayed >= 1);
}

TEST_CASE("wrong-shaped answers are errors that say what is missing, not crashes", "[api-json]") {
  auto ui = ParseUserInfo(R"({"query":"userinfo"})");
  REQUIRE_FALSE(ui.has_value());
  CHECK_THAT(ui.error().message, Catch::Contains("query.userinfo"));

  auto token = ParseLoginToken(R"({"query":{"tokens":"abc"}})");
  REQUIRE_FALSE(token.has_value());
  CHECK_THAT(token.error().message, Catch::Contains("login token"));

  // A non-string status is not PASS: the login failed, and the message says so.
  auto login = ParseClientLogin(R"({"clientlogin":{"status":5,"message":["x"]}})");
  REQUIRE_FALSE(login.has_value());
  CHECK_THAT(login.error().message, Catch::Contains("clientlogin"));

  // An error object whose code is a number still reads as an API error.
  auto err = ParseSiteInfo(R"({"error":{"code":42,"info":{"a":1}}})");
  REQUIRE_FALSE(err.has_value());
  CHECK_THAT(err.error().message, Catch::Contains("API error 42"));

  auto name = ParseUserInfo(R"({"query":{"userinfo":{"id":3,"name":7}}})");
  REQUIRE(name.has_value());
  CHECK(*name == "7");
}
