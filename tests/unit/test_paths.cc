#include "test_paths.h"

namespace bc_test {
const char* SourceDir() { return BC_TEST_SOURCE_DIR; }
const char* Binary() {
#ifdef BC_TEST_BINARY
  return BC_TEST_BINARY;
#else
  return "";
#endif
}
}  // namespace bc_test
