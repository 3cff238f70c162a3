// Whole small text files (targets, URL lists, dblists) read into memory.
#pragma once

#include <string>

#include "core/error.h"

namespace bc {

// The file's bytes. On failure a kIo Error whose message is strerror(errno)
// and whose `where` is the path; callers say what the file was for.
Result<std::string> ReadFileToString(const std::string& path);

// A kIo Error "WHAT: strerror(err)" about `path` (after a failed system call).
Error IoError(const std::string& what, const std::string& path, int err);

}  // namespace bc
