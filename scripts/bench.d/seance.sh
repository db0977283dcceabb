# shellcheck shell=bash
# `scripts/bench seance`: one séance prête under a whole year group joining it (issue 10).
# A box with the HTML5 sample calcul-mental (`bundle pack` + `import --local`), one teacher
# (`people import-staff`, `admin password`) and one class of SEANCE_PUPILS (500) pupils imported
# from a CSV (`people import-pupils --create-classes`, `people assign-teacher`); `relais serve` on
# free ports; then scripts/bench.d/seance_client.py:
#   setup over HTTP, as the pages do it: the teacher signs in, prepares the séance, adds the
#   activity, « Confier »; the substitute types the hand-over code and « Démarrer »;
#   SEANCE_PUPILS pupils starting evenly over SEANCE_SPREAD (60) seconds, at most
#   SEANCE_CONCURRENCY (50) at once, each on a connection of its own: GET /, POST /rejoindre,
#   GET /s/{code}, POST /s/{code} (their name), GET /eleve, POST /eleve/activites/0, GET
#   /lecture/{launch}; SEANCE_STATEMENTS (30) of them then POST /lancement/{launch}/fin from the
#   bundle's origin (the player's end: an `experienced` statement in the local LRS);
#   meanwhile the substitute GETs /remplacant/{id}/suivi every SEANCE_POLL (2) seconds; its last
#   table must count every pupil who joined and every time spent posted.
# Targets (issue 10): no error, portal p99 ≤ 100 ms (pupils' pages, the substitute's table, all
# requests: each printed), RSS of `relais serve` ≤ 120 MB. A miss prints MISS; it never fails
# the bench. Needs: $RELAIS (release binary), $BENCH_TMP, BENCH_PIDS; uses portal.sh's helpers.

bench_seance() {
  local dir="$BENCH_TMP/seance" port content_port i bundle
  local pupils="${SEANCE_PUPILS:-500}" login="awa.diallo" password="bench-seance-2026"
  rm -rf "$dir" && mkdir -p "$dir"
  log "seance: a box with calcul-mental, a teacher and a class of $pupils pupils"
  "$RELAIS" init --data "$dir/data" --uai 0750654D --name "École de la charge" >/dev/null
  "$RELAIS" config --data "$dir/data" set serve.bundlePorts 0 >/dev/null  # no clash with a box running here
  "$RELAIS" bundle pack "$ROOT/bundles/calcul-mental" -o "$dir/calcul-mental.relais" >/dev/null
  "$RELAIS" import --data "$dir/data" --local "$dir/calcul-mental.relais" >/dev/null
  bundle=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$ROOT/bundles/calcul-mental/bundle.json")
  # One class of $pupils pupils with distinct names (first name + initial), as a school's
  # spreadsheet exports it (;, UTF-8 with BOM, CRLF).
  python3 - "$ROOT/seeds/personnes.json" "$dir" "$pupils" <<'PY'
import json, sys
people = json.load(open(sys.argv[1], encoding="utf-8"))
out, count = sys.argv[2], int(sys.argv[3])
firsts = sorted({e["prenom"] for e in people["eleves"]}) or ["Léa"]
initials = "ABCDEFGHIJKLMNOPRSTUVWXYZ"
with open(out + "/personnels.csv", "w", encoding="utf-8-sig", newline="") as f:
    f.write("Nom;Prénom;Rôle;Email\r\nDiallo;Awa;enseignant;\r\n")
with open(out + "/eleves.csv", "w", encoding="utf-8-sig", newline="") as f:
    f.write("Prénom;Initiale du nom;Classe\r\n")
    names = set()
    i = 0
    while len(names) < count:
        first, initial = firsts[i % len(firsts)], initials[(i // len(firsts)) % len(initials)]
        suffix = "" if i < len(firsts) * len(initials) else str(i // (len(firsts) * len(initials)))
        names.add((first + suffix, initial))
        i += 1
    for first, initial in sorted(names):
        f.write(f"{first};{initial};Promo 2026\r\n")
PY
  "$RELAIS" people import-staff --data "$dir/data" "$dir/personnels.csv" >/dev/null
  "$RELAIS" people import-pupils --data "$dir/data" --create-classes "$dir/eleves.csv" >/dev/null
  printf '%s\n' "$password" | "$RELAIS" admin password --data "$dir/data" --login "$login" >/dev/null
  "$RELAIS" people assign-teacher --data "$dir/data" --login "$login" --class "Promo 2026" >/dev/null

  port=$(_portal_free_port)
  content_port=$(_portal_free_port)
  while [ "$content_port" = "$port" ]; do content_port=$(_portal_free_port); done
  "$RELAIS" serve --data "$dir/data" --host 127.0.0.1 --port "$port" --content-port "$content_port" >"$dir/relais.log" 2>&1 &
  local pid=$!
  BENCH_PIDS+=("$pid")
  for i in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/api/v1/catalog" 2>/dev/null | python3 -c '
import json, sys
c = json.load(sys.stdin)
sys.exit(0 if c and all(b.get("contentOrigin") for b in c) else 1)' 2>/dev/null && break
    [ "$i" = 120 ] && { echo "bench: relais serve was not ready within 60 s (see $dir/relais.log)" >&2; return 1; }
    sleep 0.5
  done
  local idle_rss
  idle_rss=$(_portal_status_mb "$pid" VmRSS)
  _portal_sample_rss "$pid" "$dir/rss.txt" &
  local sampler=$!
  BENCH_PIDS+=("$sampler")

  log "seance: $pupils pupils join over ${SEANCE_SPREAD:-60} s (at most ${SEANCE_CONCURRENCY:-50} at once), ${SEANCE_STATEMENTS:-30} post statements, the substitute polls every ${SEANCE_POLL:-2} s"
  python3 "$ROOT/scripts/bench.d/seance_client.py" --port "$port" --login "$login" --password "$password" \
    --class "Promo 2026" --bundle "$bundle" --pupils "$pupils" --spread "${SEANCE_SPREAD:-60}" \
    --concurrency "${SEANCE_CONCURRENCY:-50}" --statements "${SEANCE_STATEMENTS:-30}" --poll "${SEANCE_POLL:-2}" \
    --out "$dir/summary.json" || echo "bench: the séance client failed (see above)" >&2

  local hwm sampled
  hwm=$(_portal_status_mb "$pid" VmHWM)
  sampled=$(sort -n "$dir/rss.txt" 2>/dev/null | tail -1 | awk '{printf "%.1f", $1 / 1024}')
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true

  python3 - "$dir/summary.json" "$idle_rss" "${sampled:-0}" "$hwm" <<'PY'
import json, sys
try:
    s = json.load(open(sys.argv[1]))
except Exception:
    sys.exit("seance: no figures (the client did not finish)")
idle, sampled, hwm = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
ms = lambda v: "—" if v is None else f"{v * 1000:.1f} ms"
peak = max(sampled, hwm)
print(f"seance: requests {s['requests']}, errors {s['errors']}; {s['statementsPosted']} statements posted; "
      f"the substitute's last table: {s['seenJoined']} joined, {s['seenTimed']} with a time spent")
print(f"seance: pupil pages p50 {ms(s['pageP50'])}  p95 {ms(s['pageP95'])}  p99 {ms(s['pageP99'])}")
print(f"seance: suivi ({s['suiviN']} polls) p50 {ms(s['suiviP50'])}  p95 {ms(s['suiviP95'])}  p99 {ms(s['suiviP99'])}")
print(f"seance: relais serve RSS idle {idle:.1f} MB, peak {peak:.1f} MB (VmHWM {hwm:.1f}, sampled every 0.2 s {sampled:.1f})")
verdict = lambda ok: "PASS" if ok else "MISS"
p99 = lambda key: s[key] is not None and s[key] <= 0.100
print(f"seance: {verdict(s['errors'] == 0)}  no error ({s['errors']})")
print(f"seance: {verdict(p99('pageP99'))}  pupil pages p99 ≤ 100 ms ({ms(s['pageP99'])})")
print(f"seance: {verdict(p99('suiviP99'))}  substitute's table p99 ≤ 100 ms ({ms(s['suiviP99'])})")
print(f"seance: {verdict(p99('allP99'))}  all portal requests p99 ≤ 100 ms ({ms(s['allP99'])})")
print(f"seance: {verdict(peak <= 120)}  RSS ≤ 120 MB ({peak:.1f} MB)")
PY
}
