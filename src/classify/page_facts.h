// PageFacts: everything the streaming region machine (classifier.cc) learnt
// about one response, handed to the verdict rules (rules.h) at Finish. A view:
// every pointer and string_view refers into the PageClassifier that built it
// and lives until that classifier's Finish returns.
#pragma once

#include <cstdint>
#include <string_view>

#include "classify/body_parser.h"
#include "classify/php_markers.h"
#include "plan/probe.h"

namespace bc {

struct Expectations;

// Which list marker the body showed before the region machine stopped looking.
enum class ListMarker { kNone, kChangesList, kChangesEmpty, kChangesTimeout, kContributionsList };

// "none", "mw-changeslist", "mw-changeslist-empty", "mw-changeslist-timeout", "mw-pager-body".
std::string_view ListMarkerName(ListMarker m);

struct PageFacts {
  const Expectations* exp = nullptr;
  long status = 0;
  std::string_view header_request_id;  // X-Request-Id
  std::string_view header_x_cache;     // X-Cache ("cp1089 int, cp1089 miss"): the edge hosts
  std::string_view header_api_error;   // MediaWiki-API-Error
  std::string_view location;           // Location of a 3xx not followed
  std::string_view final_url;          // after followed redirects; "" = the URL asked for

  int64_t bytes = 0;              // body bytes seen
  std::string_view prefix;        // the first 1024 body bytes
  std::string_view last;          // the last <= 64 body bytes
  const PhpMarkerScanner* php = nullptr;

  // HTML kinds.
  std::string_view head;          // bytes before "<body" (capped at 2 MiB)
  const BodyFacts* body = nullptr;  // libxml2's facts; nullptr when the parser never ran
  ListMarker list = ListMarker::kNone;
  bool body_capped = false;       // the list was looked for in the first 2 MiB only
  // Contributions: ORES's "hide good edits" checkbox (name="hidenondamaging")
  // occurred in the form before the list.
  bool ores_hide_nondamaging = false;

  // API kind.
  std::string_view api;           // the JSON body (capped)
  bool api_capped = false;
};

}  // namespace bc
