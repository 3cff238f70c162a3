// The compact probe (issue 16's memory target): interned values, inline ids,
// URLs in two shared parts; every value reads as it did when it was a string.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <string>
#include <thread>
#include <vector>

#include "plan/plan.h"
#include "plan/probe.h"
#include "plan/url_list.h"
#include "targets_fixture.h"

using namespace bc;

TEST_CASE("a probe is 60 bytes with no heap block of its own", "[plan][memory]") {
  // Before: ~290 bytes inline plus a heap block for the id, the URL and each
  // parameter; 200,000 probes were 83 MB of a 117 MB run.
  STATIC_REQUIRE(sizeof(Probe) <= 60);
  STATIC_REQUIRE(sizeof(InternedString) == 4);
  STATIC_REQUIRE(sizeof(FixedId) == 16);
}

TEST_CASE("interned strings: equal text, equal handle; they outlive their source", "[plan][memory]") {
  std::string a = "interned-test-";
  a += "enwiki";
  const InternedString x = a;
  const InternedString y = std::string_view("interned-test-enwiki");
  CHECK(x.index() == y.index());
  CHECK(x == y);
  a = "changed";  // the handle keeps its own copy
  CHECK(x.view() == "interned-test-enwiki");
  CHECK(x != InternedString("interned-test-frwiki"));
  CHECK(x < InternedString("interned-test-frwiki"));  // ordering is the text's, not the handle's
  CHECK(InternedString("interned-test-zz") > InternedString("interned-test-aa"));
  CHECK(InternedString().empty());
  CHECK(InternedString("") == InternedString());
  CHECK_FALSE(x.empty());
  CHECK(fmt::format("[{:>22}]", x) == "[  interned-test-enwiki]");
  CHECK(nlohmann::json{{"wiki", x}}.dump() == R"({"wiki":"interned-test-enwiki"})");
  CHECK("w=" + x == "w=interned-test-enwiki");
  // Lengths past one varint byte (127) and past an arena block's quarter (16 KB).
  for (size_t n : {127, 128, 300, 16383, 16384, 70000}) {
    const std::string s(n, static_cast<char>('a' + n % 26));
    CHECK(InternedString(s).view() == s);
    CHECK(InternedString(s).index() == InternedString(std::string_view(s)).index());
  }
}

TEST_CASE("interning from two threads at once gives one handle per text", "[plan][memory]") {
  std::vector<uint32_t> first(5000), second(5000);
  auto work = [](std::vector<uint32_t>* out) {
    for (size_t i = 0; i < out->size(); ++i) (*out)[i] = InternedString(fmt::format("thread-test-{}", i)).index();
  };
  std::thread t1(work, &first), t2(work, &second);
  t1.join();
  t2.join();
  CHECK(first == second);
  for (size_t i = 0; i < first.size(); i += 997)
    CHECK(InternedString(fmt::format("thread-test-{}", i)).view() == fmt::format("thread-test-{}", i));
}

TEST_CASE("interned containers: equal value, equal handle; they read as the value", "[plan][memory]") {
  const Interned<Params> p = Params{{"days", "7"}, {"title", "Special:RecentChanges"}};
  const Interned<Params> q = Params{{"days", "7"}, {"title", "Special:RecentChanges"}};
  CHECK(p.index() == q.index());
  CHECK(p.size() == 2);
  CHECK(p[1].second == "Special:RecentChanges");
  CHECK(p == Params{{"days", "7"}, {"title", "Special:RecentChanges"}});
  CHECK_FALSE(p == Params{{"days", "30"}, {"title", "Special:RecentChanges"}});
  CHECK(Interned<Params>().empty());
  CHECK(Interned<Params>(Params{}).index() == Interned<Params>().index());
  const Params& read = p;  // for functions that take const Params&
  CHECK(&read == &q.get());  // one stored value
}

TEST_CASE("a fixed id holds up to 16 characters and reads as a string", "[plan][memory]") {
  const FixedId id = std::string("45ddaebfb5eb5110");
  CHECK(id.view() == "45ddaebfb5eb5110");
  CHECK(id.size() == 16);
  CHECK(FixedId("p1").view() == "p1");
  CHECK(FixedId().empty());
  CHECK(FixedId("a") < FixedId("b"));
  CHECK_THROWS_AS(FixedId("0123456789abcdef0"), std::length_error);
}

TEST_CASE("a URL in two parts gives back every byte", "[plan][memory]") {
  for (const char* s : {"http://127.0.0.1:8450/x/1", "http://127.0.0.1:8450/x/2?title=Special:RecentChanges&days=7#frag",
                        "http://h/?", "http://h/a?b?c", "", "x", "/", "?q", "http://h/a/b/?c/d", "http://h"}) {
    const UrlText u = s;
    CHECK(u.str() == s);
    CHECK(u == s);
    CHECK(u.size() == std::string_view(s).size());
  }
  CHECK_FALSE(UrlText("http://h/a?b") == "http://h/a?c");
  CHECK_FALSE(UrlText("http://h/a?b") == "http://h/ab");
  CHECK_FALSE(UrlText("http://h/a/b") == "http://h/b/a");
}

TEST_CASE("a URL list's ids, URLs and queries are what they were as strings", "[plan][memory][ids]") {
  // Pinned from the build before the compact probe (pages.jsonl of a run).
  auto probes = ProbesFromUrlList(
      "http://127.0.0.1:8450/x/1\nhttp://127.0.0.1:8450/x/2?title=Special:RecentChanges&days=7#frag\n"
      "http://127.0.0.1:8450/x/1\n",
      "urls.txt", PageKind::kRecentChanges);
  REQUIRE(probes);
  REQUIRE(probes->size() == 3);
  CHECK((*probes)[0].id == "45ddaebfb5eb5110");
  CHECK((*probes)[1].id == "3361add2e02dcf73");
  CHECK((*probes)[2].id == "c6f688b23cc85ad2");
  CHECK((*probes)[1].url == "http://127.0.0.1:8450/x/2?title=Special:RecentChanges&days=7#frag");
  CHECK((*probes)[1].query == "title=Special:RecentChanges&days=7");
  CHECK((*probes)[1].params == Params{{"days", "7"}, {"title", "Special:RecentChanges"}});
  CHECK((*probes)[0].wiki == "127.0.0.1:8450");
}

TEST_CASE("a plan's probes share their wiki's values and their parameter sets across wikis", "[plan][memory]") {
  const Targets t = bc_test::ParseTargetsOrFail(R"TOML(
[crawl]
user_agent = "beta-crawler-test/0.1 (qa@example.org)"
[[wiki]]
dbname = "enwiki"
url = "http://127.0.0.1:8101"
script_path = ""
[[wiki]]
dbname = "frwiki"
url = "http://127.0.0.1:8102"
script_path = ""
[page.recentchanges]
strategy = "cartesian"
[page.recentchanges.axes]
days = ["1", "7", "30"]
)TOML");
  auto plan = BuildPlan(t);
  REQUIRE(plan);
  REQUIRE(plan->size() == 6);
  const Probe& en = (*plan)[0];
  const Probe& fr = (*plan)[3];
  CHECK(en.wiki == "enwiki");
  CHECK(fr.wiki == "frwiki");
  CHECK((*plan)[1].wiki.index() == en.wiki.index());
  CHECK((*plan)[2].host.index() == en.host.index());
  CHECK(fr.params.index() == en.params.index());  // days=1 on both wikis: one stored set
  CHECK(fr.query.index() == en.query.index());
  CHECK(en.url.str() == "http://127.0.0.1:8101/index.php?days=1&title=Special%3aRecentChanges");
  // A copy is the same probe.
  const Probe copy = fr;
  CHECK(copy.id == fr.id);
  CHECK(copy.url == fr.url);
  CHECK(copy.params == fr.params);
  CHECK(copy.wiki == fr.wiki);
  CHECK(copy.tier == fr.tier);
}
