#include "report/junit_xml.h"

#include <libxml/xmlwriter.h>

#include <algorithm>
#include <map>
#include <span>
#include <string_view>
#include <tuple>
#include <memory>

#include <fmt/format.h>

#include "config/known.h"
#include "report/escape.h"
#include "report/run_dir.h"
#include "core/plural.h"

namespace bc {

namespace {

struct WriterFree {
  void operator()(xmlTextWriter* w) const { xmlFreeTextWriter(w); }
};

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

// Collects the first libxml2 failure so the rendering code reads straight
// through; every call after a failure is skipped.
class Xml {
 public:
  explicit Xml(xmlTextWriter* w) : w_(w) {}
  bool ok() const { return ok_; }
  void Start(const char* name) { Check(xmlTextWriterStartElement(w_, X(name))); }
  void End() { Check(xmlTextWriterEndElement(w_)); }
  void Attr(const char* name, const std::string& value) {
    const std::string safe = XmlSafeText(value);
    Check(xmlTextWriterWriteAttribute(w_, X(name), X(safe.c_str())));
  }
  void Text(const std::string& text) {
    const std::string safe = XmlSafeText(text);
    Check(xmlTextWriterWriteString(w_, X(safe.c_str())));
  }
  void Raw(int rc) { Check(rc); }

 private:
  void Check(int rc) {
    if (rc < 0) ok_ = false;
  }
  xmlTextWriter* w_;
  bool ok_ = true;
};

std::string Seconds(double s) { return fmt::format("{:.3f}", std::max(0.0, s)); }

// The text body of a <failure>/<error>: everything a CI reader needs to act
// without opening another file.
std::string Body(const ResultRef& r, const RunInfo& info) {
  const Outcome& o = r.outcome;
  const Evidence& ev = o.result.evidence;
  std::string b = fmt::format("verdict: {}\nurl: {}\n", VerdictName(o.result.verdict), r.probe.url);
  if (o.final_url != r.probe.url && !o.final_url.empty()) b += fmt::format("final url: {}\n", o.final_url);
  b += fmt::format("http status: {}\n", o.http_status);
  if (!ev.signature.empty()) b += fmt::format("signature: {}\n", ev.signature);
  if (!ev.exception_class.empty()) b += fmt::format("exception: {}\n", ev.exception_class);
  if (!ev.message.empty()) b += fmt::format("message: {}\n", ev.message);
  if (!ev.request_id.empty()) b += fmt::format("request id: {}\n", ev.request_id);
  if (!o.transport_error.empty()) b += fmt::format("transport error: {}\n", o.transport_error);
  if (!ev.detail.empty()) b += fmt::format("detail: {}\n", ev.detail);
  if (!ev.excerpt.empty()) b += fmt::format("excerpt: {}\n", ev.excerpt);
  b += fmt::format("reproduce: {}\n", CurlCommand(r.probe, info));
  return b;
}

std::string Message(const ResultRef& r) {
  const Evidence& ev = r.outcome.result.evidence;
  std::string m(VerdictName(r.outcome.result.verdict));
  if (!ev.exception_class.empty()) m += ": " + ev.exception_class;
  if (!ev.message.empty()) m += ": " + ev.message;
  if (ev.exception_class.empty() && ev.message.empty()) {
    if (!r.outcome.transport_error.empty())
      m += ": " + r.outcome.transport_error;
    else if (!ev.detail.empty())
      m += ": " + ev.detail;
    else
      m += fmt::format(": HTTP {}", r.outcome.http_status);
  }
  if (!ev.request_id.empty()) m += " [" + ev.request_id + "]";
  return m;
}

// libxml2's output callback: the document goes to the TextOut as it is written.
int AppendToTextOut(void* context, const char* data, int len) {
  *static_cast<TextOut*>(context) += std::string_view(data, static_cast<size_t>(len));
  return len;
}

// A known issue's failure that does not fail the run (no --fail-on known).
bool NotCountedKnown(const Outcome& o, const RunInfo& info) {
  return IsProductFailure(o.result.verdict, info.warnings_fail) && !o.known_task.empty() && !info.fail_on_known;
}

}  // namespace

Result<void> WriteJunitXml(const RunInfo& info, const RunSummary&, const ResultList& results, TextOut& out) {
  // Per wiki, the probes sorted by name: stable order for diffs between runs.
  // One sorted vector of positions (4 bytes a probe), cut into suites by wiki.
  std::vector<uint32_t> order(results.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Probe& pa = results.ProbeAt(a);
    const Probe& pb = results.ProbeAt(b);
    return std::tie(pa.wiki, pa.kind, pa.query) < std::tie(pb.wiki, pb.kind, pb.query);
  });
  std::vector<std::pair<std::string_view, std::span<const uint32_t>>> by_wiki;  // wiki -> its positions
  for (size_t begin = 0; begin < order.size();) {
    const std::string_view wiki = results.ProbeAt(order[begin]).wiki;  // interned: lives for the process
    size_t end = begin;
    while (end < order.size() && results.ProbeAt(order[end]).wiki == wiki) ++end;
    by_wiki.emplace_back(wiki, std::span<const uint32_t>(order.data() + begin, end - begin));
    begin = end;
  }

  xmlOutputBuffer* sink = xmlOutputBufferCreateIO(&AppendToTextOut, nullptr, &out, nullptr);
  if (!sink) return Fail(Error::Code::kInternal, "libxml2: cannot allocate a buffer", "junit.xml");
  // The writer owns `sink` from here, and flushes and frees it when freed.
  std::unique_ptr<xmlTextWriter, WriterFree> writer(xmlNewTextWriter(sink));
  if (!writer) {
    xmlOutputBufferClose(sink);
    return Fail(Error::Code::kInternal, "libxml2: cannot create a writer", "junit.xml");
  }
  xmlTextWriterSetIndent(writer.get(), 1);
  xmlTextWriterSetIndentString(writer.get(), X("  "));
  Xml x(writer.get());

  int64_t tests = 0, failures = 0, errors = 0;
  for (const auto& r : results) {
    ++tests;
    if (FailsRun(r.outcome, info)) ++failures;
    if (IsToolFailure(r.outcome.result.verdict)) ++errors;
  }

  x.Raw(xmlTextWriterStartDocument(writer.get(), nullptr, "UTF-8", nullptr));
  x.Start("testsuites");
  x.Attr("name", "beta-crawler " + info.run_id);
  x.Attr("tests", std::to_string(tests));
  x.Attr("failures", std::to_string(failures));
  x.Attr("errors", std::to_string(errors));
  x.Attr("time", Seconds(static_cast<double>(info.finished_unix_ms - info.started_unix_ms) / 1000.0));
  for (const auto& [wiki, rs] : by_wiki) {
    int64_t s_failures = 0, s_errors = 0, s_skipped = 0;
    double s_time = 0;
    for (const uint32_t i : rs) {
      const auto& r = results[i];
      s_time += r.outcome.timings.total;
      if (FailsRun(r.outcome, info)) ++s_failures;
      if (IsToolFailure(r.outcome.result.verdict)) ++s_errors;
      if (r.outcome.result.verdict == Verdict::kNotRun || NotCountedKnown(r.outcome, info)) ++s_skipped;
    }
    x.Start("testsuite");
    x.Attr("name", std::string(wiki));
    x.Attr("tests", std::to_string(rs.size()));
    x.Attr("failures", std::to_string(s_failures));
    x.Attr("errors", std::to_string(s_errors));
    x.Attr("skipped", std::to_string(s_skipped));
    x.Attr("time", Seconds(s_time));
    // Ant's format (local-time-free ISO 8601 without zone, seconds): what
    // Jenkins parses; the value is UTC.
    x.Attr("timestamp", FormatIsoUtc(info.started_unix_ms).substr(0, 19));
    x.Start("properties");
    const std::pair<const char*, std::string> props[] = {
        {"run_id", info.run_id}, {"targets", info.targets_path}, {"partial", info.partial ? "true" : "false"},
        {"tls_verified", info.tls_verified ? "true" : "false"}};
    for (const auto& [name, value] : props) {
      x.Start("property");
      x.Attr("name", name);
      x.Attr("value", value);
      x.End();
    }
    x.End();  // properties
    for (const uint32_t i : rs) {
      const auto& r = results[i];
      const Verdict v = r.outcome.result.verdict;
      x.Start("testcase");
      x.Attr("name", fmt::format("{} {}", PageKindName(r.probe.kind), r.probe.query));
      x.Attr("classname", fmt::format("beta-crawler.{}.{}", wiki, PageKindName(r.probe.kind)));
      x.Attr("time", Seconds(r.outcome.timings.total));
      if (NotCountedKnown(r.outcome, info)) {  // filed already: skipped, with its task
        x.Start("skipped");
        x.Attr("message", fmt::format("known issue {} ({}): {}", r.outcome.known_task, TaskUrl(r.outcome.known_task),
                                      Message(r)));
        x.End();
      } else if (IsProductFailure(v, info.warnings_fail) && !FailsRun(r.outcome, info)) {  // flaky: passed on re-fetch
        x.Start("system-out");
        x.Text(fmt::format("flaky: {} on the first fetch, not on {} (does not fail the run)\n\n{}",
                           VerdictName(v), Plural(r.outcome.confirm_fetches, "re-fetch"),
                           Body(r, info)));
        x.End();
      } else if (IsProductFailure(v, info.warnings_fail) || IsToolFailure(v)) {
        x.Start(IsToolFailure(v) ? "error" : "failure");
        x.Attr("type", std::string(VerdictName(v)));
        x.Attr("message", Message(r));
        x.Text(Body(r, info));
        x.End();
      } else if (v == Verdict::kNotRun) {  // never fetched: skipped, not passed
        x.Start("skipped");
        x.Attr("message", r.outcome.result.evidence.detail);
        x.End();
      } else if (v != Verdict::kOk) {
        x.Start("system-out");
        x.Text(Body(r, info));
        x.End();
      }
      x.End();  // testcase
    }
    x.End();  // testsuite
  }
  x.End();  // testsuites
  x.Raw(xmlTextWriterEndDocument(writer.get()));
  writer.reset();  // flushes into `out`
  if (!x.ok()) return Fail(Error::Code::kInternal, "libxml2 could not write the JUnit document", "junit.xml");
  return {};
}

Result<std::string> RenderJunitXml(const RunInfo& info, const RunSummary& summary, const ResultList& results) {
  TextOut out;
  if (auto written = WriteJunitXml(info, summary, results, out); !written) return std::unexpected(written.error());
  return out.text();
}

}  // namespace bc
