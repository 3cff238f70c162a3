// A failure group and its minimal failing parameters: plain data, apart from
// grouping.h (which makes them) so that RunInfo (writer.h) can carry a run's
// groups to every writer without an include cycle.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "classify/verdict.h"
#include "plan/probe.h"

namespace bc {

// What the parameters of a group's failing probes have in common that the
// passing probes (verdict ok) of the same wikis and page kinds do not.
//
// The rule, over the group's failing probes F and the scope's passing probes P
// (P = probes with verdict ok whose (wiki, kind) occurs in F):
//  1. all_of: for each key present in every probe of F:
//       - one value v throughout F: "key=v", kept if no probe in P has key=v;
//       - several values V: kept if no probe in P has key with a value in V,
//         shown as "key=*" when no probe in P has the key at all, else as
//         "key=v1|v2" (the failing values, sorted).
//     Every listed item holds for every failing probe and for no passing one.
//  2. any_of (only when all_of is empty): keys that no probe in P has at all,
//     picked greedily (the key present in most not-yet-covered failing probes
//     first, ties by name) until every probe of F has one; shown as "key=*".
//     Left empty if those keys cannot cover F.
//  A probe that failed differently (another group, or a tool failure) is
//  neither failing nor passing here: it tells nothing about this group.
struct MinimalParams {
  std::vector<std::string> all_of;  // every failing probe has all of these
  std::vector<std::string> any_of;  // every failing probe has one of these
  bool scope_all_failing = false;   // no passing probe in the scope: everything fails there
  // Probes of the scope that never ran (--fail-fast, the deadline, a signal):
  // they are neither failing nor passing, so "every probe" is only every
  // probe that ran.
  size_t scope_not_run = 0;

  // "damaging=* and hidebots=1", "damaging=* or goodfaith=*", "every probe"
  // (no probe of these wikis and pages passed: whatever the parameters),
  // "every probe that ran (68 did not run)", or "none found" when no rule
  // applies.
  std::string Describe() const;
};

// Failures that share a cause.
struct FailureGroup {
  // evidence.signature; when empty, "transport: <curl error>" for transport
  // verdicts with an error text, else "<verdict> HTTP <status>".
  std::string key;
  Verdict verdict = Verdict::kOk;  // of the group's first probe
  bool product_failure = false;  // IsProductFailure(verdict, warnings_fail)
  std::string exception_class;   // first non-empty in the group
  std::string message;           // first non-empty in the group
  std::vector<size_t> members;   // indexes into the results, in input order
  std::vector<std::string> wikis;  // sorted, unique
  std::vector<PageKind> kinds;     // sorted, unique
  std::vector<std::string> request_ids;  // non-empty ones, unique, in input order
  MinimalParams minimal;
  // The same rule per page kind of the group (kinds in order): one kind can
  // fail everywhere while another fails only with one parameter.
  std::vector<std::pair<PageKind, MinimalParams>> minimal_by_kind;
  size_t first = 0;              // index of the first failing probe (its URL reproduces the group)
  // Product failures only: every member matched this known issue ("" = none),
  // or every member did not reproduce (flaky, and not known).
  std::string known_task;
  bool flaky = false;
  int64_t fetches = 0;         // fetches of the members: the first ones plus the confirming re-fetches
  int64_t failed_fetches = 0;  // of those, how many failed
};

}  // namespace bc
