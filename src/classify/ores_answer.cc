#include "classify/ores_answer.h"

#include <fmt/format.h>

#include "classify/signature.h"
#include "core/plural.h"

namespace bc {

Classification JudgeOresMeta(const OresMetaAnswer& a) {
  Classification c;
  const std::string excerpt = SafeExcerpt(a.body, 300);
  auto verdict = [&](Verdict v, std::string signature, std::string detail) {
    c.verdict = v;
    c.evidence.signature = std::move(signature);
    c.evidence.detail = SafeExcerpt(detail, 300);
    c.evidence.excerpt = excerpt;
    return c;
  };
  if (a.http_status >= 500)
    return verdict(Verdict::kFatal, fmt::format("ORES API HTTP {}", a.http_status),
                   fmt::format("api.php answered meta=ores with HTTP {}", a.http_status));
  if (a.http_status != 200)
    return verdict(Verdict::kBroken, fmt::format("ORES API HTTP {}", a.http_status),
                   fmt::format("api.php answered meta=ores with HTTP {}", a.http_status));
  if (!a.read_error.empty()) return verdict(Verdict::kBroken, "ORES meta=ores unreadable", std::string(a.read_error));
  if (!a.answered)
    return verdict(Verdict::kBroken, "ORES meta=ores missing",
                   "ORES is in siteinfo's extensions but meta=ores gave no query.ores");
  if (a.damaging_enabled) {
    if (!a.null_damaging_levels.empty())
      return verdict(Verdict::kBroken, "ORES thresholds null: damaging",
                     fmt::format("meta=ores damagingthresholds is null for {}: the 2017 threshold bug; RecentChanges "
                                 "and Watchlist throw when building the ORES filters",
                                 fmt::join(a.null_damaging_levels, ", ")));
    if (a.damaging_thresholds == 0)
      return verdict(Verdict::kBroken, "ORES thresholds missing: damaging",
                     "the damaging model is enabled but meta=ores has no damagingthresholds");
  }
  c.evidence.detail =
      fmt::format("meta=ores: {}, {}", Plural(a.model_count, "model"), Plural(a.damaging_thresholds, "damaging threshold"));
  return c;
}

}  // namespace bc
