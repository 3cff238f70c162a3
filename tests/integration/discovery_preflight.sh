#!/usr/bin/env bash
# The ORES API pre-flight and the facts/page cross-check against the farm:
# frwiki's meta=ores answers null thresholds (the 2017 root cause) -> its api
# probe is broken with the signature "ORES thresholds null: damaging"; ruwiki's
# meta=ores offers damaging and goodfaith but its pages lost the filter groups
# (fault silent) -> its RC/Watchlist probes are broken; enwiki is healthy.
source "$(dirname "$0")/lib.sh"
sed 's/^\[account.qa\]/[discovery]\nfacts = true\n\n[account.qa]/' "$ROOT/targets/local.toml" \
  | sed "s#\"../tests/farm#\"$FARM#" >"$WORK/facts.toml"
"$FARM/fault" frwiki null-threshold
"$FARM/fault" ruwiki silent
crawl "$WORK/facts.toml"
"$FARM/fault" frwiki none
"$FARM/fault" ruwiki none
[ "$RC" -eq 1 ] || fail "exit code $RC, want 1 (product failures)"$'\n'"$OUT"
check '
api = {r["wiki"]: r for r in rows if r["kind"] == "api"}
if sorted(api) != ["enwiki", "frwiki", "ruwiki"]: bad(f"pre-flight probes on {sorted(api)}", rows)
if api["enwiki"]["verdict"] != "ok": bad("enwiki pre-flight not ok", [api["enwiki"]])
if api["ruwiki"]["verdict"] != "ok": bad("ruwiki pre-flight not ok (its meta=ores is fine)", [api["ruwiki"]])
fr = api["frwiki"]
if fr["verdict"] != "broken" or fr["evidence"].get("signature") != "ORES thresholds null: damaging":
    bad("frwiki null thresholds not flagged", [fr])
ru = [r for r in rows if r["wiki"] == "ruwiki" and r["kind"] in ("recentchanges", "watchlist")]
if not ru or any(r["verdict"] != "broken" for r in ru): bad("ruwiki RC/WL without ORES groups not broken", [r for r in ru if r["verdict"] != "broken"])
frp = [r for r in rows if r["wiki"] == "frwiki" and r["kind"] in ("recentchanges", "watchlist")]
if any(r["verdict"] != "exception" for r in frp): bad("frwiki pages not exception", [r for r in frp if r["verdict"] != "exception"])
en = [r for r in rows if r["wiki"] == "enwiki"]
if any(r["verdict"] != "ok" for r in en): bad("enwiki not all ok", [r for r in en if r["verdict"] != "ok"])
print(f"ok: {len(rows)} outcomes; pre-flight flags frwiki null thresholds; ruwiki pages without its models groups are broken")
'
grep -q "ORES thresholds null: damaging" <<<"$OUT" || fail "terminal output does not name the pre-flight failure"$'\n'"$OUT"
