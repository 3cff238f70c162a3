#include "report/known_match.h"

#include "report/grouping.h"

namespace bc {
namespace {

bool Matches(const KnownIssue& k, const Probe& probe, const Outcome& outcome) {
  const Classification& c = outcome.result;
  if (k.verdict && *k.verdict != c.verdict) return false;
  if (!k.exception_class.empty() && k.exception_class != c.evidence.exception_class) return false;
  if (!k.signature.empty() && FailureKey(outcome).find(k.signature) == std::string::npos) return false;
  if (!k.wiki.empty() && k.wiki != probe.wiki) return false;
  if (k.page && *k.page != probe.kind) return false;
  if (!k.param_key.empty()) {
    bool has = false;
    for (const auto& [key, value] : probe.params) has = has || (key == k.param_key && value == k.param_value);
    if (!has) return false;
  }
  return true;
}

}  // namespace

const KnownIssue* MatchKnownIssue(const KnownIssues& known, const Probe& probe, const Outcome& outcome,
                                  bool warnings_fail) {
  if (!IsProductFailure(outcome.result.verdict, warnings_fail)) return nullptr;
  for (const KnownIssue& k : known.entries)
    if (Matches(k, probe, outcome)) return &k;
  return nullptr;
}

}  // namespace bc
