#include "plan/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>

#include "core/hash.h"
#include "core/url.h"
#include "plan/combinations.h"

namespace bc {
namespace {

// Merges parameter sets; a later set overrides an earlier one's key. Result sorted.
Params Merge(const std::vector<const Params*>& sets) {
  std::map<std::string, std::string> m;
  for (const Params* s : sets)
    for (const auto& [k, v] : *s) m[k] = v;
  return Params(m.begin(), m.end());
}

bool WikiHasModel(const Wiki& w, const std::string& model) {
  return std::find(w.ores_models.begin(), w.ores_models.end(), model) != w.ores_models.end();
}

// Whether `params` asks for ORES data: a (non-empty) parameter of one of
// `spec`'s ORES axes, or one ORES defines (damaging, goodfaith and their
// colours, hidenondamaging) set in an explicit list.
bool HasOresParam(const PageSpec& spec, const Params& params) {
  for (const auto& [pk, pv] : params) {
    if (pv.empty()) continue;
    if (OresParam(pk) || pk == "hidenondamaging") return true;
    for (const Axis& a : spec.axes)
      if (a.ores)
        for (const Params& v : a.values)
          for (const auto& [k, _] : v)
            if (pk == k) return true;
  }
  return false;
}

bool Matches(const Probe& p, const PlanFilter& f) {
  if (!f.wikis.empty() && std::find(f.wikis.begin(), f.wikis.end(), p.wiki) == f.wikis.end()) return false;
  if (!f.kinds.empty() && std::find(f.kinds.begin(), f.kinds.end(), p.kind) == f.kinds.end()) return false;
  for (const auto& want : f.required)
    if (std::find(p.params.begin(), p.params.end(), want) == p.params.end()) return false;
  return true;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> OresParam(const std::string& key) {
  for (const char* model : {"damaging", "goodfaith"}) {
    const std::string m = model;
    if (key == m) return std::pair{m, std::string()};
    const std::string prefix = m + "__", suffix = "_color";
    if (key.size() > prefix.size() + suffix.size() && key.starts_with(prefix) && key.ends_with(suffix))
      return std::pair{m, key.substr(prefix.size(), key.size() - prefix.size() - suffix.size())};
  }
  return std::nullopt;
}

std::optional<Params> TrimOresValue(const Params& value, const Wiki& wiki) {
  Params out;
  bool had_levels = false, kept_levels = false;
  for (const auto& [k, v] : value) {
    auto op = OresParam(k);
    auto known = op ? wiki.ores_levels.find(op->first) : wiki.ores_levels.end();
    if (!op || known == wiki.ores_levels.end()) {  // not level-bearing, or levels unknown
      if (op) had_levels = kept_levels = true;
      out.emplace_back(k, v);
      continue;
    }
    had_levels = true;
    const auto& offered = known->second;
    auto has = [&](const std::string& level) { return std::find(offered.begin(), offered.end(), level) != offered.end(); };
    if (!op->second.empty()) {  // MODEL__LEVEL_color
      if (has(op->second)) {
        out.emplace_back(k, v);
        kept_levels = true;
      }
      continue;
    }
    std::string levels;  // MODEL=level;level
    size_t start = 0;
    while (start <= v.size()) {
      size_t end = v.find(';', start);
      if (end == std::string::npos) end = v.size();
      const std::string level = v.substr(start, end - start);
      if (!level.empty() && has(level)) levels += (levels.empty() ? "" : ";") + level;
      start = end + 1;
    }
    if (!levels.empty()) {
      out.emplace_back(k, levels);
      kept_levels = true;
    }
  }
  if (had_levels && !kept_levels) return std::nullopt;
  return out;
}

std::vector<Params> AxisValuesOn(const Axis& axis, const Wiki& wiki) {
  if (!axis.ores) return axis.values;
  if (!WikiHasModel(wiki, axis.model)) return {};
  std::vector<Params> out;
  for (const Params& v : axis.values) {
    auto t = TrimOresValue(v, wiki);
    if (t && std::find(out.begin(), out.end(), *t) == out.end()) out.push_back(std::move(*t));
  }
  return out;
}

std::string CanonicalQuery(std::string_view query) {
  const auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  const auto unreserved = [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
  };
  std::string out;
  out.reserve(query.size());
  bool in_value = false;  // past this pair's first '='
  for (size_t i = 0; i < query.size(); ++i) {
    auto c = static_cast<unsigned char>(query[i]);
    // Literal separators keep their meaning; escaped ones (%26, %3D) stay escaped.
    if (c == '&') {
      out += '&';
      in_value = false;
      continue;
    }
    if (c == '=' && !in_value) {
      out += '=';
      in_value = true;
      continue;
    }
    if (c == '+') {  // a space in form encoding
      out += '+';
      continue;
    }
    if (c == '%' && i + 2 < query.size() && hex(query[i + 1]) && hex(query[i + 2])) {
      c = static_cast<unsigned char>(std::stoi(std::string(query.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    }
    if (c == ' ') out += '+';
    else if (unreserved(c)) out += static_cast<char>(c);
    else out += fmt::format("%{:02x}", c);
  }
  return out;
}

std::string ProbeId(std::string_view wiki, PageKind kind, std::string_view query) {
  // The query part in one spelling, so that libcurl's version (7.88 writes
  // %3a, newer ones %3A) or a pasted URL's encoding never changes an id.
  const size_t q = query.find('?');
  const std::string canonical = q == std::string_view::npos
                                    ? CanonicalQuery(query)
                                    : std::string(query.substr(0, q + 1)) + CanonicalQuery(query.substr(q + 1));
  const uint64_t h = StableHash({wiki, PageKindName(kind), canonical});
  return fmt::format("{:016x}", h);
}

Result<BuiltUrl> BuildUrl(const Wiki& wiki, const std::string& script, const Params& params) {
  const std::string base = wiki.url + wiki.script_path + "/" + script;
  auto u = Url::Parse(base);
  if (!u) return Fail(Error::Code::kConfig, fmt::format("cannot build a URL from '{}'", base), wiki.where);
  for (const auto& [k, v] : params)
    if (!u->AppendQuery(k + "=" + v)) return Fail(Error::Code::kConfig, fmt::format("cannot encode parameter '{}'", k), wiki.where);
  BuiltUrl out;
  out.url = u->Text();
  out.query = u->Query();
  out.host = u->HostPort();
  return out;
}

Params OresApiParams(PageKind page, const std::string& target_user, bool logged_in) {
  Params p = {{"action", "query"}, {"format", "json"}, {"formatversion", "2"}};
  // A lost session answers assertuserfailed (auth), not an anonymous list.
  if (logged_in) p.emplace_back("assert", "user");
  switch (page) {
    case PageKind::kRecentChanges:
      p.insert(p.end(), {{"list", "recentchanges"}, {"rclimit", "50"}, {"rcprop", "ids|title|timestamp|oresscores"},
                         {"rcshow", "oresreview"}});
      break;
    case PageKind::kWatchlist:
      p.insert(p.end(), {{"list", "watchlist"}, {"wllimit", "50"}, {"wlprop", "ids|title|timestamp|oresscores"},
                         {"wlshow", "oresreview"}});
      break;
    case PageKind::kContributions:
      p.insert(p.end(), {{"list", "usercontribs"}, {"uclimit", "50"}, {"ucprop", "ids|title|timestamp|oresscores"},
                         {"ucshow", "oresreview"}, {"ucuser", target_user}});
      break;
    case PageKind::kApi: return {};
  }
  std::sort(p.begin(), p.end());
  return p;
}

Result<std::vector<Probe>> OresApiProbes(const Targets& targets, const Wiki& wiki, const Account* account) {
  std::vector<Probe> out;
  // Where ORES runs: the wiki's own API (or its last healthy facts) says so,
  // or the [[wiki]] entry names its ores_models.
  if (!targets.crawl.ores_api_probes || !(wiki.ores_from_facts || wiki.ores_models_set) || wiki.ores_models.empty())
    return out;
  for (const PageSpec& spec : targets.pages) {
    const bool logged_in = account && spec.expect_login;
    if (spec.kind == PageKind::kWatchlist && !account) continue;  // the API has no anonymous watchlist
    if (spec.kind == PageKind::kContributions && spec.target_user.empty()) continue;
    Probe p;
    p.wiki = wiki.dbname;
    p.kind = PageKind::kApi;
    const Params params = OresApiParams(spec.kind, spec.target_user, logged_in);
    if (params.empty()) continue;
    p.params = params;
    auto built = BuildUrl(wiki, "api.php", params);
    if (!built) return std::unexpected(built.error());
    p.url = built->url;
    p.query = CanonicalQuery(built->query);
    p.host = built->host;
    p.id = ProbeId(p.wiki, p.kind, p.query);
    p.account = wiki.account;
    p.expect_ores = true;
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<Probe>> BuildPlan(const Targets& targets, const PlanFilter& filter) {
  std::vector<Probe> probes;
  for (const Wiki& wiki : targets.wikis) {
    const Account* account = nullptr;
    if (auto it = targets.accounts.find(wiki.account); it != targets.accounts.end()) account = &it->second;
    for (const PageSpec& spec : targets.pages) {
      // ORES axes apply only where the wiki runs the model they need, and
      // only with the levels the wiki offers (AxisValuesOn).
      std::vector<std::vector<Params>> axis_values;
      for (const Axis& a : spec.axes)
        if (auto values = AxisValuesOn(a, wiki); !values.empty()) axis_values.push_back(std::move(values));
      std::vector<Params> sets;
      if (spec.strategy == Strategy::kExplicit) {
        sets = spec.explicit_sets;
      } else {
        std::vector<size_t> sizes;
        for (const auto& values : axis_values) sizes.push_back(values.size());
        const auto rows = spec.strategy == Strategy::kCartesian ? CartesianCombinations(sizes)
                                                                : PairwiseCombinations(sizes);
        for (const Combination& row : rows) {
          std::vector<const Params*> parts;
          for (size_t i = 0; i < axis_values.size(); ++i) parts.push_back(&axis_values[i][row[i]]);
          sets.push_back(Merge(parts));
        }
      }
      // The same for every probe of this wiki x page (interned once here).
      const InternedString dbname = wiki.dbname, account_name = wiki.account;
      const InternedString expect_user = account && spec.expect_login ? account->username : std::string();
      std::vector<std::string> groups;
      if (spec.kind != PageKind::kContributions)
        for (const std::string& g : spec.expect_filter_groups)
          if (WikiHasModel(wiki, g) || (g != "damaging" && g != "goodfaith")) groups.push_back(g);
      // A model the wiki's API says it runs must show its group on the page,
      // whatever the file expected: that is how ORES fails silently.
      if (spec.kind != PageKind::kContributions && wiki.ores_from_facts)
        for (const std::string& m : wiki.ores_models)
          if (std::find(groups.begin(), groups.end(), m) == groups.end()) groups.push_back(m);
      const Interned<std::vector<std::string>> expect_groups = groups;
      for (const Params& set : sets) {
        const Params params = Merge({&set, &spec.fixed});  // fixed (title, target) always win
        Probe p;
        p.wiki = dbname;
        p.kind = spec.kind;
        p.params = params;
        auto built = BuildUrl(wiki, "index.php", params);
        if (!built) return std::unexpected(built.error());
        p.url = built->url;
        p.query = CanonicalQuery(built->query);
        p.host = built->host;
        p.id = ProbeId(p.wiki, p.kind, p.query);
        p.account = account_name;
        // Contributions asking for ORES on a wiki whose damaging model runs:
        // ORES's own hidenondamaging control must be on the page.
        p.expect_ores = spec.kind == PageKind::kContributions && WikiHasModel(wiki, "damaging") &&
                        HasOresParam(spec, params);
        // ... and asking it to hide good edits: the rows must carry ORES's scores.
        p.expect_ores_rows = p.expect_ores && std::any_of(params.begin(), params.end(), [](const auto& kv) {
                               return kv.first == "hidenondamaging" && !kv.second.empty() && kv.second != "0";
                             });
        p.expect_user = expect_user;
        p.expect_filter_groups = expect_groups;
        probes.push_back(p);
      }
    }
    auto api = OresApiProbes(targets, wiki, account);
    if (!api) return std::unexpected(api.error());
    probes.insert(probes.end(), api->begin(), api->end());
  }
  // Two axis values that collapse to one probe (one id): the first is kept.
  // Found by sorting positions by id (4 bytes a probe, where a set of the
  // ids was ~80: memory, issue 16).
  {
    std::vector<uint32_t> order(probes.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return probes[a].id < probes[b].id; });
    std::vector<bool> repeated(probes.size());
    for (size_t i = 1; i < order.size(); ++i)
      if (probes[order[i]].id == probes[order[i - 1]].id) repeated[order[i]] = true;
    size_t kept = 0;
    for (size_t i = 0; i < probes.size(); ++i)
      if (!repeated[i]) probes[kept++] = probes[i];
    probes.resize(kept);
  }
  // The filter, in place: a second vector of the kept probes would double
  // the plan's memory at its peak.
  size_t kept_count = 0, position = 0;
  for (size_t i = 0; i < probes.size(); ++i) {
    if (!Matches(probes[i], filter)) continue;
    if (filter.shard_count > 1 && position++ % filter.shard_count != filter.shard_index) continue;
    probes[kept_count++] = probes[i];
  }
  probes.resize(kept_count);
  probes.shrink_to_fit();
  std::vector<Probe>& kept = probes;
  // Tier 0 (the smoke tier): the first kept probe of every wiki x kind.
  std::set<std::pair<InternedString, PageKind>> smoked;
  for (Probe& p : kept) p.tier = smoked.emplace(p.wiki, p.kind).second ? 0 : 1;
  if (static_cast<int64_t>(kept.size()) > targets.max_probes)
    return Fail(Error::Code::kConfig,
                fmt::format("the plan has {} probes, more than max_probes = {}; use strategy = \"pairwise\", fewer "
                            "axis values, or raise max_probes",
                            kept.size(), targets.max_probes),
                targets.max_probes_where);
  return kept;
}

}  // namespace bc
