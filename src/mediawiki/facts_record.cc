#include "mediawiki/facts_record.h"

#include <fmt/format.h>

#include <algorithm>

#include "mediawiki/api_json.h"

namespace bc {
namespace {

std::vector<std::string> Strings(const Json* a) {
  std::vector<std::string> out;
  if (a && a->is_array())
    for (const Json& v : *a)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::vector<std::string> Missing(const std::vector<std::string>& had, const std::vector<std::string>& has) {
  std::vector<std::string> out;
  for (const std::string& v : had)
    if (std::find(has.begin(), has.end(), v) == has.end()) out.push_back(v);
  return out;
}

}  // namespace

std::optional<OresFactsRecord> RecordOf(const WikiFacts& f) {
  if (!f.error.empty()) return std::nullopt;
  OresFactsRecord r;
  r.page_read = f.page_error.empty();
  for (const auto& [group, _] : f.page_levels) r.groups.push_back(group);
  if (!f.site.ores_installed && !f.ores.answered) return r;  // no ORES: nothing else to say
  if (!f.ores.answered) return std::nullopt;
  r.ores = true;
  for (const auto& [model, version] : f.ores.models) {
    if (model != "damaging" && model != "goodfaith") continue;
    r.models[model] = version;
    // The page's filters are what the UI really offers; meta=ores lists
    // damaging's thresholds only. A page without the group (broken, or the
    // 2017 crash) says nothing about levels: meta=ores decides then.
    if (auto it = f.page_levels.find(model); it != f.page_levels.end() && !it->second.empty()) {
      r.levels[model] = it->second;
      r.level_source[model] = "RecentChanges filters";
    } else if (auto offered = OfferedLevels(f.ores, model)) {
      r.levels[model] = *offered;
      r.level_source[model] = "meta=ores";
    }
  }
  return r;
}

std::string ToJson(const OresFactsRecord& r) {
  Json j = {{"ores", r.ores}, {"models", r.models}, {"levels", r.levels}, {"level_source", r.level_source},
            {"page_read", r.page_read}, {"groups", r.groups}};
  return j.dump();
}

std::optional<OresFactsRecord> FromJson(std::string_view text) {
  const Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  OresFactsRecord r;
  const Json* ores = Member(j, "ores");
  const Json* page = Member(j, "page_read");
  if (!ores || !ores->is_boolean() || !page || !page->is_boolean()) return std::nullopt;
  r.ores = ores->get<bool>();
  r.page_read = page->get<bool>();
  if (const Json* m = ObjectAt(j, "models"))
    for (const auto& [k, v] : m->items()) r.models[k] = v.is_string() ? v.get<std::string>() : std::string();
  if (const Json* l = ObjectAt(j, "levels"))
    for (const auto& [k, v] : l->items()) r.levels[k] = Strings(&v);
  if (const Json* s = ObjectAt(j, "level_source"))
    for (const auto& [k, v] : s->items())
      if (v.is_string()) r.level_source[k] = v.get<std::string>();
  r.groups = Strings(Member(j, "groups"));
  return r;
}

std::string FactsSiteKey(const Wiki& w) { return w.dbname + " " + w.url + w.script_path; }

std::vector<std::string> FactsLost(const OresFactsRecord& healthy, const OresFactsRecord& live) {
  std::vector<std::string> lost;
  if (healthy.ores && !live.ores) {
    lost.push_back("ORES gone from siteinfo");
  } else {
    for (const auto& [model, _] : healthy.models)
      if (!live.models.contains(model)) lost.push_back(fmt::format("model {} gone", model));
    for (const auto& [model, had] : healthy.levels) {
      auto now = live.levels.find(model);
      if (!live.models.contains(model) || now == live.levels.end()) continue;  // gone, or not known today
      if (auto gone = Missing(had, now->second); !gone.empty())
        lost.push_back(fmt::format("{} levels gone: {}", model, fmt::join(gone, ", ")));
    }
  }
  if (healthy.page_read && live.page_read)
    for (const std::string& g : Missing(healthy.groups, live.groups))
      lost.push_back(fmt::format("filter group {} gone from the RecentChanges page", g));
  return lost;
}

}  // namespace bc
