// crawler plan TARGETS: print the probes a run would load, and a count per wiki and kind.
#include <fmt/format.h>

#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/crawl.h"
#include "mediawiki/ores.h"
#include "cli/options.h"
#include "config/targets.h"
#include "plan/plan.h"
#include "report/escape.h"
#include "report/jsonl_writer.h"
#include "core/plural.h"

namespace bc {

void AddPlanCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("plan", "Print the probes a run would load (no network unless [discovery])");
  auto opts = std::make_shared<PlanOptions>();
  auto format = std::make_shared<std::string>("text");
  AddPlanOptions(*cmd, *opts);
  // json as in run, history and diff: only JSON on stdout (here one probe per
  // line); "jsonl", its old name here, is still read.
  cmd->add_option("--format", *format, "text, or json: one object per probe and line on stdout (--explain then goes "
                                       "to stderr)")
      ->check(CLI::Validator(
          [](std::string& value) {
            return value == "text" || value == "json" || value == "jsonl" ? std::string()
                                                                           : "use text or json";
          },
          "{text,json}", "format"));  // the old name jsonl is read, not shown
  cmd->add_option("--results", opts->results_dir,
                  "Results root whose history.sqlite holds the last healthy facts (default: results)");
  auto explain = std::make_shared<bool>(false);
  cmd->add_flag("--explain", *explain,
                "Say why each wiki got which ORES axes and filter groups (asks the wikis when [discovery] facts = true)");
  cmd->callback([opts, format, explain, &exit_code] {
    if (*format == "jsonl") *format = "json";
    auto prepared = LoadPreparedPlan(*opts);
    if (!prepared) {
      exit_code = ReportError(prepared.error());
      return;
    }
    const Targets& targets = prepared->targets;
    std::vector<Probe> probes;
    for (const auto& [p, _] : prepared->preflight) probes.push_back(p);  // the pre-flight (fetched with the facts) comes first
    probes.insert(probes.end(), prepared->probes.begin(), prepared->probes.end());
    // Wiki names, URLs, reasons and facts may come from the network
    // (SiteMatrix, meta=siteinfo, meta=ores): no byte of them may drive the
    // terminal (report/escape.h). The json format is escaped by nlohmann.
    const auto T = [](std::string_view text) { return TerminalText(text); };
    // With json, stdout holds only JSON: what --explain says goes to stderr.
    std::FILE* say = *format == "json" ? stderr : stdout;
    if (*explain) {
      const Preparation& prep = prepared->preparation;
      if (!targets.discovery.enabled()) fmt::print(say, "no [discovery]: the file's wikis and ores_models apply (no network)\n");
      if (!targets.discovery.sitematrix.empty())
        fmt::print(say, "SiteMatrix {}: {}, {} discovered, {} skipped\n", T(targets.discovery.sitematrix),
                   Plural(prep.sitematrix_requests, "request"), Plural(prep.discovered.size(), "wiki"),
                   prep.skipped.size());
      for (const SkippedSite& s : prep.skipped) fmt::print(say, "  skipped {}: {}\n", T(s.dbname), T(s.reason));
      if (!prepared->history_note.empty()) fmt::print(say, "facts history: {}\n", T(prepared->history_note));
      for (const std::string& line : ExplainPlan(targets, prep.notes)) fmt::print(say, "{}\n", T(line));
      for (const auto& [p, o] : prepared->preflight)
        fmt::print(say, "pre-flight {} {}: {}{}\n", T(p.wiki),
                   p.kind == PageKind::kApi ? "meta=ores" : "RecentChanges page", VerdictName(o.result.verdict),
                   o.result.evidence.signature.empty() ? "" : " (" + T(o.result.evidence.signature) + ")");
      fmt::print(say, "\n");
    }
    std::set<std::string> preflight_ids;
    for (const auto& [p, _] : prepared->preflight) preflight_ids.insert(p.id.str());
    std::map<std::pair<std::string, std::string>, size_t> counts;
    for (const Probe& p : probes) {
      ++counts[{p.wiki.str(), std::string(PageKindName(p.kind))}];
      if (*format == "json") {
        nlohmann::json j = {{"id", p.id}, {"wiki", p.wiki}, {"kind", PageKindName(p.kind)}, {"url", p.url},
                            {"tier", p.tier}, {"params", nlohmann::json::object()}};
        for (const auto& [k, v] : p.params) j["params"][k] = v;
        fmt::print("{}\n", DumpJsonLine(j));  // invalid UTF-8 from a wiki is replaced, never a throw
      } else {
        fmt::print("{} {:<10} {:<14} {}\n", p.id, T(p.wiki), PageKindName(p.kind), T(p.url.str()));
        // Where each parameter came from: today's facts, a healthy run's, the file.
        if (*explain && !preflight_ids.contains(p.id.str()))
          for (const Wiki& w : targets.wikis)
            if (w.dbname == p.wiki) fmt::print("    from {}\n", T(ProbeProvenance(p, w)));
      }
    }
    if (*format == "text") {
      fmt::print("\n{}\n", Plural(probes.size(), "probe"));
      for (const auto& [key, n] : counts) fmt::print("  {:<12} {:<14} {}\n", T(key.first), key.second, n);
    }
    exit_code = 0;
  });
}

}  // namespace bc
