// Classifier speed next to its two reference points, on one recorded page:
//   1. PageClassifier (the real thing: head scan, libxml2 SAX up to the list,
//      byte scan of the rest), fed in 16 KiB chunks like curl delivers them;
//   2. bare libxml2 HTML push parse with no SAX callbacks (the cost of
//      parsing everything), same chunks;
//   3. a plain memmem scan for one marker over the page, and for five.
// Not a test: prints MB/s; the figures go into src/classify/README.md.
//
//   bench/classify_bench [PAGE] [SECONDS_PER_ROW]
//   default PAGE: tests/corpus/farm-ru-rc.body (a ~190 KB logged-in RC page)
#include <libxml/HTMLparser.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "classify/classifier.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kChunk = 16384;

// Runs fn until `seconds` have passed; returns MB/s over the page size.
double Measure(const std::string& page, double seconds, const std::function<void()>& fn, long* iters_out) {
  fn();  // warm up
  long iters = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    fn();
    ++iters;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  *iters_out = iters;
  return static_cast<double>(page.size()) * static_cast<double>(iters) / elapsed / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "tests/corpus/farm-ru-rc.body";
  const double seconds = argc > 2 ? std::atof(argv[2]) : 2.0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "classify_bench: cannot read %s\n", path.c_str());
    return 2;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string page = ss.str();
  const std::string_view view = page;

  bc::Expectations exp;
  exp.kind = bc::PageKind::kRecentChanges;
  exp.expect_user = "CrawlerQA";
  exp.expect_filter_groups = {"damaging", "goodfaith"};
  volatile int sink = 0;

  auto classifier = [&] {
    bc::PageClassifier c(exp);
    c.SetStatus(200);
    for (size_t i = 0; i < view.size(); i += kChunk) c.Feed(view.substr(i, kChunk));
    sink = sink + static_cast<int>(c.Finish().verdict);
  };
  auto classifier_no_groups = [&] {
    bc::Expectations e = exp;
    e.expect_filter_groups.clear();
    bc::PageClassifier c(e);
    c.SetStatus(200);
    for (size_t i = 0; i < view.size(); i += kChunk) c.Feed(view.substr(i, kChunk));
    sink = sink + static_cast<int>(c.Finish().verdict);
  };
  auto bare_sax = [&] {
    htmlSAXHandler sax;
    std::memset(&sax, 0, sizeof sax);
    htmlParserCtxtPtr ctxt = htmlCreatePushParserCtxt(&sax, nullptr, nullptr, 0, nullptr, XML_CHAR_ENCODING_UTF8);
    htmlCtxtUseOptions(ctxt, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    for (size_t i = 0; i < view.size(); i += kChunk) {
      const std::string_view c = view.substr(i, kChunk);
      htmlParseChunk(ctxt, c.data(), static_cast<int>(c.size()), 0);
    }
    htmlParseChunk(ctxt, nullptr, 0, 1);
    htmlFreeParserCtxt(ctxt);
  };
  auto memmem1 = [&] {
    int hits = 0;
    const char* p = page.data();
    const char* end = p + page.size();
    while (const void* m = memmem(p, static_cast<size_t>(end - p), " on line ", 9)) {
      ++hits;
      p = static_cast<const char*>(m) + 1;
    }
    sink = sink + hits;
  };
  auto memmem5 = [&] {
    int hits = 0;
    for (const char* needle : {" on line ", "mw-message-box-error", "errorbox", "cdx-message--error", "</html>"}) {
      const size_t n = std::strlen(needle);
      const char* p = page.data();
      const char* end = p + page.size();
      while (const void* m = memmem(p, static_cast<size_t>(end - p), needle, n)) {
        ++hits;
        p = static_cast<const char*>(m) + 1;
      }
    }
    sink = sink + hits;
  };

  std::printf("page: %s, %zu bytes, %zu-byte chunks, %.1f s per row\n", path.c_str(), page.size(), kChunk, seconds);
  const struct {
    const char* name;
    std::function<void()> fn;
  } rows[] = {
      {"PageClassifier (expect user + filter groups)", classifier},
      {"PageClassifier (expect user only)", classifier_no_groups},
      {"libxml2 HTML push parse, no callbacks", bare_sax},
      {"memmem, 1 marker", memmem1},
      {"memmem, 5 markers", memmem5},
  };
  for (const auto& row : rows) {
    long iters = 0;
    const double mbs = Measure(page, seconds, row.fn, &iters);
    std::printf("%-46s %9.1f MB/s  %8.1f us/page  (%ld pages)\n", row.name, mbs,
                static_cast<double>(page.size()) / mbs, iters);
  }
  return sink == -1 ? 1 : 0;
}
