// Small file helpers the unit tests share (one copy instead of one per test
// file: with unity builds two copies in one target do not even compile).
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace bc_test {

// The whole file, byte for byte; "" when it cannot be read (the test's own
// CHECK on the content then says what was missing).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// How many lines the file has (a last line without '\n' counts); 0 when it
// cannot be read.
inline size_t LineCount(const std::string& path) {
  std::ifstream in(path);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

}  // namespace bc_test
