# The beta farm's edge (nginx): config writer and reload, sourced by start and
# edge after ../lib.sh with FARM_PROFILE=beta. The limits in force are kept in
# state/edge/limits.env (RATE BURST RETRY_AFTER CAP), so `edge limit` can change
# one and rewrite the rest as they were.

edge_load_limits() {
  RATE="$FARM_EDGE_RATE" BURST="$FARM_EDGE_BURST" RETRY_AFTER="$FARM_EDGE_RETRY_AFTER" CAP="$FARM_EDGE_BACKEND_CAP"
  [ -f "$FARM_STATE/edge/limits.env" ] && source "$FARM_STATE/edge/limits.env"
  return 0
}

edge_save_limits() {
  printf 'RATE=%s\nBURST=%s\nRETRY_AFTER=%s\nCAP=%s\n' "$RATE" "$BURST" "$RETRY_AFTER" "$CAP" \
    >"$FARM_STATE/edge/limits.env"
}

# The Wikimedia-style edge error page (as Varnish/ATS send it): title "Wikimedia
# Error", and in the footer the edge host that answered and the request id.
# $1 status, $2 reason. nginx fills the variables per request.
edge_error_page() {
  printf "'<!DOCTYPE html>\n<html lang=\"en\">\n<meta charset=\"utf-8\">\n<title>Wikimedia Error</title>\n<style>* { margin: 0; padding: 0; }</style>\n<div class=\"content\" role=\"main\">\n<h1>Error</h1>\n<p>Our servers are currently under maintenance or experiencing a technical problem. Please try again in a few&nbsp;minutes.</p>\n</div>\n<div class=\"footer\"><p>If you report this error to the Wikimedia System Administrators, please include the details below.</p><p class=\"text-muted\"><code>Request from \$remote_addr via %s %s, Varnish XID \$request_id<br>Upstream caches: %s int<br>Error: %s, %s at \$time_local</code></p></div>\n</html>\n'" \
    "$FARM_EDGE_HOST" "$FARM_EDGE_HOST" "$FARM_EDGE_HOST" "$1" "$2"
}

edge_write_config() {
  local s="$FARM_STATE" edge="$FARM_STATE/edge" user=""
  mkdir -p "$edge/tmp" "$edge/down" "$edge/down-retry" "$edge/reset"
  # As root the workers would become "nobody" and could not use state/.
  [ "$(id -u)" -eq 0 ] && user="user $(id -un) $(id -gn);"
  cat >"$edge/nginx.conf.tmp" <<CONF
# Written by tests/farm/beta/start and edge; do not edit (edge limit ... rewrites it).
$user
worker_processes 1;
daemon off;
pid $edge/nginx.pid;
error_log $edge/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path $edge/tmp/body;
  proxy_temp_path $edge/tmp/proxy;
  fastcgi_temp_path $edge/tmp/fastcgi;
  uwsgi_temp_path $edge/tmp/uwsgi;
  scgi_temp_path $edge/tmp/scgi;
  # One line per request; the request started at msec - request_time.
  # edge streams reads it (streams in flight per host and per connection).
  log_format edge '\$msec \$request_time \$host \$connection \$connection_requests \$server_protocol '
                  '\$status \$request_id \$upstream_response_time "\$request_method \$request_uri"';
  access_log $edge/access.log edge;
  server_tokens off;
  default_type text/html;
  # Per-host request rate (429 + Retry-After beyond it) and one cap on the
  # requests in flight toward the one backend, for every host together.
  limit_req_zone \$host zone=perhost:1m rate=${RATE}r/s;
  limit_req_status 429;
  limit_req_log_level warn;
  map \$host \$edge_pool { default pool; }
  limit_conn_zone \$edge_pool zone=pool:1m;
  limit_conn_status 503;
  limit_conn_log_level warn;
  http2_max_concurrent_streams 128;

  server {
    listen 127.0.0.1:$FARM_HTTP_PORT;
    server_name _;
    # Production answers plain http with a redirect to https, same host and path.
    return 301 https://\$host:$FARM_HTTPS_PORT\$request_uri;
  }

  server {
    listen 127.0.0.1:$FARM_HTTPS_PORT ssl http2;
    server_name _;
    ssl_certificate $s/tls/edge.pem;
    ssl_certificate_key $s/tls/edge.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    add_header X-Cache "$FARM_EDGE_HOST int" always;
    add_header X-Request-Id \$request_id always;

    location @throttled {
      add_header Retry-After $RETRY_AFTER always;
      add_header X-Cache "$FARM_EDGE_HOST int" always;
      return 429 'Too many requests from you to \$host; slow down (Retry-After: $RETRY_AFTER).\n';
    }
    location @poolfull {
      add_header Retry-After 1 always;
      add_header X-Cache "$FARM_EDGE_HOST int" always;
      return 503 $(edge_error_page 503 "Backend fetch failed (backend pool full)");
    }

    location / {
      # Switches (edge down WIKI [--retry-after N], edge reset WIKI): files
      # named after the host. 444 over HTTP/2 resets the stream (RST_STREAM).
      if (-f $edge/reset/\$host) {
        return 444;
      }
      if (-f $edge/down-retry/\$host) {
        add_header Retry-After 1 always;
        return 503 $(edge_error_page 503 "Backend fetch failed");
      }
      if (-f $edge/down/\$host) {
        return 503 $(edge_error_page 503 "Backend fetch failed");
      }
      limit_req zone=perhost burst=$BURST nodelay;
      limit_conn pool $CAP;
      error_page 429 = @throttled;
      error_page 503 = @poolfull;
      proxy_pass http://127.0.0.1:$FARM_BACKEND_PORT;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-Proto https;
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Request-Id \$request_id;
      proxy_read_timeout 120s;
      proxy_intercept_errors off;
    }
  }
}
CONF
  mv -f "$edge/nginx.conf.tmp" "$edge/nginx.conf"
}

# edge_reload: check the new config, then signal the running nginx (graceful).
edge_reload() {
  nginx -t -q -p "$FARM_STATE/edge" -c "$FARM_STATE/edge/nginx.conf" 2>&1 | grep -v 'the "user" directive' >&2 || true
  nginx -p "$FARM_STATE/edge" -c "$FARM_STATE/edge/nginx.conf" -s reload 2>&1 | { grep -v "signal process started" || true; } >&2
}
