// report.html: one self-contained file (inline CSS, JS and SVG, no external
// fetch: a Content-Security-Policy meta tag forbids any). First what a
// release engineer looks at: a PASS/FAIL banner with the exit code and one
// sentence, a wiki x page kind grid coloured by each cell's worst verdict,
// p50/p95 seconds per page kind; then the failure groups (request ids: the
// first 5, the rest behind a <details>), then a table of every probe,
// failures first, that a text box and a verdict select filter and the column
// headers sort. It wraps instead of scrolling sideways (1280 px and up). Rows are rendered server-side; every string passes
// HtmlEscape (escape.h); the script only moves and hides existing rows (no
// innerHTML, no eval), so page-derived text is never parsed as markup.
//
// Stable element ids used by tests/report/check-html.py: #status (class
// pass/fail/error/interrupted), #verdict-grid (cells carry data-worst), #filter-text,
// #filter-verdict, #shown (number of visible rows), #probes (the table),
// tbody rows carry data-verdict and data-failure="1" for product/tool failures.
#pragma once

#include <string>
#include <vector>

#include "report/grouping.h"
#include "report/text_out.h"
#include "report/writer.h"

namespace bc {

// Pure apart from `out`. Renderer-compatible (rendered_writer.h). The groups
// shown are info.groups (made once per run, GroupFailures over `results`).
Result<void> WriteHtmlReport(const RunInfo& info, const RunSummary& summary, const ResultList& results, TextOut& out);
// The same, in memory.
Result<std::string> RenderHtmlReport(const RunInfo& info, const RunSummary& summary, const ResultList& results);

}  // namespace bc
