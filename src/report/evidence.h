// Evidence (issue 17): the failing responses themselves, for the bug report.
// For each failure group, the first RunInfo::evidence_per_group members that
// got a response are saved as results/<run-id>/evidence/<group dir>/
// <probe-id>.headers (status line and headers as `curl -D` writes them) and
// <probe-id>.body (the body as received, decoded), both redacted by the same
// step as every other output (core/redact.h). `crawler classify BODY
// --headers HEADERS` judges them again offline.
//
// Groups are known only at the end of the run, bodies only while each page
// streams, so evidence is kept in two steps:
//  1. Stage, during the run (RunReport::StageEvidence): the sink kept the
//     body's first kCaptureBytes (classify/page_sink.h, charged to the run's
//     memory budget while the page streams). A non-ok outcome with a response
//     whose (FailureKey, known task) has fewer than N (2N with confirmation, below) staged so far is
//     written to evidence/.staging/ on the results writer thread
//     (report/writer_thread.h), redacted there; the others are dropped at once.
//     So at most N bodies per failure key reach the disk, and the queue holds
//     a body only between the page's end and its write.
//  2. Select, at the end (RunReport::Finish, before the rendered files): the
//     groups are the run's (RunInfo::groups, made once); each group's
//     first N members with a staged response are moved to evidence/<group
//     dir>/, RunInfo::evidence records them for the links in summary.md,
//     summary.remarkup and report.html, and evidence/.staging/ is deleted.
// Staging cannot know which failures the confirmation will find flaky, so
// with confirmation on the crawl stages 2N per key: when a key ends as a
// confirmed and a flaky group, each gets those of its members, N each unless
// one of them had more than N of the key's first 2N failures (then the other
// gets fewer than N).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "plan/probe.h"
#include "report/grouping.h"
#include "report/results.h"
#include "report/writer.h"

namespace bc {

// Body bytes kept per transfer for evidence; a longer body is saved cut, and
// its headers file says so.
inline constexpr size_t kCaptureBytes = size_t{1} << 20;

// "evidence/.staging" and "evidence" under a run directory.
std::string EvidenceDir(const std::string& run_dir);
std::string EvidenceStagingDir(const std::string& run_dir);

// The directory of group `number` (1-based, the order of GroupFailures, as
// summary.md numbers them): "01-exception-RuntimeException". Only [A-Za-z0-9-]
// (the key is page text), at most 60 bytes.
std::string EvidenceGroupDir(size_t number, const FailureGroup& group);

// The .headers file: "HTTP/1.1 STATUS", the headers (a Set-Cookie's value
// hidden), and x-beta-crawler-* lines naming the probe, its URL and what of
// the body was kept. Not redacted yet (the caller redacts).
std::string EvidenceHeadersText(long status, const std::vector<std::pair<std::string, std::string>>& headers,
                                const std::vector<std::pair<std::string, std::string>>& notes = {});

// Writes STAGING/<probe.id>.headers and .body, both through Redact(). Runs on
// the writer thread.
Result<void> WriteStagedEvidence(const std::string& staging_dir, const Probe& probe, const std::string& headers_text,
                                 std::string body);

// Step 2: moves each of info.groups' first `per_group` staged members into
// evidence/<EvidenceGroupDir>/, fills info.evidence (group dir -> probe ids),
// deletes the staging directory (and evidence/ when nothing was kept).
Result<void> SelectEvidence(const std::string& run_dir, const ResultList& results, RunInfo& info);

// The saved files of group `number` (paths relative to the run directory,
// ".headers" and ".body" per probe id), in member order; empty when none.
struct EvidenceFile {
  std::string probe_id;
  std::string body_path;     // "evidence/01-exception-RuntimeException/0123456789abcdef.body"
  std::string headers_path;  // the same with ".headers"
};
std::vector<EvidenceFile> EvidenceOf(const RunInfo& info, size_t number, const FailureGroup& group);

}  // namespace bc
