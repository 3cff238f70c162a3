// The verdict rule for a wiki's meta=ores answer (the ORES pre-flight probe),
// beside the page rules: the classifier judges, mediawiki/ fetches and parses.
// Pure; the input is plain data so classify/ needs nothing from mediawiki/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "classify/verdict.h"

namespace bc {

// What one meta=ores exchange said (mediawiki/ores.cc fills it from WikiFacts).
struct OresMetaAnswer {
  long http_status = 0;
  std::string_view body;        // the raw answer, for the excerpt
  std::string_view read_error;  // why the answer could not be read; "" when it parsed
  bool answered = false;        // a query.ores object was there
  size_t model_count = 0;
  bool damaging_enabled = false;
  size_t damaging_thresholds = 0;              // levels listed in damagingthresholds
  std::vector<std::string> null_damaging_levels;  // of those, the ones answered null
};

// The pre-flight verdict (transport failures are kept by the caller):
//   ok        models and numeric thresholds for every enabled damaging level
//   broken    HTTP 200 but the answer is unusable: "ORES thresholds null: damaging"
//             (the November 2017 root cause), "ORES thresholds missing: damaging",
//             "ORES meta=ores unreadable", "ORES meta=ores missing" (ORES in siteinfo
//             but the module did not answer); any other non-200 non-5xx status
//   fatal     HTTP 5xx from api.php
// broken rather than exception: the API did not throw, it answered 200 with the
// structure a consumer needs missing, which is what DESIGN.md calls broken.
Classification JudgeOresMeta(const OresMetaAnswer& answer);

}  // namespace bc
