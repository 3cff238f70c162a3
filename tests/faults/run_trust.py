#!/usr/bin/python3
"""Trust-boundary tests through the real crawler binary (issue 15; tests/faults/README.md).

  run_trust.py --crawler BIN echo     a wiki that echoes secrets: zero copies in any output
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

Exit status 0 = all checks passed, 1 = a check failed, 2 = could not run.
Standard library only; loopback only.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--crawler", help="the crawler binary")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directories")
    ap.add_argument("what", choices=["echo", "inject"])
    args = ap.parse_args()
    if not (args.crawler and os.access(args.crawler, os.X_OK)):
        print(f"run_trust: --crawler {args.crawler!r} is not an executable", file=sys.stderr)
        return 2
    try:
        if args.what == "echo":
            echo_test(args.crawler, args.keep)
        elif args.what == "inject":
            inject_test(args.crawler, args.keep)
    except CheckFailed as e:
        print(f"FAIL {e}")
        return 1
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
