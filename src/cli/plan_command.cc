// crawler plan TARGETS: print the probes a run would load, and a count per wiki and kind.
#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/options.h"
#include "config/targets.h"
#include "plan/plan.h"

namespace bc {

void AddPlanCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("plan", "Print the probes a run would load (no network)");
  auto opts = std::make_shared<PlanOptions>();
  auto format = std::make_shared<std::string>("text");
  AddPlanOptions(*cmd, *opts);
  cmd->add_option("--format", *format, "text or jsonl")->check(CLI::IsMember({"text", "jsonl"}));
  cmd->callback([opts, format, &exit_code] {
    auto loaded = LoadPlan(*opts);
    if (!loaded) {
      exit_code = ReportError(loaded.error());
      return;
    }
    const auto& [targets, probes] = *loaded;
    std::map<std::pair<std::string, std::string>, size_t> counts;
    for (const Probe& p : probes) {
      ++counts[{p.wiki, std::string(PageKindName(p.kind))}];
      if (*format == "jsonl") {
        nlohmann::json j = {{"id", p.id}, {"wiki", p.wiki}, {"kind", PageKindName(p.kind)}, {"url", p.url},
                            {"tier", p.tier}, {"params", nlohmann::json::object()}};
        for (const auto& [k, v] : p.params) j["params"][k] = v;
        fmt::print("{}\n", j.dump());
      } else {
        fmt::print("{} {:<10} {:<14} {}\n", p.id, p.wiki, PageKindName(p.kind), p.url);
      }
    }
    if (*format == "text") {
      fmt::print("\n{} probes\n", probes.size());
      for (const auto& [key, n] : counts) fmt::print("  {:<12} {:<14} {}\n", key.first, key.second, n);
    }
    exit_code = 0;
  });
}

}  // namespace bc
