#!/usr/bin/env bash
# Discovery and per-wiki facts against the farm: SiteMatrix finds the three
# open wikis and skips the closed aawiki; the plan gives ORES axes only where
# ORES runs (ruwiki profile none: none at all), only the models each wiki runs
# (frwiki profile damaging: no goodfaith) and only the levels it offers
# (enwiki profile partial: no verylikelybad).
source "$(dirname "$0")/lib.sh"
restore() {
  for w in enwiki frwiki ruwiki; do "$FARM/fault" "$w" none || true; "$FARM/ores" "$w" full || true; done
  rm -rf "$WORK"
}
trap restore EXIT
cat >"$WORK/disc.toml" <<TOML
[crawl]
user_agent = "beta-crawler/0.1 (discovery farm test; qa@example.org)"
concurrency = 8
per_host_concurrency = 4
retries = 1
[account.qa]
username = "CrawlerQA"
password_file = "$FARM/state/qa.password"
[discovery]
sitematrix = "http://127.0.0.1:8101/api.php"
sitematrix_limit = 2
# The farm's wikis are on three ports of one host; the default allows only the SiteMatrix port.
allow_hosts = ["127.0.0.1:*"]
script_path = ""
account = "qa"
facts = true
$(sed -n '/^\[page.recentchanges\]/,$p' "$ROOT/targets/local.toml")
TOML
"$FARM/ores" enwiki partial
"$FARM/ores" frwiki damaging
"$FARM/ores" ruwiki none
EXPLAIN="$("$CRAWLER" plan "$WORK/disc.toml" --explain)" || fail "plan --explain failed"
"$CRAWLER" plan "$WORK/disc.toml" --format json >"$WORK/plan.jsonl" || fail "plan failed"
restore_profiles() { for w in enwiki frwiki ruwiki; do "$FARM/ores" "$w" full; done; }
restore_profiles
grep -q "SiteMatrix http://127.0.0.1:8101/api.php: 2 requests, 3 wikis discovered, 1 skipped" <<<"$EXPLAIN" \
  || fail "discovery summary"$'\n'"$EXPLAIN"
grep -q "skipped aawiki: closed" <<<"$EXPLAIN" || fail "aawiki not skipped as closed"$'\n'"$EXPLAIN"
grep -q "ruwiki (MediaWiki 1.39.17, ru): ORES is not installed" <<<"$EXPLAIN" || fail "ruwiki ORES state"$'\n'"$EXPLAIN"
grep -q "goodfaith        dropped: frwiki does not run the goodfaith model" <<<"$EXPLAIN" || fail "frwiki goodfaith"$'\n'"$EXPLAIN"
grep -q 'likelybad;verylikelybad -> damaging=likelybad' <<<"$EXPLAIN" || fail "enwiki trimming"$'\n'"$EXPLAIN"
PLAN="$WORK/plan.jsonl" python3 -c "
import json, os, sys
rows = [json.loads(l) for l in open(os.environ['PLAN'])]
def fail(msg): print('FAIL:', msg, file=sys.stderr); sys.exit(1)
wikis = sorted({r['wiki'] for r in rows})
if wikis != ['enwiki', 'frwiki', 'ruwiki']: fail(f'wikis {wikis}')
ores_keys = lambda r: {k for k in r['params'] if k.startswith(('damaging', 'goodfaith', 'hidenondamaging'))}
ru = [r for r in rows if r['wiki'] == 'ruwiki' and r['kind'] != 'api']
if any(ores_keys(r) for r in ru): fail('ORES parameters on ruwiki, which does not run ORES')
if any(r['kind'] == 'api' and r['wiki'] == 'ruwiki' for r in rows): fail('pre-flight probe on ruwiki')
fr = [r for r in rows if r['wiki'] == 'frwiki']
if any('goodfaith' in k for r in fr for k in r['params']): fail('goodfaith on frwiki (damaging only)')
if not any('damaging' in r['params'] for r in fr): fail('no damaging axis on frwiki')
en = [r for r in rows if r['wiki'] == 'enwiki']
if any('verylikelybad' in k + v for r in en for k, v in r['params'].items()): fail('verylikelybad on enwiki (partial)')
if not any(r['params'].get('damaging') == 'likelybad' for r in en): fail('likelybad;verylikelybad not trimmed to likelybad')
api = sorted(r['wiki'] for r in rows if r['kind'] == 'api' and r['params'].get('meta') == 'ores')
if api != ['enwiki', 'frwiki']: fail(f'pre-flight probes on {api}')
# The ORES API probes (issue 13): where the wiki's API says ORES runs, one per page kind.
ores_api = sorted((r['wiki'], r['params']['list']) for r in rows if r['kind'] == 'api' and 'list' in r['params'])
want = [(w, l) for w in ('enwiki', 'frwiki') for l in ('recentchanges', 'usercontribs', 'watchlist')]
if ores_api != want: fail(f'ORES API probes {ores_api}, want {want}')
print(f'ok: {len(rows)} probes on {wikis}; ORES axes only where ORES runs, only offered models and levels')
"
# A dblist and globs narrow what SiteMatrix found (profiles are back to full).
printf '# farm subset\nenwiki\nruwiki\nfrwiki  # all three open ones\naawiki\n' >"$WORK/farm.dblist"
sed -e 's|^facts = true|facts = false\ndblist = "farm.dblist"\nexclude = ["fr*"]|' "$WORK/disc.toml" >"$WORK/narrow.toml"
EXPLAIN="$("$CRAWLER" plan "$WORK/narrow.toml" --explain)" || fail "plan (dblist) failed"
grep -q "2 wikis discovered, 2 skipped" <<<"$EXPLAIN" || fail "dblist/exclude counts"$'\n'"$EXPLAIN"
grep -q "skipped frwiki: excluded by 'fr\*'" <<<"$EXPLAIN" || fail "frwiki not excluded"$'\n'"$EXPLAIN"
grep -q "skipped aawiki: closed" <<<"$EXPLAIN" || fail "aawiki (closed, in the dblist) not skipped"$'\n'"$EXPLAIN"
wikis="$("$CRAWLER" plan "$WORK/narrow.toml" --format json | python3 -c 'import json,sys; print(" ".join(sorted({json.loads(l)["wiki"] for l in sys.stdin})))')"
[ "$wikis" = "enwiki ruwiki" ] || fail "dblist + exclude kept '$wikis', want 'enwiki ruwiki'"
echo "ok: dblist and exclude globs narrow the discovered wikis"
# The same dblist published on a web server (a loopback python http.server).
coproc DBLIST { cd "$WORK" && exec python3 -c 'import http.server, sys
s = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
print(s.server_address[1], flush=True); s.serve_forever()' 2>/dev/null; }
trap 'kill "$DBLIST_PID" 2>/dev/null || true; restore' EXIT
read -r DBLIST_PORT <&"${DBLIST[0]}"
sed -e "s|^dblist = .*|dblist = \"http://127.0.0.1:$DBLIST_PORT/farm.dblist\"|" "$WORK/narrow.toml" >"$WORK/url.toml"
wikis="$("$CRAWLER" plan "$WORK/url.toml" --format json | python3 -c 'import json,sys; print(" ".join(sorted({json.loads(l)["wiki"] for l in sys.stdin})))')"
[ "$wikis" = "enwiki ruwiki" ] || fail "dblist URL + exclude kept '$wikis', want 'enwiki ruwiki'"
sed -e "s|^dblist = .*|dblist = \"http://127.0.0.1:$DBLIST_PORT/missing.dblist\"|" "$WORK/narrow.toml" >"$WORK/bad.toml"
set +e; ERR="$("$CRAWLER" plan "$WORK/bad.toml" 2>&1 >/dev/null)"; rc=$?; set -e
[ "$rc" -eq 2 ] && grep -q "cannot fetch dblist .*HTTP 404" <<<"$ERR" || fail "missing dblist URL: rc $rc, '$ERR'"
echo "ok: a dblist URL is fetched through the engine; a missing one is an error"
