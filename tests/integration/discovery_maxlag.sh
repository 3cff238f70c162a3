#!/usr/bin/env bash
# maxlag politeness: every api.php request carries maxlag=5 (added by the
# Engine), and the API's maxlag error (HTTP 200, MediaWiki-API-Error: maxlag,
# Retry-After: 1) is a delay, not a failure: with the Engine's retries at 0,
# the facts layer (mediawiki/api_round) waits and re-sends. A tiny loopback
# server plays a lagged wiki (the farm's SQLite wikis never lag).
source "$(dirname "$0")/lib.sh"
cat >"$WORK/lagged.py" <<'PY'
import http.server, json, sys, urllib.parse
seen = {}
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        u = urllib.parse.urlparse(self.path); q = dict(urllib.parse.parse_qsl(u.query))
        with open(sys.argv[2], "a") as log: log.write(self.path + "\n")
        meta = q.get("meta", "")
        n = seen[meta] = seen.get(meta, 0) + 1
        if u.path == "/api.php" and n <= 2 and q.get("maxlag") == "5":
            body = {"error": {"code": "maxlag", "info": "Waiting for db1: 7 seconds lagged.", "lag": 7, "type": "db"}}
            extra = [("Retry-After", "1"), ("MediaWiki-API-Error", "maxlag")]
        elif meta == "siteinfo":
            body = {"query": {"general": {"wikiid": "lagwiki", "lang": "en", "generator": "MediaWiki 1.42", "scriptpath": ""},
                              "extensions": [{"name": "ORES"}]}}
            extra = []
        elif meta == "ores":
            body = {"query": {"ores": {"wikiid": "lagwiki", "models": {"damaging": {"version": "9.9"}},
                                       "damagingthresholds": {"maybebad": 0.2, "likelybad": 0.6}}}}
            extra = []
        else:
            self.send_response(404); self.end_headers(); return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        for k, v in extra: self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers(); self.wfile.write(data)
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
coproc SERVER { exec python3 "$WORK/lagged.py" x "$WORK/requests.log"; }
trap 'kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
read -r PORT <&"${SERVER[0]}"
cat >"$WORK/lag.toml" <<TOML
[crawl]
user_agent = "beta-crawler/0.1 (maxlag test; qa@example.org)"
retries = 0   # the Engine passes maxlag answers on at once: the facts layer must wait them out
[discovery]
facts = true
page_levels = false
[[wiki]]
dbname = "lagwiki"
url = "http://127.0.0.1:$PORT"
script_path = ""
[page.recentchanges]
strategy = "cartesian"
[page.recentchanges.ores]
damaging = ["", "likelygood", "verylikelybad", "likelybad;verylikelybad"]
TOML
OUT="$("$CRAWLER" plan "$WORK/lag.toml" --explain 2>&1)" || fail "plan failed"$'\n'"$OUT"
grep -q "lagwiki (MediaWiki 1.42, en): ORES runs damaging 9.9 (levels: likelybad, likelygood, maybebad, from meta=ores)" <<<"$OUT" \
  || fail "facts not read after the maxlag waits"$'\n'"$OUT"
grep -q "damaging         3 of 4 values" <<<"$OUT" || fail "levels not applied"$'\n'"$OUT"
api=$(grep -c '^/api.php' "$WORK/requests.log")
[ "$api" -eq 6 ] || fail "$api api.php requests, want 6 (2 calls x (2 maxlag answers + 1))"$'\n'"$(cat "$WORK/requests.log")"
grep '^/api.php' "$WORK/requests.log" | grep -v -q 'maxlag=5' && fail "an api.php request without maxlag=5"
echo "ok: maxlag answers waited out (Retry-After), every api.php request with maxlag=5"
