// libFuzzer target: the targets parser on arbitrary text. Any input must give
// a Targets or a kConfig Error with a FILE:LINE:COL position and a one-line
// message; never a crash, an uncaught exception or a hang.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = bc::ParseTargets(text, "fuzz.toml");
  if (!r) {
    if (r.error().code != bc::Error::Code::kConfig) std::abort();
    if (!r.error().where.starts_with("fuzz.toml")) std::abort();
    if (r.error().message.empty()) std::abort();
  }
  return 0;
}
