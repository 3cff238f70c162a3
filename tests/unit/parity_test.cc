// Parity: pure comparison of two sides' ORES facts, and its tables.
#include <catch2/catch.hpp>

#include "mediawiki/parity.h"

using namespace bc;

namespace {

OresSide Side(std::map<std::string, std::string> models, std::map<std::string, std::vector<std::string>> levels = {}) {
  OresSide s;
  s.listed = true;
  s.ores = true;
  s.models = std::move(models);
  s.levels = std::move(levels);
  return s;
}

const ParityRow& Row(const ParityReport& r, const std::string& name) {
  for (const auto& row : r.rows)
    if (row.dbname == name) return row;
  FAIL("no row " << name);
  return r.rows.front();
}

}  // namespace

TEST_CASE("parity lists ORES only on one side, missing models, versions and levels, and prod-only wikis", "[parity]") {
  std::map<std::string, OresSide> beta, prod;
  const std::vector<std::string> all = {"likelybad", "likelygood", "maybebad", "verylikelybad"};
  beta["enwiki"] = Side({{"damaging", "1"}, {"goodfaith", "1"}}, {{"damaging", all}});
  prod["enwiki"] = Side({{"damaging", "1"}, {"goodfaith", "1"}}, {{"damaging", all}});
  beta["dewiki"] = Side({{"damaging", "1"}}, {{"damaging", {"likelygood", "maybebad"}}});
  prod["dewiki"] = Side({{"damaging", "2"}, {"goodfaith", "2"}}, {{"damaging", all}});
  beta["frwiki"] = Side({});
  beta["frwiki"].ores = false;
  prod["frwiki"] = Side({{"damaging", "1"}});
  prod["plwiki"] = Side({{"damaging", "1"}});
  prod["itwiki"] = Side({});
  prod["itwiki"].ores = false;
  beta["testwiki"] = Side({{"damaging", "1"}});
  beta["xwiki"].listed = true;
  beta["xwiki"].error = "meta=siteinfo failed: HTTP 503";
  prod["xwiki"] = Side({{"damaging", "1"}});
  auto r = CompareParity(beta, prod);
  CHECK(Row(r, "enwiki").differences.empty());
  CHECK(Row(r, "dewiki").differences == std::vector<std::string>{
                                           "models: beta lacks goodfaith", "damaging version: beta 1, production 2",
                                           "damaging levels: beta lacks likelybad, verylikelybad"});
  CHECK(Row(r, "frwiki").differences == std::vector<std::string>{"ORES only on production"});
  CHECK(Row(r, "plwiki").differences == std::vector<std::string>{"no beta wiki"});
  CHECK(Row(r, "itwiki").differences == std::vector<std::string>{"no beta wiki"});
  CHECK(Row(r, "testwiki").differences == std::vector<std::string>{"no production wiki"});
  CHECK(Row(r, "xwiki").differences == std::vector<std::string>{"facts unavailable on beta: meta=siteinfo failed: HTTP 503"});
  CHECK(r.prod_only_ores == std::vector<std::string>{"plwiki"});  // itwiki has no ORES in production either
  const std::string text = RenderParityText(r);
  CHECK(text.find("production ORES wikis with no beta counterpart: plwiki") != std::string::npos);
  // Differences first, one a line, narrow; the wikis that are the same on one line after them.
  CHECK(text.starts_with("dbname    differences (beta versus production)\n"
                         "dewiki    models: beta lacks goodfaith\n"
                         "          damaging version: beta 1, production 2\n"
                         "          damaging levels: beta lacks likelybad, verylikelybad\n"
                         "frwiki    ORES only on production\n"));
  CHECK(text.find("\nsame on both: enwiki\n") != std::string::npos);
  for (size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) CHECK(nl - at <= 100);
  // --fail-on-diff: facts that could not be fetched (xwiki) say nothing either way: 2.
  CHECK(ParityExitCode(r, false) == 0);
  CHECK(ParityExitCode(r, true) == 2);
  beta["enwiki"].models["dam|aging"] = "1";
  const std::string md = RenderParityMarkdown(CompareParity(beta, prod));
  CHECK(md.find("dam\\|aging") != std::string::npos);  // a pipe never breaks the markdown table
  CHECK(md.find("| dbname | beta | production | differences |") != std::string::npos);
  CHECK(md.find("| dewiki |") < md.find("| enwiki |"));  // differences first
}

TEST_CASE("parity --fail-on-diff: 1 when beta and production differ, 0 when they are the same", "[parity]") {
  std::map<std::string, OresSide> beta, prod;
  beta["enwiki"] = Side({{"damaging", "1"}});
  prod["enwiki"] = Side({{"damaging", "1"}});
  CHECK(ParityExitCode(CompareParity(beta, prod), true) == 0);
  CHECK(RenderParityText(CompareParity(beta, prod)).starts_with("same on both: enwiki\n"));
  prod["enwiki"].models["damaging"] = "2";
  CHECK(ParityExitCode(CompareParity(beta, prod), true) == 1);
  CHECK(ParityExitCode(CompareParity(beta, prod), false) == 0);
  prod["enwiki"].models["damaging"] = "1";
  prod["plwiki"] = Side({{"damaging", "1"}});  // production ORES wiki beta lacks
  CHECK(ParityExitCode(CompareParity(beta, prod), true) == 1);
}
