#include "plan/probe.h"

#include <array>

namespace bc {
namespace {
constexpr std::array<std::string_view, 4> kKindNames = {"recentchanges", "watchlist", "contributions", "api"};
}

std::string_view PageKindName(PageKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

std::string PageKindList(const std::vector<PageKind>& kinds) {
  std::string out;
  for (const PageKind k : kinds) {
    if (!out.empty()) out += ", ";
    out += PageKindName(k);
  }
  return out;
}

std::optional<PageKind> ParsePageKind(std::string_view name) {
  for (size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == name) return static_cast<PageKind>(i);
  return std::nullopt;
}

}  // namespace bc
