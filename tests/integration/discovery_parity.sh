#!/usr/bin/env bash
# crawler parity between two farm configurations. The farm's three servers
# run different ORES profiles (8101 full, 8102 damaging, 8103 partial); the
# "beta" file maps enwiki/frwiki/ruwiki to 8101/8102/8103, the "production"
# file maps enwiki, frwiki, ruwiki and dewiki all to 8101 (full, model version
# 0.5.0). The differences must be exactly the injected ones.
source "$(dirname "$0")/lib.sh"
restore() {
  for w in enwiki frwiki ruwiki; do "$FARM/fault" "$w" none || true; "$FARM/ores" "$w" full || true; done
  rm -rf "$WORK"
}
trap restore EXIT
head='[crawl]
user_agent = "beta-crawler/0.1 (parity farm test; qa@example.org)"
per_host_concurrency = 4
concurrency = 8
[page.recentchanges]'
wiki() { printf '[[wiki]]\ndbname = "%s"\nurl = "http://127.0.0.1:%s"\nscript_path = ""\n' "$1" "$2"; }
{ echo "$head"; wiki enwiki 8101; wiki frwiki 8102; wiki ruwiki 8103; } >"$WORK/beta.toml"
{ echo "$head"; wiki enwiki 8101; wiki frwiki 8101; wiki ruwiki 8101; wiki dewiki 8101; } >"$WORK/prod.toml"
"$FARM/ores" frwiki damaging
"$FARM/ores" ruwiki partial
set +e
OUT="$("$CRAWLER" parity --beta "$WORK/beta.toml" --prod "$WORK/prod.toml" --markdown "$WORK/parity.md" --fail-on-diff 2>&1)"
RC=$?
set -e
for w in frwiki ruwiki; do "$FARM/ores" "$w" full; done
# --fail-on-diff gates: the sides differ, so exit 1.
[ "$RC" -eq 1 ] || fail "parity --fail-on-diff exit code $RC, want 1"$'\n'"$OUT"
# The terminal table: differences first, one a line, narrow; the same wikis on one line after them.
head -1 <<<"$OUT" | grep -q '^dbname  differences' || fail "the table does not start with the differences"$'\n'"$OUT"
grep -q '^same on both: enwiki$' <<<"$OUT" || fail "enwiki not listed as the same"$'\n'"$OUT"
[ "$(awk '{ if (length($0) > 100) n++ } END { print n + 0 }' <<<"$OUT")" -eq 0 ] || fail "lines over 100 columns"$'\n'"$OUT"
# Each wiki's differences, from the markdown table (one row a wiki).
diffs() { grep "^| $1 |" "$WORK/parity.md" | awk -F' [|] ' '{print $4}' | sed 's/ |$//'; }
want() { [ "$(diffs "$1")" = "$2" ] || fail "$1: got '$(diffs "$1")', want '$2'"$'\n'"$OUT"; }
want enwiki "same"
want frwiki "models: beta lacks goodfaith; damaging version: beta 0.4.0, production 0.5.0"
want ruwiki "damaging version: beta 0.4.1, production 0.5.0; damaging levels: beta lacks verylikelybad; goodfaith version: beta 0.4.1, production 0.5.0; goodfaith levels: beta lacks verylikelybad"
want dewiki "no beta wiki"
grep -q "4 wikis, 3 differ; production ORES wikis with no beta counterpart: dewiki" <<<"$OUT" || fail "totals"$'\n'"$OUT"
grep -q '^| frwiki | damaging 0.4.0 \[likelybad likelygood maybebad verylikelybad\] | ' "$WORK/parity.md" \
  || fail "markdown table"$'\n'"$(cat "$WORK/parity.md")"
echo "ok: parity lists exactly the injected differences"
