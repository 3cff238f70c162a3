#include "mediawiki/deploy_watch.h"

#include "core/hash.h"
#include "core/plural.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

namespace bc {

std::string DeployFingerprint(const WikiFacts& facts) {
  if (!facts.error.empty()) return "unreachable: " + facts.error;
  std::vector<std::string> ext = facts.site.extensions;
  std::sort(ext.begin(), ext.end());
  // A short, stable digest of the extensions and their versions keeps the
  // line readable while still changing when an extension is added, removed,
  // renamed or deployed alone (the 2017 outage was an ORES change, not core).
  std::string joined;
  for (const std::string& e : ext) {
    joined += e;
    if (auto v = facts.site.extension_versions.find(e); v != facts.site.extension_versions.end())
      joined += ' ' + v->second;
    joined += '\n';
  }
  const uint64_t h = StableHash({joined});
  return fmt::format("{}{}{} +{} ({:08x})", facts.site.generator, facts.site.git_hash.empty() ? "" : " @",
                     facts.site.git_hash.substr(0, 12), Plural(ext.size(), "extension"), static_cast<uint32_t>(h));
}

std::vector<std::string> ChangedWikis(const std::map<std::string, std::string>& before,
                                      const std::map<std::string, std::string>& after) {
  std::set<std::string> changed;
  for (const auto& [wiki, fp] : after)
    if (auto it = before.find(wiki); it == before.end() || it->second != fp) changed.insert(wiki);
  for (const auto& [wiki, fp] : before)
    if (!after.contains(wiki)) changed.insert(wiki);
  return {changed.begin(), changed.end()};
}

std::string DescribePoll(int number, const std::map<std::string, std::string>& before,
                         const std::map<std::string, std::string>& after) {
  std::string out = fmt::format("poll {}: {}", number, Plural(after.size(), "wiki"));
  if (number > 1) {
    const std::vector<std::string> changed = ChangedWikis(before, after);
    out += changed.empty() ? ", no change" : fmt::format(", changed: {}", fmt::join(changed, ", "));
  }
  std::vector<std::string> down;
  for (const auto& [wiki, fp] : after)
    if (fp.starts_with("unreachable: ")) down.push_back(wiki);
  if (!down.empty()) out += fmt::format("; unreachable: {}", fmt::join(down, ", "));
  return out;
}

}  // namespace bc
