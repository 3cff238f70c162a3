// Substring search for the classifier's hot paths. std::string::find scans for
// the needle's first byte with memchr and then compares; our needles start
// with ' ' or '<', which occur every few bytes in HTML, so that degenerates.
// glibc's memmem does not (two-way / SIMD), hence this wrapper.
#pragma once

#include <string.h>

#include <string_view>

namespace bc {

// Position of needle in hay at or after `from`, or std::string_view::npos.
inline size_t FastFind(std::string_view hay, std::string_view needle, size_t from = 0) {
  if (from > hay.size()) return std::string_view::npos;
  const void* at = memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
  return at ? static_cast<size_t>(static_cast<const char*>(at) - hay.data()) : std::string_view::npos;
}

}  // namespace bc
