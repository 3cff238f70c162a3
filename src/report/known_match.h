// Matching failures against known issues (config/known.h). Pure.
#pragma once

#include "config/known.h"
#include "classify/outcome.h"
#include "plan/probe.h"

namespace bc {

// The first entry of `known` that matches this outcome, or nullptr. Only
// product failures (IsProductFailure with `warnings_fail`) can match: an
// entry must not hide a page the crawler could not judge.
const KnownIssue* MatchKnownIssue(const KnownIssues& known, const Probe& probe, const Outcome& outcome,
                                  bool warnings_fail);

}  // namespace bc
