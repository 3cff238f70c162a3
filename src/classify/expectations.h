// What a probe expects of its page: the classifier's only input besides the
// response. Plain data, built from a Probe (ExpectationsFor) or by hand
// (`crawler classify`).
#pragma once

#include <string>
#include <vector>

#include "plan/probe.h"

namespace bc {

struct Expectations {
  PageKind kind = PageKind::kRecentChanges;
  std::string expect_user;                        // non-empty: anonymous view or another user => kAuth
  std::vector<std::string> expect_filter_groups;  // RC/WL: groups required in wgStructuredChangeFilters
  // The wiki runs ORES and the probe asks for ORES data: a Contributions page
  // must show ORES's own "hide good edits" control, an api.php answer must not
  // call the ORES parameters unrecognized (the silent ORES failure).
  bool expect_ores = false;
  // Contributions asking ORES to hide good edits (hidenondamaging=1) on a
  // wiki that runs ORES: every row listed passed ORES's filter, so each has a
  // score, and ORES puts the rows' scores (and its "r" flags) into the page.
  bool expect_ores_rows = false;
};

inline Expectations ExpectationsFor(const Probe& p) {
  return Expectations{p.kind, p.expect_user.str(), p.expect_filter_groups, p.expect_ores, p.expect_ores_rows};
}

}  // namespace bc
