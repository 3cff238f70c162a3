// "Did you mean 'run'?": the known name closest to a mistyped one, for
// unknown subcommands and options (like git and cargo). Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bc {

// Edit distance (insertions, deletions, substitutions, and a swap of two
// neighbouring characters counted as one) between a and b.
size_t EditDistance(std::string_view a, std::string_view b);

// The name in `known` nearest to `typed`: a name `typed` is a prefix of
// (at least 2 characters), else the one with the smallest edit distance when
// that distance is at most 2, and at most a third of the longer word's
// length rounded up. "" when nothing is that close. Ties: the first in `known`.
std::string NearestName(std::string_view typed, const std::vector<std::string>& known);

}  // namespace bc
