#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "report/metrics_prom.h"
#include "report_fixtures.h"

namespace bc {
namespace {

using Catch::Contains;
using testing::MakeOutcome;
using testing::MakeProbe;
using testing::SummaryOf;

RunInfo MetricsInfo() {
  RunInfo info;
  info.run_id = "20261127T031845Z-abcd";
  info.started_unix_ms = 1795749525000;
  info.finished_unix_ms = 1795749537500;
  info.exit_code = 1;
  info.last_clean_unix_ms = 1795700000000;
  return info;
}

std::vector<ProbeResult> MetricsResults() {
  return {
      {MakeProbe("a", "ruwiki", PageKind::kRecentChanges, {}), MakeOutcome(Verdict::kException, 500)},
      {MakeProbe("b", "ruwiki", PageKind::kRecentChanges, {}), MakeOutcome(Verdict::kOk)},
      {MakeProbe("c", "ruwiki", PageKind::kRecentChanges, {}), MakeOutcome(Verdict::kException, 500)},
      {MakeProbe("d", "we\"ird\\wi\nki", PageKind::kWatchlist, {}), MakeOutcome(Verdict::kOk)},
  };
}

TEST_CASE("metrics.prom counts probes by wiki, kind and verdict with zero series", "[report][metrics]") {
  const auto rs = MetricsResults();
  auto text = RenderMetrics(MetricsInfo(), SummaryOf(rs), rs);
  REQUIRE(text.has_value());
  CHECK_THAT(*text, Contains("beta_crawler_probes{wiki=\"ruwiki\",kind=\"recentchanges\",verdict=\"exception\"} 2\n"));
  CHECK_THAT(*text, Contains("beta_crawler_probes{wiki=\"ruwiki\",kind=\"recentchanges\",verdict=\"ok\"} 1\n"));
  CHECK_THAT(*text, Contains("beta_crawler_probes{wiki=\"ruwiki\",kind=\"recentchanges\",verdict=\"db-error\"} 0\n"));
  CHECK_THAT(*text, Contains("beta_crawler_product_failures 2\n"));
  CHECK_THAT(*text, Contains("beta_crawler_run_duration_seconds 12.500\n"));
  CHECK_THAT(*text, Contains("beta_crawler_last_run_timestamp_seconds 1795749537.500\n"));
  // This run failed: the last clean run is the earlier one from history.
  CHECK_THAT(*text, Contains("beta_crawler_last_clean_run_timestamp_seconds 1795700000.000\n"));
}

TEST_CASE("metrics.prom escapes label values per the exposition format", "[report][metrics]") {
  const auto rs = MetricsResults();
  auto text = RenderMetrics(MetricsInfo(), SummaryOf(rs), rs);
  REQUIRE(text.has_value());
  CHECK_THAT(*text, Contains("wiki=\"we\\\"ird\\\\wi\\nki\",kind=\"watchlist\",verdict=\"ok\"} 1\n"));
}

TEST_CASE("every metrics.prom line is a HELP, a TYPE or a well-formed sample of a declared metric",
          "[report][metrics]") {
  const auto rs = MetricsResults();
  auto text = RenderMetrics(MetricsInfo(), SummaryOf(rs), rs);
  REQUIRE(text.has_value());
  const std::regex help(R"(# HELP ([a-z_]+) .+)");
  const std::regex type(R"(# TYPE ([a-z_]+) gauge)");
  const std::regex sample(R"(([a-z_]+)(\{([a-z_]+="([^"\\\n]|\\["\\n])*",?)+\})? -?[0-9]+(\.[0-9]+)?)");
  std::istringstream in(*text);
  std::string declared;
  int samples = 0;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, help)) {
      declared = m[1];
    } else if (std::regex_match(line, m, type)) {
      CHECK(m[1] == declared);
    } else {
      INFO(line);
      REQUIRE(std::regex_match(line, m, sample));
      CHECK(m[1] == declared);
      ++samples;
    }
  }
  CHECK(samples == 2 * kVerdictCount + 8);  // 2 (wiki, kind) pairs x every verdict, 8 run gauges
}

TEST_CASE("metrics.prom says whether the run verified TLS certificates", "[report][metrics]") {
  const auto rs = MetricsResults();
  RunInfo info = MetricsInfo();
  auto text = RenderMetrics(info, SummaryOf(rs), rs);
  REQUIRE(text.has_value());
  CHECK_THAT(*text, Contains("beta_crawler_run_tls_verified 1\n"));
  info.tls_verified = false;  // --insecure
  text = RenderMetrics(info, SummaryOf(rs), rs);
  REQUIRE(text.has_value());
  CHECK_THAT(*text, Contains("beta_crawler_run_tls_verified 0\n"));
}

TEST_CASE("a clean complete run is its own last clean run; a partial one is not", "[report][metrics]") {
  std::vector<ProbeResult> rs = {{MakeProbe("a", "enwiki", PageKind::kApi, {}), MakeOutcome(Verdict::kOk)}};
  RunInfo info = MetricsInfo();
  info.exit_code = 0;
  auto text = RenderMetrics(info, SummaryOf(rs), rs);
  REQUIRE(text.has_value());
  CHECK_THAT(*text, Contains("beta_crawler_last_clean_run_timestamp_seconds 1795749537.500\n"));
  info.partial = true;
  info.last_clean_unix_ms = 0;
  text = RenderMetrics(info, SummaryOf(rs), rs);
  REQUIRE(text.has_value());
  CHECK_THAT(*text, !Contains("last_clean_run"));
  CHECK_THAT(*text, Contains("beta_crawler_run_partial 1\n"));
}

}  // namespace
}  // namespace bc
