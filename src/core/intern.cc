#include "core/intern.h"

namespace bc::intern_detail {
namespace {

struct StringTable {
  Pool<PackedString, 12, PackedHash> pool{PackedString()};
  Arena arena;
};

StringTable& Strings() {
  static StringTable* const table = new StringTable;  // never destroyed: handles may be read at exit
  return *table;
}

}  // namespace

std::string_view StringAt(uint32_t index) { return Strings().pool.At(index).view(); }

uint32_t InternString(std::string_view s) {
  if (s.empty()) return 0;
  StringTable& t = Strings();
  return t.pool.Intern(s, [&t](std::string_view v) { return t.arena.Copy(v); });
}

}  // namespace bc::intern_detail
