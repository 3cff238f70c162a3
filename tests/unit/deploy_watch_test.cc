#include <catch2/catch.hpp>

#include "mediawiki/deploy_watch.h"

using namespace bc;

namespace {
WikiFacts DeployFacts(std::string generator, std::string hash, std::vector<std::string> extensions) {
  WikiFacts f;
  f.dbname = "enwiki";
  f.site.generator = std::move(generator);
  f.site.git_hash = std::move(hash);
  f.site.extensions = std::move(extensions);
  return f;
}
}  // namespace

TEST_CASE("a deploy fingerprint changes with the version, the git hash or the extension set", "[watch]") {
  const auto base = DeployFingerprint(DeployFacts("MediaWiki 1.39.17", "", {"ORES", "SiteMatrix"}));
  CHECK(base == DeployFingerprint(DeployFacts("MediaWiki 1.39.17", "", {"SiteMatrix", "ORES"})));  // order does not matter
  CHECK(base != DeployFingerprint(DeployFacts("MediaWiki 1.39.18", "", {"ORES", "SiteMatrix"})));
  CHECK(base != DeployFingerprint(DeployFacts("MediaWiki 1.39.17", "0123abcd", {"ORES", "SiteMatrix"})));
  CHECK(base != DeployFingerprint(DeployFacts("MediaWiki 1.39.17", "", {"SiteMatrix"})));
  CHECK_THAT(base, Catch::StartsWith("MediaWiki 1.39.17 +2 extensions"));
  WikiFacts down;
  down.error = "Couldn't connect to server";
  CHECK(DeployFingerprint(down) == "unreachable: Couldn't connect to server");
}

TEST_CASE("changed wikis are those whose fingerprint differs or that appear or vanish", "[watch]") {
  std::map<std::string, std::string> before = {{"enwiki", "a"}, {"frwiki", "b"}, {"ruwiki", "c"}};
  std::map<std::string, std::string> after = {{"enwiki", "a"}, {"frwiki", "B"}, {"dewiki", "d"}};
  CHECK(ChangedWikis(before, after) == std::vector<std::string>{"dewiki", "frwiki", "ruwiki"});
  CHECK(ChangedWikis(before, before).empty());
}

TEST_CASE("an extension deployed alone (new version or commit) changes the fingerprint", "[watch]") {
  auto with = [](std::string ores_version) {
    WikiFacts f = DeployFacts("MediaWiki 1.44.0-wmf.3", "feedc0de", {"ORES", "SiteMatrix"});
    f.site.extension_versions = {{"ORES", std::move(ores_version)}, {"SiteMatrix", "1.0"}};
    return DeployFingerprint(f);
  };
  CHECK(with("0.1.0 @1111111") == with("0.1.0 @1111111"));
  CHECK(with("0.1.0 @1111111") != with("0.1.0 @2222222"));  // same version, another commit
  CHECK(with("0.1.0") != with("0.2.0"));
}

TEST_CASE("siteinfo's extension versions and commits are read", "[watch]") {
  auto s = ParseSiteInfo(
      R"({"query":{"general":{"wikiid":"enwiki","generator":"MediaWiki 1.44"},"extensions":[)"
      R"({"type":"other","name":"ORES","version":"0.1.0","vcs-system":"git","vcs-version":"abc123"},)"
      R"({"type":"other","name":"SiteMatrix","version":"1.5.0"}]}})");
  REQUIRE(s);
  CHECK(s->extension_versions.at("ORES") == "0.1.0 @abc123");
  CHECK(s->extension_versions.at("SiteMatrix") == "1.5.0");
}

TEST_CASE("watch says what each poll saw in one line", "[watch]") {
  const std::map<std::string, std::string> a = {{"enwiki", "MW 1"}, {"frwiki", "MW 1"}};
  std::map<std::string, std::string> b = a;
  CHECK(bc::DescribePoll(1, {}, a) == "poll 1: 2 wikis");
  CHECK(bc::DescribePoll(2, a, b) == "poll 2: 2 wikis, no change");
  b["enwiki"] = "MW 2";
  b["frwiki"] = "unreachable: timeout";
  CHECK(bc::DescribePoll(3, a, b) == "poll 3: 2 wikis, changed: enwiki, frwiki; unreachable: frwiki");
}
