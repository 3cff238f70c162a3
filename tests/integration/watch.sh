#!/usr/bin/env bash
# `crawler watch`: a change in what a wiki runs (here a config deploy that
# unloads ORES on enwiki) is noticed at the next poll and triggers a crawl,
# which catches the vanished ORES filters (broken) and exits 1.
source "$(dirname "$0")/lib.sh"
trap 'for w in enwiki frwiki ruwiki; do "$FARM/fault" "$w" none || true; "$FARM/ores" "$w" full || true; done; rm -rf "$WORK"' EXIT
"$FARM/ores" enwiki full
"$CRAWLER" watch "$ROOT/targets/local.toml" --interval 0.5 --max-runs 1 --results "$WORK/results" -q > "$WORK/out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do grep -q '^watching 3 wikis' "$WORK/out" && break; sleep 0.1; done
grep -q '^watching 3 wikis' "$WORK/out" || { kill $pid; fail "watch did not start"$'\n'"$(cat "$WORK/out")"; }
[ ! -d "$WORK/results" ] || [ -z "$(ls "$WORK/results")" ] || { kill $pid; fail "watch crawled before any change"; }
"$FARM/ores" enwiki none
for _ in $(seq 1 600); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -0 $pid 2>/dev/null && { kill $pid; fail "watch did not crawl and exit within 60 s"$'\n'"$(cat "$WORK/out")"; }
set +e; wait $pid; rc=$?; set -e
OUT="$(cat "$WORK/out")"
# A line per poll, with its time (issue 14): the change is named in its poll's line.
grep -qE '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z poll 1: 3 wikis$' <<<"$OUT" || fail "no timestamped line for the first poll"$'\n'"$OUT"
grep -qE '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z poll [0-9]+: 3 wikis, changed: enwiki$' <<<"$OUT" || fail "no timestamped poll line naming the change"$'\n'"$OUT"
grep -q "deploy detected on enwiki" <<<"$OUT" || fail "the change on enwiki was not reported"$'\n'"$OUT"
grep -q "deploy detected on frwiki" <<<"$OUT" && fail "frwiki reported changed, but nothing changed there"$'\n'"$OUT"
[ "$rc" -eq 1 ] || fail "exit code $rc, want 1 (the crawl found the vanished filters)"$'\n'"$OUT"
PAGES="$(ls -d "$WORK"/results/2*/ | tail -1)pages.jsonl"
check '
broken = [r for r in rows if r["verdict"] == "broken"]
if not broken or any(r["wiki"] != "enwiki" for r in broken): bad("want broken pages on enwiki only", broken or rows)
print("ok: watch noticed the change on enwiki and its crawl found", len(broken), "pages without the ORES filters")
'
