#!/usr/bin/env bash
# `crawler watch` sees an extension deployed alone: core's version and git
# hash stay, the set of extensions stays, only one extension's version
# changes in siteinfo (the 2017 outage was an ORES extension change). The
# next poll must notice it on that wiki only and crawl.
source "$(dirname "$0")/lib.sh"
STATE="$ROOT/tests/farm/state"
[ -d "$STATE/enwiki" ] || fail "no farm state in $STATE"
[ ! -e "$STATE/enwiki/overrides.php" ] || fail "state/enwiki/overrides.php exists already; this test owns it"
trap 'rm -f "$STATE/enwiki/overrides.php"; for w in enwiki frwiki ruwiki; do "$FARM/fault" "$w" none || true; done; rm -rf "$WORK"' EXIT
deploy() {  # deploy VERSION: the "FarmDeployMarker" extension of enwiki now reports VERSION
  cat > "$STATE/enwiki/overrides.php.new" <<PHP
<?php
\$wgExtensionCredits['other'][] = [ 'path' => __FILE__, 'name' => 'FarmDeployMarker', 'version' => '$1' ];
PHP
  mv "$STATE/enwiki/overrides.php.new" "$STATE/enwiki/overrides.php"
}
deploy 1.0.0
"$CRAWLER" watch "$ROOT/targets/local.toml" --interval 0.5 --max-runs 1 --results "$WORK/results" -q > "$WORK/out" 2>&1 &
pid=$!
for _ in $(seq 1 100); do grep -q '^watching 3 wikis' "$WORK/out" && break; sleep 0.1; done
grep -q '^watching 3 wikis' "$WORK/out" || { kill $pid; fail "watch did not start"$'\n'"$(cat "$WORK/out")"; }
sleep 1.2  # two polls without a change
[ ! -d "$WORK/results" ] || [ -z "$(ls "$WORK/results")" ] || { kill $pid; fail "watch crawled before any change"; }
deploy 1.0.1
for _ in $(seq 1 600); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -0 $pid 2>/dev/null && { kill $pid; fail "watch did not crawl and exit within 60 s"$'\n'"$(cat "$WORK/out")"; }
set +e; wait $pid; rc=$?; set -e
OUT="$(cat "$WORK/out")"
grep -q "deploy detected on enwiki" <<<"$OUT" || fail "the extension-only deploy on enwiki was not noticed"$'\n'"$OUT"
grep -q "deploy detected on frwiki" <<<"$OUT" && fail "frwiki reported changed, but nothing changed there"$'\n'"$OUT"
[ "$rc" -eq 0 ] || fail "exit code $rc, want 0 (a healthy farm)"$'\n'"$OUT"
ls -d "$WORK"/results/2*/ >/dev/null 2>&1 || fail "no crawl was run"$'\n'"$OUT"
echo "ok: an extension-only version change on enwiki triggered a crawl"
