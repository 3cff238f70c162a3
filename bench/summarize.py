#!/usr/bin/python3
"""summarize.py --work DIR ...: turn bench/run's measurements into RESULTS.md.

Reads DIR/measurements.tsv (one row per tool run), the crawler checks
(DIR/out/crawler*.check) and the aiohttp script's flagged lists, writes the
Markdown report to --out and prints its table on stdout. Medians over the
repetitions; every ratio is against curl --parallel in the same run.
"""
import argparse
import csv
import datetime
import json
import os
import platform
import statistics
import subprocess

TOOLS = [  # (key, label, what it does with each page)
    ("wrk", "wrk (raw ceiling)", "fetch only; Lua script cycles through the same URL list for a fixed time"),
    ("curl", "curl --parallel", "fetch only, body to /dev/null (the base of every ratio)"),
    ("wget2", "wget2", "fetch only, --max-threads=32, body to /dev/null"),
    ("aiohttp_lxml", "aiohttp + lxml", "fetch, lxml DOM parse, XPath for the error box and the changes list"),
    ("crawler", "crawler run", "fetch, classify (verdict per page), write pages.jsonl + reports"),
]
MB = 1024.0  # maxrss is in KB


def sh(cmd):
    try:
        out = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20)
        return (out.stdout + out.stderr).strip().splitlines()[0].strip()
    except (IndexError, subprocess.SubprocessError):
        return "?"


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return {"cpus": os.cpu_count(), "model": model, "mem_gb": mem_kb / 1024 / 1024,
            "kernel": platform.release()}


def versions(work, crawler):
    with open(os.path.join(work, "git-describe")) as f:
        describe = f.read().split()
    py_libs = sh("/usr/bin/python3 -c 'import lxml.etree as e, aiohttp; "
                 "print(\"lxml\", \".\".join(map(str, e.LXML_VERSION[:3])), "
                 "\"(libxml2\", \".\".join(map(str, e.LIBXML_VERSION)) + \"), aiohttp\", aiohttp.__version__)'")
    return [
        ("crawler", f"{sh(crawler + ' --version')}, git {' of '.join(describe)}"),
        ("crawler source", dirty_note(work)),
        ("libcurl (crawler, curl)", sh("curl --version").split(" libcurl/")[1].split()[0] if " libcurl/" in sh("curl --version") else "?"),
        ("libxml2 (crawler)", sh("xml2-config --version")),
        ("nginx", sh("nginx -v").replace("nginx version: ", "")),
        ("curl", " ".join(sh("curl --version").split()[:2])),
        ("wget2", sh("wget2 --version")),
        ("wrk", " ".join(sh("wrk -v").split()[:2])),
        ("python", sh("/usr/bin/python3 --version")),
        ("python libraries", py_libs),
    ]


def dirty_note(work):
    """Which uncommitted changes under src/ the measured binary was built with."""
    with open(os.path.join(work, "git-dirty")) as f:
        out = [line.rstrip("\n") for line in f if line.strip()]
    if not out:
        return "the committed tree (no uncommitted change under src/)"
    return (f"built from the working tree: {len(out)} uncommitted paths under src/ "
            f"({', '.join(line[3:] for line in out[:8])}{', ...' if len(out) > 8 else ''})")


def load_rows(work):
    with open(os.path.join(work, "measurements.tsv")) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for r in rows:
        r["pages"] = int(r["pages"] or 0)
        for k in ("wall_s", "user_s", "sys_s"):
            r[k] = float(r[k] or 0)
        r["maxrss_kb"] = int(r["maxrss_kb"] or 0)
        r["served"] = int(r["served"] or 0)
        r["pps"] = r["pages"] / r["wall_s"] if r["wall_s"] > 0 else 0.0
        r["cpu_per_k"] = (r["user_s"] + r["sys_s"]) / r["pages"] * 1000 if r["pages"] else float("nan")
    return rows


def beyond_plan_mb(work, row):
    """What the crawl itself added to the process's memory: peak RSS minus the
    RSS when the crawl began with the plan loaded (`run --format json`)."""
    try:
        with open(os.path.join(work, "out", f"{row['tool']}.{row['rep']}.out")) as f:
            m = json.load(f)["memory"]
        return (m["peak_resident_kb"] - m["resident_at_start_kb"]) / MB
    except (OSError, ValueError, KeyError):
        return float("nan")


def stats(rows, work=None):
    if not rows:
        return None
    beyond = [beyond_plan_mb(work, r) for r in rows] if work and rows[0]["tool"].startswith("crawler") else []
    return {
        "beyond_plan_mb": max(beyond) if beyond else float("nan"),
        "runs": len(rows),
        "pps": statistics.median(r["pps"] for r in rows),
        "pps_min": min(r["pps"] for r in rows),
        "pps_max": max(r["pps"] for r in rows),
        "cpu_per_k": statistics.median(r["cpu_per_k"] for r in rows),
        "rss_mb": statistics.median(r["maxrss_kb"] for r in rows) / MB,
        "rss_max_mb": max(r["maxrss_kb"] for r in rows) / MB,
        "pages": rows[0]["pages"],
        "served_ok": all(r["served"] >= r["pages"] for r in rows),
        "served": [r["served"] for r in rows],
        "exits": sorted({r["exit"] for r in rows}),
    }


def crawler_checks(work, tool):
    checks = []
    out = os.path.join(work, "out")
    for name in sorted(os.listdir(out)):
        if name.startswith(tool + ".") and name.endswith(".check"):
            with open(os.path.join(out, name)) as f:
                text = f.read().strip()
            checks.append(json.loads(text) if text else {"exact": False})
    return checks


def aiohttp_checks(work, urls_n):
    want = {n for n in range(1, urls_n + 1) if n % 100 == 0}
    checks = []
    out = os.path.join(work, "out")
    for name in sorted(os.listdir(out)):
        if name.startswith("aiohttp_lxml.") and name.endswith(".flagged"):
            with open(os.path.join(out, name)) as f:
                got = {int(line.strip().rsplit("/", 1)[1]) for line in f if line.strip()}
            checks.append({"flagged": len(got), "exact": got == want,
                           "false_positives": len(got - want), "missed": len(want - got)})
    return checks


def verdict_text(key, s, work, urls_n):
    if key in ("crawler", "crawler_big"):
        checks = crawler_checks(work, key)
        if not checks:
            return "no check"
        if all(c.get("exact") for c in checks):
            c = checks[0]
            return f"yes: {c['flagged']} of {c['lines']} non-ok, all expected ({len(checks)}/{len(checks)} runs)"
        bad = [c for c in checks if not c.get("exact")][0]
        return (f"NO: {sum(not c.get('exact') for c in checks)}/{len(checks)} runs wrong; e.g. verdicts "
                f"{bad.get('verdicts')}, {bad.get('false_positives')} false positives, {bad.get('missed')} missed")
    if key == "aiohttp_lxml":
        checks = aiohttp_checks(work, urls_n)
        if not checks:
            return "no output"
        if all(c["exact"] for c in checks):
            return f"yes: {checks[0]['flagged']} flagged, all expected"
        c = [c for c in checks if not c["exact"]][0]
        return f"NO: {c['flagged']} flagged, {c['false_positives']} false positives, {c['missed']} missed"
    return "n/a (no parsing)"


def profile_section(work, urls_n):
    """The perf top lists of `bench/run --profile`, when it ran."""
    self_path, incl_path = (os.path.join(work, n) for n in ("profile-self.txt", "profile-children.txt"))
    if not os.path.exists(self_path):
        return []
    with open(self_path) as f:
        flat = f.read().rstrip()
    with open(incl_path) as f:
        incl = f.read().rstrip()
    return [f"## Where the crawler's CPU goes (`bench/run --profile`: perf, one more {urls_n:,}-URL run)", "",
            "Self time by library and symbol (share of all the crawler's samples, above 1%):", "",
            "```", flat, "```", "",
            "Inclusive time of the crawler's own functions and a few library entry points "
            "(children included; columns: inclusive, self):", "",
            "```", incl, "```", ""]


def ratio(x, base):
    return f"{x / base:.2f}x" if base else "-"


def main():
    ap = argparse.ArgumentParser()
    for a in ("--work", "--root", "--crawler", "--port", "--out"):
        ap.add_argument(a, required=True)
    for a in ("--urls", "--big", "--concurrency", "--wrk-seconds"):
        ap.add_argument(a, type=int, required=True)
    args = ap.parse_args()

    rows = load_rows(args.work)
    by_tool = {k: stats([r for r in rows if r["tool"] == k], args.work) for k, _, _ in TOOLS + [("crawler_big", "", "")]}
    base = by_tool.get("curl")
    if not base:
        raise SystemExit("no curl measurement: nothing to compare against")

    table = ["| tool | pages/s (median) | vs curl | CPU s / 1000 pages | vs curl | peak RSS | vs curl "
             "| flagged exactly the 1% | runs (pages/s min-max) |",
             "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for key, label, _ in TOOLS:
        s = by_tool.get(key)
        if not s:
            table.append(f"| {label} | not run | | | | | | | |")
            continue
        table.append(
            f"| {label} | {s['pps']:,.0f} | {ratio(s['pps'], base['pps'])} | {s['cpu_per_k']:.3f} "
            f"| {ratio(s['cpu_per_k'], base['cpu_per_k'])} | {s['rss_mb']:.1f} MB | {ratio(s['rss_mb'], base['rss_mb'])} "
            f"| {verdict_text(key, s, args.work, args.urls)} | {s['runs']} ({s['pps_min']:,.0f}-{s['pps_max']:,.0f}) |")
    big = by_tool.get("crawler_big")
    if big:
        table.append(
            f"| crawler run, {big['pages']:,} probes | {big['pps']:,.0f} | {ratio(big['pps'], base['pps'])} "
            f"| {big['cpu_per_k']:.3f} | {ratio(big['cpu_per_k'], base['cpu_per_k'])} | {big['rss_mb']:.1f} MB "
            f"| {ratio(big['rss_mb'], base['rss_mb'])} | {verdict_text('crawler_big', big, args.work, args.urls)} "
            f"| {big['runs']} |")

    # Targets (issues 3 and 16), judged on the medians above.
    c, py = by_tool.get("crawler"), by_tool.get("aiohttp_lxml")
    targets = []
    if c:
        exact = all(x.get("exact") for x in crawler_checks(args.work, "crawler"))
        targets.append(("pages/s >= 0.5 x curl --parallel, every verdict correct",
                        c["pps"] >= 0.5 * base["pps"] and exact,
                        f"{c['pps']:,.0f} vs {0.5 * base['pps']:,.0f} needed ({c['pps'] / base['pps']:.2f}x curl)"
                        f"; verdicts {'exact' if exact else 'NOT exact'}"))
        if py:
            targets.append(("pages/s >= 20 x aiohttp + lxml", c["pps"] >= 20 * py["pps"],
                            f"{c['pps']:,.0f} vs {20 * py['pps']:,.0f} needed ({c['pps'] / py['pps']:.1f}x)"))
        targets.append((f"peak RSS beyond the plan <= 32 MB at 32 in flight ({c['pages']:,} probes)",
                        c["beyond_plan_mb"] <= 32,
                        f"{c['beyond_plan_mb']:.1f} MB beyond the plan (max over runs); whole process "
                        f"{c['rss_max_mb']:.1f} MB"))
        if big:
            slope = (big["beyond_plan_mb"] - c["beyond_plan_mb"]) * 1024 * 1024 / max(1, big["pages"] - c["pages"])
            growth = big["beyond_plan_mb"] / c["beyond_plan_mb"]
            targets.append((f"peak RSS beyond the plan flat from {c['pages']:,} to {big['pages']:,} probes",
                            growth <= 1.10,
                            f"{c['beyond_plan_mb']:.1f} MB -> {big['beyond_plan_mb']:.1f} MB ({growth:.2f}x; "
                            f"{slope:,.0f} bytes per extra probe); whole process {c['rss_mb']:.1f} MB -> "
                            f"{big['rss_mb']:.1f} MB, the rest is the plan"))
        targets.append(("CPU per page <= 2 x curl --parallel's", c["cpu_per_k"] <= 2 * base["cpu_per_k"],
                        f"{c['cpu_per_k']:.3f} vs {2 * base['cpu_per_k']:.3f} s/1000 pages allowed "
                        f"({c['cpu_per_k'] / base['cpu_per_k']:.1f}x curl)"))
        # Issue 16's tighter targets, on the same medians.
        targets.append(("issue 16: pages/s >= 0.9 x curl --parallel", c["pps"] >= 0.9 * base["pps"],
                        f"{c['pps']:,.0f} vs {0.9 * base['pps']:,.0f} needed ({c['pps'] / base['pps']:.2f}x curl)"))
        targets.append(("issue 16: CPU per page <= 1.25 x curl --parallel's",
                        c["cpu_per_k"] <= 1.25 * base["cpu_per_k"],
                        f"{c['cpu_per_k']:.3f} vs {1.25 * base['cpu_per_k']:.3f} s/1000 pages allowed "
                        f"({c['cpu_per_k'] / base['cpu_per_k']:.2f}x curl)"))
        if big:
            targets.append((f"issue 16: whole-process peak RSS <= 64 MB at {big['pages']:,} probes",
                            big["rss_mb"] <= 64, f"{big['rss_mb']:.1f} MB"))

    m = machine()
    with open(os.path.join(args.work, "loadavg.start")) as f:
        load_start = " ".join(f.read().split()[:3])
    with open("/proc/loadavg") as f:
        load_end = " ".join(f.read().split()[:3])
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    with open(os.path.join(args.work, "started")) as f:
        took = int(datetime.datetime.now().timestamp()) - int(f.read().strip())

    served_notes = []
    for r in rows:
        if r["exit"] == "124":
            served_notes.append(f"- {r['tool']} run {r['rep']} TIMED OUT after {r['wall_s']:.0f} s: its pages/s "
                                "and CPU per page are upper bounds computed as if it had finished.")
    for key, label, _ in TOOLS + [("crawler_big", "crawler big", "")]:
        s = by_tool.get(key)
        if s and key != "wrk" and not s["served_ok"]:
            served_notes.append(f"- {label}: nginx served {s['served']} requests for {s['pages']} pages: "
                                "the tool did not fetch every URL, so its rate is not comparable.")

    md = [
        "# bench/run results",
        "",
        f"Written by `bench/run` on {now}. {args.urls:,} distinct URLs (1% answered with the recorded "
        f"exception page, HTTP 500), {args.concurrency} connections, nginx on 127.0.0.1 sharing the machine "
        "with the client. Medians over the repetitions; every ratio is against curl --parallel in the same run. "
        f"The whole `bench/run` (build check included) took {took // 60} min {took % 60} s.",
        "",
        "## Machine",
        "",
        f"- {m['cpus']} CPUs: {m['model']}; {m['mem_gb']:.1f} GB RAM; Linux {m['kernel']}",
        f"- load average (1/5/15 min) at the start: {load_start}; at the end: {load_end}"
        + (" — **the machine was busy with other work; absolute figures are noisy, ratios less so**"
           if float(load_start.split()[0]) > 1.5 else ""),
        "",
        "## Versions",
        "",
        *[f"- {k}: {v}" for k, v in versions(args.work, args.crawler)],
        "",
        "## Figures",
        "",
        *table,
        "",
        "- pages/s: URLs fetched (and, where the tool does it, classified) per wall-clock second of the whole "
        "command, start-up and result writing included. wrk runs for a fixed "
        f"{args.wrk_seconds} s over the same URL list (Lua `request()` cycling /x/1../x/{args.urls}), so its "
        "pages are its completed requests.",
        "- CPU s / 1000 pages: user + system CPU seconds of the tool (GNU time), per 1000 pages.",
        "- peak RSS: maximum resident set size of the tool's process (GNU time `%M`).",
        "- flagged exactly the 1%: crawler — one line per URL in pages.jsonl, every 500 exception URL non-ok, "
        "every other URL ok; aiohttp + lxml — its own list of flagged URLs equals the 500 URLs.",
        *served_notes,
        "",
        "## Targets (issues 3 and 16)",
        "",
        "| target | result | figures |",
        "|---|---|---|",
        *[f"| {name} | {'PASS' if ok else '**MISS**'} | {fig} |" for name, ok, fig in targets],
        "",
        *profile_section(args.work, args.urls),
        "Raw rows: `bench/work/run/measurements.tsv` (git-ignored) after a run.",
        "",
    ]
    # bench/beta_farm's section (between its markers) is its own: kept.
    kept = ""
    if os.path.exists(args.out):
        with open(args.out) as f:
            old = f.read()
        begin, end = "<!-- beta_farm: written by bench/beta_farm -->", "<!-- /beta_farm -->"
        if begin in old and end in old:
            kept = "\n" + old[old.index(begin):old.index(end) + len(end)] + "\n"
    with open(args.out, "w") as f:
        f.write("\n".join(md) + kept)
    print("\n".join(table))
    print()
    for name, ok, fig in targets:
        print(f"{'PASS' if ok else 'MISS'}  {name}: {fig}")


if __name__ == "__main__":
    main()
