#include "core/utf8.h"

namespace bc {

int Utf8SequenceLength(std::string_view s) {
  if (s.empty()) return -1;
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = b(0);
  if (lead < 0x80) return 1;
  int n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte (RFC 3629, table 3-7 of Unicode)
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    if (lead == 0xE0) lo = 0xA0;  // no overlong forms
    if (lead == 0xED) hi = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;  // <= U+10FFFF
  } else {
    return 0;
  }
  for (size_t i = 1; i < static_cast<size_t>(n); ++i) {
    if (i >= s.size()) return -1;
    const unsigned char lo_i = i == 1 ? lo : 0x80, hi_i = i == 1 ? hi : 0xBF;
    if (b(i) < lo_i || b(i) > hi_i) return 0;
  }
  return n;
}

Utf8Char DecodeUtf8(std::string_view s) {
  const int n = Utf8SequenceLength(s);
  if (n <= 0) return {0xFFFD, 1, false};
  const auto b = [&](size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(s[i])); };
  switch (n) {
    case 1: return {b(0), 1, true};
    case 2: return {((b(0) & 0x1F) << 6) | (b(1) & 0x3F), 2, true};
    case 3: return {((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F), 3, true};
    default: return {((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F), 4, true};
  }
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    out += kUtf8Replacement;
  } else if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const int n = Utf8SequenceLength(s.substr(i));
    if (n <= 0) return false;
    i += static_cast<size_t>(n);
  }
  return true;
}

std::string RepairUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  Utf8Repair r;
  const auto emit = [&](std::string_view piece) { out += piece; };
  r.Feed(s, emit);
  r.Finish(emit);
  return out;
}

size_t Utf8Boundary(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s.size();
  size_t cut = max_bytes;
  // Step back over continuation bytes to the lead byte of the character that
  // straddles the cut (at most 3 steps for well-formed text).
  for (int steps = 0; cut > 0 && steps < 3 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80; ++steps) --cut;
  if (cut < max_bytes) {
    // Only a real character boundary if the bytes from `cut` form one
    // sequence that extends past max_bytes; otherwise they were stray.
    const int n = Utf8SequenceLength(s.substr(cut));
    if (n <= 0 || cut + static_cast<size_t>(n) <= max_bytes) return max_bytes;
  }
  return cut;
}

}  // namespace bc
