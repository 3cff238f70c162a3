# The beta-like farm's facts (sourced by ../lib.sh when FARM_PROFILE=beta, after
# the quick farm's, which it replaces). See beta/README.md.
FARM_STATE="$FARM_DIR/beta/state"
# Localisation cache: kept across stops, like the quick farm's, but its own.
FARM_CACHE="$FARM_STATE/cache"
# The edge (nginx): https with HTTP/2, plain http answering 301; the one PHP
# backend behind it. Ports of their own, so both farms can run at once.
FARM_HTTPS_PORT="${FARM_BETA_HTTPS_PORT:-8343}"
FARM_HTTP_PORT="${FARM_BETA_HTTP_PORT:-8380}"
FARM_BACKEND_PORT="${FARM_BETA_BACKEND_PORT:-8390}"
# Workers of the one backend: the shared application server pool of every wiki.
FARM_WORKERS="${FARM_BETA_WORKERS:-6}"
# Edge limits (start --rate/--burst/--backend-cap or the `edge` script change them).
FARM_EDGE_RATE="${FARM_EDGE_RATE:-60}"        # requests per second per host
FARM_EDGE_BURST="${FARM_EDGE_BURST:-60}"      # beyond the rate, answered at once
FARM_EDGE_RETRY_AFTER="${FARM_EDGE_RETRY_AFTER:-1}" # seconds, in the 429's Retry-After
FARM_EDGE_BACKEND_CAP="${FARM_EDGE_BACKEND_CAP:-32}" # requests in flight to the backend, all hosts
FARM_DOMAIN=beta.test
FARM_WIKIS=(enwiki frwiki ruwiki dewiki jawiki ukwiki zhwiki hewiki eswiki commonswiki metawiki testwiki)
declare -A FARM_HOST=(
  [enwiki]=en.wikipedia.beta.test [frwiki]=fr.wikipedia.beta.test [ruwiki]=ru.wikipedia.beta.test
  [dewiki]=de.wikipedia.beta.test [jawiki]=ja.wikipedia.beta.test [ukwiki]=uk.wikipedia.beta.test
  [zhwiki]=zh.wikipedia.beta.test [hewiki]=he.wikipedia.beta.test [eswiki]=es.wikipedia.beta.test
  [commonswiki]=commons.wikimedia.beta.test [metawiki]=meta.wikimedia.beta.test
  [testwiki]=test.wikipedia.beta.test)
declare -A FARM_LANG=([enwiki]=en [frwiki]=fr [ruwiki]=ru [dewiki]=de [jawiki]=ja [ukwiki]=uk
  [zhwiki]=zh [hewiki]=he [eswiki]=es [commonswiki]=en [metawiki]=en [testwiki]=en)
declare -A FARM_SITENAME=([enwiki]=Wikipedia [frwiki]=Wikipédia [ruwiki]=Википедия
  [dewiki]=Wikipedia [jawiki]=ウィキペディア [ukwiki]=Вікіпедія [zhwiki]=维基百科
  [hewiki]=ויקיפדיה [eswiki]=Wikipedia [commonswiki]="Wikimedia Commons" [metawiki]=Meta
  [testwiki]=Wikipedia)
# SiteMatrix: language wikis under their language, the rest under "specials" with
# this code (as the real SiteMatrix lists commons, meta and test).
declare -A FARM_SPECIAL=([commonswiki]=commons [metawiki]=meta [testwiki]=test)
# Default ORES profile per wiki (as on beta: goodfaith off on several, none on
# commons/meta/test).
declare -A FARM_DEFAULT_PROFILE=([enwiki]=full [frwiki]=full [ruwiki]=full [dewiki]=damaging
  [jawiki]=partial [ukwiki]=damaging [zhwiki]=full [hewiki]=damaging [eswiki]=full
  [commonswiki]=none [metawiki]=none [testwiki]=none)
# The quick farm's per-wiki ports mean nothing here.
declare -A FARM_PORT=()

farm_url() { printf 'https://%s:%s' "${FARM_HOST[$1]}" "$FARM_HTTPS_PORT"; }
farm_http_url() { printf 'http://%s:%s' "${FARM_HOST[$1]}" "$FARM_HTTP_PORT"; }
# curl options reaching every farm host on loopback and trusting the farm CA.
farm_curl_opts() {
  local w
  printf -- '--noproxy\n*\n--cacert\n%s\n' "$FARM_STATE/tls/ca.pem"
  for w in "${FARM_WIKIS[@]}"; do
    printf -- '--resolve\n%s:%s:127.0.0.1\n--resolve\n%s:%s:127.0.0.1\n' \
      "${FARM_HOST[$w]}" "$FARM_HTTPS_PORT" "${FARM_HOST[$w]}" "$FARM_HTTP_PORT"
  done
}
farm_objectcache_db() { printf '%s' "$FARM_STATE/db/wikicache.sqlite"; }

farm_server_alive() {
  local pidfile="$FARM_STATE/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# farm_answers WIKI: api.php answers with JSON through the edge, over https.
farm_answers() {
  local opts
  mapfile -t opts < <(farm_curl_opts)
  curl -s --max-time 5 "${opts[@]}" "$(farm_url "$1")/w/api.php?action=query&meta=siteinfo&format=json" \
    2>/dev/null | grep -q '"generator"'
}
FARM_EDGE_HOST="${FARM_EDGE_HOST:-cp-beta1}"   # the edge host named in its error pages
