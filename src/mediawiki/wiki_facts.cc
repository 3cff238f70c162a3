#include "mediawiki/wiki_facts.h"

#include <fmt/format.h>

#include <algorithm>

#include "classify/page_sink.h"
#include "mediawiki/api_json.h"

namespace bc {
namespace {

std::string Describe(const Response& r) {
  if (!r.answered()) return r.fetch.transport_error.empty() ? r.cause : r.fetch.transport_error;
  return fmt::format("HTTP {}", r.fetch.http_status);
}

}  // namespace

Result<SiteFacts> ParseSiteInfo(std::string_view body) {
  auto j = ParseApiAnswer(body, "meta=siteinfo", Error::Code::kNetwork);
  if (!j) return std::unexpected(j.error());
  const Json* q = ObjectAt(*j, "query");
  const Json* g = ObjectAt(*j, "query", "general");
  if (!g) return Fail(Error::Code::kNetwork, "meta=siteinfo: the answer has no query.general");
  SiteFacts s;
  s.dbname = Str(g, "dbname");
  if (s.dbname.empty()) s.dbname = Str(g, "wikiid");
  s.lang = Str(g, "lang");
  s.sitename = Str(g, "sitename");
  s.server = Str(g, "server");
  s.script_path = Str(g, "scriptpath");
  s.generator = Str(g, "generator");
  s.git_hash = Str(g, "git-hash");
  if (const Json* extensions = Member(q, "extensions"); extensions && extensions->is_array())
    for (const Json& e : *extensions) {
      const std::string name = Str(e, "name");
      if (name.empty()) continue;
      s.extensions.push_back(name);
      std::string version = Str(e, "version");
      if (const std::string vcs = Str(e, "vcs-version"); !vcs.empty()) version += " @" + vcs;
      s.extension_versions[name] = version;
      if (name == "ORES") s.ores_installed = true;
    }
  return s;
}

Result<OresFacts> ParseOresMeta(std::string_view body) {
  auto j = ParseApiAnswer(body, "meta=ores", Error::Code::kNetwork);
  if (!j) return std::unexpected(j.error());
  OresFacts o;
  // Without ORES, meta=ores is an unknown value: a warning and no query.ores.
  const Json* ores = ObjectAt(*j, "query", "ores");
  if (!ores) return o;
  o.answered = true;
  o.wikiid = Str(ores, "wikiid");
  if (const Json* models = ObjectAt(*ores, "models"))
    for (const auto& [name, m] : models->items()) o.models[name] = Str(m, "version");
  if (const Json* t = Member(ores, "damagingthresholds")) {
    o.has_damaging_thresholds = true;
    if (t->is_object())
      for (const auto& [level, v] : t->items())
        o.damaging_thresholds[level] = v.is_number() ? std::optional<double>(v.get<double>()) : std::nullopt;
  }
  return o;
}

Result<std::map<std::string, std::vector<std::string>>> ParseFilterLevels(std::string_view html) {
  const std::string_view key = "\"wgStructuredChangeFilters\":";
  const size_t at = html.find(key);
  if (at == std::string_view::npos) return Fail(Error::Code::kNetwork, "no wgStructuredChangeFilters on the page");
  // The value is a JSON array inside RLCONF: find its end by bracket depth,
  // skipping strings, then let nlohmann parse exactly that slice.
  size_t i = at + key.size();
  while (i < html.size() && html[i] == ' ') ++i;
  const size_t begin = i;
  int depth = 0;
  bool in_string = false;
  for (; i < html.size(); ++i) {
    const char c = html[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') ++depth;
    else if ((c == ']' || c == '}') && --depth == 0) break;
  }
  if (i >= html.size()) return Fail(Error::Code::kNetwork, "wgStructuredChangeFilters is cut off");
  Json j = Json::parse(html.substr(begin, i + 1 - begin), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array()) return Fail(Error::Code::kNetwork, "wgStructuredChangeFilters is not a JSON array");
  std::map<std::string, std::vector<std::string>> out;
  for (const Json& g : j) {
    const std::string name = Str(g, "name");
    if (name != "damaging" && name != "goodfaith") continue;
    auto& levels = out[name];
    if (const Json* filters = Member(g, "filters"); filters && filters->is_array())
      for (const Json& f : *filters)
        if (auto n = Str(f, "name"); !n.empty()) levels.push_back(n);
    std::sort(levels.begin(), levels.end());
  }
  return out;
}

std::optional<std::vector<std::string>> OfferedLevels(const OresFacts& ores, const std::string& model) {
  if (!ores.answered || !ores.models.contains(model)) return std::vector<std::string>{};
  if (model != "damaging" || !ores.has_damaging_thresholds) return std::nullopt;
  std::vector<std::string> levels;
  if (!ores.damaging_thresholds.contains("likelygood")) levels.push_back("likelygood");
  for (const auto& [level, _] : ores.damaging_thresholds) levels.push_back(level);
  std::sort(levels.begin(), levels.end());
  return levels;
}

Params FactsPageParams() { return {{"days", "1"}, {"limit", "1"}, {"title", "Special:RecentChanges"}}; }

Result<std::vector<WikiFacts>> FetchFacts(Engine& engine, const std::vector<Wiki>& wikis,
                                          std::chrono::milliseconds maxlag_wait_cap, bool page_levels,
                                          const Sleeper& sleep) {
  // Calls in three runs: every wiki's page, then every siteinfo, then every
  // meta=ores. The engine starts them in this order, so the pages (each
  // wiki's first verdict) do not wait behind the API calls.
  const size_t n = wikis.size();
  const size_t site_at = page_levels ? n : 0;
  const size_t ores_at = site_at + n;
  std::vector<ApiCall> calls;
  if (page_levels)
    for (const Wiki& w : wikis) calls.push_back({w.dbname, w, FactsPageParams(), "index.php"});
  for (const Wiki& w : wikis)
    calls.push_back({w.dbname, w, {{"action", "query"}, {"meta", "siteinfo"}, {"siprop", "general|extensions"}}});
  for (const Wiki& w : wikis) calls.push_back({w.dbname, w, {{"action", "query"}, {"meta", "ores"}}});
  auto answers = RunApiCalls(engine, calls, maxlag_wait_cap, 3, sleep);
  if (!answers) return std::unexpected(answers.error());
  std::vector<WikiFacts> out;
  for (size_t i = 0; i < n; ++i) {
    WikiFacts f;
    f.dbname = wikis[i].dbname;
    const ApiAnswer& si = (*answers)[site_at + i];
    if (!si.response.answered() || si.response.fetch.http_status != 200) {
      f.error = "meta=siteinfo failed: " + Describe(si.response);
    } else if (auto s = ParseSiteInfo(si.response.body); !s) {
      f.error = s.error().message;
    } else {
      f.site = std::move(*s);
    }
    f.ores_answer = std::move((*answers)[ores_at + i]);
    const Response& r = f.ores_answer.response;
    if (!r.answered() || r.fetch.http_status != 200) {
      f.ores_error = "meta=ores failed: " + Describe(r);
    } else if (auto o = ParseOresMeta(r.body); !o) {
      f.ores_error = o.error().message;
    } else {
      f.ores = std::move(*o);
    }
    if (!page_levels) {
      f.page_error = "not asked ([discovery] page_levels = false)";
    } else {
      Response& page = (*answers)[i].response;
      if (!page.answered() || page.fetch.http_status != 200) {
        f.page_error = "RecentChanges: " + Describe(page);
      } else if (auto levels = ParseFilterLevels(page.body); !levels) {
        f.page_error = "RecentChanges: " + levels.error().message;
      } else {
        f.page_levels = std::move(*levels);
      }
      // Judged as the plan judges a RecentChanges probe of a wiki whose API
      // names its ORES models: each model's filter group must show.
      Expectations expect;
      expect.kind = PageKind::kRecentChanges;
      for (const char* model : {"damaging", "goodfaith"})
        if (f.ores.answered && f.ores.models.contains(model)) expect.expect_filter_groups.push_back(model);
      f.page_outcome = JudgeResponse(std::move(page), &expect);
      f.page_judged = true;
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace bc
