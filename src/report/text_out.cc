#include "report/text_out.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>
#include <utility>

#include "core/file.h"

namespace bc {
Result<TextOut> TextOut::ToFile(const std::string& path) {
  TextOut out;
  out.path_ = path;
  // Mode 0666 less the umask, like every other file the crawler writes: the
  // operator decides who reads results (a 077 umask keeps them private).
  // Not mkstemp: it forces 0600. The name is unique per process and call;
  // O_EXCL refuses a name someone else made.
  static std::atomic<unsigned> serial{0};
  for (int attempt = 0; attempt < 100 && out.fd_ < 0; ++attempt) {
    out.tmp_ = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(serial++);
    out.fd_ = ::open(out.tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (out.fd_ < 0 && errno != EEXIST) break;
  }
  if (out.fd_ < 0) return std::unexpected(IoError("cannot create a temporary file", out.tmp_, errno));
  return out;
}

TextOut::TextOut(TextOut&& other) noexcept
    : buffer_(std::move(other.buffer_)),
      fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      tmp_(std::move(other.tmp_)),
      error_(std::move(other.error_)) {}

TextOut::~TextOut() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(tmp_.c_str());
  }
}

void TextOut::Flush() {
  const char* p = buffer_.data();
  size_t left = buffer_.size();
  while (left > 0 && !error_) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = IoError("cannot write", tmp_, errno);
      break;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  buffer_.clear();
}

Result<void> TextOut::Commit() {
  if (fd_ < 0) return {};
  Flush();
  const int fd = std::exchange(fd_, -1);
  // fsync before rename: otherwise a crash can leave the new name pointing at
  // an empty file on some file systems.
  if (!error_ && ::fsync(fd) != 0) error_ = IoError("cannot flush", tmp_, errno);
  if (::close(fd) != 0 && !error_) error_ = IoError("cannot flush", tmp_, errno);
  if (!error_ && ::rename(tmp_.c_str(), path_.c_str()) != 0) error_ = IoError("cannot rename into place", path_, errno);
  if (error_) {
    ::unlink(tmp_.c_str());
    return std::unexpected(*error_);
  }
  return {};
}

}  // namespace bc
