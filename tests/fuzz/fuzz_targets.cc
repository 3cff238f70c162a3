// libFuzzer target: the targets parser on arbitrary text. Any input must give
// a Targets or a kConfig Error with a FILE:LINE:COL position and a one-line
// message; never a crash, an uncaught exception or a hang.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/targets.h"

namespace {

// toml++ 3.3.0's is_non_ascii_horizontal_whitespace() reaches TOML_UNREACHABLE
// (undefined behaviour) for code points in three of its lookup blocks (upstream
// #190, #295; fixed by #305, not in Debian's 3.3.0; reproducers in crashes/).
// The same test as that function, so the fuzzer skips exactly those inputs.
bool TomlWhitespaceUB(char32_t c) {
  if (c <= 0xA0 || c >= 0xFEFF || c == 0x3000) return false;
  const uint64_t block = (c - 0xA0) / 0x3FA;
  return block == 0 || block == 11 || block == 63;
}

bool HasTomlWhitespaceUB(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n;) {
    const uint8_t b = p[i];
    size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > n) {
      ++i;
      continue;
    }
    char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (size_t k = 1; k < len; ++k) c = (c << 6) | (p[i + k] & 0x3F);
    if (TomlWhitespaceUB(c)) return true;
    i += len;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (HasTomlWhitespaceUB(data, size)) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = bc::ParseTargets(text, "fuzz.toml");
  if (!r) {
    if (r.error().code != bc::Error::Code::kConfig) std::abort();
    if (!r.error().where.starts_with("fuzz.toml")) std::abort();
    if (r.error().message.empty()) std::abort();
  }
  return 0;
}
