// ASCII text helpers shared by the classifier's parts (region machine, rules,
// exception text). ASCII on purpose: they read markup and HTTP-ish text, where
// only ASCII case and whitespace matter; non-ASCII bytes pass through untouched.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace bc {

inline bool IsAsciiSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// `s` without leading and trailing ASCII whitespace (a view into `s`).
inline std::string_view TrimAsciiSpace(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

// A copy of `s` with A-Z lowered.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace bc
