#include "plan/probe.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

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

FixedId::FixedId(std::string_view s) {
  if (s.size() > sizeof(text_)) throw std::length_error("a probe id has at most 16 characters: " + std::string(s));
  if (s.find('\0') != std::string_view::npos) throw std::invalid_argument("a probe id has no NUL");
  std::memcpy(text_, s.data(), s.size());
}

UrlText::UrlText(std::string_view url) {
  const size_t q = std::min(url.find('?'), url.size());
  const size_t slash = url.substr(0, q).rfind('/');
  const size_t leaf = slash == std::string_view::npos ? 0 : slash + 1;
  dir_ = url.substr(0, leaf);
  leaf_ = url.substr(leaf, q < url.size() ? q + 1 - leaf : q - leaf);
  if (q < url.size()) query_ = url.substr(q + 1);
}

std::string UrlText::str() const {
  std::string out;
  out.reserve(size());
  out += dir_.view();
  out += leaf_.view();
  out += query_.view();
  return out;
}

std::optional<PageKind> ParsePageKind(std::string_view name) {
  for (size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == name) return static_cast<PageKind>(i);
  return std::nullopt;
}

}  // namespace bc
