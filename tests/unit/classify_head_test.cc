// AnalyzeHead / HasAllFilterGroups: what the RLCONF JSON in <head> says.
#include <catch2/catch.hpp>

#include "classify/head_info.h"

namespace {
std::string Head(const std::string& rlconf) {
  return "<!DOCTYPE html><html><head><title>Recent changes &amp; more</title><script>"
         "document.documentElement.className=\"client-js\";RLCONF=" + rlconf +
         ";RLSTATE={};</script></head>";
}
const std::string kGroups =
    R"({"wgCanonicalSpecialPageName":"Recentchanges","wgUserName":"CrawlerQA","wgRequestId":"abc123",)"
    R"("wgStructuredChangeFilters":[{"name":"userExpLevel","type":"string_options","filters":[{"name":"newcomer"}]},)"
    R"({"name":"damaging","type":"string_options","filters":[{"name":"maybebad"},{"name":"likelybad"}]}],)"
    R"("wgStructuredChangeFiltersMessages":{"x":"y"}})";
}  // namespace

TEST_CASE("the head's RLCONF gives user, request id and special page name", "[classify][head]") {
  const bc::HeadInfo h = bc::AnalyzeHead(Head(kGroups), false);
  CHECK(h.has_rlconf);
  CHECK(h.user_present);
  CHECK_FALSE(h.user_is_null);
  CHECK(h.user_name == "CrawlerQA");
  CHECK(h.request_id == "abc123");
  CHECK(h.canonical_special == "Recentchanges");
  CHECK(h.title == "Recent changes & more");
  CHECK_FALSE(h.has_filter_groups);  // not asked for
}

TEST_CASE("an anonymous page has a null wgUserName", "[classify][head]") {
  const bc::HeadInfo h = bc::AnalyzeHead(Head(R"({"wgUserName":null,"wgRequestId":"x1"})"), false);
  CHECK(h.user_present);
  CHECK(h.user_is_null);
}

TEST_CASE("filter group names come from the group level only, not from filters", "[classify][head]") {
  const bc::HeadInfo h = bc::AnalyzeHead(Head(kGroups), true);
  REQUIRE(h.has_filter_groups);
  CHECK(h.filter_groups == std::vector<std::string>{"userExpLevel", "damaging"});
}

TEST_CASE("present groups are found by the fast byte check", "[classify][head]") {
  CHECK(bc::HasAllFilterGroups(Head(kGroups), {"damaging", "userExpLevel"}));
}

TEST_CASE("a group missing from wgStructuredChangeFilters is reported missing", "[classify][head]") {
  CHECK_FALSE(bc::HasAllFilterGroups(Head(kGroups), {"damaging", "goodfaith"}));
}

TEST_CASE("a filter that shares a group's name does not count as the group", "[classify][head]") {
  CHECK_FALSE(bc::HasAllFilterGroups(Head(kGroups), {"maybebad"}));
}

TEST_CASE("groups serialised in another key order are still found by the JSON fallback", "[classify][head]") {
  const std::string other = R"({"wgStructuredChangeFilters":[{"type":"string_options","name":"goodfaith","filters":[]}]})";
  CHECK(bc::HasAllFilterGroups(Head(other), {"goodfaith"}));
}

TEST_CASE("a page without RLCONF has no groups and no user", "[classify][head]") {
  const bc::HeadInfo h = bc::AnalyzeHead("<html><head><title>x</title></head>", true);
  CHECK_FALSE(h.has_rlconf);
  CHECK_FALSE(h.user_present);
  CHECK_FALSE(bc::HasAllFilterGroups("<html><head></head>", {"damaging"}));
}

TEST_CASE("a truncated RLCONF gives what it can and no crash", "[classify][head]") {
  const bc::HeadInfo h = bc::AnalyzeHead(R"(<head><script>RLCONF={"wgUserName":"Bob","wgStructuredChangeFilters":[{"name":"dam)", true);
  CHECK(h.user_name == "Bob");
  CHECK_FALSE(h.has_filter_groups);
}
