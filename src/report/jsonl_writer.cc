#include "report/jsonl_writer.h"

#include <cerrno>
#include <cstring>

#include "core/utf8.h"
#include "report/run_dir.h"

namespace bc {

namespace {
// Page-derived text is made valid UTF-8 here by core/utf8.h (the one
// strictness the other writers use too); nlohmann's `replace` in DumpJsonLine
// then never has anything left to replace.
void PutIfNotEmpty(nlohmann::json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = IsValidUtf8(value) ? value : RepairUtf8(value);
}
}  // namespace

nlohmann::json OutcomeToJson(const Probe& probe, const Outcome& outcome) {
  nlohmann::json params = nlohmann::json::object();
  // Canonical params have unique keys in practice; a repeated key keeps its
  // first value so the object stays in canonical order semantics.
  for (const auto& [key, value] : probe.params)
    if (!params.contains(key)) params[key] = value;

  const Evidence& ev = outcome.result.evidence;
  nlohmann::json evidence = nlohmann::json::object();
  PutIfNotEmpty(evidence, "exception_class", ev.exception_class);  // old name "class" (docs/NAMES.md)
  PutIfNotEmpty(evidence, "message", ev.message);
  PutIfNotEmpty(evidence, "request_id", ev.request_id);
  PutIfNotEmpty(evidence, "signature", ev.signature);
  PutIfNotEmpty(evidence, "excerpt", ev.excerpt);
  PutIfNotEmpty(evidence, "detail", ev.detail);

  const Timings& t = outcome.timings;
  nlohmann::json j = {
      {"id", probe.id},
      {"wiki", probe.wiki},
      {"kind", std::string(PageKindName(probe.kind))},
      {"url", probe.url},
      {"params", std::move(params)},
      {"query", probe.query},
      {"status", outcome.http_status},
      {"verdict", std::string(VerdictName(outcome.result.verdict))},
      {"evidence", std::move(evidence)},
      {"final_url", IsValidUtf8(outcome.final_url) ? outcome.final_url : RepairUtf8(outcome.final_url)},
      {"redirects", outcome.redirects},
      {"retries", outcome.retries},
      {"bytes", outcome.bytes},
      {"timings",
       {{"queue", t.queue}, {"connect", t.connect}, {"tls", t.tls}, {"first_byte", t.first_byte}, {"total", t.total}}},
      {"finished", FormatIsoUtc(outcome.finished_unix_ms)},
  };
  PutIfNotEmpty(j, "error", outcome.transport_error);
  PutIfNotEmpty(j, "known_task", outcome.known_task);  // old name "known"
  // Only for failures that were fetched again: true = failed again, false = flaky.
  if (outcome.confirm_fetches > 0) {
    j["confirmed"] = outcome.confirm_failed > 0;
    j["confirm"] = {{"fetches", outcome.confirm_fetches}, {"failed", outcome.confirm_failed}};
  }
  return j;
}

std::string DumpJsonLine(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

JsonlWriter::JsonlWriter(std::string path) : path_(std::move(path)) {}

Result<void> JsonlWriter::Begin(const RunInfo&) {
  // "x": a run directory is fresh; an existing pages.jsonl means a bug or a
  // second run in the same directory, and appending would mix two runs.
  file_.reset(std::fopen(path_.c_str(), "wx"));
  if (!file_) return Fail(Error::Code::kIo, std::string("cannot create: ") + std::strerror(errno), path_);
  return {};
}

Result<void> JsonlWriter::Add(const Probe& probe, const Outcome& outcome) {
  if (!file_) return Fail(Error::Code::kInternal, "JsonlWriter::Add before Begin", path_);
  std::string line = DumpJsonLine(OutcomeToJson(probe, outcome));
  line.push_back('\n');
  // One fwrite per line and a flush: a crash loses at most the line being
  // written, and a reader never sees a line without its newline for long.
  if (std::fwrite(line.data(), 1, line.size(), file_.get()) != line.size() || std::fflush(file_.get()) != 0)
    return Fail(Error::Code::kIo, std::string("cannot append: ") + std::strerror(errno), path_);
  return {};
}

Result<void> JsonlWriter::Finish(const RunInfo&, const RunSummary&) {
  if (!file_) return {};
  std::FILE* f = file_.release();
  if (std::fclose(f) != 0) return Fail(Error::Code::kIo, std::string("cannot close: ") + std::strerror(errno), path_);
  return {};
}

}  // namespace bc
