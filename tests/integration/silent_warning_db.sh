#!/usr/bin/env bash
# The other fault modes, one wiki each, in one crawl: silent ORES (filters gone,
# HTTP 200) -> broken on RC/WL and on Contributions asking for ORES (its
# hidenondamaging control is gone); a PHP warning -> warning; a DB error -> db-error.
source "$(dirname "$0")/lib.sh"
"$FARM/fault" enwiki silent
"$FARM/fault" frwiki warning
"$FARM/fault" ruwiki db
crawl "$ROOT/targets/local.toml" --format json
[ "$RC" -eq 1 ] || fail "exit code $RC, want 1"$'\n'"$OUT"
check '
def want(r):
    if r["wiki"] == "enwiki":
        return "broken" if r["kind"] != "contributions" or has(r, "hidenondamaging", "1") else "ok"
    if r["wiki"] == "frwiki": return "warning"
    return "db-error" if r["kind"] == "recentchanges" else "ok"
wrong = [r for r in rows if r["verdict"] != want(r)]
if wrong: bad("verdicts differ from the injected faults", wrong)
c = [r for r in rows if r["wiki"] == "enwiki" and r["kind"] == "contributions" and has(r, "hidenondamaging", "1")]
if not c or any(r["evidence"].get("signature") != "ORES filter missing on Contributions" for r in c):
    bad("enwiki Contributions without the ORES control not flagged as such", c)
print("ok:", len(rows), "probes as injected")
'
# --format json: the final summary is one JSON object a script can read.
python3 -c '
import json, sys
j = json.loads(sys.argv[1])
t = j["totals"]
assert j["exit_code"] == 1 and t.get("broken", 0) > 0 and t.get("warning", 0) > 0 and t.get("db-error", 0) > 0, t
assert {g["verdict"] for g in j["groups"]} >= {"broken", "db-error", "warning"}, j["groups"]
print("ok: --format json summary", t)
' "$OUT" || fail "--format json output is not the expected summary"$'\n'"$OUT"
