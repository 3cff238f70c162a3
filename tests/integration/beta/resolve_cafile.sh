#!/usr/bin/env bash
# `run --urls` against hostnames that resolve nowhere: --resolve sends them to
# the edge on 127.0.0.1 and --ca-file trusts the farm CA. Without --ca-file the
# TLS check fails (verification stays on); without --resolve the host does not
# resolve; a bad --resolve entry or CA file is a clear error naming the flag,
# exit 2, before anything is fetched.
source "$(dirname "$0")/lib.sh"
urls="$WORK/urls.txt"
for w in enwiki jawiki hewiki; do
  echo "$(farm_url "$w")/w/index.php?title=Special:RecentChanges&days=30&limit=50" >>"$urls"
done
resolve=()
for w in enwiki jawiki hewiki; do resolve+=(--resolve "${FARM_HOST[$w]}:$FARM_HTTPS_PORT:127.0.0.1"); done

crawl --urls "$urls" "${resolve[@]}" --ca-file "$FARM_CA_FILE"
[ "$RC" -eq 0 ] || fail "--resolve + --ca-file: exit $RC, want 0"$'\n'"$OUT"
check '
if len(rows) != 3 or any(r["verdict"] != "ok" for r in rows): bad("want 3 ok", rows)
print("ok: run --urls with --resolve and --ca-file: 3 probes ok")
'

crawl --urls "$urls" "${resolve[@]}"
check '
if len(rows) != 3 or any(r["verdict"] != "transport" for r in rows): bad("without the farm CA, want transport", rows)
if not all("certificate" in json.dumps(r.get("evidence", {})).lower() for r in rows): bad("no certificate error named", rows)
print("ok: without --ca-file: transport, certificate refused")
'

crawl --urls "$urls" --ca-file "$FARM_CA_FILE"
check '
if len(rows) != 3 or any(r["verdict"] != "transport" for r in rows): bad("without --resolve, want transport", rows)
if not all("resolve" in json.dumps(r.get("evidence", {})).lower() for r in rows): bad("no resolve error named", rows)
print("ok: without --resolve: transport, host not resolved")
'

rm -rf "$WORK/results"
crawl --urls "$urls" --resolve "en.wikipedia.beta.test:$FARM_HTTPS_PORT" --ca-file "$FARM_CA_FILE"
[ "$RC" -eq 2 ] || fail "bad --resolve: exit $RC, want 2"
grep -q "^crawler: --resolve en.wikipedia.beta.test:$FARM_HTTPS_PORT: .*is not HOST:PORT:ADDR" <<<"$OUT" || fail "bad --resolve not named: $OUT"
[ ! -d "$WORK/results" ] || [ -z "$(ls "$WORK/results")" ] || fail "bad --resolve: something was fetched"
crawl --urls "$urls" "${resolve[@]}" --ca-file "$WORK/nope.pem"
[ "$RC" -eq 2 ] || fail "missing --ca-file: exit $RC, want 2"
grep -q "^crawler: --ca-file: cannot read CA file $WORK/nope.pem" <<<"$OUT" || fail "missing CA file not named: $OUT"
echo "not a certificate" >"$WORK/bad.pem"
crawl --urls "$urls" "${resolve[@]}" --ca-file "$WORK/bad.pem"
[ "$RC" -eq 2 ] && grep -q "holds no PEM certificate" <<<"$OUT" || fail "bad CA file: exit $RC: $OUT"
# And in a targets file: FILE:LINE:COL of the entry.
sed 's|"en.wikipedia.beta.test:8343:127.0.0.1"|"en.wikipedia.beta.test:8343:localhost"|' "$TARGETS" >"$WORK/bad.toml"
set +e; OUT="$("$CRAWLER" plan "$WORK/bad.toml" 2>&1)"; RC=$?; set -e
[ "$RC" -eq 2 ] && grep -q "^$WORK/bad.toml:[0-9]*:3: resolve: 'en.wikipedia.beta.test:8343:localhost' is not HOST:PORT:ADDR" <<<"$OUT" \
  || fail "bad resolve in TOML: exit $RC: $OUT"
echo "ok: bad --resolve, missing/bad --ca-file and a bad resolve entry in TOML: exit 2, named"

# http:// URLs on the edge's plain port: 301 to the same host over https,
# followed (a scheme upgrade on the same host only), one warning per wiki
# (per host with --urls), not one per probe.
hurls="$WORK/http-urls.txt"
for q in "days=7&limit=50" "days=30&limit=50"; do
  echo "$(farm_http_url enwiki)/w/index.php?title=Special:RecentChanges&$q" >>"$hurls"
done
echo "$(farm_http_url jawiki)/w/index.php?title=Special:RecentChanges&days=30&limit=50" >>"$hurls"
rm -rf "$WORK/results"
crawl --urls "$hurls" "${resolve[@]}" --resolve "${FARM_HOST[enwiki]}:$FARM_HTTP_PORT:127.0.0.1" \
  --resolve "${FARM_HOST[jawiki]}:$FARM_HTTP_PORT:127.0.0.1" --ca-file "$FARM_CA_FILE"
[ "$RC" -eq 0 ] || fail "http URLs: exit $RC, want 0"$'\n'"$OUT"
check '
if len(rows) != 3 or any(r["verdict"] != "ok" for r in rows): bad("http URLs: want 3 ok", rows)
if not all(r["final_url"].startswith("https://") and r["url"].startswith("http://") for r in rows): bad("not upgraded to https", rows)
'
want="warning: ${FARM_HOST[enwiki]}:$FARM_HTTP_PORT: http://${FARM_HOST[enwiki]}:$FARM_HTTP_PORT redirects to https://${FARM_HOST[enwiki]}:$FARM_HTTPS_PORT (followed); use https://${FARM_HOST[enwiki]}:$FARM_HTTPS_PORT in the targets file"
[ "$(grep -cxF "$want" <<<"$OUT")" -eq 1 ] || fail "no single warning for enwiki's http URL"$'\n'"$OUT"
[ "$(grep -c '^warning: .* redirects to https://' <<<"$OUT")" -eq 2 ] || fail "want one warning per host (2)"$'\n'"$OUT"
echo "ok: http:// URLs followed to https on the same host: 3 probes ok, one warning per wiki: $want"
