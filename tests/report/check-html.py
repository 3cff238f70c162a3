#!/usr/bin/python3
"""Checks report.html in a real headless browser (Debian's chromium).

Usage:
  check-html.py --bc-tests BUILD/bc_tests --artifacts DIR   # renders the hostile sample report first
  check-html.py --report results/latest/report.html --artifacts DIR

What it proves, against the page as chromium runs it:
  * the page loads with no script error, no console error, no CSP violation,
    and no alert() (the sample's exception messages contain <script>alert(1)</script>);
  * the hostile strings are text in the DOM, not elements;
  * the filter (text box + verdict select) shows exactly the rows an
    independent filter over the server-rendered rows (lxml, here) selects,
    and #shown says that number;
  * sorting by a numeric column orders the rows both ways;
  * the first screen tells the story: a #status banner (PASS/FAIL/ERROR/
    INTERRUPTED, with the exit code) coloured by the outcome, and the
    #verdict-grid with a row per wiki whose cells are coloured by their worst
    verdict (a failing cell and an ok cell differ);
  * nothing scrolls sideways in a 1280 px wide window (the probe table wraps).
A copy of the report with two small harness scripts added (one in <head> that
records errors, one before </body> that drives the filter and writes the
results into the DOM) is loaded with --dump-dom in a 1280 px window. The
untouched report is screenshotted at 1280 and 1920 px into
DIR/report-1280.png and DIR/report-1920.png as artifacts.
Exit status: 0 when every check passed, 1 when one failed, 2 on a usage or
environment problem. Uses only file:// URLs: no network.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

import lxml.html

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
    "--disable-default-apps", "--hide-scrollbars", "--mute-audio",
]

EARLY = """<script>
window.__bcErrors = [];
window.addEventListener('error', function (e) { window.__bcErrors.push('error: ' + e.message); });
window.addEventListener('securitypolicyviolation', function (e) {
  window.__bcErrors.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI); });
(function () { var orig = console.error; console.error = function () {
  window.__bcErrors.push('console.error: ' + Array.prototype.join.call(arguments, ' ')); orig.apply(console, arguments); }; })();
window.alert = function (m) { window.__bcErrors.push('alert called: ' + m); };
</script>
"""

LATE = """<script>
(function () {
  var out = { scenarios: [], sort: {}, errors: window.__bcErrors, layout: {} };
  try {
    var root = document.documentElement;
    out.layout.scrollWidth = root.scrollWidth;
    out.layout.clientWidth = root.clientWidth;
    out.layout.innerWidth = window.innerWidth;
    var status = document.getElementById('status');
    if (status) {
      out.layout.status = status.textContent;
      out.layout.statusClass = status.className;
      out.layout.statusBg = getComputedStyle(status).backgroundColor;
      out.layout.statusTop = status.getBoundingClientRect().top;
    }
    out.layout.grid = Array.prototype.map.call(document.querySelectorAll('#verdict-grid tbody td[data-worst]'),
      function (td) { return { worst: td.getAttribute('data-worst'), bg: getComputedStyle(td).backgroundColor }; });
    out.layout.gridRows = document.querySelectorAll('#verdict-grid tbody tr').length;
    var text = document.getElementById('filter-text');
    var verdict = document.getElementById('filter-verdict');
    var scenarios = %s;
    scenarios.forEach(function (s) {
      text.value = s.text; text.dispatchEvent(new Event('input'));
      verdict.value = s.verdict; verdict.dispatchEvent(new Event('change'));
      out.scenarios.push({ text: s.text, verdict: s.verdict,
        shown: document.getElementById('shown').textContent,
        visible: document.querySelectorAll('#probes tbody tr:not([hidden])').length });
    });
    text.value = ''; text.dispatchEvent(new Event('input'));
    verdict.value = 'all'; verdict.dispatchEvent(new Event('change'));
    var headers = document.querySelectorAll('#probes thead th');
    var col = -1;
    headers.forEach(function (h, i) { if (h.textContent === 'seconds') col = i; });
    function column() {
      return Array.prototype.map.call(document.querySelectorAll('#probes tbody tr'),
        function (r) { return parseFloat(r.cells[col].getAttribute('data-sort')); });
    }
    headers[col].click(); out.sort.ascending = column();
    headers[col].click(); out.sort.descending = column();
  } catch (e) {
    out.errors.push('harness: ' + e);
  }
  var pre = document.createElement('pre');
  pre.id = 'bc-check-result';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def fail(msg):
    print("FAIL: " + msg)
    return 1


def run_chromium(args, timeout=90):
    """Runs chromium in its own process group; on timeout kills that group
    (only the processes started here) and returns returncode None."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="bc-chromium-")
    proc = subprocess.Popen([chromium, *CHROMIUM_FLAGS, "--user-data-dir=" + profile, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return subprocess.CompletedProcess(proc.args, None, out, err + b"\n(timed out after %ds)" % timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def expected_rows(doc, text, verdict):
    """The filter the page's script must implement, over the server-rendered rows."""
    n = 0
    q = text.strip().lower()
    for tr in doc.xpath('//table[@id="probes"]/tbody/tr'):
        v = tr.get("data-verdict")
        by_verdict = verdict == "all" or (tr.get("data-failure") == "1" if verdict == "failures" else v == verdict)
        if by_verdict and (q == "" or q in tr.text_content().lower()):
            n += 1
    return n


def check_first_screen(doc, layout):
    """The banner, the grid, and no sideways scrolling at 1280 px."""
    failures = 0
    status = layout.get("status", "")
    word = status.split()[0] if status else ""
    if word not in ("PASS", "FAIL", "ERROR", "INTERRUPTED") or "exit code" not in status:
        failures += fail("no #status banner with PASS/FAIL/ERROR/INTERRUPTED and the exit code: %r" % status)
    elif layout.get("statusClass") != word.lower() or layout.get("statusBg") in ("", "rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"):
        failures += fail("the banner is not coloured by its outcome (class %r, background %r)"
                         % (layout.get("statusClass"), layout.get("statusBg")))
    elif layout.get("statusTop", 1e9) > 200:
        failures += fail("the banner is not on the first screen (top %s px)" % layout.get("statusTop"))
    else:
        print("ok: banner %r (%s)" % (status[:80], layout.get("statusBg")))
    wikis = {td.text_content() for td in doc.xpath('//table[@id="probes"]/tbody/tr/td[1]')}
    grid = layout.get("grid", [])
    if layout.get("gridRows") != len(wikis) or not grid:
        failures += fail("#verdict-grid has %s rows, the probes are on %d wikis" % (layout.get("gridRows"), len(wikis)))
    else:
        colours = {}
        for cell in grid:
            colours.setdefault(cell["worst"], set()).add(cell["bg"])
        if any(len(c) != 1 for c in colours.values()):
            failures += fail("cells with the same worst verdict have different colours: %r" % colours)
        elif "ok" in colours and len(colours) > 1 and any(colours[v] == colours["ok"] for v in colours if v != "ok"):
            failures += fail("a failing cell looks like an ok one: %r" % colours)
        else:
            print("ok: verdict grid, %d wikis, colours by worst verdict %s" % (len(wikis), sorted(colours)))
    sw, cw = layout.get("scrollWidth", 0), layout.get("clientWidth", 0)
    if layout.get("innerWidth") != 1280:
        failures += fail("the layout check ran in a %s px window, not 1280" % layout.get("innerWidth"))
    elif not cw or sw > cw:
        failures += fail("the page scrolls sideways at 1280 px (content %s px, window %s px)" % (sw, cw))
    else:
        print("ok: no horizontal scroll at 1280 px (content %d px)" % sw)
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--bc-tests", help="the bc_tests binary: render the hostile sample report with it")
    src.add_argument("--report", help="an existing report.html")
    ap.add_argument("--artifacts", required=True, help="directory for report.html copy, harness.html, dom.html, report-1280.png, report-1920.png")
    args = ap.parse_args()

    os.makedirs(args.artifacts, exist_ok=True)
    report = os.path.join(os.path.abspath(args.artifacts), "report.html")
    if args.bc_tests:
        env = dict(os.environ, BC_HTML_SAMPLE=report)
        r = subprocess.run([args.bc_tests, "[.html-sample]"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, check=False)
        if r.returncode != 0 or not os.path.exists(report):
            print(r.stdout.decode(errors="replace"))
            print("cannot render the sample report with " + args.bc_tests)
            return 2
        sample = True
    else:
        shutil.copyfile(args.report, report)
        sample = False

    with open(report, encoding="utf-8") as f:
        html = f.read()
    doc = lxml.html.fromstring(html)
    rows = doc.xpath('//table[@id="probes"]/tbody/tr')
    if not rows:
        return fail("the report has no probe rows")
    verdicts = sorted({tr.get("data-verdict") for tr in rows})
    first_wiki = rows[0].xpath("./td[1]")[0].text_content()
    scenarios = [{"text": "", "verdict": "all"}, {"text": "", "verdict": "failures"},
                 {"text": first_wiki.upper(), "verdict": "all"}, {"text": "no row has this text 7f3a", "verdict": "all"}]
    scenarios += [{"text": "", "verdict": v} for v in verdicts]
    if sample:
        scenarios += [{"text": "ruwiki", "verdict": "exception"}, {"text": "<script>alert(1)", "verdict": "all"},
                      {"text": "damaging=likelybad", "verdict": "failures"}]

    if html.count("</body>") != 1 or html.count("<head>") != 1:
        return fail("report.html must have exactly one <head> and one </body>")
    harness_html = html.replace("<head>", "<head>\n" + EARLY, 1).replace(
        "</body>", LATE % json.dumps(scenarios) + "</body>", 1)
    harness = os.path.join(os.path.abspath(args.artifacts), "harness.html")
    with open(harness, "w", encoding="utf-8") as f:
        f.write(harness_html)

    r = run_chromium(["--window-size=1280,900", "--virtual-time-budget=5000", "--dump-dom", "file://" + harness])
    dom_text = r.stdout.decode("utf-8", errors="replace")
    with open(os.path.join(args.artifacts, "dom.html"), "w", encoding="utf-8") as f:
        f.write(dom_text)
    if r.returncode != 0 or "bc-check-result" not in dom_text:
        print(r.stderr.decode(errors="replace")[-3000:])
        return fail("chromium did not produce the harness result (exit %s)" % r.returncode)
    dom = lxml.html.fromstring(dom_text)
    result = json.loads(dom.get_element_by_id("bc-check-result").text_content())

    failures = 0
    for e in result["errors"]:
        failures += fail("page error: " + e)
    for s in result["scenarios"]:
        want = expected_rows(doc, s["text"], s["verdict"])
        label = "filter text=%r verdict=%s" % (s["text"], s["verdict"])
        if s["shown"] != str(want) or s["visible"] != want:
            failures += fail("%s: page shows %s (counter %s), expected %d" % (label, s["visible"], s["shown"], want))
        else:
            print("ok: %s -> %d of %d rows" % (label, want, len(rows)))
    if all(s["visible"] == len(rows) for s in result["scenarios"][1:]):
        failures += fail("no filter scenario changed the visible rows: the filter does nothing")
    asc, desc = result["sort"].get("ascending", []), result["sort"].get("descending", [])
    if len(asc) != len(rows) or asc != sorted(asc) or desc != sorted(asc, reverse=True):
        failures += fail("sorting by seconds did not order the rows both ways")
    else:
        print("ok: sort by seconds ascending and descending (%d rows)" % len(asc))

    # The DOM after scripts ran: exactly our script elements, no injected ones.
    scripts = len(dom.xpath("//script"))
    if scripts != 3:  # the report's own + the two harness scripts
        failures += fail("expected 3 script elements in the DOM, found %d" % scripts)
    if dom.xpath("//img"):
        failures += fail("an <img> element exists: page text was parsed as markup")
    if sample:
        cells = [td.text_content() for td in dom.xpath('//td[@class="ev"]')]
        if not any("<script>alert(1)</script>" in c for c in cells):
            failures += fail("the hostile message is not shown as text")
        else:
            print("ok: hostile message rendered as text, not markup")

    failures += check_first_screen(doc, result.get("layout", {}))

    for width in (1280, 1920):
        png = os.path.join(args.artifacts, "report-%d.png" % width)
        if os.path.exists(png):
            os.remove(png)
        r = run_chromium(["--window-size=%d,1600" % width, "--screenshot=" + os.path.abspath(png), "file://" + report])
        if r.returncode != 0 or not os.path.exists(png) or os.path.getsize(png) < 5000:
            failures += fail("no usable screenshot at %s (chromium exit %s)" % (png, r.returncode))
            continue
        with open(png, "rb") as f:
            head = f.read(24)
        if head[:8] != b"\x89PNG\r\n\x1a\n":
            failures += fail("the screenshot is not a PNG")
        elif int.from_bytes(head[16:20], "big") != width:
            failures += fail("the %d px screenshot is %d px wide" % (width, int.from_bytes(head[16:20], "big")))
        else:
            print("ok: screenshot %s (%d bytes)" % (png, os.path.getsize(png)))

    print("check-html: %s (%d failure%s)" % ("FAILED" if failures else "passed", failures, "" if failures == 1 else "s"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
