// junit.xml for CI (Jenkins' JUnit plugin and compatible readers): one
// <testsuite> per wiki (sorted by name), one <testcase> per probe named
// "<page kind> <canonical query>" (classname "beta-crawler.<wiki>.<kind>").
// Product failures are <failure type="<verdict>">, tool failures (auth,
// transport, throttled: the page was never judged) are <error type="<verdict>">; warnings that do not fail are
// reported in <system-out>; probes never fetched (not-run) are <skipped>.
// Written with libxml2's xmlTextWriter; page text
// passes XmlSafeText first. Valid against tests/report/junit.xsd.
#pragma once

#include <string>
#include <vector>

#include "report/grouping.h"
#include "report/text_out.h"
#include "report/writer.h"

namespace bc {

// Pure apart from `out`. Renderer-compatible (rendered_writer.h). Errors only
// when libxml2 fails (out of memory): kInternal.
Result<void> WriteJunitXml(const RunInfo& info, const RunSummary& summary, const ResultList& results, TextOut& out);
// The same, in memory.
Result<std::string> RenderJunitXml(const RunInfo& info, const RunSummary& summary, const ResultList& results);

}  // namespace bc
