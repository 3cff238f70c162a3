#include "report/html_report.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "config/known.h"
#include "report/escape.h"
#include "report/evidence.h"
#include "report/overview.h"
#include "report/run_dir.h"
#include "core/plural.h"

namespace bc {

namespace {

constexpr std::string_view kStyle = R"css(
:root { font-family: system-ui, sans-serif; color: #202122; background: #fff; }
body { margin: 1.5em; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #c8ccd1; margin-top: 1.5em; }
h3 { font-size: 1em; margin: .2em 0; }
code, pre { font-family: ui-monospace, monospace; font-size: .9em; }
pre { background: #f8f9fa; padding: .5em; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.meta { color: #54595d; }
.partial { color: #b32424; font-weight: bold; }
table { border-collapse: collapse; }
th, td { border: 1px solid #c8ccd1; padding: .2em .5em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
#status { padding: .6em 1em; margin: 0 0 1em; border-radius: 4px; font-size: 1.1em; border-left: 8px solid; }
#status strong { font-size: 1.3em; margin-right: .5em; }
#status.pass { background: #d5fdf4; border-color: #14866d; }
#status.fail { background: #fee7e6; border-color: #d33; }
#status.error, #status.interrupted { background: #fef6e7; border-color: #fc3; }
.overview { display: flex; flex-wrap: wrap; gap: 1em 2.5em; align-items: flex-start; }
#verdict-grid td { min-width: 7em; }
#verdict-grid td.cell { font-size: .9em; }
#verdict-grid th.clean::after { content: " \2714"; color: #14866d; }
#latency { max-width: 100%; height: auto; }
#latency text { font-size: 12px; fill: #202122; }
#probes { width: 100%; table-layout: fixed; font-size: .9em; }
th { background: #eaecf0; }
#probes th { cursor: pointer; user-select: none; }
#probes th[aria-sort=ascending]::after { content: " \25B2"; }
#probes th[aria-sort=descending]::after { content: " \25BC"; }
#probes col.w { width: 6.5em; } #probes col.k { width: 8.5em; } #probes col.v { width: 7.5em; }
#probes col.n { width: 4.6em; } #probes col.r { width: 9em; } #probes col.s { width: 5em; }
.group { border-left: 4px solid #d33; padding: .3em .8em; margin: .8em 0; background: #fef6f6; }
.group.tool { border-color: #fc3; background: #fef6e7; }
.group.other { border-color: #72777d; background: #f8f9fa; }
.group dl { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: .4em 0; }
.group dt { font-weight: bold; }
.group dd { margin: 0; overflow-wrap: anywhere; }
.v { padding: 0 .3em; border-radius: 3px; }
.v-ok { background: #d5fdf4; }
.v-exception, .v-fatal, .v-db-error, .v-edge-error, .v-broken { background: #fee7e6; }
.v-warning { background: #fef6e7; }
.v-auth, .v-transport, .v-throttled { background: #fef6e7; }
.v-not-run { background: #eaecf0; }
.mark { font-size: .85em; padding: 0 .3em; border-radius: 3px; border: 1px solid #a2a9b1; white-space: nowrap; }
.mark.known { background: #eaf3ff; } .mark.flaky { background: #f8f9fa; font-style: italic; }
details.ids { display: inline; } details.ids summary { cursor: pointer; color: #36c; }
.controls { margin: .5em 0; }
.controls input { width: 20em; }
)css";

// Filtering and sorting only move and hide rows the server rendered; no
// string is ever parsed as HTML here.
constexpr std::string_view kScript = R"js(
(function () {
  'use strict';
  var table = document.getElementById('probes');
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var text = document.getElementById('filter-text');
  var verdict = document.getElementById('filter-verdict');
  var shown = document.getElementById('shown');
  rows.forEach(function (r) { r.dataset.search = r.textContent.toLowerCase(); });

  function apply() {
    var q = text.value.trim().toLowerCase();
    var v = verdict.value;
    var n = 0;
    rows.forEach(function (r) {
      var byVerdict = v === 'all' || (v === 'failures' ? r.dataset.failure === '1' : r.dataset.verdict === v);
      var visible = byVerdict && (q === '' || r.dataset.search.indexOf(q) !== -1);
      r.hidden = !visible;
      if (visible) n++;
    });
    shown.textContent = String(n);
  }

  function key(row, col, numeric) {
    var cell = row.cells[col];
    var raw = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent;
    return numeric ? parseFloat(raw) || 0 : raw.toLowerCase();
  }

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, col) {
    th.addEventListener('click', function () {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      var numeric = th.dataset.type === 'num';
      headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var x = key(a, col, numeric), y = key(b, col, numeric);
        var c = x < y ? -1 : x > y ? 1 : 0;
        return asc ? c : -c;
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
    });
  });

  text.addEventListener('input', apply);
  verdict.addEventListener('change', apply);
  apply();
})();
)js";

std::string E(std::string_view s) { return HtmlEscape(s); }

// Only http(s) URLs become links: a javascript: URL must never be clickable.
std::string Link(const std::string& url, const std::string& text) {
  if (url.starts_with("http://") || url.starts_with("https://"))
    return fmt::format("<a href=\"{}\" rel=\"noreferrer\">{}</a>", E(url), E(text));
  return E(text);
}

void AppendHtmlGroup(TextOut& out, size_t number, const FailureGroup& g, const RunInfo& info,
                 const ResultList& results) {
  const auto& first = results[g.first];
  const char* cls = g.product_failure ? "" : IsToolFailure(g.verdict) ? " tool" : " other";
  out += fmt::format("<article class=\"group{}\">\n<h3>{}. <span class=\"v v-{}\">{}</span>{} <code>{}</code> ({})</h3>\n<dl>\n",
                     g.flaky || !g.known_task.empty() ? " other" : cls, number, VerdictName(g.verdict),
                     VerdictName(g.verdict), g.flaky ? " flaky" : !g.known_task.empty() ? " known" : "", E(g.key),
                     Plural(g.members.size(), "probe"));
  if (!g.known_task.empty())
    out += fmt::format("<dt>Known issue</dt><dd>{}{}</dd>\n", Link(TaskUrl(g.known_task), g.known_task),
                       info.fail_on_known ? "" : " (does not fail the run)");
  if (const std::string confirmed = DescribeConfirmation(g); !confirmed.empty())
    out += fmt::format("<dt>Confirmation</dt><dd>{}{}</dd>\n", E(confirmed),
                       g.flaky ? (info.fail_on_flaky ? "; flaky" : "; flaky, does not fail the run") : "");
  if (!g.exception_class.empty() || !g.message.empty())
    out += fmt::format("<dt>Exception</dt><dd><code>{}</code>{}{}</dd>\n", E(g.exception_class),
                       g.exception_class.empty() || g.message.empty() ? "" : ": ", E(g.message));
  out += fmt::format("<dt>Wikis</dt><dd>{}</dd>\n", E(fmt::format("{}", fmt::join(g.wikis, ", "))));
  out += fmt::format("<dt>Pages</dt><dd>{}</dd>\n", E(PageKindList(g.kinds)));
  out += fmt::format("<dt>Minimal failing parameters</dt><dd><code>{}</code></dd>\n", E(DescribeFailingParameters(g)));
  if (!g.request_ids.empty()) {
    // The first few for a log search; the rest one click away.
    constexpr size_t kShown = 5;
    const auto ids = [&](size_t from, size_t to) {
      std::string text;
      for (size_t i = from; i < to; ++i) text += (i > from ? " " : "") + g.request_ids[i];
      return E(text);
    };
    const size_t shown = std::min(kShown, g.request_ids.size());
    out += fmt::format("<dt>Request ids</dt><dd><code>{}</code>", ids(0, shown));
    if (g.request_ids.size() > shown)
      out += fmt::format(" <details class=\"ids\"><summary>and {} more</summary><code>{}</code></details>",
                         g.request_ids.size() - shown, ids(shown, g.request_ids.size()));
    out += "</dd>\n";
  }
  if (const auto files = EvidenceOf(info, number, g); !files.empty()) {
    // Relative links into the run directory (names made of [a-z0-9-]).
    out += "<dt>Evidence</dt><dd class=\"evidence\">";
    for (size_t i = 0; i < files.size(); ++i)
      out += fmt::format("{}<a href=\"{}\"><code>{}.body</code></a> (<a href=\"{}\">headers</a>)", i ? ", " : "",
                         E(files[i].body_path), E(files[i].probe_id), E(files[i].headers_path));
    out += " <span class=\"meta\">the failing responses, secrets redacted</span></dd>\n";
  }
  out += fmt::format("<dt>First failing URL</dt><dd>{}</dd>\n", Link(first.probe.url.str(), first.probe.url.str()));
  out += fmt::format("<dt>Reproduce</dt><dd><pre>{}</pre></dd>\n<dt>Or with curl</dt><dd><pre>{}</pre></dd>\n</dl>\n</article>\n",
                     E(ReproCommand(first.probe, info)), E(CurlCommand(first.probe, info)));
}

// The PASS/FAIL banner: what a release engineer reads first.
void AppendStatus(TextOut& out, const RunInfo& info, const RunSummary& summary, const Overview& overview,
                  size_t product_groups) {
  const RunStatus st = DescribeRunStatus(info, summary, overview, product_groups);
  std::string cls = st.word;
  std::transform(cls.begin(), cls.end(), cls.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  out += fmt::format("<div id=\"status\" class=\"{}\" role=\"status\"><strong>{}</strong> exit code {} · {}</div>\n",
                     cls, st.word, info.exit_code, E(st.sentence));
}

// Wiki x page kind, each cell coloured by its worst verdict, with the counts.
void AppendGrid(TextOut& out, const Overview& o, bool warnings_fail) {
  out += "<table id=\"verdict-grid\">\n<caption>Verdicts by wiki and page (worst first)</caption>\n<thead><tr><th>wiki</th>";
  for (const PageKind k : o.kinds) out += fmt::format("<th>{}</th>", PageKindName(k));
  out += "</tr></thead>\n<tbody>\n";
  for (const std::string& w : o.wikis) {
    const bool clean = std::find(o.clean.begin(), o.clean.end(), w) != o.clean.end();
    out += fmt::format("<tr data-wiki=\"{0}\"><th{1}>{0}</th>", E(w), clean ? " class=\"clean\" title=\"clean\"" : "");
    for (const PageKind k : o.kinds) {
      const OverviewCell* c = o.Cell(w, k);
      if (c == nullptr) {
        out += "<td class=\"cell\">—</td>";
        continue;
      }
      std::vector<std::pair<int, size_t>> present;  // (severity, verdict), worst first
      for (size_t v = 0; v < kVerdictCount; ++v)
        if (c->by_verdict[v] > 0) present.emplace_back(Severity(static_cast<Verdict>(v), warnings_fail), v);
      std::sort(present.begin(), present.end(), [](auto a, auto b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
      std::string counts;
      for (const auto& [sev, v] : present)
        counts += fmt::format("{}{} {}", counts.empty() ? "" : "<br>", c->by_verdict[v], VerdictName(static_cast<Verdict>(v)));
      out += fmt::format("<td class=\"cell v-{0}\" data-worst=\"{0}\">{1}</td>", VerdictName(c->worst), counts);
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

// p50 and p95 per page kind as horizontal bars: inline SVG, no script, no asset.
void AppendLatency(TextOut& out, const Overview& o) {
  if (o.latency.empty()) return;
  double top = 0;
  for (const KindLatency& l : o.latency) top = std::max(top, l.p95);
  if (top <= 0) top = 1;
  constexpr int kLabel = 110, kBar = 300, kRow = 34, kWidth = kLabel + kBar + 200;  // room for "p95 12.34 s (1234 pages)"
  const int height = static_cast<int>(o.latency.size()) * kRow + 24;
  out += fmt::format("<figure>\n<svg id=\"latency\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
                     "viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"latency per page kind, p50 and p95\">\n",
                     kWidth, height);
  int y = 4;
  for (const KindLatency& l : o.latency) {
    const auto w = [&](double v) { return std::max(1, static_cast<int>(v / top * kBar)); };
    out += fmt::format("<g data-kind=\"{0}\" data-p50=\"{1:.3f}\" data-p95=\"{2:.3f}\">"
                       "<text x=\"0\" y=\"{3}\">{0}</text>"
                       "<rect x=\"{4}\" y=\"{5}\" width=\"{6}\" height=\"12\" fill=\"#36c\"><title>p50 {1:.3f} s</title></rect>"
                       "<rect x=\"{4}\" y=\"{7}\" width=\"{8}\" height=\"12\" fill=\"#a2a9b1\"><title>p95 {2:.3f} s</title></rect>"
                       "<text x=\"{9}\" y=\"{10}\">p50 {1:.2f} s</text><text x=\"{11}\" y=\"{12}\">p95 {2:.2f} s ({13})</text></g>\n",
                       PageKindName(l.kind), l.p50, l.p95, y + 16, kLabel, y, w(l.p50), y + 14, w(l.p95),
                       kLabel + w(l.p50) + 6, y + 10, kLabel + w(l.p95) + 6, y + 24, Plural(l.fetched, "page"));
    y += kRow;
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\">bars: p50 (blue), p95 (grey); scale 0 to {:.2f} s</text>\n", kLabel, y + 12, top);
  out += "</svg>\n<figcaption>Time per page (seconds), pages that got a response</figcaption>\n</figure>\n";
}

// A failure's annotations beside its verdict in the probe table: known (its
// task, linked) and flaky; the verdict itself stays what the page showed.
std::string Marks(const Outcome& o, const RunInfo& info) {
  std::string marks;
  if (!o.known_task.empty())
    marks += fmt::format(" <span class=\"mark known\" title=\"known issue{}\">known {}</span>",
                         info.fail_on_known ? "" : ": does not fail the run", Link(TaskUrl(o.known_task), o.known_task));
  else if (IsFlaky(o))
    marks += fmt::format(" <span class=\"mark flaky\" title=\"did not reproduce ({} passed){}\">flaky</span>",
                         Plural(o.confirm_fetches, "re-fetch"),
                         info.fail_on_flaky ? "" : ": does not fail the run");
  return marks;
}

// data-known / data-flaky on a row, so a filter or a script can find them.
std::string RowAnnotations(const Outcome& o) {
  if (!o.known_task.empty()) return fmt::format(" data-known=\"{}\"", E(o.known_task));
  return IsFlaky(o) ? " data-flaky=\"1\"" : "";
}

std::string EvidenceText(const Outcome& o) {
  const Evidence& ev = o.result.evidence;
  if (!ev.exception_class.empty() || !ev.message.empty())
    return ev.exception_class + (ev.exception_class.empty() || ev.message.empty() ? "" : ": ") + ev.message;
  if (!o.transport_error.empty()) return o.transport_error;
  if (!ev.signature.empty()) return ev.signature;
  return ev.detail;
}

}  // namespace

Result<void> WriteHtmlReport(const RunInfo& info, const RunSummary& summary, const ResultList& results, TextOut& out) {
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // No network at all: the report must open offline and cannot leak anything.
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>beta-crawler run {}</title>\n<style>{}</style>\n</head>\n<body>\n", E(info.run_id), kStyle);

  const double seconds = info.finished_unix_ms > info.started_unix_ms
                             ? static_cast<double>(info.finished_unix_ms - info.started_unix_ms) / 1000.0
                             : 0.0;
  const Overview overview = MakeOverview(results, info.warnings_fail);
  const std::vector<FailureGroup>& groups = info.groups;
  const size_t product_groups = static_cast<size_t>(
      std::count_if(groups.begin(), groups.end(), [](const FailureGroup& g) { return g.product_failure; }));
  out += fmt::format("<header>\n<h1>beta-crawler run <code>{}</code></h1>\n", E(info.run_id));
  AppendStatus(out, info, summary, overview, product_groups);
  out += fmt::format(
      "<p class=\"meta\">Targets <code>{}</code> · started {} · {:.1f} s · exit code {} · {}, {} · {} of {} planned {}{}</p>\n",
      E(info.targets_path), E(FormatIsoUtc(info.started_unix_ms)), seconds, info.exit_code, Plural(summary.product_failures, "product failure"),
      Plural(summary.tool_failures, "tool failure"), summary.total, info.planned,
      PluralNoun(static_cast<long long>(info.planned), "probe"), info.partial ? " · <span class=\"partial\">PARTIAL run: " + E(PartialNote(info, results, "", "")) + "</span>" : std::string());
  if (!info.tls_verified)
    out += "<p class=\"partial\">TLS certificates were NOT verified (--insecure): a man in the middle could have served "
           "these pages.</p>\n";
  out += "<div class=\"overview\">\n";
  AppendGrid(out, overview, info.warnings_fail);
  out += "<table class=\"totals\"><thead><tr><th>verdict</th><th>probes</th></tr></thead><tbody>\n";
  for (size_t v = 0; v < summary.by_verdict.size(); ++v)
    if (summary.by_verdict[v] > 0)
      out += fmt::format("<tr><td><span class=\"v v-{0}\">{0}</span></td><td>{1}</td></tr>\n",
                         VerdictName(static_cast<Verdict>(v)), summary.by_verdict[v]);
  out += fmt::format("<tr><th>total</th><th>{}</th></tr>\n</tbody></table>\n", summary.total);
  AppendLatency(out, overview);
  out += "</div>\n</header>\n";

  if (!info.slow.empty()) {
    out += fmt::format("<section id=\"slow\">\n<h2>Slower than the baseline ({})</h2>\n<p>p95 over 2x the baseline's "
                       "and over 1 s slower; {}.</p>\n<ul>\n",
                       info.slow.size(), info.fail_on_slow ? "fails the run (--fail-on slow)"
                                                           : "does not fail the run without --fail-on slow");
    for (const SlowFinding& f : info.slow) out += "<li>" + E(DescribeSlow(f)) + "</li>\n";
    out += "</ul>\n</section>\n";
  }
  out += fmt::format("<section id=\"groups\">\n<h2>Failure groups ({})</h2>\n", groups.size());
  if (groups.empty()) out += "<p>No failures.</p>\n";
  for (size_t i = 0; i < groups.size(); ++i) AppendHtmlGroup(out, i + 1, groups[i], info, results);
  if (info.WholePlan())
    for (const auto& k : info.known)
      if (k.matched == 0)
        out += fmt::format("<p class=\"known-not-seen\">Known issue {} not seen this run: possibly fixed</p>\n",
                           Link(TaskUrl(k.task), k.task));
  out += "</section>\n";

  std::set<Verdict> present;
  for (const auto& r : results) present.insert(r.outcome.result.verdict);
  out += "<section id=\"all\">\n<h2>All probes</h2>\n<div class=\"controls\">\n";
  out += "<input id=\"filter-text\" type=\"search\" placeholder=\"filter: wiki, page, parameter, message…\" "
         "aria-label=\"filter text\">\n<select id=\"filter-verdict\" aria-label=\"verdict\">\n"
         "<option value=\"all\">all verdicts</option>\n<option value=\"failures\">failures only</option>\n";
  for (const Verdict v : present) out += fmt::format("<option value=\"{0}\">{0}</option>\n", VerdictName(v));
  out += fmt::format("</select>\n<span id=\"shown\">{}</span> of {} shown\n</div>\n", results.size(),
                     Plural(results.size(), "probe"));
  out += "<table id=\"probes\">\n<colgroup><col class=\"w\"><col class=\"k\"><col class=\"v\"><col class=\"n\"><col>"
         "<col><col class=\"r\"><col class=\"s\"><col class=\"n\"></colgroup>\n<thead><tr><th data-type=\"text\">wiki</th><th data-type=\"text\">page</th>"
         "<th data-type=\"text\">verdict</th><th data-type=\"num\">HTTP</th><th data-type=\"text\">parameters</th>"
         "<th data-type=\"text\">evidence</th><th data-type=\"text\">request id</th>"
         "<th data-type=\"num\">seconds</th><th data-type=\"num\">retries</th></tr></thead>\n<tbody>\n";
  // Failures first (worst verdict first), then in finish order: the rows
  // that matter are on the first screen. 4 bytes a probe.
  std::vector<uint32_t> order(results.size());
  {
    std::vector<uint8_t> severity(results.size());
    for (size_t i = 0; i < results.size(); ++i) {
      order[i] = static_cast<uint32_t>(i);
      severity[i] = static_cast<uint8_t>(Severity(results[i].outcome.result.verdict, info.warnings_fail));
    }
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return severity[a] > severity[b]; });
  }
  for (const uint32_t index : order) {
    const auto& r = results[index];
    const Verdict v = r.outcome.result.verdict;
    const bool failure = IsProductFailure(v, info.warnings_fail) || IsToolFailure(v);
    out += fmt::format(
        "<tr data-verdict=\"{0}\" data-failure=\"{1}\" data-probe=\"{2}\"{11}><td>{3}</td><td>{4}</td>"
        "<td><span class=\"v v-{0}\">{0}</span>{12}</td><td data-sort=\"{5}\">{5}</td><td>{6}</td>"
        "<td class=\"ev\">{7}</td><td><code>{8}</code></td><td data-sort=\"{9:.3f}\">{9:.3f}</td><td>{10}</td></tr>\n",
        VerdictName(v), failure ? 1 : 0, E(r.probe.id), E(r.probe.wiki), PageKindName(r.probe.kind),
        r.outcome.http_status, Link(r.probe.url.str(), r.probe.query.str()), E(EvidenceText(r.outcome)),
        E(r.outcome.result.evidence.request_id), r.outcome.timings.total, r.outcome.retries,
        RowAnnotations(r.outcome), Marks(r.outcome, info));
  }
  out += "</tbody>\n</table>\n</section>\n<script>";
  out += kScript;
  out += "</script>\n</body>\n</html>\n";
  return {};
}

Result<std::string> RenderHtmlReport(const RunInfo& info, const RunSummary& summary, const ResultList& results) {
  TextOut out;
  if (auto written = WriteHtmlReport(info, summary, results, out); !written) return std::unexpected(written.error());
  return out.text();
}

}  // namespace bc
