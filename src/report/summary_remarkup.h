// summary.remarkup: the run's summary in Phabricator's Remarkup, to paste into
// a task as is (`crawler summary RUN --format remarkup`). The same content as
// summary.md (summary_md.h): totals as a Remarkup table, the failure groups
// with exception, wikis, pages, minimal failing parameters, request ids, known
// issue tasks (T123 is a link in Phabricator), confirmation, and the curl
// reproduction in a ```lang=sh block. Page-derived text only inside monospace
// spans (RemarkupCode), so it cannot mention users, link tasks or add markup.
#pragma once

#include <string>

#include "report/results.h"
#include "report/text_out.h"
#include "report/writer.h"

namespace bc {

// Pure. Renderer-compatible (rendered_writer.h). The groups shown are
// info.groups (made once per run, GroupFailures over `results`).
Result<std::string> RenderSummaryRemarkup(const RunInfo& info, const RunSummary& summary, const ResultList& results);
Result<void> WriteSummaryRemarkup(const RunInfo& info, const RunSummary& summary, const ResultList& results,
                                  TextOut& out);

}  // namespace bc
