// The one escaping module. Every string that came from a page (exception
// messages, excerpts, URLs) is attacker-controlled and goes through one of
// these before it lands in an output format that is not built by a library.
// All functions are pure and total (any byte sequence in, safe text out).
#pragma once

#include <string>
#include <string_view>

namespace bc {

// HTML text and attribute values (double- or single-quoted): & < > " ' are
// replaced by entities; NUL and other C0 controls but \t \n \r become U+FFFD.
std::string HtmlEscape(std::string_view text);

// Text inside an inline <script> JSON block: the JSON is produced by
// nlohmann; this makes it unable to close the script element or open a
// comment ("</script", "<!--" escaped as \u003c), and keeps U+2028/2029 safe.
std::string ScriptSafeJson(std::string_view json);

// Text that is valid in XML 1.0 and UTF-8: invalid UTF-8 sequences and the
// C0 controls XML forbids (all but \t \n \r) become U+FFFD. The XML writer
// (libxml2) escapes markup; this makes the characters themselves legal.
std::string XmlSafeText(std::string_view text);

// A Prometheus exposition-format label value (between double quotes):
// backslash, double quote and line feed escaped as \\ \" \n.
std::string PromLabelEscape(std::string_view value);

// Text from the network for one line of terminal output (stdout/stderr):
// nothing in it can move the cursor, recolour, retitle the window, end the
// line or reorder what follows. C0 controls (tab, CR and LF included), DEL
// and bytes of invalid UTF-8 are shown as \xHH; C1 controls (U+0080-U+009F,
// 8-bit CSI) and bidirectional controls (U+200E/F, U+202A-U+202E,
// U+2066-U+2069) as \u{XXXX}. Other valid UTF-8 passes unchanged.
std::string TerminalText(std::string_view text);

// One POSIX shell word in single quotes: 'it'\''s'. Safe to paste into sh/bash.
std::string ShellQuote(std::string_view word);

// Markdown inline code that shows `text` literally, whatever it contains:
// a backtick fence longer than any run of backticks inside, line breaks
// folded into spaces. Not for table cells (a `|` would split the cell).
std::string MarkdownCode(std::string_view text);

// Phabricator Remarkup inline monospace (`text`), whose content is shown
// literally (no T123 links, @mentions or markup inside). Remarkup has no
// escape for a backtick inside it: each becomes ', line breaks and tabs
// become spaces, and leading/trailing blanks are dropped (a monospace span
// cannot start with one). Not for table cells.
std::string RemarkupCode(std::string_view text);

}  // namespace bc
