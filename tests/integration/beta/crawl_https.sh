#!/usr/bin/env bash
# The whole beta farm crawled over https/HTTP/2 through the edge, every wiki
# found through meta's SiteMatrix (targets/beta-farm.toml: resolve + ca_file):
# every probe ok, every farm wiki crawled, HTTP/2 only, never more requests in
# flight per host than per_host_concurrency, and the logins one at a time.
source "$(dirname "$0")/lib.sh"
mark
crawl "$TARGETS"
[ "$RC" -eq 0 ] || fail "exit code $RC, want 0"$'\n'"$OUT"
check "
wikis = sorted({r['wiki'] for r in rows})
want = sorted('${FARM_WIKIS[*]}'.split())
if wikis != want: bad(f'crawled {wikis}, want {want}', [])
notok = [r for r in rows if r['verdict'] != 'ok']
if notok: bad('not ok', notok)
if not all(r['url'].startswith('https://') for r in rows): bad('not https', rows)
print(f'ok: {len(rows)} probes on {len(wikis)} wikis, all ok')
"
edge_streams >"$WORK/streams.json"
python3 - "$WORK/streams.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["hosts"]
assert len(s) >= 12, sorted(s)
for host, h in sorted(s.items()):
    assert set(h["protocol"]) == {"HTTP/2.0"}, (host, h["protocol"])
    assert h["peak_in_flight"] <= 4, (host, h)  # per_host_concurrency = 4
    assert h["connections"] <= 3, (host, h)     # multiplexed, not one connection per request
peak = max(h["peak_in_flight"] for h in s.values())
streams = max(h["peak_streams_on_one_connection"] for h in s.values())
reqs = sum(h["requests"] for h in s.values())
print(f"ok: {reqs} requests over HTTP/2 to {len(s)} hosts; peak in flight per host {peak} (limit 4), "
      f"peak streams on one connection {streams}, at most {max(h['connections'] for h in s.values())} connections per host")
PY
# One clientlogin per wiki family (the farm's CentralAuth-like single login:
# *.wikipedia.beta.test and *.wikimedia.beta.test), never two at once.
n="$(login_posts | wc -l)"
overlap="$(login_posts | peak_overlap)"
[ "$n" -eq 2 ] || fail "$n clientlogin attempts, want 2 (one per wiki family)"
[ "$overlap" -le 1 ] || fail "clientlogins of one account overlapped ($overlap at once)"
echo "ok: 2 clientlogins for 12 wikis (one per family), never two at once"
