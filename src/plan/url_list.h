// Probes from a plain list of URLs (`crawler run --urls FILE`): for
// re-checking URLs pasted from a bug report, and for benchmarks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "plan/probe.h"

namespace bc {

// One URL per line; blank lines and lines starting with '#' are skipped.
// Every probe gets `kind` and `expect_user`; its wiki is the URL's host[:port]
// (there is no dbname), its id hashes that host, kind and the URL's query.
// Duplicates are kept (a benchmark may load one URL many times) and get
// distinct ids by line number suffix. Errors name FILE:LINE:1.
Result<std::vector<Probe>> ProbesFromUrlList(std::string_view text, const std::string& path, PageKind kind,
                                             const std::string& expect_user = {});

}  // namespace bc
