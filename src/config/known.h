// Known issues: failures that already have a Phabricator task. A run shows a
// failure matched by an entry as `known` (with its task) instead of failing
// the gate, and says when an entry matched nothing ("possibly fixed").
//
// The file is TOML, one [[known]] table per issue:
//
//   [[known]]
//   task = "T181191"                      # required: T and digits
//   note = "ORES thresholds null on ruwiki"
//   verdict = "exception"                 # matchers: at least one of verdict, exception_class, signature;
//   exception_class = "RuntimeException" #   the exception class, exactly;
//   signature = "ORES thresholds"         #   signature a substring of the failure group key
//   wiki = "ruwiki"                       # optional narrowing: one wiki,
//   kind = "recentchanges"                #   one page kind,
//   param = "damaging=likelybad"          #   one KEY=VALUE the probe must carry
//
// The old key names `class` and `page` are still read (a note in
// KnownIssues::deprecations says the new one). Plain structs; parsing is pure
// apart from reading the file. Matching lives
// in src/report/known_match.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "classify/verdict.h"
#include "core/error.h"
#include "plan/probe.h"

namespace bc {

struct KnownIssue {
  std::string task;                    // "T181191"
  std::string note;                    // free text for humans; may be empty
  std::optional<Verdict> verdict;      // a product-failure verdict; unset = any
  std::string exception_class;         // evidence class, compared exactly; "" = any
  std::string signature;               // substring of the failure's group key; "" = any
  std::string wiki;                    // dbname; "" = any
  std::optional<PageKind> page;        // unset = any
  std::string param_key, param_value;  // from param = "KEY=VALUE"; key "" = any
  std::string where;                   // FILE:LINE:COL of the [[known]] table
};

struct KnownIssues {
  std::string path;                 // the file read ("" when none)
  std::vector<KnownIssue> entries;  // in file order; the first match wins
  // "FILE:LINE:COL: note: 'class' is the old name of 'exception_class'; ...",
  // one per old key name used; the caller prints them (stderr).
  std::vector<std::string> deprecations;
  bool empty() const { return entries.empty(); }
};

// https://phabricator.wikimedia.org/T181191
std::string TaskUrl(const std::string& task);

// Reads and validates a known-issues file. Errors are kConfig with
// where = FILE:LINE:COL (exit code 2 in the CLI).
Result<KnownIssues> LoadKnownIssues(const std::string& path);
// Same, from text (path only for messages). For tests.
Result<KnownIssues> ParseKnownIssues(std::string_view text, const std::string& path);

}  // namespace bc
