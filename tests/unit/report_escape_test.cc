#include <catch2/catch.hpp>

#include <string>

#include "report/escape.h"

namespace bc {
namespace {

TEST_CASE("html escaping neutralises markup, both quote kinds and ampersands", "[report][escape]") {
  CHECK(HtmlEscape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(HtmlEscape("a\"b'c&d") == "a&quot;b&#39;c&amp;d");
  CHECK(HtmlEscape("&amp;") == "&amp;amp;");
  CHECK(HtmlEscape("plain text, ünïcode") == "plain text, ünïcode");
  CHECK(HtmlEscape(std::string("nul\0here", 8)) == "nul\xEF\xBF\xBDhere");
  CHECK(HtmlEscape("tab\tand\nnewline") == "tab\tand\nnewline");
}

TEST_CASE("json inside a script element cannot close it or start a comment", "[report][escape]") {
  CHECK(ScriptSafeJson(R"({"m":"</script><!--x"})") == R"({"m":"\u003c/script\u003e\u003c!--x"})");
  CHECK(ScriptSafeJson("{\"m\":\"a&b\"}") == "{\"m\":\"a\\u0026b\"}");
  CHECK(ScriptSafeJson("\"\xE2\x80\xA8\xE2\x80\xA9\"") == "\"\\u2028\\u2029\"");
  CHECK(ScriptSafeJson("\"\xE2\x82\xAC\"") == "\"\xE2\x82\xAC\"");  // other 3-byte characters pass through
}

TEST_CASE("prometheus label values escape backslash, quote and newline only", "[report][escape]") {
  CHECK(PromLabelEscape(R"(C:\path "x")") == R"(C:\\path \"x\")");
  CHECK(PromLabelEscape("two\nlines") == "two\\nlines");
  CHECK(PromLabelEscape("ruwiki") == "ruwiki");
  CHECK(PromLabelEscape("tab\there") == "tab\there");
}

TEST_CASE("shell quoting survives single quotes and metacharacters", "[report][escape]") {
  CHECK(ShellQuote("http://x/?a=1&b=$(id)") == "'http://x/?a=1&b=$(id)'");
  CHECK(ShellQuote("it's") == "'it'\\''s'");
  CHECK(ShellQuote("") == "''");
}

TEST_CASE("markdown code spans show backticks and newlines literally", "[report][escape]") {
  CHECK(MarkdownCode("MWException") == "`MWException`");
  CHECK(MarkdownCode("a `b` c") == "``a `b` c``");
  CHECK(MarkdownCode("``x") == "``` ``x ```");
  CHECK(MarkdownCode("line1\nline2") == "`line1 line2`");
  CHECK(MarkdownCode("") == "` `");
}

}  // namespace
}  // namespace bc

namespace bc {
namespace {

TEST_CASE("xml-safe text keeps valid UTF-8 and replaces what XML 1.0 cannot carry", "[report][escape]") {
  CHECK(XmlSafeText("Ошибка: порог не задан €𝄞") == "Ошибка: порог не задан €𝄞");
  CHECK(XmlSafeText(std::string("a\x01" "b\x7f", 4)) == "a\xEF\xBF\xBD" "b\x7f");
  CHECK(XmlSafeText("\xff") == "\xEF\xBF\xBD");
  CHECK(XmlSafeText("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  CHECK(XmlSafeText("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(XmlSafeText("cut \xE2\x82") == "cut \xEF\xBF\xBD\xEF\xBF\xBD");  // truncated at the end
  CHECK(XmlSafeText("keep\ttab\nnl\rcr") == "keep\ttab\nnl\rcr");
}

}  // namespace
}  // namespace bc

namespace bc {
namespace {

TEST_CASE("TerminalText: network text cannot drive the terminal", "[report][escape]") {
  CHECK(TerminalText("frwiki") == "frwiki");
  CHECK(TerminalText("r\xC3\xA9sultat \xE2\x80\x94 ok") == "r\xC3\xA9sultat \xE2\x80\x94 ok");  // UTF-8 stays
  CHECK(TerminalText("evil\x1b]0;pwned\x07\x1b[2J") == "evil\\x1b]0;pwned\\x07\\x1b[2J");
  CHECK(TerminalText("a\r\nb\tc\x7f") == "a\\x0d\\x0ab\\x09c\\x7f");
  CHECK(TerminalText("\xC2\x9B" "31m") == "\\u{009b}31m");                  // C1 CSI
  CHECK(TerminalText("abc\xE2\x80\xAE" "fed") == "abc\\u{202e}fed");        // right-to-left override
  CHECK(TerminalText("\xE2\x81\xA6x\xE2\x81\xA9") == "\\u{2066}x\\u{2069}");  // isolates
  CHECK(TerminalText("bad \xff\xc3 end") == "bad \\xff\\xc3 end");           // invalid UTF-8
  CHECK(TerminalText(std::string_view("nul\0here", 8)) == "nul\\x00here");
}

}  // namespace
}  // namespace bc
