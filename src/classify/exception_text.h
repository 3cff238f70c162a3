// The exception-text parser: what MediaWiki's exception renderings say, as
// text (the error box's text, the skinless raw report, an api.php `info`).
// Pure functions; no state. Only PHP's and MediaWiki's untranslated parts are
// relied on (the "[id]" prefix, the class name, "Backtrace:", "Original
// exception:"); the localized wording around a class name is skipped.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace bc {

// "[0f3a9c...] rest" -> ("0f3a9c...", "rest"); nullopt when s does not start so.
std::optional<std::pair<std::string, std::string_view>> LeadingRequestId(std::string_view s);

// Wikimedia\Rdbms\DB…Error and friends: the database layer's classes.
bool IsDbClass(std::string_view cls);

// The class named in a localized "Fatal exception of type $1" line: the last
// PHP-class-like token (namespaced, or ending in Exception/Error). The wording
// around it is translated; the class name never is.
std::string ClassFromLocalizedLine(std::string_view line);

struct ExceptionText {
  std::string request_id;
  std::string cls;
  std::string message;
  bool parsed = false;  // recognised MediaWiki's "[id] ..." exception format
};

// MediaWiki's two exception renderings (MWExceptionRenderer::getHTML):
//   details off: "[ID] 2026-11-27 01:12:53: <localized 'Fatal exception of type "CLASS"'>"
//   details on:  "[ID] URL   CLASS: MESSAGE\nBacktrace:\n#0 ..."
ExceptionText ParseExceptionText(std::string_view text);

// An exception thrown while MediaWiki rendered an exception
// (MWExceptionRenderer, "exception inside the exception handler"): a skinless
// text page, <br /> for line breaks, entities already decoded:
//   "MediaWiki internal error.\n\nOriginal exception: [ID] DATE: Fatal exception of type "X"\n\n
//    Exception caught inside exception handler.\n…"
// or with details "Original exception: [ID] URL   X: MESSAGE\nBacktrace:…". The
// original exception is what the page failed on: its id, class and message
// are returned (parsed = true). nullopt when the text is not such a page.
std::optional<ExceptionText> ParseInternalErrorText(std::string_view text);

}  // namespace bc
