#include "cli/suggest.h"

#include <algorithm>

namespace bc {

size_t EditDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus adjacent transpositions, the
  // commonest typo ("rnu" for "run").
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string NearestName(std::string_view typed, const std::vector<std::string>& known) {
  if (typed.empty()) return {};
  if (typed.size() >= 2)
    for (const std::string& k : known)
      if (k.size() > typed.size() && k.starts_with(typed)) return k;
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const std::string& k : known) {
    const size_t d = EditDistance(typed, k);
    const size_t limit = std::min<size_t>(2, (std::max(typed.size(), k.size()) + 2) / 3);
    if (d <= limit && d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace bc
