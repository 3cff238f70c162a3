# Shared by the integration tests: they run the real crawler binary against the
# real MediaWiki farm (tests/farm), started once by ctest's farm fixture.
# Every test resets the faults it set, so tests are independent of order.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CRAWLER="${CRAWLER:-$ROOT/build/crawler}"
FARM="$ROOT/tests/farm"
WORK="$(mktemp -d /tmp/bc-it.XXXXXX)"
trap 'for w in enwiki frwiki ruwiki; do "$FARM/fault" "$w" none || true; done; rm -rf "$WORK"' EXIT
for w in enwiki frwiki ruwiki; do "$FARM/fault" "$w" none; done

fail() { echo "FAIL: $*" >&2; exit 1; }

# crawl ARGS...: runs `crawler run` with results under $WORK/results; sets RC and OUT.
crawl() {
  set +e
  OUT="$("$CRAWLER" run "$@" --results "$WORK/results" 2>&1)"
  RC=$?
  set -e
  PAGES="$(ls -d "$WORK"/results/2*/ | tail -1)pages.jsonl"
}

# check PYTHON: runs assertions over the outcomes; `rows` is the list of JSON lines.
check() {
  PAGES="$PAGES" python3 -c "
import json, os, sys
rows = [json.loads(l) for l in open(os.environ['PAGES'])]
def has(r, k, v=None): return k in r['params'] and (v is None or r['params'][k] == v)
def bad(msg, rs):
    print('FAIL:', msg, file=sys.stderr)
    for r in rs[:5]: print('  ', r['wiki'], r['kind'], r['query'], r['verdict'], r.get('evidence'), file=sys.stderr)
    sys.exit(1)
$1
"
}
