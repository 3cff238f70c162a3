#include "classify/signature.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

#include "core/utf8.h"

namespace bc {
namespace {

// Valid UTF-8 with control characters turned into spaces (so that whitespace
// collapsing treats tabs/newlines alike) and bad sequences into U+FFFD
// (core/utf8.h: the project's one UTF-8 strictness).
std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const Utf8Char ch = DecodeUtf8(text.substr(i));
    if (!ch.valid) out += kUtf8Replacement;
    else if (ch.cp < 0x20 || ch.cp == 0x7f) out += ' ';
    else out.append(text.substr(i, ch.len));
    i += ch.len;
  }
  return out;
}

std::string CollapseSpaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Cut valid UTF-8 at most max_bytes long without splitting a character.
std::string CutUtf8(std::string s, size_t max_bytes) {
  s.resize(Utf8Boundary(s, max_bytes));
  return s;
}


// The normalisation passes of NormalizeSignature, in the order it runs them.
// Each is one left-to-right scan over valid UTF-8 (no std::regex: it is
// recursive, slow, and blind to multi-byte characters).

bool IsAsciiWordByte(unsigned char c) { return std::isalnum(c) || c == '_'; }

// "http://…" / "https://…" up to the next space -> "<url>".
std::string ReplaceUrls(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t scheme = s.substr(i).starts_with("https://") ? 8 : s.substr(i).starts_with("http://") ? 7 : 0;
    if (scheme && i + scheme < s.size() && s[i + scheme] != ' ') {
      i += scheme;
      while (i < s.size() && s[i] != ' ') ++i;
      out += "<url>";
      continue;
    }
    out += s[i++];
  }
  return out;
}

// "[0f3a9c…] " (6+ hex digits in brackets, and the spaces after) -> "".
std::string DropRequestIds(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '[') {
      size_t j = i + 1;
      while (j < s.size() && std::isxdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j - i - 1 >= 6 && j < s.size() && s[j] == ']') {
        i = j + 1;
        while (i < s.size() && s[i] == ' ') ++i;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

struct Cp {
  char32_t cp;
  size_t at;  // byte offset
  size_t len;
};

std::vector<Cp> Decode(std::string_view s) {
  std::vector<Cp> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const Utf8Char ch = DecodeUtf8(s.substr(i));
    out.push_back({ch.cp, i, ch.len});
    i += ch.len;
  }
  return out;
}

bool IsQuoteCp(char32_t c) {
  switch (c) {
    case U'"': case U'«': case U'»': case U'“': case U'”': case U'„': case U'‘': case U'’':
    case U'「': case U'」': case U'『': case U'』':
      return true;
    default:
      return false;
  }
}

// Spaces and punctuation outside ASCII: Latin-1 punctuation, General
// Punctuation (U+2000-U+206F), CJK Symbols and Punctuation (U+3000-U+303F).
bool IsNonAsciiPunct(char32_t c) {
  return (c >= 0x80 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x206F) ||
         (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF0F) || c == 0xFFFD;
}

// A letter or digit of any script (every non-ASCII character that is not
// punctuation counts: Cyrillic, accented Latin, CJK).
bool IsWordCp(char32_t c) {
  if (c < 0x80) return std::isalnum(static_cast<int>(c)) != 0;
  return !IsNonAsciiPunct(c);
}

// The closing quote(s) of an opening quote; U+0000 when `c` opens nothing.
std::pair<char32_t, char32_t> ClosersOf(char32_t c) {
  switch (c) {
    case U'"': return {U'"', 0};
    case U'\'': return {U'\'', 0};
    case U'“': return {U'”', 0};
    case U'«': return {U'»', 0};
    case U'„': return {U'“', U'”'};  // German „…“, Polish/Hungarian „…”
    case U'‘': return {U'’', 0};
    case U'「': return {U'」', 0};
    case U'『': return {U'』', 0};
    default: return {0, 0};
  }
}

// Quoted text that names code rather than a page: a PHP identifier that is
// lower-case first (a parameter, a key: 'damaging') or a class name
// (CamelCase, namespaced, …Exception/…Error). Everything else in quotes is
// taken for a title: page titles start upper-case, may hold spaces, digits,
// colons and any script, and differ per wiki and language.
bool NamesCode(std::string_view t) {
  if (t.empty()) return true;
  int upper = 0;
  bool backslash = false;
  for (char c : t) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || !(std::isalpha(u) || c == '_' || c == '\\')) return false;
    upper += std::isupper(u) ? 1 : 0;
    backslash = backslash || c == '\\';
  }
  return std::islower(static_cast<unsigned char>(t[0])) || upper >= 2 || backslash || t.ends_with("Exception") ||
         t.ends_with("Error");
}

// Quoted titles in every quoting style MediaWiki's languages use ("…", '…',
// “…”, «…», „…“, ‘…’, 「…」, 『…』) -> "<title>", so the same failure
// quoting a page on en, fr, ru, de and ja pages gives one signature.
std::string ReplaceQuotedTitles(std::string_view s) {
  const std::vector<Cp> cps = Decode(s);
  std::string out;
  size_t i = 0;
  while (i < cps.size()) {
    const auto [close1, close2] = ClosersOf(cps[i].cp);
    // An ASCII apostrophe only opens a quote at a word start ("l'accueil" is a word).
    const bool opens = close1 != 0 && !(cps[i].cp == U'\'' && i > 0 && IsWordCp(cps[i - 1].cp));
    if (opens) {
      size_t j = i + 1;
      for (; j < cps.size() && cps[j].at - cps[i].at <= 512; ++j) {
        if (cps[j].cp != close1 && (close2 == 0 || cps[j].cp != close2)) continue;
        if (cps[j].cp == U'\'' && j + 1 < cps.size() && IsWordCp(cps[j + 1].cp)) continue;  // an apostrophe inside
        break;
      }
      if (j < cps.size() && cps[j].at - cps[i].at <= 512 && (cps[j].cp == close1 || cps[j].cp == close2)) {
        const size_t from = cps[i].at + cps[i].len, to = cps[j].at;
        std::string_view inner = s.substr(from, to - from);
        while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
        while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
        if (NamesCode(inner)) out.append(s.substr(cps[i].at, cps[j].at + cps[j].len - cps[i].at));
        else out += "\"<title>\"";
        i = j + 1;
        continue;
      }
    }
    out.append(s.substr(cps[i].at, cps[i].len));
    ++i;
  }
  return out;
}

// Words that are titles -> "<title>": a word (between spaces, quotes,
// brackets, commas, semicolons) with an underscore after a letter or digit
// ("Foo_123", "Заглавная_страница"), or a namespace-prefixed title
// ("Talk:Foo", "Spécial:Modifications", "特別:最近の更新"; not "Foo::bar").
std::string ReplaceTitleWords(std::string_view s) {
  const std::vector<Cp> cps = Decode(s);
  const auto delim = [&](size_t k) {
    const char32_t c = cps[k].cp;
    return c == U' ' || c == U'(' || c == U')' || c == U'[' || c == U']' || c == U',' || c == U';' ||
           IsQuoteCp(c) || c == 0xA0 || c == 0x3000;
  };
  const auto ident = [&](size_t k) { return IsWordCp(cps[k].cp) || cps[k].cp == U'_'; };
  const auto upper_start = [&](size_t k) {
    const char32_t c = cps[k].cp;
    return (c >= U'A' && c <= U'Z') || (c >= 0x80 && IsWordCp(c));
  };
  std::string out;
  size_t i = 0;
  while (i < cps.size()) {
    if (delim(i)) {
      out.append(s.substr(cps[i].at, cps[i].len));
      ++i;
      continue;
    }
    size_t end = i;
    while (end < cps.size() && !delim(end)) ++end;
    bool underscore = false;
    for (size_t k = i + 1; k < end && !underscore; ++k)
      underscore = cps[k].cp == U'_' && IsWordCp(cps[k - 1].cp);
    if (underscore) {
      out += "<title>";
      i = end;
      continue;
    }
    size_t k = i;
    while (k < end) {
      if (upper_start(k) && (k == i || !ident(k - 1))) {
        size_t q = k;
        while (q < end && ident(q)) ++q;
        size_t r = q + 1;
        while (q < end && cps[q].cp == U':' && r < end && cps[r].cp != U':') ++r;
        if (q < end && cps[q].cp == U':' && r > q + 1) {
          out += "<title>";
          k = r;
          continue;
        }
      }
      out.append(s.substr(cps[k].at, cps[k].len));
      ++k;
    }
    i = end;
  }
  return out;
}

// Runs of 8+ hex digits with at least one digit and one letter, standing
// alone (ids, hashes) -> "<hex>".
std::string ReplaceHexRuns(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (std::isxdigit(c) && (i == 0 || !IsAsciiWordByte(static_cast<unsigned char>(s[i - 1])))) {
      size_t j = i;
      bool digit = false, letter = false;
      while (j < s.size() && std::isxdigit(static_cast<unsigned char>(s[j]))) {
        (std::isdigit(static_cast<unsigned char>(s[j])) ? digit : letter) = true;
        ++j;
      }
      if (j - i >= 8 && digit && letter && (j == s.size() || !IsAsciiWordByte(static_cast<unsigned char>(s[j])))) {
        out += "<hex>";
        i = j;
        continue;
      }
      out.append(s.substr(i, j - i));  // the run cannot start a match inside itself
      i = j;
      continue;
    }
    out += s[i++];
  }
  return out;
}

// Every run of decimal digits -> "<n>".
std::string ReplaceDigitRuns(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) {
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      out += "<n>";
      continue;
    }
    out += s[i++];
  }
  return out;
}

}  // namespace

std::string SafeExcerpt(std::string_view text, size_t max_bytes) {
  // Sanitise only a bounded prefix: the excerpt never needs more, and this
  // keeps the cost independent of how much text a page offers.
  return CutUtf8(CollapseSpaces(ValidUtf8(text.substr(0, max_bytes * 4))), max_bytes);
}

std::string DecodeBasicEntities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '&') {
      out += text[i++];
      continue;
    }
    const size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += text[i++];
      continue;
    }
    const std::string_view ent = text.substr(i + 1, semi - i - 1);
    std::string rep;
    if (ent == "amp") rep = "&";
    else if (ent == "lt") rep = "<";
    else if (ent == "gt") rep = ">";
    else if (ent == "quot") rep = "\"";
    else if (ent == "apos") rep = "'";
    else if (ent.size() > 1 && ent[0] == '#') {
      const bool hex = ent[1] == 'x' || ent[1] == 'X';
      const std::string digits(ent.substr(hex ? 2 : 1));
      char* end = nullptr;
      const long cp = std::strtol(digits.c_str(), &end, hex ? 16 : 10);
      if (!digits.empty() && end && *end == '\0' && cp > 0 && cp < 0x110000) {
        if (!(cp >= 0xD800 && cp <= 0xDFFF)) AppendUtf8(rep, static_cast<char32_t>(cp));
      }
    }
    if (rep.empty()) {
      out += text[i++];
      continue;
    }
    out += rep;
    i = semi + 1;
  }
  return out;
}

std::string NormalizeSignature(std::string_view exception_class, std::string_view message) {
  // Capped first: a message longer than this cannot fit the 200-byte key
  // anyway, and the passes stay linear in what is left.
  std::string msg = ValidUtf8(message.substr(0, 2000));
  msg = ReplaceUrls(msg);
  msg = DropRequestIds(msg);
  msg = ReplaceQuotedTitles(msg);
  msg = ReplaceTitleWords(msg);
  msg = ReplaceHexRuns(msg);
  msg = ReplaceDigitRuns(msg);
  msg = CollapseSpaces(msg);
  while (!msg.empty() && msg.back() == ' ') msg.pop_back();
  std::string cls = CollapseSpaces(ValidUtf8(exception_class.substr(0, 200)));
  std::string sig = cls.empty() ? msg : (msg.empty() ? cls : cls + ": " + msg);
  return CutUtf8(std::move(sig), 200);
}

}  // namespace bc
