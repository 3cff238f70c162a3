#!/usr/bin/env bash
# Nothing secret leaks: a full logged-in crawl of the farm (with the 2017 fault
# on frwiki, so there are failures with reproduction commands), then every byte
# it wrote -- stdout, stderr, every file under the results dir (pages.jsonl,
# summary.md, junit.xml, metrics.prom, report.html, history.sqlite and its
# WAL) -- is searched for:
#   - the QA password (raw, URL-encoded, JSON-escaped);
#   - every session cookie value the wikis handed out during the crawl (read
#     from the wikis' session stores: WIKI:MWSession:<cookie value>), which
#     includes the crawler's own sessions;
#   - the cookie values and login token of a session this test logs in itself;
#   - anything shaped like a MediaWiki token (hex + "+\", also URL-encoded):
#     every logged-in page embeds the session's csrf/patrol/watch tokens, so
#     evidence bodies (evidence/*/ID.body) must have them redacted.
# Zero occurrences of each. The curl reproduction lines in summary.md must name
# the cookies and carry no value. Output names secrets by label, never by value.
source "$(dirname "$0")/lib.sh"
PWFILE="$FARM/state/qa.password"
[ -s "$PWFILE" ] || fail "no $PWFILE (is the farm running?)"
sed "s|\"../tests/farm/state/qa.password\"|\"$PWFILE\"|" "$ROOT/targets/local.toml" >"$WORK/local.toml"
SECRETS="$WORK/secrets"   # "label<TAB>value" lines; mode 0600, removed with $WORK
umask 077
: >"$SECRETS"

session_ids() {  # session_ids FILE: every WIKI:MWSession:<id> id in the three stores, sorted
  for w in enwiki frwiki ruwiki; do
    FARM_DB="$FARM/state/$w/db/wikicache.sqlite" php -r '
      $db = new PDO("sqlite:" . getenv("FARM_DB"), null, null, [PDO::ATTR_TIMEOUT => 10]);
      foreach ($db->query("SELECT keyname FROM objectcache WHERE keyname LIKE \"%:MWSession:%\"") as $r)
        echo substr($r[0], strrpos($r[0], ":") + 1), "\n";'
  done | sort -u >"$1"
}
session_ids "$WORK/sessions.before"

# Our own login, with curl, into a cookie jar: its cookie values and login token
# are known secrets too (and prove the session store holds cookie values).
head -n1 "$PWFILE" | tr -d '\r\n' >"$WORK/pw"
API="http://127.0.0.1:8101/api.php"
curl -sS -c "$WORK/jar" -b "$WORK/jar" "$API?action=query&meta=tokens&type=login&format=json" >"$WORK/token.json"
python3 - "$WORK/token.json" "$WORK/login-token" <<'PY'
import json, sys
open(sys.argv[2], "w").write(json.load(open(sys.argv[1]))["query"]["tokens"]["logintoken"])
PY
curl -sS -c "$WORK/jar" -b "$WORK/jar" --data-urlencode "username=CrawlerQA" --data-urlencode "password@$WORK/pw" \
  --data-urlencode "logintoken@$WORK/login-token" --data-urlencode "loginreturnurl=http://127.0.0.1:8101/" \
  "$API?action=clientlogin&format=json" >"$WORK/login.json"
grep -q '"status":"PASS"' "$WORK/login.json" || fail "our own clientlogin did not pass (status not PASS)"
python3 - "$WORK" <<'PY'
import sys, urllib.parse, json, pathlib
w = pathlib.Path(sys.argv[1])
pw = (w / "pw").read_text()
out = [("password", pw), ("password (URL-encoded)", urllib.parse.quote(pw, safe="")),
       ("password (JSON-escaped)", json.dumps(pw)[1:-1]), ("our login token", (w / "login-token").read_text())]
for line in (w / "jar").read_text().splitlines():
    f = line.split("\t")
    if len(f) == 7 and (f[5].endswith("_session") or f[5].endswith("Token")) and len(f[6]) >= 16:
        out.append((f"our cookie {f[5]}", f[6]))
with open(w / "secrets", "a") as s:
    for label, v in out:
        if v: s.write(f"{label}\t{v}\n")
PY
grep -q "^our cookie enwiki_session" "$SECRETS" || fail "our login set no enwiki_session cookie"

# The crawl itself: stdout and stderr apart.
"$FARM/fault" frwiki null-threshold
set +e
"$CRAWLER" run "$WORK/local.toml" --results "$WORK/results" >"$WORK/stdout" 2>"$WORK/stderr"
RC=$?
set -e
[ "$RC" -eq 1 ] || fail "exit code $RC, want 1 (frwiki's injected failures); stderr: $(wc -l <"$WORK/stderr") lines"
RUN="$(ls -d "$WORK"/results/2*/ | tail -1)"
for f in pages.jsonl summary.md junit.xml metrics.prom; do [ -s "$RUN/$f" ] || fail "no $f in the run directory"; done
grep -q '"verdict": *"ok"' "$RUN/pages.jsonl" || fail "no ok probe: did the crawl log in at all?"
# The evidence of frwiki's failures: logged-in pages, so each carried the
# session's tokens (mw.user.tokens) and must hold them redacted.
compgen -G "$RUN/evidence/*/*.body" >/dev/null || fail "no evidence body written: nothing to search for tokens"
grep -qF '"csrfToken":"[redacted]"' "$RUN"/evidence/*/*.body || fail "no evidence body has its csrfToken redacted"

# Sessions created during the crawl: the crawler's (and any other client's).
session_ids "$WORK/sessions.after"
comm -13 "$WORK/sessions.before" "$WORK/sessions.after" | awk '{print "session created during the crawl\t" $0}' >>"$SECRETS"
grep -q "^our cookie enwiki_session" "$SECRETS" && [ "$(comm -13 "$WORK/sessions.before" "$WORK/sessions.after" | wc -l)" -ge 3 ] \
  || fail "fewer than 3 new sessions in the wikis' stores: the crawler did not log in to every wiki"
OUR="$(grep -P '^our cookie enwiki_session\t' "$SECRETS" | cut -f2)"
grep -qxF "$OUR" "$WORK/sessions.after" || fail "the session store does not hold cookie values (our enwiki_session is not in it)"
unset OUR

python3 - "$SECRETS" "$WORK/stdout" "$WORK/stderr" "$WORK/results" <<'PY' || fail "secrets leaked (see above)"
import pathlib, re, sys
secrets = [l.split("\t", 1) for l in pathlib.Path(sys.argv[1]).read_text().splitlines() if "\t" in l]
files = [pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])]
files += sorted(p for p in pathlib.Path(sys.argv[4]).rglob("*") if p.is_file() and not p.is_symlink())
token_shape = re.compile(rb"[0-9a-f]{32,}(?:\+|%2[Bb])(?:\\|%5[Cc])")  # raw/JSON, or URL-encoded (rollback links)
found = 0
for f in files:
    data = f.read_bytes()
    for label, value in secrets:
        n = data.count(value.encode())
        if n:
            print(f"found {n} occurrences of {label} in {f.name}", file=sys.stderr); found += n
    n = len(token_shape.findall(data))
    if n:
        print(f"found {n} token-shaped strings in {f.name}", file=sys.stderr); found += n
    n = len(re.findall(rb"_session=[A-Za-z0-9%]{16,}", data))
    if n:
        print(f"found {n} session cookie values in {f.name}", file=sys.stderr); found += n
if found: sys.exit(1)
names = ", ".join(sorted({f.name for f in files}))
print(f"ok: {len(secrets)} secret values, 0 occurrences in {len(files)} files ({names})")
PY

# Reproduction commands: present for the failures, naming cookies without values.
python3 - "$RUN/summary.md" <<'PY' || fail "reproduction commands are wrong (see above)"
import re, sys
lines = [l for l in open(sys.argv[1], encoding="utf-8") if "curl " in l]
if not lines: sys.exit("FAIL: summary.md has no curl reproduction command")
logged_in = [l for l in lines if " -b " in l]
if not logged_in: sys.exit("FAIL: no reproduction command carries the session cookies (-b NAME=...)")
for l in logged_in:
    cookies = re.search(r" -b '([^']*)'", l)
    if not cookies: sys.exit("FAIL: a -b argument is not a quoted cookie list")
    for c in cookies.group(1).split("; "):
        name, _, value = c.partition("=")
        if not name or value != "...":
            sys.exit(f"FAIL: cookie {name!r} in a reproduction command has a value, not '...'")
print(f"ok: {len(lines)} reproduction commands, {len(logged_in)} name their cookies without values")
PY
