// PhpMarkerScanner: finds PHP's own error output anywhere in a streamed body.
//
// PHP prints errors that escape MediaWiki's handler straight into the
// response, before, inside or after the page:
//   html_errors=1: "<br />\n<b>Warning</b>:  MSG in <b>FILE</b> on line <b>12</b><br />"
//   html_errors=0: "\nWarning: MSG in FILE on line 12\n"
// Both end in " on line " + a number, the one anchor searched for (a single
// memmem-speed pass over every byte); the label is then looked up in the
// bytes just before the anchor (kept in a bounded window).
//
// Feed() any chunking; results do not depend on it. Memory is bounded by
// kWindowBytes regardless of body size. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bc {

struct PhpFinding {
  bool fatal = false;     // "Fatal error", "Parse error", "Recoverable fatal error"
  std::string label;      // as printed: "Warning", "Fatal error", ...
  std::string message;    // text after "LABEL:", tags removed, entities decoded (<= 1000 bytes)
  int64_t offset = 0;     // body offset of the anchor
};

class PhpMarkerScanner {
 public:
  static constexpr size_t kWindowBytes = 8192;  // how far back a label may be

  void Feed(std::string_view chunk);
  void Finish();  // processes an anchor left waiting at the very end

  const std::optional<PhpFinding>& first_fatal() const { return first_fatal_; }
  const std::optional<PhpFinding>& first_warning() const { return first_warning_; }
  int count() const { return count_; }
  size_t RetainedBytes() const { return window_.capacity(); }

 private:
  void Scan(bool final);
  void Check(size_t pos);

  std::string window_;        // the most recent bytes; window_[0] is body offset base_
  int64_t base_ = 0;
  size_t scan_from_ = 0;      // next window position an anchor may start at
  size_t last_hit_end_ = 0;   // labels must lie after the previous finding
  std::optional<PhpFinding> first_fatal_;
  std::optional<PhpFinding> first_warning_;
  int count_ = 0;
};

}  // namespace bc
