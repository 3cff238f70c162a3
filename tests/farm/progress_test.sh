#!/usr/bin/env bash
# The farm scripts' progress ticker (lib.sh farm_progress_start, issue 14
# point 11): with FARM_PROGRESS=1, a stage that lasts 4 s in silence is said
# again at least every 2 s, with the seconds since t0 and each wiki's step
# when the script defines farm_stage_detail; the ticker is gone after
# farm_progress_stop; without FARM_PROGRESS=1 nothing is said. No farm runs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fail() { echo "FAIL: $*" >&2; exit 1; }
out="$(mktemp)"; trap 'rm -f "$out"' EXIT

stamp() { while IFS= read -r l; do printf '%s %s\n' "$(date +%s%N)" "$l"; done; }
(
  export FARM_PROGRESS=1
  t0=$(date +%s%N)
  farm_stage_detail() { case "$(cat "$FARM_TICK_DIR/stage")" in installing*) echo "enwiki: install.php" ;; esac; }
  farm_progress_start farm
  farm_stage "installing enwiki"
  sleep 4
  farm_stage "up"
  farm_progress_stop
  echo "ticker $FARM_TICK_PID" >&2
  sleep 1.8  # a ticker still alive would speak now (after 1.2 s of silence)
) 2>&1 | stamp >"$out"

grep -q ' farm: 0 s: installing enwiki$' "$out" || fail "the stage is not said at once"$'\n'"$(cat "$out")"
grep -qE ' farm: [2-5] s: enwiki: install.php$' "$out" || fail "the ticker does not repeat each wiki's step"$'\n'"$(cat "$out")"
grep -qE ' farm: [3-6] s: up$' "$out" || fail "no final stage"$'\n'"$(cat "$out")"
# Every gap between two lines, up to the final stage, is at most 2 s.
awk '/ farm: / { if (prev && $1 - prev > 2000000000) { print "gap of " ($1 - prev) / 1e9 " s before: " $0; bad = 1 } prev = $1 }
     / farm: [0-9]+ s: up$/ { exit bad } END { exit bad }' "$out" || fail "a gap over 2 s"$'\n'"$(cat "$out")"
[ "$(tail -1 "$out" | cut -d' ' -f2)" = "ticker" ] || fail "the ticker spoke after farm_progress_stop"$'\n'"$(cat "$out")"
pid="$(tail -1 "$out" | cut -d' ' -f3)"
! kill -0 "$pid" 2>/dev/null || fail "the ticker process $pid is still running"

quiet="$( (t0=$(date +%s%N); FARM_PROGRESS=0; farm_progress_start farm; farm_stage x; sleep 0.3; farm_progress_stop) 2>&1)"
[ -z "$quiet" ] || fail "FARM_PROGRESS=0 but it said: $quiet"
echo "ok: $(grep -c ' farm: ' "$out") progress lines over 4 s, no gap over 2 s, ticker gone"
