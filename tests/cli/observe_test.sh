#!/usr/bin/env bash
# Black-box tests of issue 11's « Observe »: `relais status [--json]`, `relais doctor` (each problem
# provoked for real, with the command that fixes it), and `/metrics` read by prometheus_client's
# parser while `relais serve` answers requests.
source "$(dirname "$0")/lib.sh"
D="$WORK/data"
P="$(free_port)"; C="$(free_port)"
json() { python3 -c "import json,sys; v=json.load(sys.stdin); print($2)" <<<"$1"; }

check "init" "$RELAIS" init --data "$D" --uai 0750654D --name "École de l'observation"
check "pack a sample bundle" "$RELAIS" bundle pack "$ROOT/bundles/calcul-mental" -o "$WORK/calcul.relais"
check "import it" "$RELAIS" import --data "$D" --local "$WORK/calcul.relais"
"$RELAIS" config --data "$D" set serve.port "$P" >/dev/null
"$RELAIS" config --data "$D" set serve.contentPort "$C" >/dev/null
"$RELAIS" config --data "$D" set serve.bundlePorts 0 >/dev/null

# --- status ---------------------------------------------------------------------------------------
out="$("$RELAIS" status --data "$D" --json)"
[ "$(json "$out" 'v["uai"], v["name"], v["version"] == v["version"]')" = "0750654D École de l'observation True" ] \
  && ok "status --json: uai, name, version" || fail "status --json: uai, name" "$out"
[ "$(json "$out" '0 < v["disk"]["usedPercent"] <= 100 and v["disk"]["freeBytes"] > 0 and v["disk"]["usedBytes"] > 0')" = True ] \
  && ok "status --json: disk used, free, % used" || fail "status --json: disk" "$out"
[ "$(json "$out" 'v["network"]["urls"][0]')" = "http://relais.local:$P/" ] \
  && ok "status --json: pupils type http://relais.local:PORT/ first" || fail "status --json: urls" "$out"
[ "$(json "$out" 'v["clock"]["state"], v["expiringLicences"], v["upstream"]["pending"], v["upstream"]["quarantined"]')" = "unknown [] 0 0" ] \
  && ok "status --json: clock not checked before a sync, no licence ending, empty outbox" || fail "status --json: clock" "$out"
addr="$(json "$out" '([a["address"] for a in v["network"]["addresses"] if a["family"] == "ipv4"] + [""])[0]')"
if [ -n "$addr" ]; then
  [ "$(json "$out" "'http://$addr:$P/' in v['network']['urls']")" = True ] && ok "status --json: http://ADDRESS:PORT/ for $addr" || fail "status: address url" "$out"
fi
text="$("$RELAIS" status --data "$D")"
contains "status: how pupils reach the box" "$text" "http://relais.local:$P/"
contains "status: disk in %" "$text" "% utilisés / used"
contains "status: clock line" "$text" "Horloge / clock:"

# --- doctor: a healthy box, then one problem at a time -----------------------------------------------
if out="$("$RELAIS" doctor --data "$D" 2>&1)"; then ok "doctor: a new box has no problem"; else fail "doctor: a new box has no problem" "$out"; fi
contains "…it ran the full integrity check" "$out" "integrity_check ok"
contains "…and checked its ports" "$out" "port $P (serve.port): free"

chmod 644 "$D/secret.key"
expect_exit 1 "doctor: secret.key readable by others is a problem" "$RELAIS" doctor --data "$D" --offline
out="$("$RELAIS" doctor --data "$D" --offline 2>&1)"
contains "…with the command that fixes it" "$out" "chmod 600 $D/secret.key"
chmod 600 "$D/secret.key"

down="$(free_port)"
"$RELAIS" config --data "$D" set upstream.lrs.url "http://127.0.0.1:$down/xapi/" >/dev/null
expect_exit 1 "doctor: an upstream LRS that does not answer is a problem" "$RELAIS" doctor --data "$D"
out="$("$RELAIS" doctor --data "$D" 2>&1)"
contains "…naming the address and the fix" "$out" "http://127.0.0.1:$down/xapi/about cannot be reached (connection refused) — check the network, or the address: relais config --data $D set upstream.lrs.url URL"
"$RELAIS" config --data "$D" set upstream.lrs.url "" >/dev/null

"$RELAIS" config --data "$D" set repository.url "$WORK/cle-usb" >/dev/null
out="$("$RELAIS" doctor --data "$D" 2>&1)"; rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"repository: $WORK/cle-usb/metadata/timestamp.json cannot be read"* ]] \
  && ok "doctor: a repository folder that is not there is a problem" || fail "doctor: repository folder" "$out"
"$RELAIS" config --data "$D" set repository.url "" >/dev/null

python3 -c 'import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(); time.sleep(60)' "$P" &
SQ=$!; PIDS+=("$SQ")
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$P") 2>/dev/null && break; sleep 0.1; done
out="$("$RELAIS" doctor --data "$D" 2>&1)"; rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"port $P (serve.port) is taken by another program"*"relais config --data $D set serve.port OTHER_PORT"* ]] \
  && ok "doctor: another program on the portal's port is a problem" || fail "doctor: port taken" "$out"
kill "$SQ" 2>/dev/null; wait "$SQ" 2>/dev/null

# A copy of the data folder whose database has a damaged page.
cp -a "$D" "$WORK/copie"
python3 - "$WORK/copie/relais.sqlite" <<'PY'
import sqlite3, sys
path = sys.argv[1]
db = sqlite3.connect(path)
page_size = db.execute("PRAGMA page_size").fetchone()[0]
root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'bundleFileByBlob'").fetchone()[0]
db.close()
with open(path, "r+b") as f:
    f.seek((root - 1) * page_size)
    f.write(b"\x5a" * page_size)
PY
out="$("$RELAIS" doctor --data "$WORK/copie" --offline 2>&1)"; rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"relais restore --data $WORK/copie BACKUP_FILE"* ]] \
  && ok "doctor: a damaged database is found, with how to restore it" || fail "doctor: corrupt database" "$out"
if "$RELAIS" doctor --data "$D" --offline >/dev/null 2>&1; then ok "…the original is still fine"; else fail "…the original is still fine"; fi

# A nearly full disk, for real: a small tmpfs filled past 85 % (needs mount; root in CI).
SMALL="$WORK/petit"; mkdir -p "$SMALL"
if mount -t tmpfs -o size=8m tmpfs "$SMALL" 2>/dev/null; then
  "$RELAIS" init --data "$SMALL/data" --uai 0750654D --name "Petit disque" >/dev/null 2>&1
  dd if=/dev/zero of="$SMALL/remplissage" bs=64k count=112 status=none 2>/dev/null
  out="$("$RELAIS" doctor --data "$SMALL/data" --offline 2>&1)"; rc=$?
  [ $rc -eq 1 ] && [[ "$out" == *"disk: "*"% used"*"relais gc --data $SMALL/data"* ]] && ok "doctor: a disk 85 % full or more is a problem" || fail "doctor: full disk" "$out"
  out="$("$RELAIS" status --data "$SMALL/data" --json)"
  [ "$(json "$out" 'v["disk"]["usedPercent"] >= 85 and any(w["code"] == "disk" for w in v["warnings"])')" = True ] \
    && ok "status: the full disk is a warning" || fail "status: full disk warning" "$out"
  umount "$SMALL"
else
  ok "doctor: a disk 85 % full or more # SKIP mount not permitted here"
  ok "status: the full disk is a warning # SKIP mount not permitted here"
fi

# --- /metrics while serving -------------------------------------------------------------------------
"$RELAIS" serve --data "$D" --host 0.0.0.0 >>"$WORK/serve.log" 2>&1 &
SPID=$!; PIDS+=("$SPID")
wait_http "http://127.0.0.1:$P/healthz" && ok "serve answers" || fail "serve answers" "$(tail -5 "$WORK/serve.log")"
if out="$("$RELAIS" doctor --data "$D" 2>&1)"; then ok "doctor: ports held by this box's own serve are fine"; else fail "doctor: own ports" "$out"; fi
contains "…and says so" "$out" "port $P (serve.port): held by this box's relais serve"

sample() { curl -fsS "http://127.0.0.1:$P/metrics" | python3 "$ROOT/tests/cli/metrics_sample.py" "$@"; }
first="$(curl -fsS "http://127.0.0.1:$P/metrics")"
if python3 "$ROOT/tests/cli/metrics_sample.py" relais_bundles <<<"$first" >/dev/null; then ok "/metrics parses with prometheus_client"; else fail "/metrics parses" "${first:0:400}"; fi
[ "$(python3 "$ROOT/tests/cli/metrics_sample.py" relais_bundles <<<"$first")" = 1 ] && ok "/metrics: relais_bundles 1" || fail "relais_bundles" "$first"
[ "$(python3 "$ROOT/tests/cli/metrics_sample.py" relais_statements_queued <<<"$first")" = 0 ] && ok "/metrics: nothing queued" || fail "statements queued" "$first"
origin=""
for _ in $(seq 1 100); do
  origin="$(curl -fsS "http://127.0.0.1:$P/api/v1/catalog" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0].get("contentOrigin") or "")')"
  [ -n "$origin" ] && break; sleep 0.1
done
bport="${origin##*:}"
before="$(sample relais_http_requests_total origin=bundle code=200)"
bytes_before="$(sample relais_http_response_body_bytes_total origin=bundle code=200)"
version="$(json "$(curl -fsS "http://127.0.0.1:$P/api/v1/catalog")" 'v[0]["version"]')"
size="$(curl -fsS "http://127.0.0.1:$bport/b/fr.relais.demo.calcul-mental/$version/index.html" | wc -c)"
for _ in 1 2; do curl -fsS -o /dev/null "http://127.0.0.1:$bport/b/fr.relais.demo.calcul-mental/$version/index.html"; done
curl -s -o /dev/null "http://127.0.0.1:$bport/b/fr.relais.demo.calcul-mental/$version/absent.html"
after="$(sample relais_http_requests_total origin=bundle code=200)"
bytes_after="$(sample relais_http_response_body_bytes_total origin=bundle code=200)"
[ $((after - before)) -eq 3 ] && ok "/metrics: 3 files served by the bundle's origin count 3" || fail "bundle requests counter" "$before → $after"
[ $((bytes_after - bytes_before)) -eq $((3 * size)) ] && ok "/metrics: their bytes count too ($((3 * size)))" || fail "bundle bytes counter" "$bytes_before → $bytes_after (size $size)"
[ "$(sample relais_http_requests_total origin=bundle code=404)" -ge 1 ] && ok "/metrics: the 404 counts under its code" || fail "404 counter"
p1="$(sample relais_http_requests_total origin=portal code=200)"; p2="$(sample relais_http_requests_total origin=portal code=200)"
[ "$p2" -gt "$p1" ] && ok "/metrics: portal requests move (the scrapes themselves)" || fail "portal counter" "$p1 → $p2"

# From another address than the box's loopback: refused.
lan="$(hostname -I 2>/dev/null | awk '{print $1}')"
if [ -n "$lan" ]; then
  code="$(curl -s -o /dev/null -w '%{http_code}' "http://$lan:$P/metrics")"
  [ "$code" = 403 ] && ok "/metrics from $lan (not loopback) is refused with 403" || fail "/metrics from the LAN" "got $code"
  code="$(curl -s -o /dev/null -w '%{http_code}' "http://$lan:$P/healthz")"
  [ "$code" = 200 ] && ok "…while /healthz answers there" || fail "/healthz from the LAN" "got $code"
else
  ok "/metrics from the LAN # SKIP no non-loopback address"; ok "…/healthz # SKIP"
fi
kill -TERM "$SPID"; wait "$SPID" 2>/dev/null
echo "# done"
