#include "mediawiki/ores.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "classify/ores_answer.h"
#include "mediawiki/facts_record.h"
#include "classify/page_sink.h"
#include "mediawiki/api_round.h"
#include "plan/plan.h"
#include "core/plural.h"

namespace bc {
namespace {

const WikiFacts* FactsOf(const std::vector<WikiFacts>& facts, const std::string& dbname) {
  for (const WikiFacts& f : facts)
    if (f.dbname == dbname) return &f;
  return nullptr;
}

// The probe of a request the facts already made (its outcome is known):
// the URL and stable id as the plan would give them, tier 0. nullopt when the
// URL cannot be built (it was fetched, so it can).
std::optional<Probe> FetchedProbe(const Wiki& w, PageKind kind, const std::string& script, Params params) {
  auto built = BuildUrl(w, script, params);
  if (!built) return std::nullopt;
  Probe p;
  p.wiki = w.dbname;
  p.kind = kind;
  p.params = std::move(params);
  p.url = std::move(built->url);
  p.query = CanonicalQuery(built->query);
  p.host = std::move(built->host);
  p.id = ProbeId(p.wiki, p.kind, p.query);
  p.tier = 0;
  return p;
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

namespace {

// The source of whatever the [[wiki]] entry and the [page.*] tables decide.
constexpr const char* kTargetsFileSource = "the targets file";

std::string HistorySource(const std::string& run_id) { return "history of run " + run_id; }

constexpr const char* kLive = "live";

// Sets `w`'s models and levels from `r`, attributed to `source`; kLive: to
// today's meta=ores (models) and the record's own level sources.
void Adopt(Wiki& w, const OresFactsRecord& r, const std::string& source) {
  w.ores_models.clear();
  w.ores_levels.clear();
  w.ores_model_source.clear();
  w.ores_level_source.clear();
  w.ores_from_facts = true;
  if (!r.ores) return;
  for (const auto& [model, _] : r.models) {
    w.ores_models.push_back(model);
    w.ores_model_source[model] = source == kLive ? "meta=ores" : source;
    if (auto it = r.levels.find(model); it != r.levels.end()) {
      w.ores_levels[model] = it->second;
      auto from = r.level_source.find(model);
      for (const std::string& level : it->second)
        w.ores_level_source[model][level] =
            source != kLive ? source : from != r.level_source.end() ? from->second : "meta=ores";
    }
  }
}

// "likelygood, maybebad from RecentChanges filters; likelybad from history of run X"
std::string DescribeLevels(const Wiki& w, const std::string& model) {
  auto levels = w.ores_levels.find(model);
  if (levels == w.ores_levels.end()) return {};
  std::vector<std::pair<std::string, std::vector<std::string>>> by_source;
  for (const std::string& level : levels->second) {
    std::string source = kTargetsFileSource;
    if (auto m = w.ores_level_source.find(model); m != w.ores_level_source.end())
      if (auto l = m->second.find(level); l != m->second.end()) source = l->second;
    auto it = std::find_if(by_source.begin(), by_source.end(), [&](const auto& e) { return e.first == source; });
    if (it == by_source.end()) by_source.push_back({source, {level}});
    else it->second.push_back(level);
  }
  std::vector<std::string> parts;
  for (const auto& [source, ls] : by_source) parts.push_back(fmt::format("{}, from {}", fmt::join(ls, ", "), source));
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace

namespace {

// Adds to `w` each model `file_models` (the [[wiki]] entry's explicit
// ores_models) names and `w` lacks, its levels unknown (every configured level
// kept), attributed to the targets file. Returns the models added.
std::vector<std::string> KeepFileModels(Wiki& w, const std::vector<std::string>& file_models) {
  std::vector<std::string> added;
  for (const std::string& model : file_models) {
    if (HasModel(w, model)) continue;
    w.ores_models.push_back(model);
    w.ores_model_source[model] = kTargetsFileSource;
    w.ores_levels.erase(model);
    w.ores_level_source.erase(model);
    added.push_back(model);
  }
  std::sort(w.ores_models.begin(), w.ores_models.end());
  return added;
}

}  // namespace

std::vector<std::string> ApplyFacts(Targets& targets, const std::vector<WikiFacts>& facts, const FactsHistory& history,
                                    FactsRegressions* regressions) {
  std::vector<std::string> notes;
  for (Wiki& w : targets.wikis) {
    const WikiFacts* f = FactsOf(facts, w.dbname);
    const HealthyFacts* healthy = nullptr;
    if (auto it = history.find(FactsSiteKey(w)); it != history.end()) healthy = &it->second;
    const std::string no_history = history.empty() ? "" : "; no earlier healthy facts in the history";
    // The models the [[wiki]] entry names (not the default): what the file
    // says runs there, merged into whatever today's facts or the history say.
    const std::vector<std::string> file_models = w.ores_models_set ? w.ores_models : std::vector<std::string>{};
    if (!f) {
      notes.push_back(fmt::format("{}: no facts asked; the file's ores_models [{}] apply", w.dbname,
                                  fmt::join(w.ores_models, ", ")));
      continue;
    }
    const std::string who = f->error.empty()
                                ? fmt::format("{} ({}, {}{})", w.dbname, f->site.generator,
                                              f->site.lang.empty() ? "?" : f->site.lang,
                                              f->site.git_hash.empty() ? "" : ", " + f->site.git_hash.substr(0, 8))
                                : w.dbname;
    const std::optional<OresFactsRecord> live = RecordOf(*f);
    if (!live) {
      // Today's answer is unusable: the last healthy facts, else the file.
      const std::string why = !f->error.empty() ? fmt::format("facts unavailable ({})", f->error)
                                                : fmt::format("ORES is installed but meta=ores did not answer ({})",
                                                              f->ores_error.empty() ? "no query.ores" : f->ores_error);
      if (healthy) {
        Adopt(w, healthy->facts, HistorySource(healthy->run_id));
        const std::vector<std::string> from_file = KeepFileModels(w, file_models);
        notes.push_back(fmt::format(
            "{}: {}; the last healthy facts apply (run {}): {}{}", who, why, healthy->run_id,
            w.ores_models.empty() ? std::string("no ORES") : fmt::format("ORES runs {}", fmt::join(w.ores_models, ", ")),
            from_file.empty() ? std::string()
                              : fmt::format(" ({} from the targets file)", fmt::join(from_file, ", "))));
      } else {
        notes.push_back(fmt::format("{}: {}; the file's ores_models [{}] apply{}", who, why,
                                    fmt::join(w.ores_models, ", "), no_history));
      }
      continue;
    }
    std::vector<std::string> lost;
    if (healthy) {
      lost = FactsLost(healthy->facts, *live);
      if (!lost.empty() && regressions) (*regressions)[w.dbname] = FactsRegression{healthy->run_id, lost};
    }
    Adopt(w, *live, kLive);
    // What the last healthy run had and today's answer lacks still gets its
    // probes: a broken wiki must not shrink its own plan.
    if (healthy && healthy->facts.ores) {
      const std::string source = HistorySource(healthy->run_id);
      for (const auto& [model, _] : healthy->facts.models) {
        if (std::find(w.ores_models.begin(), w.ores_models.end(), model) == w.ores_models.end()) {
          w.ores_models.push_back(model);
          w.ores_model_source[model] = source;
          if (auto it = healthy->facts.levels.find(model); it != healthy->facts.levels.end()) {
            w.ores_levels[model] = it->second;
            for (const std::string& level : it->second) w.ores_level_source[model][level] = source;
          }
          continue;
        }
        auto had = healthy->facts.levels.find(model);
        auto now = w.ores_levels.find(model);
        if (had == healthy->facts.levels.end() || now == w.ores_levels.end()) continue;  // unknown today: all kept
        for (const std::string& level : had->second)
          if (std::find(now->second.begin(), now->second.end(), level) == now->second.end()) {
            now->second.push_back(level);
            w.ores_level_source[model][level] = source;
          }
        std::sort(now->second.begin(), now->second.end());
      }
      std::sort(w.ores_models.begin(), w.ores_models.end());
    }
    // What the file names and neither today's facts nor the last healthy ones
    // have: its probes run too, and its absence today is a finding like a loss
    // since a healthy run (the file is the reference a first run has).
    std::vector<std::string> file_lost;
    const std::vector<std::string> from_file = KeepFileModels(w, file_models);
    if (!from_file.empty()) {
      if (!live->ores) file_lost.push_back(fmt::format("ORES gone from siteinfo (the targets file names {})",
                                                       fmt::join(from_file, ", ")));
      else
        for (const std::string& model : from_file)
          file_lost.push_back(fmt::format("model {} gone (named in the targets file)", model));
    }
    if (!file_lost.empty() && regressions) (*regressions)[w.dbname].file_lost = file_lost;
    std::string regressed =
        lost.empty() ? std::string() : fmt::format(" [regressed since run {}: {}]", healthy->run_id, fmt::join(lost, "; "));
    if (!file_lost.empty())
      regressed += fmt::format(" [regressed against the targets file: {}]", fmt::join(file_lost, "; "));
    const std::string from_history =
        healthy ? fmt::format("; compared with the last healthy facts (run {})", healthy->run_id)
                : fmt::format("; no earlier healthy facts{}: today's facts and the targets file apply{}",
                              history.empty() ? "" : " in the history",
                              w.ores_models_set ? fmt::format(" (its ores_models [{}])", fmt::join(file_models, ", "))
                                                : std::string(" (it names no ores_models)"));
    if (w.ores_models.empty()) {
      notes.push_back(who + ": ORES is not installed (not in siteinfo's extensions): no ORES axes, no ORES filter "
                            "groups expected" + from_history + regressed);
      continue;
    }
    std::vector<std::string> described;
    for (const std::string& model : w.ores_models) {
      std::string version = "(not in today's meta=ores)";
      if (auto v = live->models.find(model); v != live->models.end()) version = v->second;
      else if (auto s = w.ores_model_source.find(model); s != w.ores_model_source.end() && s->second == kTargetsFileSource)
        version = "(not in today's meta=ores; named in the targets file)";
      const std::string levels = DescribeLevels(w, model);
      described.push_back(fmt::format(
          "{} {} (levels: {})", model, version,
          !levels.empty() ? levels
                          : "unknown (not in meta=ores; " +
                                (f->page_error.empty() ? std::string("not on the page") : f->page_error) +
                                "); all configured kept"));
    }
    notes.push_back(fmt::format("{}: ORES {}{}{}{}", who, live->ores ? "runs " : "is not installed today; ",
                                fmt::join(described, "; "), from_history, regressed));
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
        out.push_back(fmt::format("    {:<16} {} of {}{}{}", a.name, kept, Plural(a.values.size(), "value"),
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

std::string ProbeProvenance(const Probe& p, const Wiki& w) {
  auto level_source = [&](const std::string& model, const std::string& level) {
    if (auto m = w.ores_level_source.find(model); m != w.ores_level_source.end())
      if (auto l = m->second.find(level); l != m->second.end()) return l->second;
    return std::string(kTargetsFileSource);
  };
  if (p.kind == PageKind::kApi) {
    std::vector<std::string> sources;
    for (const std::string& m : w.ores_models) {
      auto s = w.ores_model_source.find(m);
      sources.push_back(fmt::format("{} from {}", m, s != w.ores_model_source.end() ? s->second : kTargetsFileSource));
    }
    return fmt::format("ORES models: {}", sources.empty() ? std::string("none") : fmt::format("{}", fmt::join(sources, ", ")));
  }
  // source -> the parameters (or model levels) it decided, in parameter order
  std::vector<std::pair<std::string, std::vector<std::string>>> by_source;
  auto add = [&](const std::string& source, std::string what) {
    auto it = std::find_if(by_source.begin(), by_source.end(), [&](const auto& e) { return e.first == source; });
    if (it == by_source.end()) by_source.push_back({source, {std::move(what)}});
    else it->second.push_back(std::move(what));
  };
  for (const auto& [k, v] : p.params) {
    auto op = OresParam(k);
    if (!op) {
      add(kTargetsFileSource, k);
      continue;
    }
    if (!op->second.empty()) {  // MODEL__LEVEL_color
      add(level_source(op->first, op->second), k);
      continue;
    }
    size_t start = 0;
    while (start <= v.size()) {
      size_t end = v.find(';', start);
      if (end == std::string::npos) end = v.size();
      if (end > start) add(level_source(op->first, v.substr(start, end - start)), k + "=" + v.substr(start, end - start));
      start = end + 1;
    }
  }
  std::vector<std::string> parts;
  for (const auto& [source, what] : by_source) parts.push_back(fmt::format("{}: {}", source, fmt::join(what, " ")));
  return fmt::format("{}", fmt::join(parts, "; "));
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

std::vector<std::pair<Probe, Outcome>> PreflightOutcomes(const Targets& targets, const std::vector<WikiFacts>& facts,
                                                         const FactsRegressions& regressions, bool judge_meta) {
  std::vector<std::pair<Probe, Outcome>> out;
  for (const Wiki& w : targets.wikis) {
    const WikiFacts* f = FactsOf(facts, w.dbname);
    auto regressed = regressions.find(w.dbname);
    const bool has_regression = regressed != regressions.end() && f;
    const bool ores_wiki = f && f->error.empty() && (f->site.ores_installed || f->ores.answered);
    if (!(judge_meta && ores_wiki) && !has_regression) continue;
    auto made = FetchedProbe(w, PageKind::kApi, "api.php", ApiParams({{"action", "query"}, {"meta", "ores"}}));
    if (!made) continue;  // the same URL was fetched already; cannot fail here
    Probe& p = *made;
    Outcome o;
    static_cast<Fetch&>(o) = f->ores_answer.response.fetch;
    if (judge_meta && ores_wiki) o.result = JudgeOresAnswer(*f);
    if (has_regression) {
      // Less than the last healthy run had is a finding in itself; a worse
      // verdict of meta=ores itself (null thresholds, an exception) stays.
      const FactsRegression& r = regressed->second;
      std::vector<std::string> all = r.lost;
      all.insert(all.end(), r.file_lost.begin(), r.file_lost.end());
      const std::string lost = fmt::format("{}", fmt::join(all, "; "));
      // Against what: the healthy run, the targets file, or both.
      std::vector<std::string> against, reference;
      if (!r.lost.empty()) {
        against.push_back("since run " + r.run_id);
        reference.push_back("the last healthy facts are of run " + r.run_id);
      }
      if (!r.file_lost.empty()) {
        against.push_back("against the targets file");
        reference.push_back(w.where.empty() ? std::string("the targets file names its ores_models")
                                            : fmt::format("the targets file names its ores_models at {}", w.where));
      }
      Evidence& e = o.result.evidence;
      if (o.result.verdict == Verdict::kOk) {
        o.result.verdict = Verdict::kBroken;
        e = Evidence{};
        e.signature = "ORES facts regressed: " + lost;
        e.message = fmt::format("{}: {} ({}; their probes still run)", w.dbname, lost, fmt::join(reference, "; "));
        e.detail = fmt::format("ORES facts regressed on {} {}: {}", w.dbname, fmt::join(against, " and "), lost);
      } else {
        e.detail += fmt::format("; ORES facts regressed {}: {}", fmt::join(against, " and "), lost);
      }
    }
    out.emplace_back(std::move(p), std::move(o));
  }
  return out;
}

std::vector<std::pair<Probe, Outcome>> FactsPageOutcomes(const Targets& targets, const std::vector<WikiFacts>& facts) {
  std::vector<std::pair<Probe, Outcome>> out;
  for (const Wiki& w : targets.wikis) {
    const WikiFacts* f = FactsOf(facts, w.dbname);
    if (!f || !f->page_judged) continue;
    if (auto p = FetchedProbe(w, PageKind::kRecentChanges, "index.php", FactsPageParams()))
      out.emplace_back(std::move(*p), f->page_outcome);
  }
  return out;
}

}  // namespace bc
