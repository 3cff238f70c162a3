# Shared by the farm scripts (sourced, not run). Defines the farm's fixed facts:
# wiki names, ports, languages, paths. Everything the farm writes goes to $FARM_STATE.
FARM_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FARM_STATE="$FARM_DIR/state"
# The cache survives `stop`; everything else in state/ is removed by it.
FARM_CACHE="$FARM_STATE/cache"
MW_IP="${MW_INSTALL_PATH:-/usr/share/mediawiki}"
FARM_WIKIS=(enwiki frwiki ruwiki)
declare -A FARM_PORT=([enwiki]=8101 [frwiki]=8102 [ruwiki]=8103)
declare -A FARM_LANG=([enwiki]=en [frwiki]=fr [ruwiki]=ru)
declare -A FARM_SITENAME=([enwiki]=Wikipedia [frwiki]=Wikipédia [ruwiki]=Википедия)
FARM_FAULT_MODES=(none null-threshold silent warning db unscored)
# ORES profiles (LocalSettings.common.php): which models and levels a wiki runs.
FARM_ORES_PROFILES=(full damaging partial none)
# Workers per PHP built-in server (each handles one request at a time).
FARM_WORKERS="${FARM_WORKERS:-4}"

farm_die() { printf 'farm: %s\n' "$*" >&2; exit 1; }

farm_is_wiki() {
  local w
  for w in "${FARM_WIKIS[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}

farm_check_wiki() {
  farm_is_wiki "$1" || farm_die "unknown wiki '$1' (known: ${FARM_WIKIS[*]})"
}

farm_check_mode() {
  local m
  for m in "${FARM_FAULT_MODES[@]}"; do [ "$m" = "$1" ] && return 0; done
  farm_die "unknown fault mode '$1' (known: ${FARM_FAULT_MODES[*]})"
}

farm_check_profile() {
  local p
  for p in "${FARM_ORES_PROFILES[@]}"; do [ "$p" = "$1" ] && return 0; done
  farm_die "unknown ORES profile '$1' (known: ${FARM_ORES_PROFILES[*]})"
}

# farm_set_profile WIKI PROFILE: atomic, read by LocalSettings on every request.
farm_set_profile() {
  local tmp="$FARM_STATE/.ores-$1.$$"
  printf '%s' "$2" >"$tmp"
  mv -f "$tmp" "$FARM_STATE/ores-$1"
}

# farm_set_fault WIKI MODE: atomic (write + rename), so a request never reads half a file.
farm_set_fault() {
  local tmp="$FARM_STATE/.fault-$1.$$"
  printf '%s' "$2" >"$tmp"
  mv -f "$tmp" "$FARM_STATE/fault-$1"
}

# farm_server_alive WIKI: the PHP server recorded in state/ is running.
farm_server_alive() {
  local pidfile="$FARM_STATE/$1/server.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# farm_answers WIKI: api.php answers with JSON (a served, installed wiki).
farm_answers() {
  curl -s --max-time 5 --noproxy '*' \
    "http://127.0.0.1:${FARM_PORT[$1]}/api.php?action=query&meta=siteinfo&format=json" \
    2>/dev/null | grep -q '"generator"'
}

# farm_objectcache_db WIKI: the SQLite file holding WIKI's sessions (objectcache).
farm_objectcache_db() { printf '%s' "$FARM_STATE/$1/db/wikicache.sqlite"; }

# FARM_PROFILE=beta: the beta-like farm (tests/farm/beta) replaces the facts above,
# so `FARM_PROFILE=beta tests/farm/fault frwiki null-threshold` switches its wikis.
if [ "${FARM_PROFILE:-}" = beta ]; then
  source "$FARM_DIR/beta/profile.sh"
fi

# Progress for people (FARM_PROGRESS=1: the demos). farm_progress_start NAME
# (after t0=$(date +%s%N)) starts a ticker: whenever nothing was said for
# 1.2 s, it says "NAME: N s: STAGE" on stderr, STAGE being what farm_stage
# last set, or what the function farm_stage_detail prints when the script
# defines one (e.g. each wiki's step). farm_stage TEXT sets the stage and says
# it at once. The ticker ends with farm_progress_stop, or when its script
# exits. Without FARM_PROGRESS=1 all of this is silent.
farm_progress_start() {
  [ "${FARM_PROGRESS:-0}" = 1 ] || return 0
  FARM_TICK_NAME="$1"
  FARM_TICK_DIR="$(mktemp -d /tmp/bc-farm-progress.XXXXXX)"
  echo "starting" >"$FARM_TICK_DIR/stage"
  date +%s%N >"$FARM_TICK_DIR/said"
  local parent=$$
  (
    # Never outlive the script (a kill -9 of it skips its traps).
    while sleep 0.2 && kill -0 "$parent" 2>/dev/null && [ -d "$FARM_TICK_DIR" ]; do
      now=$(date +%s%N)
      said=$(cat "$FARM_TICK_DIR/said" 2>/dev/null) || exit 0
      [ $((now - said)) -ge 1200000000 ] || continue
      if declare -F farm_stage_detail >/dev/null; then stage="$(farm_stage_detail 2>/dev/null)"; else stage=""; fi
      [ -n "$stage" ] || stage="$(cat "$FARM_TICK_DIR/stage" 2>/dev/null)" || exit 0
      printf '%s: %s s: %s\n' "$FARM_TICK_NAME" "$(( (now - t0) / 1000000000 ))" "$stage" >&2
      echo "$now" >"$FARM_TICK_DIR/said"
    done
  ) </dev/null >/dev/null 9>&- &
  FARM_TICK_PID=$!
  trap farm_progress_stop EXIT
}
farm_stage() {
  [ -n "${FARM_TICK_DIR:-}" ] || return 0
  echo "$*" >"$FARM_TICK_DIR/stage"
  local now; now=$(date +%s%N)
  printf '%s: %s s: %s\n' "$FARM_TICK_NAME" "$(( (now - t0) / 1000000000 ))" "$*" >&2
  echo "$now" >"$FARM_TICK_DIR/said"
}
farm_progress_stop() {
  [ -n "${FARM_TICK_DIR:-}" ] || return 0
  rm -rf "$FARM_TICK_DIR"
  kill "$FARM_TICK_PID" 2>/dev/null || true
  wait "$FARM_TICK_PID" 2>/dev/null || true
  FARM_TICK_DIR=""
}
