#include "mediawiki/ores.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "classify/ores_answer.h"
#include "classify/page_sink.h"
#include "mediawiki/api_round.h"
#include "plan/plan.h"

namespace bc {
namespace {

const WikiFacts* FactsOf(const std::vector<WikiFacts>& facts, const std::string& dbname) {
  for (const WikiFacts& f : facts)
    if (f.dbname == dbname) return &f;
  return nullptr;
}

std::string Show(const Params& p) {
  if (p.empty()) return "\"\" (absent)";
  std::string s;
  for (const auto& [k, v] : p) s += (s.empty() ? "" : "&") + k + "=" + v;
  return s;
}

bool HasModel(const Wiki& w, const std::string& m) {
  return std::find(w.ores_models.begin(), w.ores_models.end(), m) != w.ores_models.end();
}

}  // namespace

std::vector<std::string> ApplyFacts(Targets& targets, const std::vector<WikiFacts>& facts) {
  std::vector<std::string> notes;
  for (Wiki& w : targets.wikis) {
    const WikiFacts* f = FactsOf(facts, w.dbname);
    if (!f) {
      notes.push_back(fmt::format("{}: no facts asked; the file's ores_models [{}] apply", w.dbname,
                                  fmt::join(w.ores_models, ", ")));
      continue;
    }
    if (!f->error.empty()) {
      notes.push_back(fmt::format("{}: facts unavailable ({}); the file's ores_models [{}] apply", w.dbname, f->error,
                                  fmt::join(w.ores_models, ", ")));
      continue;
    }
    const std::string who = fmt::format("{} ({}, {}{})", w.dbname, f->site.generator,
                                        f->site.lang.empty() ? "?" : f->site.lang,
                                        f->site.git_hash.empty() ? "" : ", " + f->site.git_hash.substr(0, 8));
    if (!f->site.ores_installed && !f->ores.answered) {
      w.ores_models.clear();
      w.ores_levels.clear();
      w.ores_from_facts = true;
      notes.push_back(who + ": ORES is not installed (not in siteinfo's extensions): no ORES axes, no ORES filter "
                            "groups expected");
      continue;
    }
    if (!f->ores.answered) {
      notes.push_back(fmt::format("{}: ORES is installed but meta=ores did not answer ({}); the file's ores_models "
                                  "[{}] apply",
                                  who, f->ores_error.empty() ? "no query.ores" : f->ores_error,
                                  fmt::join(w.ores_models, ", ")));
      continue;
    }
    w.ores_models.clear();
    w.ores_levels.clear();
    w.ores_from_facts = true;
    std::vector<std::string> described;
    for (const auto& [model, version] : f->ores.models) {
      if (model != "damaging" && model != "goodfaith") continue;
      w.ores_models.push_back(model);
      // The page's filters are what the UI really offers; meta=ores lists
      // damaging's thresholds only. A page without the group (broken, or the
      // 2017 crash) says nothing about levels: meta=ores decides then.
      std::optional<std::vector<std::string>> levels;
      std::string source = "RecentChanges filters";
      if (auto it = f->page_levels.find(model); it != f->page_levels.end() && !it->second.empty()) {
        levels = it->second;
      } else {
        levels = OfferedLevels(f->ores, model);
        source = "meta=ores";
      }
      if (levels) w.ores_levels[model] = *levels;
      described.push_back(fmt::format("{} {} (levels: {})", model, version,
                                       levels ? fmt::format("{}, from {}", fmt::join(*levels, ", "), source)
                                              : "unknown (not in meta=ores; " +
                                                    (f->page_error.empty() ? std::string("not on the page")
                                                                           : f->page_error) +
                                                    "); all configured kept"));
    }
    notes.push_back(fmt::format("{}: ORES runs {}", who,
                                described.empty() ? std::string("no damaging/goodfaith model")
                                                  : fmt::format("{}", fmt::join(described, "; "))));
  }
  return notes;
}

std::vector<std::string> ExplainPlan(const Targets& targets, const std::vector<std::string>& notes) {
  std::vector<std::string> out;
  for (const Wiki& w : targets.wikis) {
    out.push_back(fmt::format("{} {}{}", w.dbname, w.url + w.script_path, w.discovered ? " (discovered)" : ""));
    for (const std::string& n : notes)
      if (n.starts_with(w.dbname + ":") || n.starts_with(w.dbname + " ")) out.push_back("  " + n);
    for (const PageSpec& spec : targets.pages) {
      out.push_back(fmt::format("  {}:", PageKindName(spec.kind)));
      for (const Axis& a : spec.axes) {
        if (!a.ores) continue;
        if (!HasModel(w, a.model)) {
          out.push_back(fmt::format("    {:<16} dropped: {} does not run the {} model", a.name, w.dbname, a.model));
          continue;
        }
        std::vector<std::string> changes;
        std::vector<Params> seen;
        for (const Params& v : a.values) {
          auto t = TrimOresValue(v, w);
          if (!t) changes.push_back(fmt::format("{} dropped (level not offered)", Show(v)));
          else if (*t != v) changes.push_back(fmt::format("{} -> {}", Show(v), Show(*t)));
          if (t && std::find(seen.begin(), seen.end(), *t) != seen.end())
            changes.push_back(fmt::format("{} merged with an equal value", Show(v)));
          if (t) seen.push_back(*t);
        }
        const size_t kept = AxisValuesOn(a, w).size();
        out.push_back(fmt::format("    {:<16} {} of {} values{}{}", a.name, kept, a.values.size(),
                                  changes.empty() ? "" : ": ", fmt::join(changes, "; ")));
      }
      if (spec.kind == PageKind::kContributions) continue;
      std::vector<std::string> groups, skipped;
      for (const std::string& g : spec.expect_filter_groups)
        ((g != "damaging" && g != "goodfaith") || HasModel(w, g) ? groups : skipped).push_back(g);
      if (w.ores_from_facts)
        for (const std::string& m : w.ores_models)
          if (std::find(groups.begin(), groups.end(), m) == groups.end()) groups.push_back(m + " (meta=ores)");
      out.push_back(fmt::format("    expected filter groups: [{}]{}", fmt::join(groups, ", "),
                                skipped.empty() ? std::string()
                                                : fmt::format(" (not expected, model not run: {})",
                                                              fmt::join(skipped, ", "))));
    }
  }
  return out;
}

Classification JudgeOresAnswer(const WikiFacts& f) {
  const Response& r = f.ores_answer.response;
  const Fetch& o = r.fetch;
  if (r.end == Response::End::kFailed) return TransportResult(r.cause, o.transport_error);
  OresMetaAnswer a;
  a.http_status = o.http_status;
  a.body = r.body;
  a.read_error = f.ores_error;
  a.answered = f.ores.answered;
  a.model_count = f.ores.models.size();
  a.damaging_enabled = f.ores.models.contains("damaging");
  a.damaging_thresholds = f.ores.damaging_thresholds.size();
  for (const auto& [level, v] : f.ores.damaging_thresholds)
    if (!v) a.null_damaging_levels.push_back(level);
  return JudgeOresMeta(a);
}

std::vector<std::pair<Probe, Outcome>> PreflightOutcomes(const Targets& targets, const std::vector<WikiFacts>& facts) {
  std::vector<std::pair<Probe, Outcome>> out;
  for (const Wiki& w : targets.wikis) {
    const WikiFacts* f = FactsOf(facts, w.dbname);
    if (!f || !f->error.empty() || (!f->site.ores_installed && !f->ores.answered)) continue;
    Probe p;
    p.wiki = w.dbname;
    p.kind = PageKind::kApi;
    p.params = ApiParams({{"action", "query"}, {"meta", "ores"}});
    auto built = BuildUrl(w, "api.php", p.params);
    if (!built) continue;  // the same URL was fetched already; cannot fail here
    p.url = built->url;
    p.query = built->query;
    p.host = built->host;
    p.id = ProbeId(p.wiki, p.kind, p.query);
    p.tier = 0;
    Outcome o;
    static_cast<Fetch&>(o) = f->ores_answer.response.fetch;
    o.result = JudgeOresAnswer(*f);
    out.emplace_back(std::move(p), std::move(o));
  }
  return out;
}

}  // namespace bc
