// The one UTF-8 module. Every place that must turn page-derived bytes into
// valid text (the classifier's libxml2 input, evidence, signatures, XML and
// JSON output) uses these, so the project has one strictness: RFC 3629
// (no overlong forms, no surrogates, nothing above U+10FFFF), and one repair:
// each byte that is not part of a well-formed sequence becomes one U+FFFD.
// Pure functions plus one small streaming class; no locale, no allocation
// beyond the returned strings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bc {

inline constexpr std::string_view kUtf8Replacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed sequence starting at s[0] (1..4); 0 when s[0]
// cannot start one here (bad lead, bad continuation); -1 when s is a valid
// but unfinished prefix of a sequence (more bytes may complete it).
int Utf8SequenceLength(std::string_view s);

// One decoded character: its code point and byte length. An invalid or
// unfinished sequence decodes as {U+FFFD, 1, false}, so callers advance one byte.
struct Utf8Char {
  char32_t cp = 0;
  size_t len = 0;
  bool valid = false;
};
// Decodes the character at s[0]; s must not be empty.
Utf8Char DecodeUtf8(std::string_view s);

// Appends the UTF-8 encoding of cp (a scalar value; others append U+FFFD).
void AppendUtf8(std::string& out, char32_t cp);

bool IsValidUtf8(std::string_view s);

// `s` with every byte that is not part of a well-formed sequence replaced by
// U+FFFD (valid input is returned unchanged).
std::string RepairUtf8(std::string_view s);

// The largest n <= max_bytes such that s.substr(0, n) does not end inside a
// multi-byte character of s (for valid UTF-8: a character boundary).
size_t Utf8Boundary(std::string_view s, size_t max_bytes);

// Utf8Repair: RepairUtf8 for a stream. Passes bytes through, replacing each
// byte that is not part of a well-formed sequence with U+FFFD, whatever the
// chunking: a sequence split across Feed calls is held back (at most 3 bytes)
// until complete. Used in front of libxml2's HTML parser, which switches the
// whole rest of a document to Latin-1 on the first invalid byte (one stray
// byte before MediaWiki's error box turned "résultat —" into mojibake).
class Utf8Repair {
 public:
  // Calls emit(piece) with the repaired bytes, in order; valid input passes
  // through in as few pieces as possible (no copy).
  template <typename Emit>
  void Feed(std::string_view in, Emit&& emit);
  // The held-back bytes of an unfinished sequence become one U+FFFD.
  template <typename Emit>
  void Finish(Emit&& emit) {
    if (!held_.empty()) emit(kUtf8Replacement);
    held_.clear();
  }

 private:
  std::string held_;  // an unfinished sequence from the previous Feed
};

template <typename Emit>
void Utf8Repair::Feed(std::string_view in, Emit&& emit) {
  // Finish a sequence held back from the last chunk, a byte at a time.
  while (!held_.empty() && !in.empty()) {
    held_.push_back(in.front());
    in.remove_prefix(1);
    const int n = Utf8SequenceLength(held_);
    if (n < 0) continue;  // still unfinished
    if (n == static_cast<int>(held_.size())) {
      emit(std::string_view(held_));
      held_.clear();
    } else {
      // The lead byte was bad: replace it and re-scan what followed it.
      const std::string rest = held_.substr(1);
      held_.clear();
      emit(kUtf8Replacement);
      Feed(rest, emit);
    }
  }
  size_t clean = 0, i = 0;
  while (i < in.size()) {
    if (static_cast<unsigned char>(in[i]) < 0x80) {
      ++i;
      continue;
    }
    const int n = Utf8SequenceLength(in.substr(i));
    if (n > 0) {
      i += static_cast<size_t>(n);
    } else if (n < 0) {  // unfinished at the end of this chunk: hold it back
      if (i > clean) emit(in.substr(clean, i - clean));
      held_.assign(in.substr(i));
      return;
    } else {
      if (i > clean) emit(in.substr(clean, i - clean));
      emit(kUtf8Replacement);
      clean = ++i;
    }
  }
  if (i > clean) emit(in.substr(clean, i - clean));
}

}  // namespace bc
