// What a deploy changes on a wiki, as `crawler watch` sees it from
// meta=siteinfo: the MediaWiki version, the git hash of core, and the loaded
// extensions with each one's version and commit. Pure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "mediawiki/wiki_facts.h"

namespace bc {

// One line per wiki state: "MediaWiki 1.39.17 @abc123 +12 extensions (1a2b3c4d)",
// the digest covering every extension's name, version and commit,
// or "unreachable: <why>" when the wiki did not answer. Two equal fingerprints
// mean "nothing deployed in between".
std::string DeployFingerprint(const WikiFacts& facts);

// The wikis whose fingerprint differs between two polls (dbname order). A wiki
// present in only one of them counts as changed.
std::vector<std::string> ChangedWikis(const std::map<std::string, std::string>& before,
                                      const std::map<std::string, std::string>& after);

// What `watch` prints for one poll (after the UTC time): "poll 1: 3 wikis",
// "poll 4: 3 wikis, no change", "poll 5: 3 wikis, changed: enwiki", with
// "; unreachable: frwiki" when a wiki did not answer. `number` counts from 1;
// `before` is the previous poll (ignored for poll 1).
std::string DescribePoll(int number, const std::map<std::string, std::string>& before,
                         const std::map<std::string, std::string>& after);

}  // namespace bc
