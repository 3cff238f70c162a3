// FNV-1a 64: a tiny hash that is stable across platforms, compilers and
// releases, for ids that must stay the same from run to run (probe ids,
// deploy fingerprints). Not for security.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace bc {

// Hashes the fields in order, with a separator after each, so ("ab","c") and
// ("a","bc") differ.
inline uint64_t StableHash(std::initializer_list<std::string_view> fields) {
  uint64_t h = 1469598103934665603ull;
  for (std::string_view field : fields) {
    for (unsigned char c : field) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
  }
  return h;
}

}  // namespace bc
