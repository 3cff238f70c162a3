#include "report/rendered_writer.h"

#include "report/run_dir.h"

namespace bc {

RenderedFileWriter::RenderedFileWriter(std::string path, Renderer render)
    : path_(std::move(path)), render_(render) {}

Result<void> RenderedFileWriter::Begin(const RunInfo&) { return {}; }

Result<void> RenderedFileWriter::Add(const Probe& probe, const Outcome& outcome) {
  results_.push_back(ProbeResult{probe, outcome});
  return {};
}

Result<void> RenderedFileWriter::Finish(const RunInfo& info, const RunSummary& summary) {
  auto text = render_(info, summary, results_);
  if (!text) return std::unexpected(text.error());
  return WriteFileAtomically(path_, *text);
}

}  // namespace bc
