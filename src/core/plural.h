// "1 probe", "2 probes", "0 wikis": the one way user-visible text counts
// things (terminal, summaries, reports, errors), so no line says "1 probes".
#pragma once

#include <fmt/format.h>

#include <concepts>
#include <string>
#include <string_view>

namespace bc {

// `noun` in the form `count` takes. Only the last word is inflected ("page
// kind" -> "page kinds", "other wiki" -> "other wikis"), by the regular
// English rules the nouns here follow: +es after s, x, z, ch, sh ("fetch" ->
// "fetches"), a consonant + y -> ies ("entry" -> "entries"), else +s.
inline std::string PluralNoun(long long count, std::string_view noun) {
  std::string out(noun);
  if (count == 1 || out.empty()) return out;
  const auto ends = [&](std::string_view tail) { return out.ends_with(tail); };
  if (ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh")) return out + "es";
  if (out.size() >= 2 && out.back() == 'y' && std::string_view("aeiou").find(out[out.size() - 2]) == std::string_view::npos) {
    out.pop_back();
    return out + "ies";
  }
  return out + "s";
}

// The count and its noun: Plural(1, "probe") == "1 probe", Plural(0, "wiki") == "0 wikis".
template <std::integral Count>
std::string Plural(Count count, std::string_view noun) {
  return fmt::format("{} {}", count, PluralNoun(static_cast<long long>(count), noun));
}

}  // namespace bc
