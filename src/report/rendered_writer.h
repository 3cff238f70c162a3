// A writer for formats produced whole at the end of a run (summary.md,
// junit.xml, report.html, metrics.prom): in Finish it renders the file with a
// pure function into a TextOut streaming to a temporary file, renamed into
// place when complete. The render functions are the tested units.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "report/results.h"
#include "report/text_out.h"
#include "report/writer.h"

namespace bc {

// Renders one output file from a run's facts, counts and results (in finish
// order) into `out`. Pure apart from `out`; must not throw. info.groups are
// the groups of exactly these results (their members index them).
using Renderer = Result<void> (*)(const RunInfo& info, const RunSummary& summary, const ResultList& results,
                                  TextOut& out);

class RenderedFileWriter final : public ReportWriter {
 public:
  // With `shared` null the writer keeps its own copy of every result. With a
  // non-null `shared` (the caller adds every result to it before calling Add,
  // and keeps it alive until Finish returns) Add copies nothing: several
  // writers then render one list.
  RenderedFileWriter(std::string path, Renderer render, const ResultList* shared = nullptr);
  Result<void> Begin(const RunInfo& info) override;
  Result<void> Add(const Probe& probe, const Outcome& outcome) override;
  Result<void> Finish(const RunInfo& info, const RunSummary& summary) override;

 private:
  std::string path_;
  Renderer render_;
  const ResultList* shared_;
  std::vector<ProbeResult> own_;
};

}  // namespace bc
