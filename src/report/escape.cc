#include "report/escape.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "core/utf8.h"

namespace bc {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters are not valid in HTML text; dropping them
        // silently would hide that the page sent them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
          out += "\xEF\xBF\xBD";
        else
          out.push_back(c);
    }
  }
  return out;
}

std::string TerminalText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto hex = [&](unsigned char c) {
    static constexpr char kDigits[] = "0123456789abcdef";
    out += "\\x";
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  };
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) hex(c);
      else out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    const Utf8Char ch = DecodeUtf8(text.substr(i));
    if (!ch.valid) {
      hex(c);
      ++i;
      continue;
    }
    const char32_t cp = ch.cp;
    const bool c1 = cp >= 0x80 && cp <= 0x9f;
    const bool bidi = cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
    if (c1 || bidi) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u{%04x}", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(text.substr(i, ch.len));
    }
    i += ch.len;
  }
  return out;
}

std::string ScriptSafeJson(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    // '<' only appears inside JSON strings, where \u003c means the same.
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < json.size() &&
               static_cast<unsigned char>(json[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(json[i + 2]) == 0xA8 || static_cast<unsigned char>(json[i + 2]) == 0xA9)) {
      // U+2028/U+2029 end a line in older JavaScript parsers.
      out += static_cast<unsigned char>(json[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string XmlSafeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    // Validity is core/utf8.h's (the project's one UTF-8 strictness); what
    // XML 1.0 adds is only which valid characters it forbids.
    const Utf8Char ch = DecodeUtf8(text.substr(i));
    const bool xml_forbidden = (ch.cp < 0x20 && ch.cp != '\t' && ch.cp != '\n' && ch.cp != '\r') || ch.cp == 0xFFFE ||
                               ch.cp == 0xFFFF;
    if (!ch.valid || xml_forbidden) out += kUtf8Replacement;
    else out.append(text.substr(i, ch.len));
    i += ch.len;
  }
  return out;
}

std::string PromLabelEscape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string ShellQuote(std::string_view word) {
  std::string out = "'";
  for (const char c : word) {
    if (c == '\'')
      out += "'\\''";
    else
      out.push_back(c);
  }
  out += "'";
  return out;
}

std::string RemarkupCode(std::string_view text) {
  std::string body;
  body.reserve(text.size() + 2);
  for (const char c : text) body.push_back(c == '`' ? '\'' : c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  const size_t begin = body.find_first_not_of(' ');
  if (begin == std::string::npos) return "`-`";
  body = body.substr(begin, body.find_last_not_of(' ') - begin + 1);
  return "`" + body + "`";
}

std::string MarkdownCode(std::string_view text) {
  std::string body;
  body.reserve(text.size());
  size_t run = 0, longest = 0;
  for (const char c : text) {
    if (c == '`') {
      longest = std::max(longest, ++run);
    } else {
      run = 0;
    }
    if (c == '\n' || c == '\r' || c == '\t')
      body.push_back(' ');
    else
      body.push_back(c);
  }
  const std::string fence(longest + 1, '`');
  // A space pad when the content starts or ends with a backtick, as
  // CommonMark strips exactly one such space.
  const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`' || body.front() == ' ' || body.back() == ' ');
  if (body.empty()) return "` `";
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

}  // namespace bc
