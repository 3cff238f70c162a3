#!/usr/bin/env bash
# `crawler repro PROBE_ID`: the reproduction summary.md shows works with
# nothing pasted. A run finds the 2017 fault on ruwiki; repro of a failing
# probe (a logged-in Watchlist) logs in, fetches it once, prints HTTP 500 and
# the exception, and --save keeps headers (session cookies redacted) and body
# that `crawler classify` judges the same way. After the fix, repro says ok.
source "$(dirname "$0")/lib.sh"
R="$WORK/results"
"$FARM/fault" ruwiki null-threshold
crawl "$ROOT/targets/local.toml" --wiki ruwiki --page watchlist
[ "$RC" -eq 1 ] || fail "run: exit code $RC, want 1"$'\n'"$OUT"
run=$(basename "$(readlink "$R/latest")")
id=$(python3 -c "
import json, sys
for l in open('$PAGES'):
    r = json.loads(l)
    if r['verdict'] == 'exception': print(r['id']); break
")
[ -n "$id" ] || fail "no exception probe in $PAGES"
grep -q "./crawler repro $id --run $run --save repro/" "$R/$run/summary.md" ||
  fail "summary.md does not show the repro command for $id"$'\n'"$(grep -n repro "$R/$run/summary.md")"

cd "$WORK"
set +e
"$CRAWLER" repro "$id" --results "$R" --save saved > "$WORK/repro.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "repro of a failing probe: exit $rc, want 1"$'\n'"$(cat "$WORK/repro.out")"
grep -q "^logged in to ruwiki as CrawlerQA" "$WORK/repro.out" || fail "repro did not log in"$'\n'"$(cat "$WORK/repro.out")"
grep -q "^HTTP 500 · verdict exception · RuntimeException" "$WORK/repro.out" ||
  fail "repro does not print the status and verdict"$'\n'"$(cat "$WORK/repro.out")"
grep -q "^in run $run: exception (the same)" "$WORK/repro.out" || fail "repro does not compare with the run"
[ -s "saved/$id.body" ] && [ -s "saved/$id.headers" ] || fail "--save did not write saved/$id.body and .headers"
head -1 "saved/$id.headers" | grep -q "^HTTP/1.1 500" || fail "the headers file does not start with the status line"
if grep -i '^set-cookie:' "saved/$id.headers" | tr -d '\r' | grep -vEq '^set-cookie: \[redacted\]( \(a cookie named [^=;]+\))?$'; then
  fail "a cookie value was saved: $(grep -i '^set-cookie' "saved/$id.headers")"
fi
set +e
"$CRAWLER" classify "saved/$id.body" --kind watchlist --headers "saved/$id.headers" > "$WORK/classify.out"
rc=$?
set -e
[ "$rc" -eq 1 ] && grep -q '"verdict":"exception"' "$WORK/classify.out" ||
  fail "classify of the saved page: exit $rc, $(cat "$WORK/classify.out")"

"$FARM/fault" ruwiki none
set +e
"$CRAWLER" repro "$id" --run "$run" --results "$R" > "$WORK/repro2.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "repro after the fix: exit $rc, want 0"$'\n'"$(cat "$WORK/repro2.out")"
grep -q "^HTTP 200 · verdict ok" "$WORK/repro2.out" || fail "repro after the fix"$'\n'"$(cat "$WORK/repro2.out")"
set +e
"$CRAWLER" repro 0000000000000000 --results "$R" > "$WORK/repro3.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "no probe 0000000000000000 in the plan of" "$WORK/repro3.out" ||
  fail "repro of an unknown id: exit $rc"$'\n'"$(cat "$WORK/repro3.out")"
echo "ok: repro $id logged in, got HTTP 500 exception, saved headers and body (cookies redacted), ok after the fix"
