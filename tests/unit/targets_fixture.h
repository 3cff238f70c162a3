// A targets file parsed for a test: the test fails with the parser's own
// error (FILE:LINE:COL) when the text does not parse.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "config/targets.h"

namespace bc_test {

inline bc::Targets ParseTargetsOrFail(const std::string& text) {
  auto t = bc::ParseTargets(text, "t.toml");
  if (!t) FAIL(t.error().ToString());
  return *t;
}

}  // namespace bc_test
