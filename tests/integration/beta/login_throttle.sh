#!/usr/bin/env bash
# One account on a dozen wikis and MediaWiki's global password-attempt throttle
# (one object cache for the whole farm, as CentralAuth's in production):
#  1. the old way (every wiki's clientlogin at once) trips a throttle lowered to
#     2 attempts: some wikis answer login-throttled (so this farm can show it);
#  2. `crawler login` under the same throttle logs in to every wiki with one
#     clientlogin per wiki family (the farm's CentralAuth-like single login:
#     the other wikis get the family's cookies, checked with meta=userinfo),
#     2 attempts in the edge log, never overlapping;
#  3. a wrong password costs ONE attempt, not one per wiki: exit 2, one line
#     naming the account and the wikis not tried, every probe auth, no leak;
#  4. an account already throttled: one attempt, the wait MediaWiki gave is said.
source "$(dirname "$0")/lib.sh"
mapfile -t CURL < <(farm_curl_opts)

lower_throttle() {
  printf '<?php\n$wgPasswordAttemptThrottle = [ [ "count" => %s, "seconds" => 300 ] ];\n' "$1" >"$FARM_STATE/overrides.php"
}

# 1. Overlapping logins (what the crawler did before): all wikis at once with curl.
lower_throttle 2
old_login() { # WIKI: token + clientlogin as CrawlerQA; prints the messagecode or PASS
  local base jar="$WORK/$1.jar" token
  base="$(farm_url "$1")"
  token="$(curl -s "${CURL[@]}" -c "$jar" -b "$jar" "$base/w/api.php?action=query&meta=tokens&type=login&format=json" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["query"]["tokens"]["logintoken"])')"
  # All tokens first, then all clientlogins together (a barrier file).
  while [ ! -f "$WORK/go" ]; do sleep 0.01; done
  curl -s "${CURL[@]}" -c "$jar" -b "$jar" --data-urlencode "logintoken=$token" --data-urlencode "username=CrawlerQA" \
    --data-urlencode "password@$FARM_QA_PASSWORD_FILE" --data "action=clientlogin&loginreturnurl=$base/&format=json" \
    "$base/w/api.php" | python3 -c 'import json,sys; a=json.load(sys.stdin)["clientlogin"]; print(a.get("messagecode") or a["status"])'
}
for w in "${FARM_WIKIS[@]}"; do old_login "$w" >"$WORK/old-$w" & done
sleep 1; touch "$WORK/go"; wait
throttled="$(cat "$WORK"/old-* | grep -c '^login-throttled$' || true)"
[ "$throttled" -ge 1 ] || fail "12 overlapping logins did not trip a throttle of 2: $(cat "$WORK"/old-* | sort | uniq -c | tr '\n' ' ')"
echo "ok: overlapping logins: $throttled of 12 wikis answered login-throttled (throttle lowered to 2)"
clear_throttle

# 2. The crawler, under the same lowered throttle.
mark
t0=$(date +%s%N)
set +e
OUT="$("$CRAWLER" login "$TARGETS" 2>&1)"
RC=$?
set -e
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$RC" -eq 0 ] || fail "crawler login: exit $RC"$'\n'"$OUT"
[ "$(grep -c 'logged in as CrawlerQA' <<<"$OUT")" -eq 12 ] || fail "not logged in everywhere"$'\n'"$OUT"
[ "$(grep -c "logged in as CrawlerQA by [a-z]*wiki's login" <<<"$OUT")" -eq 10 ] || fail "want 10 wikis logged in by their family's login"$'\n'"$OUT"
n="$(login_posts | wc -l)"; overlap="$(login_posts | peak_overlap)"
[ "$n" -eq 2 ] || fail "$n clientlogin attempts, want 2 (one per wiki family)"
[ "$overlap" -eq 1 ] || fail "clientlogins overlapped: $overlap at once"
echo "ok: crawler login: 12 wikis under a throttle of 2, 2 clientlogins (one per family) never overlapping; $(tail -1 <<<"$OUT" | grep -o '([0-9.]* s)') for the logins, ${ms} ms for the command (discovery included)"
rm -f "$FARM_STATE/overrides.php"
clear_throttle

# 3. A wrong password (MediaWiki's default throttle): one attempt, then stop.
sed -e 's|^password_file = .*|password_env = "BC_BETA_WRONG_PASSWORD"|' "$TARGETS" >"$WORK/wrong.toml"
sed -i -e "s|\"\.\./tests/|\"$ROOT/tests/|g" "$WORK/wrong.toml"
export BC_BETA_WRONG_PASSWORD="not-the-password-4c2a81"
mark
crawl "$WORK/wrong.toml"
[ "$RC" -eq 2 ] || fail "wrong password: exit $RC, want 2"$'\n'"$OUT"
n="$(login_posts | wc -l)"
[ "$n" -eq 1 ] || fail "wrong password: $n clientlogin attempts, want 1"
[ "$(grep -c "^account 'qa' not tried on 11 other wikis" <<<"$OUT")" -eq 1 ] || fail "no one line for the wikis not tried"$'\n'"$OUT"
[ "$(grep -c '^login failed on' <<<"$OUT")" -eq 1 ] || fail "want exactly one 'login failed on' line"$'\n'"$OUT"
grep -q 'Incorrect username or password' <<<"$OUT" || fail "the cause is not named"$'\n'"$OUT"
! grep -rq "$BC_BETA_WRONG_PASSWORD" <<<"$OUT" "$WORK/results" || fail "the password leaked"
check '
# The anonymous pre-flight still runs: the ORES API one and each wiki facts page (days=1, limit=1).
facts_page = lambda r: r["kind"] == "recentchanges" and r["params"].get("limit") == "1" and r["params"].get("days") == "1"
pre = [r for r in rows if facts_page(r)]
if len(pre) != 12 or any(r["verdict"] != "ok" for r in pre): bad("facts pages not 12 ok", pre)
pages = [r for r in rows if r["kind"] != "api" and not facts_page(r)]
if not pages or any(r["verdict"] != "auth" for r in pages): bad("not all auth", [r for r in pages if r["verdict"] != "auth"])
rows = pages
n_wikis = len({r["wiki"] for r in rows})
print(f"ok: wrong password: 1 clientlogin attempt, {len(rows)} probes auth on {n_wikis} wikis")
'
echo "$OUT" | grep -E "^(login failed|account )" | sed 's/^/  /'

# 4. An account the wiki family has throttled already (5 wrong attempts elsewhere).
printf 'wrong' >"$WORK/wrong.pw"
for w in enwiki frwiki ruwiki dewiki jawiki; do
  jar="$WORK/x-$w.jar"; base="$(farm_url "$w")"
  token="$(curl -s "${CURL[@]}" -c "$jar" -b "$jar" "$base/w/api.php?action=query&meta=tokens&type=login&format=json" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["query"]["tokens"]["logintoken"])')"
  curl -s "${CURL[@]}" -c "$jar" -b "$jar" --data-urlencode "logintoken=$token" --data-urlencode "username=CrawlerQA" \
    --data-urlencode "password@$WORK/wrong.pw" --data "action=clientlogin&loginreturnurl=$base/&format=json" "$base/w/api.php" >/dev/null
done
mark
set +e
OUT="$("$CRAWLER" login "$TARGETS" 2>&1)"
RC=$?
set -e
[ "$RC" -eq 2 ] || fail "throttled account: exit $RC, want 2"$'\n'"$OUT"
[ "$(login_posts | wc -l)" -eq 1 ] || fail "throttled account: $(login_posts | wc -l) attempts, want 1"
grep -q 'Please wait 5 minutes' <<<"$OUT" || fail "the wait is not said"$'\n'"$OUT"
echo "ok: throttled account: 1 attempt; $(grep 'LOGIN FAILED' <<<"$OUT" | head -1 | tr -s ' ')"
