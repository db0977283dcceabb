# shellcheck shell=bash
# `scripts/bench portal`: the portal's pages under a school's morning rush, and sign-ins.
# A box with the sample bundles of bundles/ (`import --local`) and the demo school's staff and
# pupils from seeds/personnes.json, every staff member given a password with `relais admin
# password`; `relais serve` on free ports; then scripts/bench.d/portal_client.py:
#   (a) PORTAL_PUPILS (500) pupils starting evenly over PORTAL_SPREAD (60) seconds, at most
#       PORTAL_CONCURRENCY (50) at once, each on a connection of its own: GET /catalogue, GET
#       /lancer/{id} (form, CSRF cookie), POST /lancer/{id} (303 to /lecture/…), GET /lecture/…;
#   (b) PORTAL_SIGNINS (50) sign-ins at once (GET then POST /connexion, 303 expected) while one
#       device GETs /catalogue every 50 ms.
# Targets (issue 9): no error, page p99 ≤ 100 ms (sign-in excluded: its p99 and bcrypt's cost are
# printed), RSS of `relais serve` ≤ 120 MB. A miss prints MISS; it never fails the bench.
# Needs: $RELAIS (release binary), $BENCH_TMP (a folder on tmpfs), BENCH_PIDS (cleanup).

_portal_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# VmRSS / VmHWM of a process in MB.
_portal_status_mb() {
  awk -v key="$2:" '$1 == key {printf "%.1f", $2 / 1024; found = 1} END {if (!found) print 0}' "/proc/$1/status" 2>/dev/null || echo 0
}

# Samples VmRSS (kB) of $1 every 0.2 s into $2 until it exits (bash builtins only: no fork).
_portal_sample_rss() {
  local pid=$1 file=$2 key value _
  while [ -r "/proc/$pid/status" ]; do
    while read -r key value _; do
      if [ "$key" = "VmRSS:" ]; then echo "$value" >>"$file"; fi
    done <"/proc/$pid/status"
    sleep 0.2
  done
}

bench_portal() {
  local dir="$BENCH_TMP/portal" port content_port i src accounts="" login
  rm -rf "$dir" && mkdir -p "$dir/bundles"
  log "portal: a box with the sample bundles and the demo school's people"
  "$RELAIS" init --data "$dir/data" --uai 0750654D --name "École de démonstration" >/dev/null
  "$RELAIS" config --data "$dir/data" set serve.bundlePorts 0 >/dev/null  # no clash with a box running here
  local packed=()
  for src in "$ROOT"/bundles/*/; do
    "$RELAIS" bundle pack "$src" -o "$dir/bundles/$(basename "$src").relais" >/dev/null
    packed+=(--local "$dir/bundles/$(basename "$src").relais")
  done
  "$RELAIS" import --data "$dir/data" "${packed[@]}" >/dev/null
  # The same CSV as scripts/demo (;-separated, UTF-8 with BOM, CRLF), and 500 distinct first
  # names for the pupils (guest learners are found by first name).
  python3 - "$ROOT/seeds/personnes.json" "$dir" "${PORTAL_PUPILS:-500}" <<'PY'
import json, sys
people = json.load(open(sys.argv[1], encoding="utf-8"))
out, count = sys.argv[2], int(sys.argv[3])
roles = {"direction": "admin", "enseignant": "enseignant"}
classes = {c["id"]: c["libelle"] for c in people["classes"]}
with open(out + "/personnels.csv", "w", encoding="utf-8-sig", newline="") as f:
    f.write("Nom;Prénom;Rôle;Email\r\n")
    for p in people["personnels"]:
        if p["role"] in roles:
            f.write(f'{p["nom"]};{p["prenom"]};{roles[p["role"]]};\r\n')
with open(out + "/eleves.csv", "w", encoding="utf-8-sig", newline="") as f:
    f.write("Prénom;Initiale du nom;Classe\r\n")
    for e in people["eleves"]:
        f.write(f'{e["prenom"]};{e["initiale"]};{classes[e["classe"]]}\r\n')
firsts = sorted({e["prenom"] for e in people["eleves"]}) or ["Léa"]
with open(out + "/names.txt", "w", encoding="utf-8") as f:
    for i in range(count):
        f.write(f"{firsts[i % len(firsts)]} {chr(65 + (i // len(firsts)) % 26)}{i // (26 * len(firsts)) or ''}\n")
PY
  "$RELAIS" people import-staff --data "$dir/data" "$dir/personnels.csv" >"$dir/staff.txt"
  "$RELAIS" people import-pupils --data "$dir/data" --create-classes "$dir/eleves.csv" >/dev/null
  # Every staff member gets a password with the console verb (one bcrypt hash each); the first
  # call is timed: bcrypt's cost plus a process start and opening the box.
  local t0 t1 hash_seconds=""
  for login in $(awk -F'\t' 'NF >= 3 {print $1}' "$dir/staff.txt"); do
    t0=$(date +%s.%N)
    printf '%s\n' "bench-$login-2026" | "$RELAIS" admin password --data "$dir/data" --login "$login" >/dev/null
    t1=$(date +%s.%N)
    [ -z "$hash_seconds" ] && hash_seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
    accounts+="${accounts:+,}$login:bench-$login-2026"
  done
  [ -n "$accounts" ] || { echo "bench: no staff account was imported (see $dir/staff.txt)" >&2; return 1; }

  port=$(_portal_free_port)
  content_port=$(_portal_free_port)
  while [ "$content_port" = "$port" ]; do content_port=$(_portal_free_port); done
  "$RELAIS" serve --data "$dir/data" --host 127.0.0.1 --port "$port" --content-port "$content_port" >"$dir/relais.log" 2>&1 &
  local pid=$!
  BENCH_PIDS+=("$pid")
  # Ready when every bundle's own origin listens (the /lecture page needs it).
  local catalog="" ids=""
  for i in $(seq 1 120); do
    catalog="$(curl -fsS "http://127.0.0.1:$port/api/v1/catalog" 2>/dev/null || true)"
    ids="$(printf '%s' "$catalog" | python3 -c '
import json, sys
try: c = json.load(sys.stdin)
except Exception: sys.exit(1)
if not c or not all(b.get("contentOrigin") for b in c): sys.exit(1)
print(",".join([b["id"] for b in c if b.get("licensed", True)] or [b["id"] for b in c]))' 2>/dev/null)" && [ -n "$ids" ] && break
    [ "$i" = 120 ] && { echo "bench: relais serve was not ready within 60 s (see $dir/relais.log)" >&2; return 1; }
    sleep 0.5
  done
  local idle_rss
  idle_rss=$(_portal_status_mb "$pid" VmRSS)
  _portal_sample_rss "$pid" "$dir/rss.txt" &
  local sampler=$!
  BENCH_PIDS+=("$sampler")

  log "portal: ${PORTAL_PUPILS:-500} pupils over ${PORTAL_SPREAD:-60} s (at most ${PORTAL_CONCURRENCY:-50} at once), then ${PORTAL_SIGNINS:-50} sign-ins at once; bundles: $ids"
  python3 "$ROOT/scripts/bench.d/portal_client.py" --port "$port" --bundles "$ids" --names "$dir/names.txt" \
    --accounts "$accounts" --pupils "${PORTAL_PUPILS:-500}" --spread "${PORTAL_SPREAD:-60}" \
    --concurrency "${PORTAL_CONCURRENCY:-50}" --signins "${PORTAL_SIGNINS:-50}" --out "$dir/summary.json" \
    || echo "bench: the portal client failed (see above)" >&2

  local hwm sampled
  hwm=$(_portal_status_mb "$pid" VmHWM)
  sampled=$(sort -n "$dir/rss.txt" 2>/dev/null | tail -1 | awk '{printf "%.1f", $1 / 1024}')
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true

  python3 - "$dir/summary.json" "$idle_rss" "${sampled:-0}" "$hwm" "$hash_seconds" <<'PY'
import json, sys
try:
    s = json.load(open(sys.argv[1]))
except Exception:
    sys.exit("portal: no figures (the client did not finish)")
idle, sampled, hwm, hash_seconds = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
ms = lambda v: "—" if v is None else f"{v * 1000:.1f} ms"
print(f"portal: requests {s['requests']} ({s['pageRequests']} page requests of pupils), "
      f"errors {s['pageErrors']} (pages) + {s['signInErrors']} (sign-ins) + {s['probeErrors']} (probe)")
print(f"portal: pages p50 {ms(s['pageP50'])}  p95 {ms(s['pageP95'])}  p99 {ms(s['pageP99'])}")
if s["signInServed"]:
    print(f"portal: sign-in p50 {ms(s['signInP50'])}  p99 {ms(s['signInP99'])} ({s['signIns']} at once); "
          f"/catalogue meanwhile p99 {ms(s['probeP99'])}")
else:
    print("portal: sign-in route not served: no sign-in figures")
print(f"portal: bcrypt cost 12 (README: ~0.3 s per hash here); one `relais admin password` "
      f"(one hash + process start): {hash_seconds} s")
print(f"portal: relais serve RSS idle {idle:.1f} MB, peak {max(sampled, hwm):.1f} MB "
      f"(VmHWM {hwm:.1f}, sampled every 0.2 s {sampled:.1f})")
verdict = lambda ok: "PASS" if ok else "MISS"
errors = s["pageErrors"] + s["signInErrors"] + s["probeErrors"]
print(f"portal: {verdict(errors == 0)}  no error ({errors})")
print(f"portal: {verdict(s['pageP99'] is not None and s['pageP99'] <= 0.100)}  page p99 ≤ 100 ms ({ms(s['pageP99'])})")
print(f"portal: {verdict(max(sampled, hwm) <= 120)}  RSS ≤ 120 MB ({max(sampled, hwm):.1f} MB)")
PY
}
