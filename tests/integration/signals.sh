#!/usr/bin/env bash
# Ctrl-C and SIGTERM during a real crawl of the farm (slowed to 2 requests/s
# per wiki, one at a time, so the crawl is mid-way when the signal arrives):
#   - SIGINT: exit 130 within 5 s; SIGTERM: exit 143;
#   - every finished outcome is in pages.jsonl as a whole JSON line (no partial
#     line), fewer than planned (the probes not run are written as interrupted); summary.md, junit.xml and metrics.prom are
#     written and marked partial; results/latest points at the run (its
#     report is the newest, marked partial);
#     history.sqlite (when written) records it as partial and passes integrity_check;
#   - a second SIGINT right after the first exits at once (130), leaving
#     pages.jsonl whole lines and history.sqlite intact.
source "$(dirname "$0")/lib.sh"
python3 - "$ROOT/targets/local.toml" "$WORK/slow.toml" "$FARM/state/qa.password" <<'PY'
import sys
src, dst, pw = sys.argv[1:]
t = open(src).read().replace('"../tests/farm/state/qa.password"', f'"{pw}"')
t = t.replace("per_host_concurrency = 4", "per_host_concurrency = 1\nper_host_rps = 2", 1)
assert "per_host_rps = 2" in t
open(dst, "w").write(t)
PY
PLANNED="$("$CRAWLER" plan "$WORK/slow.toml" --format jsonl | wc -l)"
[ "$PLANNED" -ge 60 ] || fail "only $PLANNED probes planned; the crawl would end before the signal"

python3 - "$CRAWLER" "$WORK" "$PLANNED" <<'PY' || fail "interrupted runs misbehave (see above)"
import json, os, pathlib, signal, sqlite3, subprocess, sys, time
crawler, work, planned = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
problems = []

def run(name, signals, gap):
    """Starts a crawl, waits for 3 outcomes, sends `signals` `gap` seconds apart."""
    results = work / name
    out, err = open(work / f"{name}.out", "w"), open(work / f"{name}.err", "w")
    p = subprocess.Popen([crawler, "run", str(work / "slow.toml"), "--results", str(results)], stdout=out, stderr=err)
    deadline = time.monotonic() + 90
    pages = None
    while time.monotonic() < deadline and p.poll() is None:
        found = sorted(results.glob("2*/pages.jsonl"))
        if found and found[-1].read_bytes().count(b"\n") >= 3:
            pages = found[-1]
            break
        time.sleep(0.05)
    if pages is None:
        p.kill(); p.wait()
        problems.append(f"{name}: no 3 outcomes within 90 s (exit {p.returncode})")
        return None
    sent = time.monotonic()
    for i, s in enumerate(signals):
        if i: time.sleep(gap)
        p.send_signal(s)
    try:
        rc = p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill(); p.wait()
        problems.append(f"{name}: still running 30 s after the signal")
        return None
    took = time.monotonic() - sent
    print(f"{name}: exit {rc} after {took:.2f} s;", end="")
    return rc, took, pages.parent, results

def lines_whole(run_dir, name):
    data = (run_dir / "pages.jsonl").read_bytes()
    if data and not data.endswith(b"\n"):
        problems.append(f"{name}: pages.jsonl ends in a partial line")
    rows = []
    for i, line in enumerate(data.split(b"\n")[:-1] if data.endswith(b"\n") else data.split(b"\n"), 1):
        try:
            rows.append(json.loads(line))
        except ValueError:
            problems.append(f"{name}: pages.jsonl line {i} is not JSON")
    # Probes the interrupt kept from running are written too (verdict transport,
    # detail "...interrupted"), so planned = written still holds.
    done = [r for r in rows if "interrupted" not in r.get("evidence", {}).get("detail", "")]
    print(f" {len(done)} finished + {len(rows) - len(done)} not run, of {planned} planned")
    if not 3 <= len(done) < planned:
        problems.append(f"{name}: {len(done)} finished outcomes written; want at least 3 and fewer than {planned}")
    if len(rows) > planned:
        problems.append(f"{name}: {len(rows)} outcomes for {planned} planned probes")
    not_run = [r for r in rows if r not in done]
    if any(r["verdict"] == "ok" for r in not_run):
        problems.append(f"{name}: a probe marked interrupted has verdict ok")
    ids = [r.get("id") for r in rows]
    if len(set(ids)) != len(ids):
        problems.append(f"{name}: an outcome is written twice")
    return rows

def history_ok(results, name, want_partial_row):
    db = results / "history.sqlite"
    if not db.exists():
        print(f"{name}: no history.sqlite (not written by this build)")
        return
    c = sqlite3.connect(str(db))
    if c.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        problems.append(f"{name}: history.sqlite fails integrity_check")
    if want_partial_row:
        rows = c.execute("SELECT partial FROM runs").fetchall()
        if rows != [(1,)]:
            problems.append(f"{name}: history runs.partial = {rows}, want [(1,)]")

def marked_partial(run_dir, results, name):
    for f in ("summary.md", "junit.xml", "metrics.prom"):
        if not (run_dir / f).is_file():
            problems.append(f"{name}: no {f} after the interrupt")
            return
    if "PARTIAL" not in (run_dir / "summary.md").read_text():
        problems.append(f"{name}: summary.md is not marked partial")
    junit = (run_dir / "junit.xml").read_text()
    if 'name="partial" value="true"' not in junit:
        problems.append(f"{name}: junit.xml has no partial=true property")
    if "beta_crawler_run_partial 1" not in (run_dir / "metrics.prom").read_text():
        problems.append(f"{name}: metrics.prom does not say beta_crawler_run_partial 1")
    latest = results / "latest"
    if not latest.exists() or latest.resolve() != run_dir.resolve():
        problems.append(f"{name}: results/latest does not point at the interrupted run")

for name, sig, want in (("sigint", signal.SIGINT, 130), ("sigterm", signal.SIGTERM, 143)):
    r = run(name, [sig], 0)
    if not r: continue
    rc, took, run_dir, results = r
    if rc != want: problems.append(f"{name}: exit code {rc}, want {want}")
    if took > 5: problems.append(f"{name}: took {took:.1f} s to exit, want at most 5 s")
    lines_whole(run_dir, name)
    marked_partial(run_dir, results, name)
    history_ok(results, name, True)

r = run("double-sigint", [signal.SIGINT, signal.SIGINT], 0)
if r:
    rc, took, run_dir, results = r
    if rc not in (130, -signal.SIGINT): problems.append(f"double-sigint: exit code {rc}, want 130")
    if took > 1.5: problems.append(f"double-sigint: took {took:.2f} s after the second Ctrl-C, want at once")
    lines_whole(run_dir, "double-sigint")
    at_once = "INTERRUPTED" not in (work / "double-sigint.out").read_text()
    print("double-sigint:", "left at once (no final report)" if at_once else "the first Ctrl-C finished before the second")
    history_ok(results, "double-sigint", False)

for p in problems: print("FAIL:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "ok: SIGINT -> 130, SIGTERM -> 143, second SIGINT at once; whole lines, partial reports"
