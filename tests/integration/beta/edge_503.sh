#!/usr/bin/env bash
# The edge answers one wiki (dewiki) with its Wikimedia-style 503 page, without
# Retry-After, for the whole run: that wiki's probes are edge-error, each with
# the edge's request id (the one in the edge log), and every other wiki is ok.
source "$(dirname "$0")/lib.sh"
"$BETA/edge" down dewiki
crawl "$TARGETS" --wiki dewiki --wiki eswiki
[ "$RC" -eq 1 ] || fail "exit code $RC, want 1 (product failures)"$'\n'"$OUT"
awk '$3 == "de.wikipedia.beta.test" && $7 == 503 { print $8 }' "$FARM_STATE/edge/access.log" | sort -u >"$WORK/ids"
check "
ids = set(open('$WORK/ids').read().split())
de = [r for r in rows if r['wiki'] == 'dewiki']
es = [r for r in rows if r['wiki'] == 'eswiki']
if not de or any(r['verdict'] != 'edge-error' for r in de): bad('dewiki not all edge-error', [r for r in de if r['verdict'] != 'edge-error'])
if not es or any(r['verdict'] != 'ok' for r in es): bad('eswiki not all ok', [r for r in es if r['verdict'] != 'ok'])
noid = [r for r in de if r.get('evidence', {}).get('request_id') not in ids]
if noid: bad('edge-error without the edge request id', noid)
print(f'ok: edge 503 on dewiki: {len(de)} probes edge-error with the edge request id, {len(es)} eswiki probes ok')
"
