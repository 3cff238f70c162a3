// Choosing which value of each axis goes into each probe. Pure functions over
// axis sizes; a row holds one value index per axis.
#pragma once

#include <cstddef>
#include <vector>

namespace bc {

using Combination = std::vector<size_t>;

// Every combination (the product of the sizes), in odometer order (last axis fastest).
std::vector<Combination> CartesianCombinations(const std::vector<size_t>& sizes);

// A covering array of strength 2: every pair of values of every two axes appears
// in at least one row. Deterministic greedy construction (AETG-style, no
// randomness): start each row from the first uncovered pair, then give every
// other axis the value that covers the most still-uncovered pairs with the
// axes already set (ties: the lower value index). Zero or one axis: same as cartesian.
std::vector<Combination> PairwiseCombinations(const std::vector<size_t>& sizes);

}  // namespace bc
