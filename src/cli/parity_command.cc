// crawler parity --beta A.toml --prod B.toml: ORES on beta versus production,
// per dbname (installed or not, models, versions, levels), and the production
// ORES wikis beta lacks. API calls only (siteinfo, meta=ores, one RC page per
// wiki), anonymous, maxlag=5, at each file's [crawl] politeness.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/options.h"
#include "config/targets.h"
#include "mediawiki/discovery.h"
#include "mediawiki/parity.h"
#include "report/run_dir.h"

namespace bc {
namespace {

struct ParityOptions {
  std::string beta;      // targets file of the beta side
  std::string prod;      // targets file of the production side
  std::string markdown;  // write the markdown table here too; "" = no file
  bool fail_on_diff = false;  // exit 1 when the sides differ (a CI gate)
};

// Loads a targets file and asks its wikis for their facts (discovery too, if
// the file has a sitematrix), whatever its [discovery] facts says.
Result<std::map<std::string, OresSide>> Side(const std::string& path) {
  auto targets = LoadTargets(path);
  if (!targets) return std::unexpected(targets.error());
  targets->discovery.facts = true;
  auto prep = PrepareTargets(*targets);
  if (!prep) return std::unexpected(prep.error());
  return SidesOf(*targets, prep->facts);
}

}  // namespace

void AddParityCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("parity", "Compare ORES (installed, models, levels) on beta and production wikis");
  auto opts = std::make_shared<ParityOptions>();
  cmd->add_option("--beta", opts->beta, "Targets file of the beta cluster, e.g. targets/beta.toml")->required();
  cmd->add_option("--prod", opts->prod, "Targets file of production, e.g. targets/production.toml")->required();
  cmd->add_option("--markdown", opts->markdown, "Also write the table as markdown to this file");
  cmd->add_flag("--fail-on-diff", opts->fail_on_diff,
                "Exit 1 when beta and production differ (2 when a side's facts could not be fetched)");
  cmd->callback([opts, &exit_code] {
    auto beta = Side(opts->beta);
    if (!beta) {
      exit_code = ReportError(beta.error());
      return;
    }
    auto prod = Side(opts->prod);
    if (!prod) {
      exit_code = ReportError(prod.error());
      return;
    }
    const ParityReport report = CompareParity(*beta, *prod);
    fmt::print("{}", RenderParityText(report));
    if (!opts->markdown.empty())
      if (auto ok = WriteFileAtomically(opts->markdown, RenderParityMarkdown(report)); !ok) {
        exit_code = ReportError(ok.error());
        return;
      }
    exit_code = ParityExitCode(report, opts->fail_on_diff);
  });
}

}  // namespace bc
