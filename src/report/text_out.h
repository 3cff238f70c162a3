// TextOut: where a renderer writes a report. Text is appended in pieces and
// either kept in memory (tests, small formats) or streamed to a temporary file
// next to the target, which Commit fsyncs and renames into place: a reader
// sees the old file or the whole new one, and a 200,000-probe report.html
// (~120 MB) is never held whole in memory.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace bc {

class TextOut {
 public:
  // In memory: text() is everything appended.
  TextOut() = default;
  // Streams to a temporary file next to `path` (created now, mode 0666 less the umask).
  static Result<TextOut> ToFile(const std::string& path);

  TextOut(TextOut&& other) noexcept;
  TextOut& operator=(TextOut&&) = delete;
  TextOut(const TextOut&) = delete;
  ~TextOut();  // an uncommitted temporary file is removed

  TextOut& operator+=(std::string_view text) {
    buffer_ += text;
    if (fd_ >= 0 && buffer_.size() >= kFlushBytes) Flush();
    return *this;
  }
  // In memory: the whole text. To a file: what is not flushed yet.
  const std::string& text() const { return buffer_; }

  // To a file: writes the rest, fsyncs, renames over the path; the first
  // write error since ToFile, if any. In memory: nothing to do.
  Result<void> Commit();

 private:
  static constexpr size_t kFlushBytes = 256 * 1024;
  void Flush();

  std::string buffer_;
  int fd_ = -1;
  std::string path_, tmp_;
  std::optional<Error> error_;  // first write error, reported by Commit
};

}  // namespace bc
