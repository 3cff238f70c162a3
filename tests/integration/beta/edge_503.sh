#!/usr/bin/env bash
# The edge misbehaving on three wikis in one crawl (watchlists and
# contributions: enough probes for a wave, few enough for CI), every other
# wiki fine:
#  - dewiki: the edge's Wikimedia-style 503 page, without Retry-After, for the
#    whole run: every probe edge-error, with the edge's request id (the one in
#    the edge log) and the edge host (cp-beta1) in its evidence;
#  - eswiki: a 429 wave (the edge's per-host rate cut to 2 r/s, Retry-After: 1)
#    crawled with retries = 0: a probe that got a 429 and still ended ok had
#    its wait honoured without using up a retry (were waits counted, it would
#    end throttled at once); no probe lost, all ok;
#  - ukwiki: every HTTP/2 stream reset (nginx 444): each probe exactly one
#    outcome (transport), none lost or doubled.
source "$(dirname "$0")/lib.sh"
# targets/beta-farm.toml with retries = 0 (its relative paths made absolute).
sed -e 's/^retries = .*/retries = 0/' -e "s|\"\\.\\./|\"$ROOT/|" "$TARGETS" >"$WORK/beta-farm-noretry.toml"
grep -q '^retries = 0$' "$WORK/beta-farm-noretry.toml" || fail "no retries line to set in $TARGETS"
"$BETA/edge" down dewiki
"$BETA/edge" reset ukwiki
"$BETA/edge" limit --rate 2 --burst 1 --retry-after 1
mark
crawl "$WORK/beta-farm-noretry.toml" --wiki dewiki --wiki eswiki --wiki ukwiki --page watchlist --page contributions
# A third of the probes transport (ukwiki) is over max_tool_failure_share: exit 2.
[ "$RC" -eq 2 ] || fail "exit code $RC, want 2 (ukwiki could not be judged)"$'\n'"$OUT"
awk '$3 == "de.wikipedia.beta.test" && $7 == 503 { print $8 }' "$FARM_STATE/edge/access.log" | sort -u >"$WORK/ids"
n429="$(awk -v since="$MARK" '$1 >= since && $3 == "es.wikipedia.beta.test" && $7 == 429' "$FARM_STATE/edge/access.log" | wc -l)"
planned="$(grep -o '[0-9]* of [0-9]* probes' <<<"$OUT" | tail -1)"
check "
ids = set(open('$WORK/ids').read().split())
de = [r for r in rows if r['wiki'] == 'dewiki']
es = [r for r in rows if r['wiki'] == 'eswiki']
uk = [r for r in rows if r['wiki'] == 'ukwiki']
if not de or any(r['verdict'] != 'edge-error' for r in de): bad('dewiki not all edge-error', [r for r in de if r['verdict'] != 'edge-error'])
noid = [r for r in de if r.get('evidence', {}).get('request_id') not in ids]
if noid: bad('edge-error without the edge request id', noid)
nohost = [r for r in de if 'cp-beta1' not in r.get('evidence', {}).get('detail', '')]
if nohost: bad('edge-error without the edge host in its evidence', nohost)
if not es or any(r['verdict'] != 'ok' for r in es): bad('eswiki (429 wave) not all ok', [r for r in es if r['verdict'] != 'ok'])
if $n429 < 5: bad('no 429 wave: only $n429 429s on eswiki', [])
if not uk or any(r['verdict'] != 'transport' for r in uk): bad('ukwiki (streams reset) not all transport', [r for r in uk if r['verdict'] != 'transport'])
ids_all = [r['id'] for r in rows]
if len(ids_all) != len(set(ids_all)): bad('a probe with two outcomes', [])
total = '$planned'.split()
if not total or int(total[0]) != int(total[2]) or len(rows) != int(total[2]): bad(f'{len(rows)} outcomes for \"$planned\"', [])
waited = [r for r in es if r['retries'] > 0]
if not waited: bad('no eswiki probe waited for a 429 (retries = 0): the wave proves nothing', [])
most = max(r['retries'] for r in waited)
print(f'ok: edge 503 on dewiki: {len(de)} probes edge-error with the edge request id and host; '
      f'eswiki under 2 r/s: $n429 429s honoured, {len(es)} probes ok, {len(waited)} of them after up to {most} waits '
      f'with retries = 0; '
      f'ukwiki streams reset: {len(uk)} probes transport; {len(rows)} outcomes, one per probe')
"
