// A writer for formats produced whole at the end of a run (summary.md,
// junit.xml, report.html, metrics.prom): it keeps a copy of every
// (probe, outcome) pair and, in Finish, renders the file with a pure function
// and writes it atomically. The render functions are the tested units.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "report/grouping.h"
#include "report/writer.h"

namespace bc {

// Renders one output file from a run's facts, counts and results (in finish
// order). Pure; must not throw.
using Renderer = Result<std::string> (*)(const RunInfo& info, const RunSummary& summary,
                                         const std::vector<ProbeResult>& results);

class RenderedFileWriter final : public ReportWriter {
 public:
  // With `shared` null the writer keeps its own copy of every result. With a
  // non-null `shared` (the caller appends every result to it before calling
  // Add, and keeps it alive until Finish returns) Add copies nothing: several
  // writers then render one vector.
  RenderedFileWriter(std::string path, Renderer render, const std::vector<ProbeResult>* shared = nullptr);
  Result<void> Begin(const RunInfo& info) override;
  Result<void> Add(const Probe& probe, const Outcome& outcome) override;
  Result<void> Finish(const RunInfo& info, const RunSummary& summary) override;

 private:
  std::string path_;
  Renderer render_;
  const std::vector<ProbeResult>* shared_;
  std::vector<ProbeResult> own_;
};

}  // namespace bc
