// Where the tests find the source tree and the crawler binary.
//
// Both paths are compiled into one translation unit (test_paths.cc) instead of
// every test object: a test object then does not depend on where the checkout
// lies, so ccache shares it between checkouts (a helper's worktree builds from
// the cache instead of from scratch). A file compiled by hand may still pass
// -DBC_SOURCE_DIR='"..."' (tests/faults/measure_engine.cc).
#pragma once

namespace bc_test {
const char* SourceDir();  // the project's top directory, absolute
const char* Binary();     // the crawler executable built beside the tests
}  // namespace bc_test

#ifndef BC_SOURCE_DIR
#define BC_SOURCE_DIR (::bc_test::SourceDir())
#endif
#ifndef BC_BINARY
#define BC_BINARY (::bc_test::Binary())
#endif
