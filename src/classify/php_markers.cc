#include "classify/php_markers.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "classify/find.h"
#include "classify/signature.h"

namespace bc {
namespace {

constexpr std::string_view kAnchor = " on line ";
static_assert(kAnchor.size() <= 16, "the fast path's seam buffer holds 2 x (anchor - 1) bytes");
// Bytes needed after the anchor to read "<b>12345" before deciding.
constexpr size_t kAfter = 16;

struct Label {
  std::string_view text;
  bool fatal;
};
// PHP's display labels (main.c, php_error_cb), longest first so that
// "Recoverable fatal error" wins over "Fatal error" on the same line.
constexpr std::array<Label, 8> kLabels = {{
    {"Recoverable fatal error", true},
    {"Catchable fatal error", true},
    {"Strict Standards", false},
    {"Fatal error", true},
    {"Parse error", true},
    {"Deprecated", false},
    {"Warning", false},
    {"Notice", false},
}};

// "MSG in <b>FILE</b> on line <b>12</b>" -> "MSG in FILE on line 12".
std::string StripTags(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<') {
      const size_t gt = s.find('>', i);
      if (gt == std::string_view::npos) break;
      const std::string_view tag = s.substr(i, gt - i + 1);
      if (tag == "<br />" || tag == "<br>") out += ' ';
      i = gt;
      continue;
    }
    out += s[i];
  }
  return DecodeBasicEntities(out);
}

}  // namespace

void PhpMarkerScanner::Feed(std::string_view chunk) {
  // One buffer of a fixed size for the whole body: the window never holds
  // more than 3 x kWindowBytes (a piece of at most kWindowBytes appended to at
  // most 2 x kWindowBytes), so what it retains is the same for any body and
  // any chunking.
  if (window_.capacity() < 3 * kWindowBytes) window_.reserve(3 * kWindowBytes);
  // Fast path, nearly every chunk of a page without PHP output: no anchor is
  // pending in the window, none starts in the seam or in the chunk, and the
  // chunk alone fills a window: keep its last kWindowBytes and skip copying
  // the rest through the window (that copy was most of the scanner's cost).
  // The findings are the same: a later anchor's label lookback (kLookback <
  // kWindowBytes) never reaches before the bytes kept, and the previous
  // finding lies before them.
  const size_t n = kAnchor.size();
  if (chunk.size() >= kWindowBytes && scan_from_ + (n - 1) >= window_.size()) {
    std::array<char, 2 * 16> seam{};  // the window's unscanned tail (< n bytes) + the chunk's first n - 1
    const size_t tail = window_.size() - std::min(scan_from_, window_.size());
    window_.copy(seam.data(), tail, window_.size() - tail);
    chunk.copy(seam.data() + tail, n - 1);
    if (FastFind(std::string_view(seam.data(), tail + n - 1), kAnchor) == std::string_view::npos &&
        FastFind(chunk, kAnchor) == std::string_view::npos) {
      base_ += static_cast<int64_t>(window_.size() + chunk.size() - kWindowBytes);
      window_.assign(chunk.substr(chunk.size() - kWindowBytes));
      scan_from_ = kWindowBytes - (n - 1);
      last_hit_end_ = 0;
      return;
    }
  }
  while (!chunk.empty()) {
    const std::string_view piece = chunk.substr(0, kWindowBytes);
    chunk.remove_prefix(piece.size());
    window_.append(piece);
    Scan(false);
    // Trim in large steps so 1-byte feeding stays linear.
    if (window_.size() > 2 * kWindowBytes) {
      const size_t drop = window_.size() - kWindowBytes;
      window_.erase(0, drop);
      base_ += static_cast<int64_t>(drop);
      scan_from_ = scan_from_ > drop ? scan_from_ - drop : 0;
      last_hit_end_ = last_hit_end_ > drop ? last_hit_end_ - drop : 0;
    }
  }
}

void PhpMarkerScanner::Finish() { Scan(true); }

void PhpMarkerScanner::Scan(bool final) {
  for (;;) {
    const size_t pos = FastFind(window_, kAnchor, scan_from_);
    if (pos == std::string::npos) {
      const size_t keep = kAnchor.size() - 1;
      scan_from_ = std::max(scan_from_, window_.size() > keep ? window_.size() - keep : 0);
      return;
    }
    if (!final && window_.size() - (pos + kAnchor.size()) < kAfter) {
      scan_from_ = pos;  // the line number may still be arriving
      return;
    }
    Check(pos);
    scan_from_ = pos + 1;
  }
}

void PhpMarkerScanner::Check(size_t pos) {
  const std::string_view w = window_;
  size_t after = pos + kAnchor.size();
  const bool html = w.substr(after, 3) == "<b>";
  if (html) after += 3;
  size_t digits = after;
  while (digits < w.size() && std::isdigit(static_cast<unsigned char>(w[digits]))) ++digits;
  if (digits == after) return;  // "on line" in prose, not PHP's format
  size_t end = digits;
  if (html && w.substr(end, 4) == "</b>") end += 4;

  // How far back a label may be is fixed (not "whatever the window still
  // holds", which depends on chunking): the window always keeps at least
  // kWindowBytes before a pending anchor, minus the bytes after it.
  constexpr size_t kLookback = kWindowBytes - 64;
  const size_t floor = std::max(last_hit_end_, pos > kLookback ? pos - kLookback : size_t{0});
  // Nearest label before the anchor: "<b>LABEL</b>:" or line-start "LABEL: ".
  size_t best = std::string::npos;
  size_t msg_start = 0;
  const Label* found = nullptr;
  for (const Label& l : kLabels) {
    const std::string html_form = "<b>" + std::string(l.text) + "</b>:";
    const std::string text_form = std::string(l.text) + ": ";
    for (int k = 0; k < 2; ++k) {
      const std::string& form = k == 0 ? html_form : text_form;
      size_t at = w.rfind(form, pos);
      while (at != std::string::npos && at >= floor) {
        const bool line_start = k == 0 || at == 0 ||
                                w[at - 1] == '\n' || w[at - 1] == '>' ||
                                (at >= 4 && w.substr(at - 4, 4) == "PHP ");
        if (line_start) break;
        at = at == 0 ? std::string::npos : w.rfind(form, at - 1);
      }
      if (at == std::string::npos || at < floor) continue;
      if (best == std::string::npos || at > best) {
        best = at;
        msg_start = at + form.size();
        found = &l;
      }
    }
  }
  if (!found && !html) return;  // text mode without a label: not evidence enough

  PhpFinding f;
  f.fatal = found && found->fatal;
  f.label = found ? std::string(found->text) : "PHP error";
  const size_t from = found ? msg_start : (pos > 300 ? pos - 300 : floor);
  f.message = StripTags(w.substr(from, end - from));
  const size_t first = f.message.find_first_not_of(" \n\t");
  f.message.erase(0, first == std::string::npos ? f.message.size() : first);
  if (f.message.size() > 1000) f.message.resize(1000);
  f.offset = base_ + static_cast<int64_t>(pos);
  last_hit_end_ = end;
  ++count_;
  if (f.fatal && !first_fatal_) first_fatal_ = std::move(f);
  else if (!f.fatal && !first_warning_) first_warning_ = std::move(f);
}

}  // namespace bc
