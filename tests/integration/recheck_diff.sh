#!/usr/bin/env bash
# A release engineer's loop: a run finds the fault, the fault is fixed,
# `recheck` re-runs only the failing probes and says they are fixed, `diff`
# and `history` agree, and `--fail-on new` ignores failures already known.
source "$(dirname "$0")/lib.sh"
R="$WORK/results"
"$FARM/fault" ruwiki null-threshold
crawl "$ROOT/targets/local.toml" --wiki ruwiki --wiki enwiki
[ "$RC" -eq 1 ] || fail "first run: exit code $RC, want 1"$'\n'"$OUT"
first=$(basename "$(readlink "$R/latest")")
failing=$(grep -c '"verdict":"exception"' "$R/$first/pages.jsonl")
[ "$failing" -gt 0 ] || fail "first run found no exception"

# Still broken, but nothing new: --fail-on new passes, plain run fails.
set +e
"$CRAWLER" run "$ROOT/targets/local.toml" --wiki ruwiki --wiki enwiki --results "$R" --fail-on new -q > "$WORK/out2" 2>&1
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "--fail-on new with only known failures: exit $rc, want 0"$'\n'"$(cat "$WORK/out2")"
grep -q "0 new failures" "$WORK/out2" || fail "no baseline comparison printed"$'\n'"$(cat "$WORK/out2")"
second=$(basename "$(readlink "$R/latest")")

"$FARM/fault" ruwiki none
set +e
"$CRAWLER" recheck "$first" --results "$R" > "$WORK/out3" 2>&1
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "recheck after the fix: exit $rc, want 0"$'\n'"$(cat "$WORK/out3")"
grep -q "rechecking $failing failing probes of run $first" "$WORK/out3" || fail "recheck did not take the failing probes"$'\n'"$(cat "$WORK/out3")"
grep -q "$failing fixed, 0 still failing" "$WORK/out3" || fail "recheck does not report them fixed"$'\n'"$(cat "$WORK/out3")"
recheck=$(basename "$(readlink "$R/latest")")
[ "$(wc -l < "$R/$recheck/pages.jsonl")" -eq "$failing" ] || fail "recheck loaded more than the failing probes"

set +e
"$CRAWLER" diff "$first" "$recheck" --results "$R" > "$WORK/out4" 2>&1
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "diff: exit $rc, want 0 (no new failures)"
grep -q "$failing fixed" "$WORK/out4" || fail "diff does not show the fixed probes"$'\n'"$(cat "$WORK/out4")"
[ "$("$CRAWLER" history --results "$R" | grep -c '^2')" -eq 3 ] || fail "history does not list the 3 runs"
# The recheck covered a few probes: its scope says so, and the next run of the
# same filters compares with the last run of those filters, not the recheck.
"$CRAWLER" history --results "$R" --format json > "$WORK/history.jsonl"
grep -q "\"run_id\":\"$recheck\".*\"scope\":\"recheck of $first\"" "$WORK/history.jsonl" ||
  fail "the recheck's scope is not 'recheck of $first'"$'\n'"$(cat "$WORK/history.jsonl")"
grep -q "\"run_id\":\"$first\".*\"scope\":\"--wiki enwiki --wiki ruwiki\"" "$WORK/history.jsonl" ||
  fail "the first run's scope is not its --wiki filters"$'\n'"$(cat "$WORK/history.jsonl")"
set +e
"$CRAWLER" run "$ROOT/targets/local.toml" --wiki enwiki --wiki ruwiki --results "$R" --baseline last -q > "$WORK/out5" 2>&1
rc=$?
set -e
[ "$rc" -eq 0 ] || fail "run after the fix: exit $rc, want 0"$'\n'"$(cat "$WORK/out5")"
grep -q "^$second -> .*$failing fixed" "$WORK/out5" ||
  fail "--baseline last did not compare with $second (the last run of these filters)"$'\n'"$(cat "$WORK/out5")"
for f in pages.jsonl summary.md junit.xml report.html metrics.prom; do
  [ -s "$R/$first/$f" ] || fail "$f missing from the run directory"
done
echo "ok: $failing failures found, known on rerun, fixed on recheck, shown by diff and history; the next run's baseline is $second, not the recheck"
