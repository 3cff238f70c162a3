#!/usr/bin/env bash
# The ORES API pre-flight and the facts/page cross-check against the farm:
# frwiki's meta=ores answers null thresholds (the 2017 root cause) -> its api
# probe is broken with the signature "ORES thresholds null: damaging"; ruwiki's
# meta=ores offers damaging and goodfaith but its pages lost the filter groups
# (fault silent) -> its RC/Watchlist probes are broken, and so are (issue 13)
# its Contributions probes asking for ORES (no hidenondamaging control) and its
# ORES API probes (api.php calls oresscores/oresreview unrecognized); frwiki's
# ORES API probes throw (exception); enwiki is healthy. Each wiki's facts page
# (RecentChanges, days=1, limit=1) is judged as its first verdict, before the crawl.
# Before it, with no history yet, plan --explain says the targets file and
# today's facts apply. Then (issue 13.3 and the Contributions rows) a second crawl of enwiki's RC
# and Contributions, whose facts that first run recorded as healthy: goodfaith
# switched off (ORES profile damaging) and Contributions ignoring
# hidenondamaging (fault unscored).
# The plan still has the goodfaith probes (from the history), the
# pre-flight says "ORES facts regressed", those RC probes are broken, and so
# are the hidenondamaging=1 Contributions probes (rows without ORES scores).
source "$(dirname "$0")/lib.sh"
trap 'for w in enwiki frwiki ruwiki; do "$FARM/fault" "$w" none || true; "$FARM/ores" "$w" full || true; done; rm -rf "$WORK"' EXIT
sed 's/^\[account.qa\]/[discovery]\nfacts = true\n\n[account.qa]/' "$ROOT/targets/local.toml" \
  | sed "s#\"../tests/farm#\"$FARM#" >"$WORK/facts.toml"
# No history yet (issue 13, bad input): the plan says so and falls back to
# today's facts and the targets file.
EXPLAIN0="$("$CRAWLER" plan "$WORK/facts.toml" --wiki enwiki --explain --results "$WORK/results")" \
  || fail "plan --explain without a history"
grep -qF "facts history: no history at $WORK/results/history.sqlite: today's facts and the targets file apply" <<<"$EXPLAIN0" \
  || fail "plan --explain does not say there is no history"$'\n'"$EXPLAIN0"
grep -qF "no earlier healthy facts: today's facts and the targets file apply (it names no ores_models)" <<<"$EXPLAIN0" \
  || fail "plan --explain: enwiki's facts note does not say today's facts and the targets file apply"$'\n'"$EXPLAIN0"
"$FARM/fault" frwiki null-threshold
"$FARM/fault" ruwiki silent
crawl "$WORK/facts.toml"
"$FARM/fault" frwiki none
"$FARM/fault" ruwiki none
[ "$RC" -eq 1 ] || fail "exit code $RC, want 1 (product failures)"$'\n'"$OUT"
check '
api = {r["wiki"]: r for r in rows if r["kind"] == "api" and has(r, "meta", "ores")}
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
ores_api = [r for r in rows if r["kind"] == "api" and not has(r, "meta")]
for w in ("enwiki", "frwiki", "ruwiki"):
    lists = sorted(r["params"]["list"] for r in ores_api if r["wiki"] == w)
    if lists != ["recentchanges", "usercontribs", "watchlist"]: bad(f"ORES API probes on {w}: {lists}", ores_api)
ru_api = [r for r in ores_api if r["wiki"] == "ruwiki"]
if any(r["verdict"] != "broken" or r["evidence"].get("signature") != "ORES API parameters unrecognized" for r in ru_api):
    bad("ruwiki ORES API probes not flagged (silent failure, API side)", ru_api)
fr_api = [r for r in ores_api if r["wiki"] == "frwiki"]
if any(r["verdict"] != "exception" or r["evidence"].get("exception_class") != "RuntimeException" for r in fr_api):
    bad("frwiki ORES API probes not exception", fr_api)
ru_c = [r for r in rows if r["wiki"] == "ruwiki" and r["kind"] == "contributions"]
want_c = lambda r: "broken" if has(r, "hidenondamaging", "1") else "ok"
if not any(has(r, "hidenondamaging", "1") for r in ru_c) or any(r["verdict"] != want_c(r) for r in ru_c):
    bad("ruwiki Contributions without the ORES control not flagged", ru_c)
if any(r["evidence"].get("signature") != "ORES filter missing on Contributions" for r in ru_c if has(r, "hidenondamaging", "1")):
    bad("ruwiki Contributions flagged for another reason", ru_c)
en = [r for r in rows if r["wiki"] == "enwiki"]
if any(r["verdict"] != "ok" for r in en): bad("enwiki not all ok", [r for r in en if r["verdict"] != "ok"])
# Each wiki gets its first page verdict with its facts (the first wave of the
# smoke tier): the anonymous RecentChanges page (days=1, limit=1) the facts read,
# judged like any probe, and ended before any probe of the crawl.
smoke = {r["wiki"]: r for r in rows if r["kind"] == "recentchanges" and has(r, "limit", "1") and has(r, "days", "1")}
got = {w: r["verdict"] for w, r in smoke.items()}
if got != {"enwiki": "ok", "frwiki": "exception", "ruwiki": "broken"}: bad(f"facts pages judged {got}", list(smoke.values()))
crawl_ends = [r["finished"] for r in rows if r not in smoke.values() and not has(r, "meta", "ores")]
if max(r["finished"] for r in smoke.values()) > min(crawl_ends): bad("a facts page ended after a crawl probe", list(smoke.values()))
print(f"ok: {len(rows)} outcomes; pre-flight flags frwiki null thresholds; ruwiki pages without its models groups, "
      f"its Contributions without the ORES control and its {len(ru_api)} ORES API probes are broken")
'
grep -q "ORES thresholds null: damaging" <<<"$OUT" || fail "terminal output does not name the pre-flight failure"$'\n'"$OUT"

FIRST="$(basename "$(dirname "$PAGES")")"
"$FARM/ores" enwiki damaging
"$FARM/fault" enwiki unscored
EXPLAIN="$("$CRAWLER" plan "$WORK/facts.toml" --wiki enwiki --explain --results "$WORK/results")" || fail "plan --explain"
crawl "$WORK/facts.toml" --wiki enwiki --page recentchanges --page contributions
"$FARM/ores" enwiki full
"$FARM/fault" enwiki none
[ "$RC" -eq 1 ] || fail "second run: exit code $RC, want 1"$'\n'"$OUT"
grep -q "facts history: 1 wiki with healthy facts in $WORK/results/history.sqlite" <<<"$EXPLAIN" \
  || fail "plan --explain does not name the history"$'\n'"$EXPLAIN"
grep -q "goodfaith (not in today's meta=ores) (levels: likelybad, likelygood, maybebad, verylikelybad, from history of run $FIRST)" <<<"$EXPLAIN" \
  || fail "plan --explain: goodfaith not kept from the history"$'\n'"$EXPLAIN"
grep -q "from RecentChanges filters: damaging=.*; history of run $FIRST: goodfaith=" <<<"$EXPLAIN" \
  || fail "plan --explain: no per-probe provenance"$'\n'"$EXPLAIN"
FIRST="$FIRST" check '
first = os.environ["FIRST"]
pre = [r for r in rows if r["kind"] == "api" and has(r, "meta", "ores")]
if len(pre) != 1 or pre[0]["verdict"] != "broken": bad("enwiki pre-flight not broken", pre)
sig = pre[0]["evidence"].get("signature", "")
if sig != "ORES facts regressed: model goodfaith gone; filter group goodfaith gone from the RecentChanges page":
    bad(f"regression signature {sig!r}", pre)
if first not in pre[0]["evidence"].get("message", ""): bad("regression does not name the healthy run " + first, pre)
gf = [r for r in rows if r["kind"] == "recentchanges" and has(r, "goodfaith")]
if not gf: bad("no goodfaith probe: the broken wiki shrank its own plan", rows)
if any(r["verdict"] != "broken" or "goodfaith" not in r["evidence"].get("signature", "") for r in gf):
    bad("goodfaith probes without the goodfaith group not broken", gf)
co = [r for r in rows if r["kind"] == "contributions"]
hide = [r for r in co if has(r, "hidenondamaging", "1")]
if not hide or any(r["verdict"] != "broken" or r["evidence"].get("signature") != "ORES flags missing on Contributions rows" for r in hide):
    bad("Contributions ignoring hidenondamaging not flagged", hide)
if any(r["verdict"] != "ok" for r in co if r not in hide): bad("plain Contributions not ok", [r for r in co if r not in hide])
print(f"ok: second run: ORES facts regressed against run {first}; {len(gf)} goodfaith probes kept and broken; "
      f"{len(hide)} Contributions probes without ORES row scores broken")
'
