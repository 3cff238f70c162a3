#include "report/rendered_writer.h"

#include "report/run_dir.h"

namespace bc {

RenderedFileWriter::RenderedFileWriter(std::string path, Renderer render, const std::vector<ProbeResult>* shared)
    : path_(std::move(path)), render_(render), shared_(shared) {}

Result<void> RenderedFileWriter::Begin(const RunInfo&) { return {}; }

Result<void> RenderedFileWriter::Add(const Probe& probe, const Outcome& outcome) {
  if (!shared_) own_.push_back(ProbeResult{probe, outcome});
  return {};
}

Result<void> RenderedFileWriter::Finish(const RunInfo& info, const RunSummary& summary) {
  auto text = render_(info, summary, shared_ ? *shared_ : own_);
  if (!text) return std::unexpected(text.error());
  return WriteFileAtomically(path_, *text);
}

}  // namespace bc
