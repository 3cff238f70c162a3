// Utf8Repair: passes bytes through, replacing each byte that is not part of a
// well-formed UTF-8 sequence with U+FFFD, whatever the chunking (a sequence
// split across Feed calls is held back, at most 3 bytes, until complete).
//
// Why: libxml2's HTML parser, on the first invalid UTF-8 byte, switches the
// whole rest of the document to Latin-1, so one stray byte before MediaWiki's
// error box turned "résultat —" into "rÃ©sultat â\x80\x94" in the evidence,
// the excerpt and the grouping signature (tests/faults found it).
#pragma once

#include <string>
#include <string_view>

namespace bc {

class Utf8Repair {
 public:
  // Calls emit(piece) with the repaired bytes, in order; valid input passes
  // through in as few pieces as possible (no copy).
  template <typename Emit>
  void Feed(std::string_view in, Emit&& emit);
  // The held-back bytes of an unfinished sequence become one U+FFFD.
  template <typename Emit>
  void Finish(Emit&& emit) {
    if (!held_.empty()) emit(kReplacement);
    held_.clear();
  }

  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

  // Length of the well-formed sequence starting at s[0] (1..4); 0 when s[0]
  // cannot start one here; -1 when s is a valid but unfinished prefix.
  static int SequenceLength(std::string_view s);

 private:
  std::string held_;  // an unfinished sequence from the previous Feed
};

template <typename Emit>
void Utf8Repair::Feed(std::string_view in, Emit&& emit) {
  // Finish a sequence held back from the last chunk, a byte at a time.
  while (!held_.empty() && !in.empty()) {
    held_.push_back(in.front());
    in.remove_prefix(1);
    const int n = SequenceLength(held_);
    if (n < 0) continue;  // still unfinished
    if (n == static_cast<int>(held_.size())) {
      emit(std::string_view(held_));
      held_.clear();
    } else {
      // The lead byte was bad: replace it and re-scan what followed it.
      const std::string rest = held_.substr(1);
      held_.clear();
      emit(kReplacement);
      Feed(rest, emit);
    }
  }
  size_t clean = 0, i = 0;
  while (i < in.size()) {
    if (static_cast<unsigned char>(in[i]) < 0x80) {
      ++i;
      continue;
    }
    const int n = SequenceLength(in.substr(i));
    if (n > 0) {
      i += static_cast<size_t>(n);
    } else if (n < 0) {  // unfinished at the end of this chunk: hold it back
      if (i > clean) emit(in.substr(clean, i - clean));
      held_.assign(in.substr(i));
      return;
    } else {
      if (i > clean) emit(in.substr(clean, i - clean));
      emit(kReplacement);
      clean = ++i;
    }
  }
  if (i > clean) emit(in.substr(clean, i - clean));
}

}  // namespace bc
