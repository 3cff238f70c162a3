# Shared by the beta-farm integration tests: the real crawler against the
# beta-like farm (tests/farm/beta), started once by ctest's betafarm fixture.
# Every test puts back what it switched (faults, edge switches and limits,
# overrides, the password throttle), so tests are independent of order.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
CRAWLER="${CRAWLER:-$ROOT/build/crawler}"
FARM="$ROOT/tests/farm"
BETA="$FARM/beta"
export FARM_PROFILE=beta
source "$FARM/lib.sh"
[ -f "$FARM_STATE/farm.env" ] || { echo "FAIL: the beta farm is not running (tests/farm/beta/start)" >&2; exit 1; }
source "$FARM_STATE/farm.env"
read -ra FARM_WIKIS <<<"$FARM_WIKIS"  # farm.env has it as one string
WORK="$(mktemp -d /tmp/bc-beta-it.XXXXXX)"
TARGETS="$ROOT/targets/beta-farm.toml"

clear_throttle() {
  FARM_DB="$(farm_objectcache_db)" php -r '
    $db = new PDO("sqlite:" . getenv("FARM_DB"), null, null, [ PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_TIMEOUT => 10 ]);
    $db->exec("DELETE FROM objectcache WHERE keyname LIKE \"global:throttler:%\"");'
}
reset_farm() {
  local w
  for w in "${FARM_WIKIS[@]}"; do farm_set_fault "$w" none; "$BETA/edge" up "$w"; done
  rm -f "$FARM_STATE/overrides.php"
  "$BETA/edge" limit --reset
  clear_throttle
}
trap 'reset_farm || true; rm -rf "$WORK"' EXIT
reset_farm

fail() { echo "FAIL: $*" >&2; exit 1; }

# crawl ARGS...: `crawler run` with results under $WORK/results; sets RC, OUT, PAGES.
crawl() {
  set +e
  OUT="$("$CRAWLER" run "$@" --results "$WORK/results" 2>&1)"
  RC=$?
  set -e
  PAGES="$( (ls -d "$WORK"/results/2*/ 2>/dev/null || true) | tail -1)pages.jsonl"
}

# mark: remember now, for edge_log / edge_streams of what follows.
mark() { MARK="$(date +%s.%N)"; sleep 0.01; }
# edge_streams: `edge streams --json` of the requests since mark.
edge_streams() { "$BETA/edge" streams --since "$MARK" --json; }
# login_posts: the clientlogin attempts the edge passed since mark (the
# crawler's only POSTs to api.php are clientlogins), one "start end host" a line.
login_posts() {
  awk -v since="$MARK" '$1 >= since && $NF ~ /api\.php/ && $(NF-1) == "\"POST" { printf "%.3f %.3f %s\n", $1 - $2, $1, $3 }' \
    "$FARM_STATE/edge/access.log"
}
# peak_overlap: most of the "start end ..." lines of stdin in flight at once.
peak_overlap() {
  python3 -c '
import sys
ev = []
for line in sys.stdin:
    s, e = map(float, line.split()[:2]); ev += [(s, 1), (e, -1)]
cur = best = 0
for _, d in sorted(ev): cur += d; best = max(best, cur)
print(best)'
}

# check PYTHON: assertions over the outcomes; `rows` is the list of JSON lines.
check() {
  PAGES="$PAGES" python3 -c "
import json, os, sys
rows = [json.loads(l) for l in open(os.environ['PAGES'])]
def bad(msg, rs):
    print('FAIL:', msg, file=sys.stderr)
    for r in rs[:5]: print('  ', r['wiki'], r['kind'], r['query'], r['verdict'], r.get('evidence'), file=sys.stderr)
    sys.exit(1)
$1
"
}
