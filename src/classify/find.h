// Substring search for the classifier's hot paths. std::string::find scans for
// the needle's first byte with memchr and then compares; our needles start
// with ' ' or '<', which occur every few bytes in HTML, so that degenerates.
// glibc's memmem does not, but it is the classifier's biggest cost (the PHP
// marker scan reads every byte of every page: ~25 us of a 190 KB page).
//
// With SSE2 (every x86-64) FastFind tests 16 start positions at once (32 with
// AVX2, when the CPU has it) for two
// of the needle's inner bytes (offsets 1 and n-2: for " on line " that is 'o'
// and 'e' six apart, rare together in HTML, unlike its leading and trailing
// spaces) and confirms candidates with memcmp; the tail and other CPUs use
// memmem. Same result as memmem for any input (tests/unit/classify_find_test.cc).
#pragma once

#include <string.h>

#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define BC_FIND_AVX2 1
#endif

namespace bc {

#if defined(BC_FIND_AVX2)
// The same filter 32 start positions at a time, for CPUs with AVX2 (chosen at
// run time: the build targets plain x86-64). Scans starts i.. while a whole
// 32-wide step fits; returns a match, or npos with `i` where it stopped.
__attribute__((target("avx2"))) inline size_t FastFindAvx2(std::string_view hay, std::string_view needle, size_t& i) {
  const char* s = hay.data();
  const size_t n = needle.size();
  const size_t a = 1, b = n - 2;
  const __m256i va = _mm256_set1_epi8(needle[a]);
  const __m256i vb = _mm256_set1_epi8(needle[b]);
  const size_t last = hay.size() - n;  // the last possible start
  for (; i + 31 <= last; i += 32) {     // loads end at most at last + b + 31 < size
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i + a));
    const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i + b));
    unsigned mask = static_cast<unsigned>(
        _mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(x, va), _mm256_cmpeq_epi8(y, vb))));
    while (mask != 0) {
      const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
      if (memcmp(s + at, needle.data(), n) == 0) return at;
      mask &= mask - 1;
    }
  }
  return std::string_view::npos;
}

inline bool CpuHasAvx2() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return has;
}
#endif

// Position of needle in hay at or after `from`, or std::string_view::npos.
inline size_t FastFind(std::string_view hay, std::string_view needle, size_t from = 0) {
  if (from > hay.size()) return std::string_view::npos;
  const char* s = hay.data();
  size_t i = from;
#if defined(__SSE2__)
  const size_t n = needle.size();
  if (n >= 4 && hay.size() - from >= n + 16) {
#if defined(BC_FIND_AVX2)
    if (hay.size() - from >= n + 32 && CpuHasAvx2())
      if (const size_t at = FastFindAvx2(hay, needle, i); at != std::string_view::npos) return at;
#endif
    const size_t a = 1, b = n - 2;
    const __m128i va = _mm_set1_epi8(needle[a]);
    const __m128i vb = _mm_set1_epi8(needle[b]);
    const size_t last = hay.size() - n;  // the last possible start
    for (; i + 15 <= last; i += 16) {     // starts i..i+15; loads end at most at last + b + 15 < size
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i + a));
      const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i + b));
      unsigned mask = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(y, vb))));
      while (mask != 0) {
        const size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
        if (memcmp(s + at, needle.data(), n) == 0) return at;
        mask &= mask - 1;
      }
    }
  }
#endif
  const void* at = memmem(s + i, hay.size() - i, needle.data(), needle.size());
  return at ? static_cast<size_t>(static_cast<const char*>(at) - s) : std::string_view::npos;
}

}  // namespace bc
