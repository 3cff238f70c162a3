#include "plan/combinations.h"

#include <algorithm>

namespace bc {

std::vector<Combination> CartesianCombinations(const std::vector<size_t>& sizes) {
  std::vector<Combination> out;
  if (std::any_of(sizes.begin(), sizes.end(), [](size_t s) { return s == 0; })) return out;
  Combination row(sizes.size(), 0);
  while (true) {
    out.push_back(row);
    size_t axis = sizes.size();
    while (axis > 0) {
      --axis;
      if (++row[axis] < sizes[axis]) break;
      row[axis] = 0;
      if (axis == 0) return out;
    }
    if (sizes.empty()) return out;
  }
}

namespace {

// Which value pairs of axes (i, j), i < j, are still uncovered.
class PairSet {
 public:
  explicit PairSet(const std::vector<size_t>& sizes) : sizes_(sizes), n_(sizes.size()) {
    offset_.assign(n_ * n_, 0);
    size_t total = 0;
    for (size_t i = 0; i < n_; ++i)
      for (size_t j = i + 1; j < n_; ++j) {
        offset_[i * n_ + j] = total;
        total += sizes[i] * sizes[j];
      }
    uncovered_.assign(total, true);
    remaining_ = total;
  }
  bool Uncovered(size_t i, size_t a, size_t j, size_t b) const {
    if (i > j) std::swap(i, j), std::swap(a, b);
    return uncovered_[Index(i, a, j, b)];
  }
  void Cover(const Combination& row) {
    for (size_t i = 0; i < n_; ++i)
      for (size_t j = i + 1; j < n_; ++j) {
        auto idx = Index(i, row[i], j, row[j]);
        if (uncovered_[idx]) uncovered_[idx] = false, --remaining_;
      }
  }
  size_t remaining() const { return remaining_; }
  // The first uncovered pair in (i, a, j, b) order.
  bool First(size_t& i, size_t& a, size_t& j, size_t& b) const {
    for (i = 0; i < n_; ++i)
      for (j = i + 1; j < n_; ++j)
        for (a = 0; a < sizes_[i]; ++a)
          for (b = 0; b < sizes_[j]; ++b)
            if (uncovered_[Index(i, a, j, b)]) return true;
    return false;
  }

 private:
  size_t Index(size_t i, size_t a, size_t j, size_t b) const { return offset_[i * n_ + j] + a * sizes_[j] + b; }
  std::vector<size_t> sizes_;
  size_t n_;
  std::vector<size_t> offset_;
  std::vector<bool> uncovered_;
  size_t remaining_ = 0;
};

}  // namespace

std::vector<Combination> PairwiseCombinations(const std::vector<size_t>& sizes) {
  if (sizes.size() < 2) return CartesianCombinations(sizes);
  if (std::any_of(sizes.begin(), sizes.end(), [](size_t s) { return s == 0; })) return {};
  PairSet pairs(sizes);
  std::vector<Combination> out;
  constexpr size_t kUnset = static_cast<size_t>(-1);
  while (pairs.remaining() > 0) {
    size_t i = 0, a = 0, j = 0, b = 0;
    pairs.First(i, a, j, b);
    Combination row(sizes.size(), kUnset);
    row[i] = a;
    row[j] = b;
    for (size_t k = 0; k < sizes.size(); ++k) {
      if (row[k] != kUnset) continue;
      size_t best = 0, best_gain = 0;
      for (size_t v = 0; v < sizes[k]; ++v) {
        size_t gain = 0;
        for (size_t m = 0; m < sizes.size(); ++m)
          if (row[m] != kUnset && m != k && pairs.Uncovered(k, v, m, row[m])) ++gain;
        if (gain > best_gain) best = v, best_gain = gain;
      }
      row[k] = best;
    }
    pairs.Cover(row);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace bc
