#include "report/rendered_writer.h"

namespace bc {

RenderedFileWriter::RenderedFileWriter(std::string path, Renderer render, const ResultList* shared)
    : path_(std::move(path)), render_(render), shared_(shared) {}

Result<void> RenderedFileWriter::Begin(const RunInfo&) { return {}; }

Result<void> RenderedFileWriter::Add(const Probe& probe, const Outcome& outcome) {
  if (!shared_) own_.push_back(ProbeResult{probe, outcome});
  return {};
}

Result<void> RenderedFileWriter::Finish(const RunInfo& info, const RunSummary& summary) {
  auto out = TextOut::ToFile(path_);
  if (!out) return std::unexpected(out.error());
  // Not `shared_ ? *shared_ : ResultList(own_)`: a conditional with a
  // temporary on one side copies the other (ResultList is move-only so that
  // cannot compile again; it once copied every result for every file).
  const ResultList own_view = shared_ ? ResultList() : ResultList(own_);
  const ResultList& results = shared_ ? *shared_ : own_view;
  if (auto rendered = render_(info, summary, results, *out); !rendered) return rendered;
  return out->Commit();
}

}  // namespace bc
