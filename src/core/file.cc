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

}  // namespace bc
