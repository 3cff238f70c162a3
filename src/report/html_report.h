// report.html: one self-contained file (inline CSS and JS, no external
// fetch: a Content-Security-Policy meta tag forbids any). The failure groups,
// then a table of every probe that a text box and a verdict select filter and
// the column headers sort. Rows are rendered server-side; every string passes
// HtmlEscape (escape.h); the script only moves and hides existing rows (no
// innerHTML, no eval), so page-derived text is never parsed as markup.
//
// Stable element ids used by tests/report/check-html.py: #filter-text,
// #filter-verdict, #shown (number of visible rows), #probes (the table),
// tbody rows carry data-verdict and data-failure="1" for product/tool failures.
#pragma once

#include <string>
#include <vector>

#include "report/grouping.h"
#include "report/text_out.h"
#include "report/writer.h"

namespace bc {

// Pure apart from `out`. Renderer-compatible (rendered_writer.h).
Result<void> WriteHtmlReport(const RunInfo& info, const RunSummary& summary, const ResultList& results, TextOut& out);
// The same, in memory.
Result<std::string> RenderHtmlReport(const RunInfo& info, const RunSummary& summary, const ResultList& results);

}  // namespace bc
