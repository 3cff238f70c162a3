// The verdict rules: one named function per rule, run in a fixed order over
// the facts the streaming region machine gathered (page_facts.h); the first
// rule that fires gives the verdict. The order and what each rule means are
// listed in README.md next to this file. Pure; no I/O.
#pragma once

#include "classify/page_facts.h"
#include "classify/verdict.h"

namespace bc {

// index.php pages (RecentChanges, Watchlist, Contributions).
Classification DecideHtml(const PageFacts& facts);

// api.php answers.
Classification DecideApi(const PageFacts& facts);

// "Alice_smith" and "alice smith" are one account, as MediaWiki sees it:
// underscores are spaces, a run of underscores and Unicode spaces is one
// space, none at either end, bidi marks go, and the first letter is
// upper-cased by Unicode's simple case mapping ("élise" -> "Élise",
// "ßeta" stays: MediaWiki keeps ß). Invalid UTF-8 is replaced first.
std::string NormalizeUserName(std::string_view name);

}  // namespace bc
