#!/usr/bin/python3
"""Trust-boundary tests through the real crawler binary (issue 15; tests/faults/README.md).

  run_trust.py --crawler BIN echo     a wiki that echoes secrets: zero copies in any output
  run_trust.py --crawler BIN discovery  a SiteMatrix naming foreign origins and bad wikis: zero requests there
  run_trust.py --crawler BIN signals    Ctrl-C/TERM during a slow discovery and a slow login
  run_trust.py --crawler BIN files      umask, --insecure noted in the reports, history unwritable
  run_trust.py --crawler BIN inject   --user-agent with CR LF, `run --urls` with user:password@,
                                      a same-origin redirect to http://evil@...: refused / not followed

echo: three logged-in wikis on the fault server: echo_500 (an exception page
quoting the request's Cookie header, the session id and the session's
clientlogin form, i.e. the password and login token), echo_200 (a 200 page
with a PHP warning quoting the same), echo_login (clientlogin fails with a
message quoting the password, token and Cookie header). It runs `crawler run`
(text output, then --format json), `crawler login` and `crawler recheck`, and
counts every copy of each secret the crawler knew -- the password (raw,
URL-encoded, JSON-escaped), every session id and login token the server
handed out -- in stdout, stderr and every file under the results directory
(pages.jsonl, summary.md, junit.xml, report.html, metrics.prom,
history.sqlite and its journal). Prints the counts; passes when every count
is zero and the evidence still says what happened ("[redacted]" in place).

inject: `run --urls` with a --user-agent holding CR LF (exit 2, the flag named,
no request made); a URL list whose line 2 has user:password@ (exit 2 at
FILE:2:1, the password not echoed, no request made); a URL answering 302 to
the same origin with "evil@" in it (not followed: broken "redirect not
followed"; the server saw no Authorization header).

discovery: [discovery] sitematrix on the fault server (default allow_hosts:
its own 127.0.0.1:PORT), whose SiteMatrix names trust_ok there and six
wikis the crawler must not touch: the "other host" by address and by name,
a dbname `Bad Name"<x>`, URLs with a path, a query and fragment, a user
name. `crawler run` and `crawler login`: the other host and main2 receive
zero requests (counted), stderr names every refused wiki and why, only
trust_ok is crawled (logged in, exit 0).

signals: SIGINT while `crawler run` waits for a SiteMatrix answer (exit 130,
an interrupted run written: latest, pages.jsonl, summary.md PARTIAL); SIGTERM
while it waits for clientlogin (exit 143, no "login failed" anywhere, every
probe not-run); the same two for `crawler login` (130/143, "interrupted", no
"LOGIN FAILED").

files: a run under umask 077 leaves nothing readable by group or others; a run
with --insecure says so in summary.md, report.html, junit.xml and
metrics.prom; with results/history.sqlite unwritable (a directory) the run
still prints its verdict line and writes every file, and exits 2.

Exit status 0 = all checks passed, 1 = a check failed, 2 = could not run.
Standard library only; loopback only.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import catalogue  # noqa: E402
from run_faults import PASSWORD, CheckFailed, Checks, FaultServer, scratch_dir, write_targets  # noqa: E402


def run(argv, timeout=120, env=None):
    p = subprocess.run(argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL, env=env)
    return p.returncode, p.stdout, p.stderr


def secret_forms(server):
    """label -> bytes for every secret the crawler knew during the runs."""
    got = server.get_json("/secretsjson")
    forms = {"password": PASSWORD, "password (URL-encoded)": urllib.parse.quote(PASSWORD, safe=""),
             "password (JSON-escaped)": json.dumps(PASSWORD)[1:-1]}
    for sid in got["sessions"]:
        forms[f"session {sid[:4]}..."] = sid
    for t in got["tokens"]:
        forms[f"login token {t[:4]}..."] = t
        forms[f"login token {t[:4]}... (URL-encoded)"] = urllib.parse.quote(t, safe="")
        forms[f"login token {t[:4]}... (JSON-escaped)"] = json.dumps(t)[1:-1]
    distinct = {}  # one label per distinct value: a copy is counted once
    for label, v in forms.items():
        if v and v not in distinct.values():
            distinct[label] = v
    return {label: v.encode() for label, v in distinct.items()}


def count_secrets(forms, outputs):
    """outputs: name -> bytes. Returns {output name: {label: copies}} (non-zero only)."""
    found = {}
    for name, data in outputs.items():
        hits = {label: data.count(v) for label, v in forms.items() if data.count(v)}
        if hits:
            found[name] = hits
    return found


def files_under(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            path = os.path.join(d, f)
            if os.path.islink(path):
                continue
            with open(path, "rb") as fh:
                out[os.path.relpath(path, root)] = fh.read()
    return out


def echo_test(crawler, keep):
    c = Checks("echo")
    with scratch_dir("bc-trust-echo-", keep) as tmp:
        with FaultServer() as server:
            port = server.ports["main"]
            wikis = [{"dbname": f"echo_{n}", "url": f"http://127.0.0.1:{port}", "script_path": f"/f/echo-{n}",
                      "account": True} for n in ("500", "200", "login")]
            targets = os.path.join(tmp, "targets.toml")
            write_targets(targets, catalogue.CRAWL, wikis, ["1", "2"])
            results = os.path.join(tmp, "results")
            outputs = {}
            rc, out, err = run([crawler, "run", targets, "--results", results])
            outputs.update({"run: stdout": out, "run: stderr": err})
            c.equal(rc, 2, "exit code of the text run (a login failed)")
            rc, out, err = run([crawler, "run", targets, "--results", results, "--format", "json"])
            outputs.update({"run --format json: stdout": out, "run --format json: stderr": err})
            try:
                summary = json.loads(out.decode().strip().splitlines()[-1])
            except (ValueError, IndexError):
                summary = None
            rc, out, err = run([crawler, "login", targets])
            outputs.update({"login: stdout": out, "login: stderr": err})
            c.equal(rc, 2, "exit code of `crawler login` (echo_login fails)")
            c.check(b"LOGIN FAILED" in out, "`crawler login` reports the failed login")
            rc, out, err = run([crawler, "recheck", "--results", results])
            outputs.update({"recheck: stdout": out, "recheck: stderr": err})
            for name, data in files_under(results).items():
                outputs["results/" + name] = data
            forms = secret_forms(server)
            found = count_secrets(forms, outputs)
            total = sum(sum(h.values()) for h in found.values())
            print(f"trust: echo: {len(forms)} secret forms (password, {len(server.get_json('/secretsjson')['sessions'])}"
                  f" session ids, {len(server.get_json('/secretsjson')['tokens'])} login tokens), "
                  f"{len(outputs)} outputs, {total} copies found")
            for name, hits in sorted(found.items()):
                print(f"trust: echo:   {name}: " + ", ".join(f"{label} x{n}" for label, n in hits.items()))
            c.equal(total, 0, "copies of secrets in the outputs")
            # The findings are still reported, with the secrets replaced.
            if c.check(summary is not None, "no JSON summary from run --format json"):
                lines = [json.loads(line) for line in
                         open(os.path.join(results, summary["run_id"], "pages.jsonl"), encoding="utf-8")]
                by_wiki = {}
                for line in lines:
                    by_wiki.setdefault(line["wiki"], []).append(line)
                c.equal(sorted(by_wiki), ["echo_200", "echo_500", "echo_login"], "wikis in pages.jsonl")
                for line in by_wiki.get("echo_500", []):
                    c.equal(line["verdict"], "exception", "echo_500 verdict")
                    c.check("[redacted]" in line["evidence"].get("message", ""),
                            f"echo_500 message shows where a secret was: {line['evidence'].get('message')!r}")
                # Evidence: the echoing pages are saved (headers + body) with the
                # secrets replaced; the count above covers these files too.
                ev = os.path.join(results, summary["run_id"], "evidence")
                saved = {d: sorted(os.listdir(os.path.join(ev, d))) for d in sorted(os.listdir(ev))} \
                    if os.path.isdir(ev) else {}
                bodies = [os.path.join(ev, d, f) for d, fs in saved.items() for f in fs if f.endswith(".body")]
                c.check(any("-exception-" in d for d in saved) and any("-warning-" in d for d in saved),
                        f"evidence of the echo_500 exception and the echo_200 warning: {saved}")
                for path in bodies:
                    with open(path, "rb") as f:
                        c.check(b"[redacted]" in f.read(), f"{os.path.relpath(path, results)} shows where a secret was")
                print(f"trust: echo: evidence files: {sum(len(fs) for fs in saved.values())} in {len(saved)} groups")
                for line in by_wiki.get("echo_200", []):
                    c.equal(line["verdict"], "warning", "echo_200 verdict")
                    c.check("[redacted]" in line["evidence"].get("message", ""),
                            f"echo_200 message shows where a secret was: {line['evidence'].get('message')!r}")
                for line in by_wiki.get("echo_login", []):
                    c.equal(line["verdict"], "auth", "echo_login verdict")
                    c.check("Incorrect password" in line["evidence"].get("detail", "") and
                            "[redacted]" in line["evidence"].get("detail", ""),
                            f"echo_login detail keeps the reason: {line['evidence'].get('detail')!r}")
    c.done()


def inject_test(crawler, keep):
    c = Checks("inject")
    with scratch_dir("bc-trust-inject-", keep) as tmp:
        with FaultServer() as server:
            port = server.ports["main"]
            ok = f"http://127.0.0.1:{port}/f/ok/index.php?title=Special%3ARecentChanges"
            urls = os.path.join(tmp, "urls.txt")
            results = os.path.join(tmp, "results")
            with open(urls, "w") as f:
                f.write(ok + "&k=1\n")
            rc, out, err = run([crawler, "run", "--urls", urls, "--results", results, "--user-agent",
                                "beta-crawler-test/1 (qa@example.org)\r\nX-Injected: 1"])
            c.equal(rc, 2, "exit code with CR LF in --user-agent")
            c.check(b"--user-agent: user_agent has a control character" in err, f"stderr names the flag: {err!r}")
            c.equal(out, b"", "stdout with a refused --user-agent")
            with open(urls, "w") as f:
                f.write(f"# pasted from a task\nhttp://CrawlerQA:hunter2-in-url@127.0.0.1:{port}/f/ok/index.php?k=2\n")
            rc, out, err = run([crawler, "run", "--urls", urls, "--results", results])
            c.equal(rc, 2, "exit code with user:password@ in the URL list")
            c.check(err.startswith(f"{urls}:2:1: the URL has a user name or password".encode()),
                    f"stderr names the line: {err!r}")
            c.check(b"hunter2" not in out + err, "the password in the URL is not echoed")
            hits = server.get_json("/hitsjson")
            c.equal(sum(n for k, n in hits.items() if "/f/ok/" in k), 0, "requests made by the refused runs")
            with open(urls, "w") as f:
                f.write(f"http://127.0.0.1:{port}/f/redirect-userinfo/index.php?title=Special%3ARecentChanges&k=3\n")
            rc, out, err = run([crawler, "run", "--urls", urls, "--results", results, "--format", "json", "--quiet"])
            try:
                summary = json.loads(out.decode().strip().splitlines()[-1])
            except (ValueError, IndexError):
                summary = None
            if c.check(summary is not None, f"no JSON summary; stderr: {err[-2000:]!r}"):
                lines = [json.loads(line) for line in
                         open(os.path.join(results, summary["run_id"], "pages.jsonl"), encoding="utf-8")]
                c.equal([(line["verdict"], line["redirects"]) for line in lines], [("broken", 0)],
                        "the redirect to evil@ is not followed")
            auths = server.get_json("/secretsjson")["authorizations"]
            c.equal(auths, [], "Authorization headers the server received")
            print(f"trust: inject: --user-agent CR LF exit 2; user:password@ in --urls exit 2; "
                  f"redirect to evil@: {len(auths)} Authorization headers sent")
    c.done()


def discovery_test(crawler, keep):
    c = Checks("discovery")
    with scratch_dir("bc-trust-discovery-", keep) as tmp:
        with FaultServer() as server:
            p = server.ports
            targets = os.path.join(tmp, "targets.toml")
            write_targets(targets, catalogue.CRAWL, [], ["1", "2"])
            with open(targets) as f:
                text = f.read()
            # No [[wiki]]: every wiki comes from the SiteMatrix.
            text += (f'\n[discovery]\nsitematrix = "http://127.0.0.1:{p["main"]}/f/sm/api.php"\n'
                     'account = "qa"\nscript_path = "/f/ok"\n')
            with open(targets, "w") as f:
                f.write(text)
            results = os.path.join(tmp, "results")
            rc, out, err = run([crawler, "run", targets, "--results", results, "--format", "json", "--quiet"])
            c.equal(rc, 0, f"exit code of the run (stderr {err[-1500:]!r})")
            try:
                summary = json.loads(out.decode().strip().splitlines()[-1])
            except (ValueError, IndexError):
                summary = None
            if c.check(summary is not None, "no JSON summary"):
                lines = [json.loads(line) for line in
                         open(os.path.join(results, summary["run_id"], "pages.jsonl"), encoding="utf-8")]
                c.equal(sorted({line["wiki"] for line in lines}), ["trust_ok"], "wikis crawled")
                c.check(all(line["verdict"] == "ok" for line in lines),
                        f"trust_ok pages ok (logged in): {[(line['wiki'], line['verdict']) for line in lines]}")
            rc2, out2, err2 = run([crawler, "login", targets])
            c.equal(rc2, 0, "exit code of `crawler login`")
            c.check(b"trust_ok" in out2 and b"logged in as CrawlerQA" in out2, f"login output: {out2!r}")
            for stderr, what in ((err, "run"), (err2, "login")):
                for db, why in (("trust_foreign", f"127.0.0.1:{p['other']} is outside [discovery] allow_hosts"),
                                ("trust_foreign_name", f"localhost:{p['other']} is outside [discovery] allow_hosts"),
                                ('Bad Name"<x>', "must be lower-case letters"),
                                ("trust_path", "has a path"), ("trust_query", "has a query"),
                                ("trust_userinfo", "user name or password")):
                    c.check(f"discovery: {db} not crawled: ".encode() in stderr and why.encode() in stderr,
                            f"{what}: stderr says {db} was not crawled ({why})")
            # `crawler plan --explain` lists every skipped wiki: the hostile dbname
            # is shown, escaped, and no byte of it reaches the terminal raw.
            rc3, out3, err3 = run([crawler, "plan", targets, "--explain"])
            c.equal(rc3, 0, f"exit code of `crawler plan --explain` (stderr {err3[-500:]!r})")
            c.check(b"skipped evil\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31m\\u{202e}red: " in out3,
                    f"plan --explain shows the hostile dbname escaped: {out3[-800:]!r}")
            for stream, what in ((out, "run stdout"), (err, "run stderr"), (out2, "login stdout"), (err2, "login stderr"),
                                 (out3, "plan stdout"), (err3, "plan stderr")):
                c.check(b"\x1b" not in stream and b"\x07" not in stream and "\u202e".encode() not in stream,
                        f"{what}: a raw terminal escape or bidi override from SiteMatrix")
            other = server.get_json("/otherlog")
            hits = server.get_json("/hitsjson")
            main2 = sum(n for k, n in hits.items() if k.startswith(f"{p['main2']}|"))
            print(f"trust: discovery: requests to the foreign origin: {len(other)}, to the refused wikis (main2): "
                  f"{main2}; password sent there: {sum(1 for r in other if r.get('password'))}")
            c.equal(len(other), 0, "requests to the foreign origin (other host)")
            c.equal(main2, 0, "requests to the wikis refused for their dbname or URL (main2)")
    c.done()


def one_wiki_targets(path, port, script_path, discovery=False):
    """A targets file with one logged-in wiki at /f/SCRIPT_PATH, or (discovery)
    SiteMatrix at that path naming it (hostile_sitematrix)."""
    wikis = [] if discovery else [{"dbname": "trust_ok", "url": f"http://127.0.0.1:{port}",
                                   "script_path": script_path, "account": True}]
    # The slow answers must outlast every timeout: only the signal ends the wait.
    crawl = {**catalogue.CRAWL, "low_speed_time_ms": 60000, "timeout_ms": 60000, "deadline_ms": 120000}
    write_targets(path, crawl, wikis, ["1", "2"])
    if discovery:
        with open(path, "a") as f:
            f.write(f'\n[discovery]\nsitematrix = "http://127.0.0.1:{port}{script_path}/api.php"\n'
                    'account = "qa"\nscript_path = "/f/ok"\n')


def interrupt(c, server, argv, hit_key, sig, what):
    """Starts argv, waits until the server has seen `hit_key`, sends `sig`;
    returns (exit code, stdout, stderr) or None when it did not end in 15 s."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    exact = hit_key.endswith("\x00")
    hit_key = hit_key.rstrip("\x00")
    seen = lambda: any(k == hit_key if exact else k.startswith(hit_key)  # noqa: E731
                       for k in server.get_json("/hitsjson"))
    while time.monotonic() < deadline and not seen() and proc.poll() is None:
        time.sleep(0.05)
    c.check(seen(), f"{what}: the server never saw {hit_key}")
    time.sleep(0.2)  # the request is in flight, its answer 20 s away
    sent = time.monotonic()
    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        c.check(False, f"{what}: still running 15 s after the signal")
        return None
    took = time.monotonic() - sent
    c.check(took < 5, f"{what}: ended {took:.1f} s after the signal (want < 5)")
    return proc.returncode, out, err, took


def signals_test(crawler, keep):
    c = Checks("signals")
    figures = []
    with scratch_dir("bc-trust-signals-", keep) as tmp:
        for n, (command, script_path, sig, want, what) in enumerate((
                ("run", "/f/slow-sm", signal.SIGINT, 130, "run, SIGINT during discovery"),
                ("run", "/f/slow-login", signal.SIGTERM, 143, "run, SIGTERM during the login"),
                ("login", "/f/slow-sm", signal.SIGTERM, 143, "login, SIGTERM during discovery"),
                ("login", "/f/slow-login", signal.SIGINT, 130, "login, SIGINT during the login"))):
            with FaultServer() as server:  # a fresh one each time: hit counters start at zero
                port = server.ports["main"]
                targets = os.path.join(tmp, f"t{n}.toml")
                discovery = script_path == "/f/slow-sm"
                one_wiki_targets(targets, port, script_path, discovery=discovery)
                # Hit keys are PORT|PATH|QUERY: the SiteMatrix GET has action=sitematrix in its
                # query; the clientlogin POST has none (its form is the body).
                key = (f"{port}|/f/slow-sm/api.php|" if discovery else f"{port}|/f/slow-login/api.php|")
                if not discovery:
                    key += "\x00"  # exactly the empty query: see seen() below
                results = os.path.join(tmp, f"r{n}")
                argv = [crawler, command, targets] + (["--results", results] if command == "run" else [])
                got = interrupt(c, server, argv, key, sig, what)
            if got is None:
                continue
            rc, out, err, took = got
            figures.append(f"{what}: exit {rc} after {took:.2f} s")
            c.equal(rc, want, f"{what}: exit code (stderr {err[-300:]!r})")
            c.check(b"login failed" not in out.lower() + err.lower(), f"{what}: reported as a failed login: {out!r}")
            if command == "run":
                latest = os.path.join(results, "latest")
                if c.check(os.path.isdir(latest), f"{what}: no results/latest"):
                    files = set(os.listdir(latest))
                    for f in ("pages.jsonl", "summary.md", "junit.xml", "report.html", "metrics.prom"):
                        c.check(f in files, f"{what}: no {f} in the interrupted run")
                    if "summary.md" in files:
                        with open(os.path.join(latest, "summary.md")) as f:
                            md = f.read()
                        c.check("PARTIAL" in md, f"{what}: summary.md does not say PARTIAL")
                        c.check("login failed" not in md.lower(), f"{what}: summary.md reports a failed login")
                    if "pages.jsonl" in files:
                        with open(os.path.join(latest, "pages.jsonl")) as f:
                            verdicts = {json.loads(line)["verdict"] for line in f}
                        c.check(verdicts <= {"not-run"}, f"{what}: verdicts {verdicts}, want only not-run")
                c.check(b"INTERRUPTED" in out, f"{what}: no INTERRUPTED verdict line: {out!r}")
            else:
                c.check(b"LOGIN FAILED" not in out, f"{what}: LOGIN FAILED printed")
                c.check(b"interrupted" in out, f"{what}: does not say interrupted: {out!r}")
    print("trust: signals: " + "; ".join(figures))
    c.done()


def files_test(crawler, keep):
    c = Checks("files")
    with scratch_dir("bc-trust-files-", keep) as tmp:
        with FaultServer() as server:
            port = server.ports["main"]
            urls = os.path.join(tmp, "urls.txt")
            with open(urls, "w") as f:
                f.write(f"http://127.0.0.1:{port}/f/ok/index.php?title=Special%3ARecentChanges&k=1\n")
            # umask 077: nothing the run creates is readable by group or others.
            private = os.path.join(tmp, "private")
            p = subprocess.run([crawler, "run", "--urls", urls, "--results", private], capture_output=True,
                               preexec_fn=lambda: os.umask(0o077), stdin=subprocess.DEVNULL)
            c.equal(p.returncode, 0, "exit code of the umask 077 run")
            loose = []
            for d, dirs, files in os.walk(private):
                for name in dirs + files:
                    full = os.path.join(d, name)
                    mode = os.lstat(full).st_mode
                    if not os.path.islink(full) and mode & 0o077:
                        loose.append(f"{os.path.relpath(full, private)} {oct(mode & 0o777)}")
            c.equal(loose, [], "files or directories readable by others under umask 077")
            # --insecure is said in every report.
            insecure = os.path.join(tmp, "insecure")
            rc, out, err = run([crawler, "run", "--urls", urls, "--results", insecure, "--insecure"])
            c.equal(rc, 0, "exit code of the --insecure run")
            latest = os.path.join(insecure, "latest")
            for f, mark in (("summary.md", "TLS certificates were NOT verified"),
                            ("report.html", "TLS certificates were NOT verified"),
                            ("junit.xml", '<property name="tls_verified" value="false"'),
                            ("metrics.prom", "beta_crawler_run_tls_verified 0")):
                with open(os.path.join(latest, f)) as fh:
                    c.check(mark in fh.read(), f"--insecure: {f} does not say {mark!r}")
            # history.sqlite unwritable: the verdict line is printed, the files are written, exit 2.
            broken = os.path.join(tmp, "broken")
            os.makedirs(os.path.join(broken, "history.sqlite"))
            rc, out, err = run([crawler, "run", "--urls", urls, "--results", broken])
            c.equal(rc, 2, "exit code with an unwritable history")
            c.check(b"PASS: no product failure" in out, f"no verdict line with an unwritable history: {out!r}")
            c.check(b"history.sqlite" in err, f"stderr does not name the history: {err!r}")
            runs = [d for d in os.listdir(broken) if d[0].isdigit()]
            if c.check(len(runs) == 1, f"run directories: {runs}"):
                files = set(os.listdir(os.path.join(broken, runs[0])))
                for f in ("pages.jsonl", "summary.md", "junit.xml", "report.html", "metrics.prom"):
                    c.check(f in files, f"unwritable history: no {f}")
            print(f"trust: files: umask 077 -> {len(loose)} loose files; --insecure noted; unwritable history: exit {rc}")
    c.done()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crawler", help="the crawler binary")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directories")
    ap.add_argument("what", choices=["echo", "inject", "discovery", "signals", "files"])
    args = ap.parse_args()
    if not (args.crawler and os.access(args.crawler, os.X_OK)):
        print(f"run_trust: --crawler {args.crawler!r} is not an executable", file=sys.stderr)
        return 2
    try:
        if args.what == "echo":
            echo_test(args.crawler, args.keep)
        elif args.what == "inject":
            inject_test(args.crawler, args.keep)
        elif args.what == "discovery":
            discovery_test(args.crawler, args.keep)
        elif args.what == "signals":
            signals_test(args.crawler, args.keep)
        elif args.what == "files":
            files_test(args.crawler, args.keep)
    except CheckFailed as e:
        print(f"FAIL {e}")
        return 1
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
