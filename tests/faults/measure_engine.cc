// Quick loopback measurement of the engine (not a test, not built by CMake):
// starts nginx serving PAGE for every URL and EXCEPTION (status 500) for 1% of
// them, runs N probes through the Engine with 32 in flight, and prints
// wall time, pages/s, CPU seconds per 1000 pages, peak RSS and how many pages
// were flagged. Used for the numbers in src/engine/README.md; bench/run is
// the real side-by-side benchmark.
//
// Build (after building bc_core in build-rel with -DCMAKE_BUILD_TYPE=Release):
//   g++ -std=c++23 -O2 -DBC_SOURCE_DIR='"'$PWD'"' -Isrc -Itests/unit \
//     tests/faults/measure_engine.cc build-rel/libbc_core.a -lcurl -lxml2 -lfmt -o /tmp/measure_engine
// Run: /tmp/measure_engine PAGE EXCEPTION N streaming|raw [http|h1tls|h2]
//   raw = no classifier: the body is only buffered (fetch cost alone).
//   h1tls / h2: HTTPS (self-signed) with HTTP/1.1 or HTTP/2 offered via ALPN.
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "classify/page_sink.h"
#include "engine/engine.h"
#include "engine_servers.h"

namespace {

std::string Slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s PAGE EXCEPTION N streaming|queue|raw [threads]\n", argv[0]);
    return 2;
  }
  const std::string mode = argv[4];
  const size_t n = std::stoul(argv[3]);
  const std::string proto = argc > 5 ? argv[5] : "http";
  bc::testing::NginxServer nginx({{"page.html", Slurp(argv[1])}, {"exception.html", Slurp(argv[2])}}, R"(
    location /page/ { try_files /page.html =404; }
    location /fail/ { return 500; }
    error_page 500 /exception.html;
    location = /exception.html { internal; }
  )", proto != "http");
  if (!nginx.ok()) {
    std::fprintf(stderr, "%s\n", nginx.error().c_str());
    return 1;
  }
  bc::EngineOptions o;
  o.user_agent = "beta-crawler-measure/0.1";
  o.concurrency = 32;
  o.per_host_concurrency = 32;
  o.max_body_bytes = 16 << 20;
  o.http2 = proto == "h2";
  if (proto != "http") o.ca_file = nginx.ca_file();
  bc::Engine engine(o);
  bc::Expectations expect;
  expect.kind = bc::PageKind::kRecentChanges;
  std::vector<bc::Request> reqs(n);
  for (size_t i = 0; i < n; ++i) {
    reqs[i].index = i;
    reqs[i].url = nginx.Url((i % 100 == 37 ? "/fail/" : "/page/") + std::to_string(i));
    reqs[i].host = nginx.host();
    if (mode != "raw") reqs[i].sink = bc::ClassifyingSink(expect);
  }
  size_t flagged = 0, ok = 0, other = 0;
  std::string first_error;
  const double cpu0 = CpuSeconds();
  auto stats = engine.Run(std::move(reqs), [&](bc::Response&& r) {
    const bc::Outcome o = bc::JudgeResponse(std::move(r), mode == "raw" ? nullptr : &expect);
    if (mode == "raw" && o.result.verdict == bc::Verdict::kOk) {
      (o.http_status == 500 ? flagged : ok)++;
    } else if (o.result.verdict == bc::Verdict::kOk) {
      ++ok;
    } else if (bc::IsProductFailure(o.result.verdict)) {
      ++flagged;
    } else {
      ++other;
      if (first_error.empty()) first_error = o.transport_error;
    }
  });
  const double cpu = CpuSeconds() - cpu0;
  if (!stats) {
    std::fprintf(stderr, "%s\n", stats.error().ToString().c_str());
    return 1;
  }
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  if (!first_error.empty()) std::printf("first error: %s\n", first_error.c_str());
  std::printf("proto=%s mode=%s n=%zu seconds=%.3f pages/s=%.0f cpu_s_per_1000=%.3f peak_rss_mb=%.1f ok=%zu flagged=%zu other=%zu MB=%.0f\n",
              proto.c_str(), mode.c_str(), n, stats->seconds, static_cast<double>(n) / stats->seconds,
              cpu / static_cast<double>(n) * 1000, static_cast<double>(u.ru_maxrss) / 1024.0, ok, flagged,
              other, static_cast<double>(stats->bytes) / 1e6);
  return 0;
}
