#!/usr/bin/env bash
# A wrong password on one wiki: that wiki's probes are auth, the others are
# crawled normally, exit code 2, and the password appears nowhere.
source "$(dirname "$0")/lib.sh"
python3 - "$ROOT/targets/local.toml" "$WORK/wrong.toml" "$ROOT" <<'PY'
import sys
src, dst, root = sys.argv[1:]
t = open(src).read().replace('"../tests/farm/state/qa.password"', f'"{root}/tests/farm/state/qa.password"')
t = t.replace('[[wiki]]\ndbname = "frwiki"', '[account.wrong]\nusername = "CrawlerQA"\npassword_env = "BC_WRONG_PASSWORD"\n\n[[wiki]]\ndbname = "frwiki"', 1)
t = t.replace('lang = "fr"\naccount = "qa"', 'lang = "fr"\naccount = "wrong"', 1)
open(dst, "w").write(t)
PY
export BC_WRONG_PASSWORD="not-the-password-7d1e9"
crawl "$WORK/wrong.toml"
[ "$RC" -eq 2 ] || fail "exit code $RC, want 2"$'\n'"$OUT"
grep -q "login failed on frwiki" <<<"$OUT" || fail "the failed login is not named"$'\n'"$OUT"
! grep -rq "$BC_WRONG_PASSWORD" <<<"$OUT" "$WORK/results" || fail "the password leaked into output or results"
check '
fr = [r for r in rows if r["wiki"] == "frwiki"]
if not fr or any(r["verdict"] != "auth" for r in fr): bad("frwiki probes are not all auth", fr)
other = [r for r in rows if r["wiki"] != "frwiki" and r["verdict"] != "ok"]
if other: bad("other wikis suffered", other)
print("ok: frwiki auth only,", len(rows) - len(fr), "other probes ok")
'
# Issue 14: the failed login is said first and once, with the wiki's own
# words, and its probes add no line each.
[ "$(grep -c '^login failed on frwiki' <<<"$OUT")" -eq 1 ] || fail "the failed login is not said exactly once"$'\n'"$OUT"
head -1 <<<"$OUT" | grep -q '^login failed on frwiki (auth): the wiki said "' || fail "the failed login is not the first line, quoting the wiki"$'\n'"$OUT"
! grep -q '^auth ' <<<"$OUT" || fail "a line per probe of the wiki whose login failed"$'\n'"$OUT"
grep -q "ERROR: the crawl could not be done properly: login failed on frwiki" <<<"$OUT" || fail "the ERROR line does not name the login"$'\n'"$OUT"
