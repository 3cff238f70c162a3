#!/usr/bin/env bash
# Server-side sessions deleted mid-crawl: the crawler notices the anonymous
# view, logs in again once, re-fetches, and no probe ends as auth.
source "$(dirname "$0")/lib.sh"
# Slow enough (2 pages/s on enwiki) that the kill lands mid-crawl.
sed -e 's/^per_host_concurrency = .*/per_host_concurrency = 1/' -e 's/^retries = 1/retries = 1\nper_host_rps = 2/' \
    -e 's|"../tests/farm/state/qa.password"|"'"$ROOT"'/tests/farm/state/qa.password"|' \
    "$ROOT/targets/local.toml" > "$WORK/slow.toml"
"$CRAWLER" run "$WORK/slow.toml" --wiki enwiki --page recentchanges --results "$WORK/results" > "$WORK/out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  n=$(cat "$WORK"/results/2*/pages.jsonl 2>/dev/null | wc -l || true)
  [ "$n" -ge 4 ] && break
  sleep 0.1
done
[ "$n" -ge 4 ] || { kill $pid; fail "the crawl did not start"; }
"$FARM/kill-sessions" enwiki
set +e; wait $pid; RC=$?; set -e
OUT="$(cat "$WORK/out")"
PAGES="$(ls -d "$WORK"/results/2*/ | tail -1)pages.jsonl"
grep -q "session lost on enwiki: re-login ok" <<<"$OUT" || fail "no re-login reported"$'\n'"$OUT"
check '
if len(rows) != 15: bad(f"{len(rows)} outcomes, want 15", rows)
auth = [r for r in rows if r["verdict"] != "ok"]
if auth: bad("probes not ok after the re-login", auth)
print("ok: sessions killed mid-crawl, one re-login, all", len(rows), "probes ok")
'
[ "$RC" -eq 0 ] || fail "exit code $RC, want 0"$'\n'"$OUT"
