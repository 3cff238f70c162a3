// crawler summary [RUN]: print a finished run's summary, as Markdown (summary.md)
// or as Phabricator Remarkup (summary.remarkup), to paste into a task.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/history_command.h"
#include "cli/options.h"
#include "core/file.h"

namespace bc {
namespace {

struct SummaryOptions {
  std::string run = "latest";
  std::string results_dir = "results";
  std::string format = "markdown";
};

int PrintSummary(const SummaryOptions& o) {
  auto run_id = ResolveRun(o.results_dir, o.run);
  if (!run_id) return ReportError(run_id.error());
  // A run id names a directory under the results root, nothing else.
  if (run_id->empty() || run_id->find('/') != std::string::npos || run_id->front() == '.')
    return ReportError(Error{Error::Code::kUsage, fmt::format("'{}' is not a run id (see crawler history)", *run_id), ""});
  const std::filesystem::path dir = std::filesystem::path(o.results_dir) / *run_id;
  if (!std::filesystem::is_directory(dir))
    return ReportError(Error{Error::Code::kUsage, fmt::format("no run {} (see crawler history)", *run_id), o.results_dir});
  const char* file = o.format == "remarkup" ? "summary.remarkup" : "summary.md";
  auto text = ReadFileToString((dir / file).string());
  if (!text)
    return ReportError(Error{Error::Code::kIo,
                             fmt::format("run {} has no {} (an interrupted write, or a run by an older crawler)",
                                         *run_id, file),
                             (dir / file).string()});
  std::fwrite(text->data(), 1, text->size(), stdout);
  return 0;
}

}  // namespace

void AddSummaryCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("summary", "Print a run's summary (default: latest) as Markdown or Phabricator Remarkup");
  auto o = std::make_shared<SummaryOptions>();
  cmd->add_option("run", o->run, "Run id, or 'latest'");
  cmd->add_option("--results", o->results_dir, "Results root (default: results)");
  cmd->add_option("--format", o->format, "markdown (summary.md, default) or remarkup (to paste into Phabricator)")
      ->check(CLI::IsMember({"markdown", "remarkup"}));
  cmd->callback([o, &exit_code] { exit_code = PrintSummary(*o); });
}

}  // namespace bc
