// pages.jsonl: one JSON object per probe, appended and flushed as each probe
// finishes, so the file survives a crash and `tail -f` shows progress.
//
// Line schema (names are relied on by tests/farm's demo script: keep them):
//   id, wiki, kind (PageKindName), url, params {key: value}, query, status,
//   verdict (VerdictName), evidence {class, message, request_id, signature,
//   excerpt, detail} (only non-empty fields; {} for none), final_url,
//   redirects, retries, bytes, timings {queue, connect, tls, first_byte,
//   total} (seconds), error (transport error text, only when non-empty),
//   finished (ISO 8601 UTC).
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "report/writer.h"

namespace bc {

// The JSON object of one line. Pure.
nlohmann::json OutcomeToJson(const Probe& probe, const Outcome& outcome);

// Serialises `j` on one line. Invalid UTF-8 in page-derived strings is
// replaced with U+FFFD instead of throwing (nlohmann's default would throw).
std::string DumpJsonLine(const nlohmann::json& j);

class JsonlWriter final : public ReportWriter {
 public:
  // `path` is created by Begin and must not exist yet.
  explicit JsonlWriter(std::string path);
  Result<void> Begin(const RunInfo& info) override;
  Result<void> Add(const Probe& probe, const Outcome& outcome) override;
  Result<void> Finish(const RunInfo& info, const RunSummary& summary) override;

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
};

}  // namespace bc
