// summary.md: paste-ready for a task tracker. Totals per verdict, then the
// failure groups (grouping.h) with exception, counts, wikis, page kinds,
// minimal failing parameters, request ids, first failing URL and a secret-free
// curl reproduction. Page-derived text is shown only inside code spans/blocks
// (escape.h), so a message cannot inject links or HTML into the tracker.
#pragma once

#include <string>
#include <vector>

#include "report/grouping.h"
#include "report/text_out.h"
#include "report/writer.h"

namespace bc {

// Pure. Renderer-compatible (rendered_writer.h). The groups shown are
// info.groups (made once per run, GroupFailures over `results`).
Result<std::string> RenderSummaryMarkdown(const RunInfo& info, const RunSummary& summary,
                                          const ResultList& results);
Result<void> WriteSummaryMarkdown(const RunInfo& info, const RunSummary& summary, const ResultList& results,
                                  TextOut& out);

}  // namespace bc
