#include "mediawiki/parity.h"
#include "core/plural.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace bc {
namespace {

std::string ModelsCell(const OresSide& s) {
  if (!s.listed) return "-";
  if (!s.error.empty()) return "?";
  if (!s.ores) return "no ORES";
  std::vector<std::string> parts;
  for (const auto& [m, v] : s.models) {
    std::string levels;
    if (auto it = s.levels.find(m); it != s.levels.end()) levels = fmt::format(" [{}]", fmt::join(it->second, " "));
    parts.push_back(fmt::format("{} {}{}", m, v, levels));
  }
  return parts.empty() ? "ORES, no model" : fmt::format("{}", fmt::join(parts, "; "));
}

std::vector<std::string> Minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  return out;
}

// Markdown table cell: pipes and line breaks would break the table.
std::string MdCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

std::map<std::string, OresSide> SidesOf(const Targets& targets, const std::vector<WikiFacts>& facts) {
  std::map<std::string, OresSide> out;
  for (const Wiki& w : targets.wikis) {
    OresSide s;
    s.listed = true;
    auto f = std::find_if(facts.begin(), facts.end(), [&](const WikiFacts& x) { return x.dbname == w.dbname; });
    if (f == facts.end()) s.error = "not asked";
    else if (!f->error.empty()) s.error = f->error;
    else {
      s.ores = f->site.ores_installed || f->ores.answered;
      if (s.ores && !f->ores.answered) s.error = f->ores_error.empty() ? "meta=ores did not answer" : f->ores_error;
      s.models = f->ores.models;
      for (const auto& [m, levels] : w.ores_levels)
        if (s.models.contains(m)) s.levels[m] = levels;
    }
    out[w.dbname] = std::move(s);
  }
  return out;
}

ParityReport CompareParity(const std::map<std::string, OresSide>& beta, const std::map<std::string, OresSide>& prod) {
  std::set<std::string> names;
  for (const auto& [k, _] : beta) names.insert(k);
  for (const auto& [k, _] : prod) names.insert(k);
  ParityReport report;
  for (const std::string& name : names) {
    ParityRow row;
    row.dbname = name;
    if (auto it = beta.find(name); it != beta.end()) row.beta = it->second;
    if (auto it = prod.find(name); it != prod.end()) row.prod = it->second;
    auto& d = row.differences;
    const OresSide &b = row.beta, &p = row.prod;
    if (!b.listed) {
      d.push_back("no beta wiki");
      if (p.ores) report.prod_only_ores.push_back(name);
    } else if (!p.listed) {
      d.push_back("no production wiki");
    }
    if (b.listed && !b.error.empty()) d.push_back("facts unavailable on beta: " + b.error);
    if (p.listed && !p.error.empty()) d.push_back("facts unavailable on production: " + p.error);
    const bool comparable = b.listed && p.listed && b.error.empty() && p.error.empty();
    if (comparable && b.ores != p.ores) d.push_back(b.ores ? "ORES only on beta" : "ORES only on production");
    if (comparable && b.ores && p.ores) {
      for (const auto& [m, v] : p.models)
        if (!b.models.contains(m)) d.push_back("models: beta lacks " + m);
      for (const auto& [m, v] : b.models)
        if (!p.models.contains(m)) d.push_back("models: production lacks " + m);
      for (const auto& [m, v] : b.models) {
        auto pm = p.models.find(m);
        if (pm == p.models.end()) continue;
        if (pm->second != v) d.push_back(fmt::format("{} version: beta {}, production {}", m, v, pm->second));
        auto bl = b.levels.find(m), pl = p.levels.find(m);
        if (bl == b.levels.end() || pl == p.levels.end()) continue;  // levels unknown on a side
        if (auto miss = Minus(pl->second, bl->second); !miss.empty())
          d.push_back(fmt::format("{} levels: beta lacks {}", m, fmt::join(miss, ", ")));
        if (auto miss = Minus(bl->second, pl->second); !miss.empty())
          d.push_back(fmt::format("{} levels: production lacks {}", m, fmt::join(miss, ", ")));
      }
    }
    report.rows.push_back(std::move(row));
  }
  return report;
}

namespace {

bool Unavailable(const std::string& difference) { return difference.starts_with("facts unavailable on "); }

// Rows with differences first (dbname order within), then the same ones.
std::vector<const ParityRow*> DifferencesFirst(const ParityReport& r) {
  std::vector<const ParityRow*> rows;
  for (const ParityRow& row : r.rows)
    if (!row.differences.empty()) rows.push_back(&row);
  for (const ParityRow& row : r.rows)
    if (row.differences.empty()) rows.push_back(&row);
  return rows;
}

}  // namespace

int ParityExitCode(const ParityReport& r, bool fail_on_diff) {
  if (!fail_on_diff) return 0;
  bool differ = !r.prod_only_ores.empty(), unknown = false;
  for (const ParityRow& row : r.rows)
    for (const std::string& d : row.differences) (Unavailable(d) ? unknown : differ) = true;
  return unknown ? 2 : differ ? 1 : 0;
}

std::string RenderParityText(const ParityReport& r) {
  // Narrow: the wikis that differ, one difference a line; the same ones on
  // one line. What each side runs is in the --markdown table.
  size_t w0 = 6;
  for (const ParityRow& row : r.rows)
    if (!row.differences.empty()) w0 = std::max(w0, row.dbname.size());
  std::string out;
  std::vector<std::string> same;
  size_t differing = 0;
  for (const ParityRow* row : DifferencesFirst(r)) {
    if (row->differences.empty()) {
      same.push_back(row->dbname);
      continue;
    }
    if (differing++ == 0) out += fmt::format("{:<{}}  {}\n", "dbname", w0, "differences (beta versus production)");
    for (size_t i = 0; i < row->differences.size(); ++i)
      out += fmt::format("{:<{}}  {}\n", i == 0 ? row->dbname : "", w0, row->differences[i]);
  }
  if (!same.empty()) out += fmt::format("{}same on both: {}\n", differing ? "\n" : "", fmt::join(same, ", "));
  out += fmt::format("\n{}, {} differ; production ORES wikis with no beta counterpart: {}\n", Plural(r.rows.size(), "wiki"),
                     differing, r.prod_only_ores.empty() ? "none" : fmt::format("{}", fmt::join(r.prod_only_ores, ", ")));
  return out;
}

std::string RenderParityMarkdown(const ParityReport& r) {
  std::string out = "## ORES parity: beta versus production\n\n| dbname | beta | production | differences |\n|---|---|---|---|\n";
  for (const ParityRow* row : DifferencesFirst(r))
    out += fmt::format("| {} | {} | {} | {} |\n", MdCell(row->dbname), MdCell(ModelsCell(row->beta)),
                       MdCell(ModelsCell(row->prod)),
                       MdCell(row->differences.empty() ? "same" : fmt::format("{}", fmt::join(row->differences, "; "))));
  out += fmt::format("\nProduction ORES wikis with no beta counterpart: {}\n",
                     r.prod_only_ores.empty() ? "none" : fmt::format("{}", fmt::join(r.prod_only_ores, ", ")));
  return out;
}

}  // namespace bc
