#include "classify/signature.h"

#include <libxml/parserInternals.h>
#include <libxml/xmlstring.h>

#include <algorithm>
#include <cstdlib>

#include <regex>

namespace bc {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Valid UTF-8 with control characters turned into spaces (so that whitespace
// collapsing treats tabs/newlines alike) and bad sequences into U+FFFD.
// libxml2's xmlGetUTF8Char does the decoding: no hand-rolled UTF-8 tables.
std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data() + i);
    int len = static_cast<int>(std::min<size_t>(4, text.size() - i));
    const int cp = xmlGetUTF8Char(p, &len);
    if (cp < 0 || len <= 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (cp < 0x20 || cp == 0x7f) out += ' ';
    else out.append(text.data() + i, static_cast<size_t>(len));
    i += static_cast<size_t>(len);
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
  if (s.size() <= max_bytes) return s;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  return s;
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
        xmlChar buf[8] = {};
        const int n = xmlCopyCharMultiByte(buf, static_cast<int>(cp));
        if (n > 0) rep.assign(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
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
  // std::regex is slow and recursive, so the input is capped first; this runs
  // once per failing page, never on healthy ones.
  std::string msg = ValidUtf8(message.substr(0, 2000));
  static const std::regex kUrl(R"(https?://\S+)");
  static const std::regex kReqId(R"(\[[0-9a-fA-F]{6,}\]\s*)");
  static const std::regex kQuoted(R"re("[^"]*[ 0-9][^"]*"|“[^”]*[ 0-9][^”]*”|«\s*[^»]*?[ 0-9][^»]*?\s*»)re");
  static const std::regex kTitleWord(R"(([^\s"«»“”()\[\],;]*[A-Za-z0-9]_[^\s"«»“”()\[\],;]*)|(\b[A-Z][A-Za-z0-9_]*:[^\s:"«»“”()\[\],;]+))");
  static const std::regex kHex(R"(\b(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b)");
  static const std::regex kDigits(R"([0-9]+)");
  msg = std::regex_replace(msg, kUrl, "<url>");
  msg = std::regex_replace(msg, kReqId, "");
  msg = std::regex_replace(msg, kQuoted, "\"<title>\"");
  msg = std::regex_replace(msg, kTitleWord, "<title>");
  msg = std::regex_replace(msg, kHex, "<hex>");
  msg = std::regex_replace(msg, kDigits, "<n>");
  msg = CollapseSpaces(msg);
  while (!msg.empty() && msg.back() == ' ') msg.pop_back();
  std::string cls = CollapseSpaces(ValidUtf8(exception_class.substr(0, 200)));
  std::string sig = cls.empty() ? msg : (msg.empty() ? cls : cls + ": " + msg);
  return CutUtf8(std::move(sig), 200);
}

}  // namespace bc
