#!/usr/bin/env bash
# The November 2017 incident: null ORES thresholds on ruwiki and frwiki throw
# on RC, Watchlist and Contributions-with-hidenondamaging; enwiki is healthy.
source "$(dirname "$0")/lib.sh"
"$FARM/fault" ruwiki null-threshold
"$FARM/fault" frwiki null-threshold
crawl "$ROOT/targets/local.toml"
[ "$RC" -eq 1 ] || fail "exit code $RC, want 1 (product failures)"$'\n'"$OUT"
check '
planned = int(os.popen("'"$CRAWLER"' plan '"$ROOT"'/targets/local.toml --format jsonl | wc -l").read())
if len(rows) != planned: bad(f"{len(rows)} outcomes for {planned} planned probes", [])
def broken_expected(r):
    return r["wiki"] in ("ruwiki", "frwiki") and (r["kind"] != "contributions" or has(r, "hidenondamaging", "1"))
wrong = [r for r in rows if (r["verdict"] == "exception") != broken_expected(r)]
if wrong: bad("verdicts differ from the injected faults", wrong)
ok_other = [r for r in rows if not broken_expected(r) and r["verdict"] != "ok"]
if ok_other: bad("healthy pages not ok", ok_other)
ex = [r for r in rows if r["verdict"] == "exception"]
no_class = [r for r in ex if r["evidence"].get("exception_class") != "RuntimeException"]
if no_class: bad("exception evidence lacks the class RuntimeException", no_class)
no_id = [r for r in ex if not r["evidence"].get("request_id")]
if no_id: bad("exception evidence lacks the request id", no_id)
wl = [r for r in rows if r["kind"] == "watchlist" and r["wiki"] == "enwiki"]
if not wl: bad("no enwiki watchlist probes", [])
print(f"ok: {len(rows)} probes, {len(ex)} exceptions exactly where injected")
'
grep -q "RuntimeException" <<<"$OUT" || fail "the terminal summary does not name RuntimeException"$'\n'"$OUT"
