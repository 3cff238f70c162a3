#!/usr/bin/env bash
# The README's trigger recipes are real: its CI step runs as written against
# the farm (exit code and JUnit file), and its systemd units pass
# `systemd-analyze verify`.
source "$(dirname "$0")/lib.sh"
extract() {  # extract LANG MARKER: the fenced block of README.md that follows MARKER
  python3 - "$ROOT/README.md" "$1" "$2" <<'PY'
import sys, re
text, lang, marker = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
at = text.index(marker)
m = re.compile(r"```" + lang + r"\n(.*?)```", re.S).search(text, at)
print(m.group(1), end="")
PY
}
# The CI step, with targets/beta.toml swapped for the farm (no internet here).
extract sh "**CI step after a beta deploy**" | sed "s|targets/beta.toml|$ROOT/targets/local.toml|" > "$WORK/ci-step.sh"
grep -q "crawler run" "$WORK/ci-step.sh" || fail "no CI step found in README"
"$FARM/fault" frwiki null-threshold
set +e
( cd "$ROOT" && WORKSPACE="$WORK" bash "$WORK/ci-step.sh" ) > "$WORK/ci.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "CI step exit code $rc, want 1 with frwiki broken"$'\n'"$(cat "$WORK/ci.out")"
python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = {s.get("name"): s for s in root.iter("testsuite")}
fr = [s for n, s in suites.items() if "frwiki" in n]
assert fr and int(fr[0].get("failures")) > 0, "no frwiki failures in JUnit"
assert all(int(s.get("failures")) == 0 for n, s in suites.items() if "frwiki" not in n)
' "$WORK/beta-crawler-junit.xml" || fail "the JUnit file does not show frwiki failing"
# The systemd units.
mkdir -p "$WORK/units"
extract ini "beta-crawler.service\`:" > "$WORK/units/beta-crawler.service"
extract ini "beta-crawler.timer\`:" > "$WORK/units/beta-crawler.timer"
if command -v systemd-analyze >/dev/null; then
  # verify checks syntax and that ExecStart binaries exist: point them at this build.
  sed -i "s|/srv/beta-crawler/build/crawler|$CRAWLER|; s|^User=.*|User=root|; s|^EnvironmentFile=.*||; s|^WorkingDirectory=.*|WorkingDirectory=$ROOT|" "$WORK/units/beta-crawler.service"
  systemd-analyze verify "$WORK/units/beta-crawler.service" "$WORK/units/beta-crawler.timer" > "$WORK/verify.out" 2>&1 \
    || { grep -v "Failed to connect\|bus" "$WORK/verify.out" | grep -q . && fail "systemd-analyze verify:"$'\n'"$(cat "$WORK/verify.out")"; }
  echo "ok: systemd units verified"
fi
echo "ok: the README's CI step exits 1 and its JUnit shows frwiki failing"
