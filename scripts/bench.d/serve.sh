# shellcheck shell=bash
# `scripts/bench serve`: the content origin of `relais serve` vs nginx on the same files, wrk on
# loopback, several alternating rounds, 4 KiB (req/s) and 10 MiB (MB/s) files; plus the RSS of the
# whole `relais serve` process idle, at its peak during the 10 MiB rounds, and 5 s after.
# Targets: ≥ 0.9× nginx on both; RSS ≤ 40 MB idle, ≤ 120 MB under load, back near idle after.
# Needs: $RELAIS (release binary), $BENCH_TMP (a folder on tmpfs), BENCH_PIDS (cleanup).
# SERVE_ROUNDS (default 5): single 8 s wrk runs vary by ±10 % on this 2-core machine, so the
# medians need more rounds than the import benchmark's.

SERVE_BUNDLE=fr.relais.bench.files
SERVE_VERSION=1.0.0

# A TCP port nobody listens on (bash's /dev/tcp connect fails on a free port).
_serve_free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Resident set size of a process in MB (VmRSS), 0 when it is gone.
_serve_rss_mb() {
  awk '/^VmRSS:/ {printf "%.1f", $2 / 1024; found = 1} END {if (!found) print 0}' "/proc/$1/status" 2>/dev/null || echo 0
}

# The median of the numbers given as arguments.
_serve_median() {
  printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

# wrk's figure for one run: requests/s, or transfer MB/s with `mb`.
_serve_wrk() {
  local connections=$1 url=$2 unit=$3 out
  out=$(wrk -t2 -c"$connections" -d"${DURATION:-8s}" "$url")
  if [ "$unit" = mb ]; then
    echo "$out" | awk '/^Transfer\/sec:/ {
      v = $2; n = v + 0
      if (v ~ /GB$/) n *= 1024; else if (v ~ /KB$/) n /= 1024; else if (v ~ /B$/ && v !~ /MB$/) n /= 1048576
      printf "%.1f", n }'
  else
    echo "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}'
  fi
}

# Waits until a URL answers (up to 60 s).
_serve_wait_for() {
  local url=$1 i
  for i in $(seq 1 120); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "bench: $url did not answer within 60 s" >&2
  return 1
}

# Samples the RSS of $1 (kB) every 0.2 s into $2 until killed; bash builtins only, so the
# sampler does not fork a process five times a second next to the server it measures.
_serve_sample_rss() {
  local pid=$1 file=$2 key value _
  while [ -r "/proc/$pid/status" ]; do
    while read -r key value _; do
      if [ "$key" = "VmRSS:" ]; then echo "$value" >>"$file"; fi
    done <"/proc/$pid/status"
    sleep 0.2
  done
}

bench_serve() {
  command -v nginx >/dev/null || apt_ensure nginx-light
  command -v wrk >/dev/null || apt_ensure wrk
  local dir="$BENCH_TMP/serve" cores rounds="${SERVE_ROUNDS:-5}"
  cores=$(nproc)
  mkdir -p "$dir/src/files" "$dir/www" "$dir/nginx"
  # mktemp made the folder private; nginx's workers run as an unprivileged user and must read it.
  chmod 755 "$BENCH_TMP" "$dir"

  log "serve: making a bundle with one 4 KiB and one 10 MiB file of random bytes"
  cat >"$dir/src/bundle.json" <<JSON
{"schema": 1, "id": "$SERVE_BUNDLE", "version": "$SERVE_VERSION", "kind": "solution",
 "title": {"fr": "Banc d'essai du service"}, "description": {"fr": "Fichiers pour mesurer le service"},
 "publisher": "Relais", "standard": "html5", "entry": "index.html", "levels": [], "subjects": []}
JSON
  echo '<!DOCTYPE html><title>Banc d’essai</title>' >"$dir/src/index.html"
  head -c 4096 /dev/urandom >"$dir/src/files/4k.bin"
  head -c 10485760 /dev/urandom >"$dir/src/files/10m.bin"
  "$RELAIS" init --data "$dir/data" --uai 0750654D >/dev/null
  "$RELAIS" bundle pack "$dir/src" -o "$dir/bench.relais" >/dev/null
  "$RELAIS" import --data "$dir/data" --local "$dir/bench.relais" >/dev/null
  # The bundle is served from its own origin (a port the system picks); the shared content port
  # would only redirect there.
  "$RELAIS" config --data "$dir/data" set serve.bundlePorts 0 >/dev/null
  # nginx serves the same bytes at the same URL paths.
  mkdir -p "$dir/www/b/$SERVE_BUNDLE/$SERVE_VERSION"
  cp -r "$dir/src/index.html" "$dir/src/files" "$dir/www/b/$SERVE_BUNDLE/$SERVE_VERSION/"

  local portal_port content_port nginx_port
  portal_port=$(_serve_free_port)
  content_port=$(_serve_free_port)
  nginx_port=$(_serve_free_port)
  while [ "$content_port" = "$portal_port" ]; do content_port=$(_serve_free_port); done
  while [ "$nginx_port" = "$portal_port" ] || [ "$nginx_port" = "$content_port" ]; do nginx_port=$(_serve_free_port); done

  "$RELAIS" serve --data "$dir/data" --host 127.0.0.1 --port "$portal_port" --content-port "$content_port" \
    >"$dir/relais.log" 2>&1 &
  local relais_pid=$!
  BENCH_PIDS+=("$relais_pid")
  _serve_wait_for "http://127.0.0.1:$portal_port/healthz"

  cat >"$dir/nginx/nginx.conf" <<CONF
worker_processes $cores;
daemon off;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 100000000;
  default_type application/octet-stream;
  client_body_temp_path $dir/nginx/tmp;
  proxy_temp_path $dir/nginx/tmp;
  fastcgi_temp_path $dir/nginx/tmp;
  uwsgi_temp_path $dir/nginx/tmp;
  scgi_temp_path $dir/nginx/tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $dir/www;
  }
}
CONF
  mkdir -p "$dir/nginx/tmp"
  nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" 2>>"$dir/nginx/error.log" &
  BENCH_PIDS+=("$!")

  local path="/b/$SERVE_BUNDLE/$SERVE_VERSION/files"
  # The bundle's own origin, from the catalogue (it opens within a second of the start).
  local origin=""
  for _ in $(seq 1 100); do
    origin=$(curl -fsS "http://127.0.0.1:$portal_port/api/v1/catalog" | python3 -c 'import json,sys; o=[b.get("contentOrigin") for b in json.load(sys.stdin)]; print(o[0] or "" if o else "")')
    [ -n "$origin" ] && break
    sleep 0.1
  done
  [ -n "$origin" ] || { echo "serve: the bundle's origin never opened" >&2; return 1; }
  local -A base=([nginx]="http://127.0.0.1:$nginx_port" [relais]="$origin")
  local name size
  for name in nginx relais; do
    _serve_wait_for "${base[$name]}$path/4k.bin"
    size=$(curl -fsS -o /dev/null -w '%{size_download}' "${base[$name]}$path/10m.bin")
    [ "$size" = 10485760 ] || { echo "bench: $name served $size bytes of the 10 MiB file" >&2; return 1; }
  done

  sleep 2
  local rss_idle
  rss_idle=$(_serve_rss_mb "$relais_pid")

  log "serve: warming up, then $rounds alternating rounds of ${DURATION:-8s} (wrk -t2; -c64 on 4 KiB, -c16 on 10 MiB)"
  for name in nginx relais; do
    DURATION=2s _serve_wrk 16 "${base[$name]}$path/4k.bin" rps >/dev/null
    DURATION=2s _serve_wrk 4 "${base[$name]}$path/10m.bin" mb >/dev/null
  done

  local -a small_nginx=() small_relais=() large_nginx=() large_relais=()
  local round sampler
  : >"$dir/rss.samples"
  local order
  for round in $(seq 1 "$rounds"); do
    # Who goes first alternates, so neither server always follows the other's heavier run.
    if [ $((round % 2)) = 1 ]; then order="nginx relais"; else order="relais nginx"; fi
    for name in $order; do
      if [ "$name" = nginx ]; then
        small_nginx+=("$(_serve_wrk 64 "${base[nginx]}$path/4k.bin" rps)")
      else
        small_relais+=("$(_serve_wrk 64 "${base[relais]}$path/4k.bin" rps)")
      fi
    done
    for name in $order; do
      if [ "$name" = nginx ]; then
        large_nginx+=("$(_serve_wrk 16 "${base[nginx]}$path/10m.bin" mb)")
      else
        _serve_sample_rss "$relais_pid" "$dir/rss.samples" &
        sampler=$!
        large_relais+=("$(_serve_wrk 16 "${base[relais]}$path/10m.bin" mb)")
        kill "$sampler" 2>/dev/null || true
        wait "$sampler" 2>/dev/null || true
      fi
    done
  done
  local rss_peak rss_after
  rss_peak=$(sort -g "$dir/rss.samples" | tail -1 | awk '{printf "%.1f", $1 / 1024}')
  rss_peak=${rss_peak:-0}
  sleep 5
  rss_after=$(_serve_rss_mb "$relais_pid")

  _serve_report
}

# The ratios relais/nginx of each round (the two runs of a round are back to back).
_serve_round_ratios() {
  local -n mine=$1 theirs=$2
  local i
  for i in "${!mine[@]}"; do awk "BEGIN {printf \"%.2f\\n\", ${mine[$i]} / ${theirs[$i]}}"; done
}

# Prints the table and the verdicts from bench_serve's variables.
#
# The verdict uses the median of the per-round ratios: the machine's background load drifts
# from one round to the next, and a ratio of two runs taken seconds apart cancels that drift
# where a ratio of two medians taken over minutes does not. Both are printed.
_serve_report() {
  local m_sn m_sr m_ln m_lr
  m_sn=$(_serve_median "${small_nginx[@]}")
  m_sr=$(_serve_median "${small_relais[@]}")
  m_ln=$(_serve_median "${large_nginx[@]}")
  m_lr=$(_serve_median "${large_relais[@]}")
  local -a small_ratios large_ratios
  mapfile -t small_ratios < <(_serve_round_ratios small_relais small_nginx)
  mapfile -t large_ratios < <(_serve_round_ratios large_relais large_nginx)
  local r_small r_large mr_small mr_large
  r_small=$(awk "BEGIN {printf \"%.2f\", $(_serve_median "${small_ratios[@]}")}")
  r_large=$(awk "BEGIN {printf \"%.2f\", $(_serve_median "${large_ratios[@]}")}")
  mr_small=$(awk "BEGIN {printf \"%.2f\", $m_sr / $m_sn}")
  mr_large=$(awk "BEGIN {printf \"%.2f\", $m_lr / $m_ln}")

  printf '\nserve: wrk -t2 on loopback, %s rounds of %s, %s cores, nginx worker_processes %s\n' \
    "$rounds" "${DURATION:-8s}" "$(nproc)" "$(nproc)"
  printf '%-22s' "file / server"
  local i
  for i in $(seq 1 "$rounds"); do printf '%12s' "round $i"; done
  printf '%12s\n' median
  _serve_row "4 KiB req/s  nginx" "$m_sn" "${small_nginx[@]}"
  _serve_row "4 KiB req/s  relais" "$m_sr" "${small_relais[@]}"
  _serve_row "4 KiB        ratio" "$r_small" "${small_ratios[@]}"
  _serve_row "10 MiB MB/s  nginx" "$m_ln" "${large_nginx[@]}"
  _serve_row "10 MiB MB/s  relais" "$m_lr" "${large_relais[@]}"
  _serve_row "10 MiB       ratio" "$r_large" "${large_ratios[@]}"
  printf '\n%-36s %6s×   target ≥ 0.90×   %s   (ratio of medians %s×)\n' "relais/nginx, 4 KiB req/s:" \
    "$r_small" "$(_serve_verdict "$r_small" ">=" 0.9)" "$mr_small"
  printf '%-36s %6s×   target ≥ 0.90×   %s   (ratio of medians %s×)\n' "relais/nginx, 10 MiB MB/s:" \
    "$r_large" "$(_serve_verdict "$r_large" ">=" 0.9)" "$mr_large"
  printf '%-36s %6s MB  target ≤ 40 MB     %s\n' "relais serve RSS, idle:" "$rss_idle" "$(_serve_verdict "$rss_idle" "<=" 40)"
  printf '%-36s %6s MB  target ≤ 120 MB    %s\n' "relais serve RSS, peak under 10 MiB:" "$rss_peak" "$(_serve_verdict "$rss_peak" "<=" 120)"
  printf '%-36s %6s MB  (idle was %s MB)\n' "relais serve RSS, 5 s after:" "$rss_after" "$rss_idle"
}

# "ok" when `$1 $2 $3` holds (e.g. 0.93 >= 0.9), "MISSED" otherwise.
_serve_verdict() {
  awk "BEGIN {print ($1 $2 $3) ? \"ok\" : \"MISSED\"}"
}

_serve_row() {
  local label=$1 median=$2
  shift 2
  printf '%-22s' "$label"
  local value
  for value in "$@"; do printf '%12s' "$value"; done
  printf '%12s\n' "$median"
}
