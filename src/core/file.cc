#include "core/file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace bc {

Result<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Error::Code::kIo, std::strerror(errno), path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Fail(Error::Code::kIo, std::strerror(errno), path);
  return ss.str();
}

Error IoError(const std::string& what, const std::string& path, int err) {
  return Error{Error::Code::kIo, what + ": " + std::strerror(err), path};
}

}  // namespace bc
