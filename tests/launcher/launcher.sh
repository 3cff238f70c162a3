#!/usr/bin/env bash
# The launcher (./crawler) in a scratch tree of its own: a copy of the script,
# a stub build/crawler that prints its arguments and working directory, and a
# one-target CMake project whose "crawler_bin" only records that it was built.
# Checks: an up-to-date build runs the binary with nothing printed by the
# launcher; from another directory, and through a symlink, the arguments and
# the working directory are the caller's; a changed or new source file makes
# it build, and only once; a failed build leaves the stamp alone and fails.
# Needs the BUILD packages installed (the first call checks them with dpkg).
# Exit 0 when every check passed, 1 otherwise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

tree="$tmp/tree"
mkdir -p "$tree/src/core" "$tree/build" "$tmp/elsewhere/sub"
cp "$root/crawler" "$tree/crawler"
echo 'int x;' >"$tree/src/core/a.cc"
cat >"$tree/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(launcher_test NONE)
add_custom_target(crawler_bin COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_BINARY_DIR}/rebuilt
                  COMMAND sh -c "test ! -e ${CMAKE_SOURCE_DIR}/src/broken")
CMAKE
cat >"$tree/build/crawler" <<'STUB'
#!/bin/sh
echo "cwd=$PWD"
for a in "$@"; do echo "arg=$a"; done
STUB
chmod +x "$tree/build/crawler"

# run OUT ERR ARGS...: the launcher's exit code; stdout and stderr to files.
run() { local out="$1" err="$2"; shift 2; set +e; "$@" >"$out" 2>"$err"; local rc=$?; set -e; return $rc; }

# 1. First call: no stamps yet, so it checks the packages and builds once.
run "$tmp/out" "$tmp/err" "$tree/crawler" --version || fail "first call exited $?: $(cat "$tmp/err")"
[ -e "$tree/build/rebuilt" ] && ok "first call built crawler_bin" || fail "first call did not build"
[ -f "$tree/build/.launcher/packages-run" ] && ok "package stamp written" || fail "no package stamp"
rm -f "$tree/build/rebuilt"

# 2. Up to date: no build, nothing on stderr, stdout is the binary's alone.
(cd "$tmp/elsewhere/sub" && run "$tmp/out" "$tmp/err" "$tree/crawler" plan ../t.toml --page "a b") ||
  fail "up-to-date call exited non-zero: $(cat "$tmp/err")"
[ ! -e "$tree/build/rebuilt" ] && ok "up to date: no build" || fail "up to date but it built again"
[ ! -s "$tmp/err" ] && ok "up to date: nothing on stderr" || fail "launcher printed on stderr: $(cat "$tmp/err")"
want="cwd=$tmp/elsewhere/sub
arg=plan
arg=../t.toml
arg=--page
arg=a b"
[ "$(cat "$tmp/out")" = "$want" ] && ok "caller's directory and arguments kept" ||
  fail "stdout differs: $(cat "$tmp/out")"

# 3. Through a symlink elsewhere (~/bin/crawler): finds its tree.
ln -s "$tree/crawler" "$tmp/elsewhere/crawler"
(cd "$tmp/elsewhere" && run "$tmp/out" "$tmp/err" ./crawler x) || fail "symlinked call failed: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = "cwd=$tmp/elsewhere
arg=x" ] && [ ! -s "$tmp/err" ] && ok "symlinked launcher" || fail "symlinked: $(cat "$tmp/out" "$tmp/err")"

# 4. A new source file (its folder's mtime changes): builds once, then not again.
sleep 0.05
echo 'int y;' >"$tree/src/core/b.cc"
run "$tmp/out" "$tmp/err" "$tree/crawler" x || fail "call after a new file failed"
[ -e "$tree/build/rebuilt" ] && ok "new file: built" || fail "new file under src/ did not trigger a build"
rm -f "$tree/build/rebuilt"
run "$tmp/out" "$tmp/err" "$tree/crawler" x || fail "second call after a new file failed"
[ ! -e "$tree/build/rebuilt" ] && ok "new file: built only once" || fail "built again with nothing changed"

# 5. An edited file, and CMakeLists.txt: each builds.
sleep 0.05; echo '// edit' >>"$tree/src/core/a.cc"
run "$tmp/out" "$tmp/err" "$tree/crawler" x || fail "call after an edit failed"
[ -e "$tree/build/rebuilt" ] && ok "edited file: built" || fail "an edited file did not trigger a build"
rm -f "$tree/build/rebuilt"
sleep 0.05; echo '# edit' >>"$tree/CMakeLists.txt"
run "$tmp/out" "$tmp/err" "$tree/crawler" x || fail "call after a CMakeLists.txt edit failed"
[ -e "$tree/build/rebuilt" ] && ok "CMakeLists.txt edit: built" || fail "CMakeLists.txt edit did not trigger a build"
rm -f "$tree/build/rebuilt"

# 6. A failing build: exit non-zero, the binary not run, and the next call tries again.
sleep 0.05; touch "$tree/src/broken"
if run "$tmp/out" "$tmp/err" "$tree/crawler" x; then fail "a failed build exited 0"; else ok "failed build: non-zero exit"; fi
grep -q '^cwd=' "$tmp/out" && fail "the binary ran after a failed build" || ok "failed build: binary not run"
rm -f "$tree/src/broken" "$tree/build/rebuilt"
run "$tmp/out" "$tmp/err" "$tree/crawler" x || fail "call after fixing the build failed"
[ -e "$tree/build/rebuilt" ] && ok "after a failed build the next call builds" || fail "failed build was marked good"

# 7. A changed package list invalidates the package stamp (it is rewritten).
echo "stale list" >"$tree/build/.launcher/packages-run"
run "$tmp/out" "$tmp/err" "$tree/crawler" x || fail "call with a stale package stamp failed"
grep -q '^stale list$' "$tree/build/.launcher/packages-run" && fail "stale package stamp kept" ||
  ok "a different package list is checked again"

echo "launcher: $([ $failures -eq 0 ] && echo passed || echo FAILED) ($failures failures)"
[ $failures -eq 0 ]
