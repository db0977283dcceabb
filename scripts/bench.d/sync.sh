# shellcheck shell=bash
# `scripts/bench sync`: `relais sync --once` of a repository of 69 bundles (the TNE catalogue
# size, ~500 MB) from nginx on loopback, vs curl fetching the same 69 target files one after the
# other (one curl process, keep-alive). relais also verifies the TUF metadata, every target's
# length and SHA-256, and imports each bundle atomically (inflate, hash every file, SQLite).
# Targets: ≤ 1.2× curl's wall time; a no-change re-sync ≤ 1 s.
# Two links: loopback at full speed (curl then only copies memory, relais's verification and
# import are all that is measured), and the same nginx capped at SYNC_LINK_MBPS megabits per
# second per connection (default 200, a good school fibre link; 0 skips it), where the download
# dominates as it does in a school.
# Needs: $RELAIS (release binary), $BENCH_TMP (a folder on tmpfs), ROUNDS (default 3).

bench_sync() {
  command -v nginx >/dev/null || apt_ensure nginx-light
  local dir="$BENCH_TMP/sync" rounds="${ROUNDS:-3}"
  rm -rf "$dir" && mkdir -p "$dir/src" "$dir/nginx/tmp"
  chmod 755 "$BENCH_TMP" "$dir"
  log "sync: making and publishing 69 bundles (~500 MB)"
  python3 - "$dir/src" <<'PY'
import json, os, random, sys
root = sys.argv[1]
rng = random.Random(7)
for i in range(69):
    d = os.path.join(root, f"b{i:02d}")
    os.makedirs(os.path.join(d, "media"), exist_ok=True)
    # Media dominate a bundle's size and do not compress; 40 small pages do.
    open(os.path.join(d, "media", "video.mp4"), "wb").write(rng.randbytes(rng.randint(6_000_000, 8_000_000)))
    for p in range(40):
        open(os.path.join(d, f"page{p}.html"), "w").write(f"<p>page {p} du module {i} " + "exercice " * rng.randint(50, 2000) + "</p>")
    open(os.path.join(d, "index.html"), "w").write("<!DOCTYPE html><title>bench</title>")
    json.dump({"schema": 1, "id": f"fr.relais.bench.b{i:02d}", "version": "1.0.0", "kind": "training",
               "title": {"fr": f"Module {i}"}, "description": {"fr": "Banc d'essai de la synchro"}, "publisher": "bench",
               "standard": "html5", "entry": "index.html", "levels": [], "subjects": []},
              open(os.path.join(d, "bundle.json"), "w"))
PY
  mkdir -p "$dir/packed"
  local src
  for src in "$dir"/src/*/; do "$RELAIS" bundle pack "$src" -o "$dir/packed/$(basename "$src").relais" >/dev/null; done
  rm -rf "$dir/src"
  "$RELAIS" repo init "$dir/repo" --keys "$dir/keys" >/dev/null
  "$RELAIS" repo add "$dir/repo" "$dir"/packed/*.relais >/dev/null
  "$RELAIS" repo publish "$dir/repo" --keys "$dir/keys" >/dev/null
  rm -rf "$dir/packed"
  chmod -R a+rX "$dir/repo"

  local port capped_port mbps="${SYNC_LINK_MBPS:-200}"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  capped_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$dir/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 256; }
http {
  access_log off; sendfile on; tcp_nopush on; keepalive_timeout 65;
  default_type application/octet-stream;
  client_body_temp_path $dir/nginx/tmp; proxy_temp_path $dir/nginx/tmp; fastcgi_temp_path $dir/nginx/tmp;
  uwsgi_temp_path $dir/nginx/tmp; scgi_temp_path $dir/nginx/tmp;
  server { listen 127.0.0.1:$port; root $dir/repo; }
  server { listen 127.0.0.1:$capped_port; root $dir/repo; limit_rate $((mbps * 125000)); }
}
CONF
  nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx" 2>>"$dir/nginx/error.log" &
  BENCH_PIDS+=("$!")
  _sync_compare "loopback" "http://127.0.0.1:$port" "$rounds"
  if [ "$mbps" -gt 0 ]; then _sync_compare "$mbps Mbit/s" "http://127.0.0.1:$capped_port" "$rounds"; fi
  rm -rf "$dir/curl" "$dir/box"
}

# _sync_compare LABEL URL ROUNDS: curl vs relais sync (and a no-change re-sync) from URL.
_sync_compare() {
  local label=$1 url=$2 rounds=$3 dir="$BENCH_TMP/sync"
  for _ in $(seq 1 50); do curl -fsS -o /dev/null "$url/metadata/1.root.json" 2>/dev/null && break; sleep 0.1; done
  # curl gets the same files a box gets: every target under targets/ (consistent names).
  local args=() f bytes
  while IFS= read -r f; do args+=(-o "$dir/curl/$(basename "$f")" "$url/targets/$f"); done \
    < <(cd "$dir/repo/targets" && find . -type f -name '*.relais' | sed 's|^\./||' | sort)
  bytes=$(find "$dir/repo/targets" -type f -name '*.relais' -printf '%s\n' | awk '{s += $1} END {print s}')
  printf '\nsync over %s: %s bundles, %s MB of targets\n' "$label" "$((${#args[@]} / 3))" "$((bytes / 1000000))"
  printf '%-7s %10s %10s %12s\n' round curl relais "no-change"
  local r t0 t1 tc tr tn cs=() rs=() ns=()
  for r in $(seq 1 "$rounds"); do
    rm -rf "$dir/curl" "$dir/box" && mkdir -p "$dir/curl"
    t0=$(date +%s.%N); curl -fsS "${args[@]}"; t1=$(date +%s.%N)
    tc=$(calc "$t1 - $t0")
    "$RELAIS" init --data "$dir/box" --uai 0750654D --trust "$dir/repo/metadata/1.root.json" >/dev/null
    "$RELAIS" config --data "$dir/box" set repository.url "$url" >/dev/null
    t0=$(date +%s.%N); "$RELAIS" sync --data "$dir/box" --once >/dev/null; t1=$(date +%s.%N)
    tr=$(calc "$t1 - $t0")
    t0=$(date +%s.%N); "$RELAIS" sync --data "$dir/box" --once >/dev/null; t1=$(date +%s.%N)
    tn=$(calc "$t1 - $t0")
    printf '%-7s %9.2fs %9.2fs %11.3fs\n' "$r" "$tc" "$tr" "$tn"
    cs+=("$tc"); rs+=("$tr"); ns+=("$tn")
  done
  local mc mr mn
  mc=$(printf '%s\n' "${cs[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  mr=$(printf '%s\n' "${rs[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  mn=$(printf '%s\n' "${ns[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf 'sync over %s (median of %s): curl %.2fs, relais %.2fs → %.2f× curl'"'"'s time (target ≤ 1.2×); no-change re-sync %.3fs (target ≤ 1 s)\n' \
    "$label" "$rounds" "$mc" "$mr" "$(calc "$mr / $mc")" "$mn"
}
