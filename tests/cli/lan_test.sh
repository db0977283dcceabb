#!/usr/bin/env bash
# Black-box tests of `relais serve` holding up on the LAN: many idle connections from one device
# under the 1024 open files a systemd service starts with, `Connection: close` said on the
# answer, half-sent heads, the per-address bound, 200 launches at once. Only 127.0.0.1 is
# contacted; every wait polls with a deadline; every loop is bounded.
source "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
CLIENT=(python3 "$HERE/lan_client.py")
D="$WORK/data"
IDLE=5      # serve.idleTimeoutSeconds for these tests
HEADER=2    # serve.headerTimeoutSeconds
FLOOD=1100  # idle connections per port

json_field() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]); print(eval(sys.argv[2], {}, {"v": v}))' "$1" "$2" 2>/dev/null; }

# poll SECONDS command…: runs the command every 0.1 s until it succeeds or SECONDS pass.
poll() {
  local seconds="$1"; shift
  local deadline=$((SECONDS + seconds))
  while [ "$SECONDS" -lt "$deadline" ]; do "$@" && return 0; sleep 0.1; done
  "$@"
}

SPID=""
# start_serve LIMIT_FLAGS: `relais serve` under `ulimit LIMIT_FLAGS` (e.g. -S -n 1024), waits for /healthz.
start_serve() {
  P="$(free_port)"; C="$(free_port)"
  "$RELAIS" config --data "$D" set serve.bundlePorts 0 >/dev/null  # any free port: tests run side by side
  # shellcheck disable=SC2086
  ( ulimit $1 && exec "$RELAIS" serve --data "$D" --host 127.0.0.1 --port "$P" --content-port "$C" ) >>"$WORK/serve.log" 2>&1 &
  SPID=$!
  PIDS+=("$SPID")
  wait_http "http://127.0.0.1:$P/healthz" || return 1
  # B: the bundle's own origin (a port the system picks at each start), open within a second.
  B=""
  for _ in $(seq 1 100); do
    B="$(curl -fsS "http://127.0.0.1:$P/api/v1/catalog" | python3 -c 'import json,sys; o=[b.get("contentOrigin") for b in json.load(sys.stdin)]; print(o[0].rsplit(":",1)[1] if o and o[0] else "")')"
    [ -n "$B" ] && return 0
    sleep 0.1
  done
  return 1
}

stop_serve() {
  kill -TERM "$SPID" 2>/dev/null
  for _ in $(seq 1 150); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$SPID" 2>/dev/null; then kill -9 "$SPID"; fail "SIGTERM stops serve within 15 s"; return; fi
  wait "$SPID"; local rc=$?
  [ "$rc" -eq 0 ] && ok "SIGTERM stops serve cleanly (exit 0)" || fail "SIGTERM stops serve cleanly" "exit $rc: $(tail -5 "$WORK/serve.log")"
}

alive() { kill -0 "$SPID" 2>/dev/null; }
fds() { ls "/proc/$SPID/fd" 2>/dev/null | wc -l; }
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$SPID/status" 2>/dev/null; }
status_of() { [ -s "$1" ] && cat "$1" || echo '{}'; }
phase_is() { [ "$(json_field "$(status_of "$1")" 'v.get("phase")')" = "$2" ]; }
open_is() { [ "$(json_field "$(status_of "$1")" 'v.get("open")')" = "$2" ]; }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time "${2:-5}" "$1"; }

# --- a box with one bundle -----------------------------------------------------------------------
"$RELAIS" init --data "$D" --uai 0750654D --name "École du LAN" >/dev/null 2>&1
"$RELAIS" bundle pack "$ROOT/bundles/calcul-mental" -o "$WORK/calcul.relais" >/dev/null 2>&1
check "a bundle is imported for the tests" "$RELAIS" import --data "$D" --local "$WORK/calcul.relais"
BUNDLE=fr.relais.demo.calcul-mental
check "short timeouts for the tests (idle)" "$RELAIS" config --data "$D" set serve.idleTimeoutSeconds "$IDLE"
check "short timeouts for the tests (header)" "$RELAIS" config --data "$D" set serve.headerTimeoutSeconds "$HEADER"
check "a per-address bound above the flood, to see the open-file limit at work" "$RELAIS" config --data "$D" set serve.maxConnectionsPerAddress 1500
expect_exit 1 "serve.maxConnectionsPerAddress refuses 0" "$RELAIS" config --data "$D" set serve.maxConnectionsPerAddress 0

# --- under the soft limit of a systemd service -----------------------------------------------------
HARD="$(ulimit -Hn)"
if [ "$HARD" != unlimited ] && [ "$HARD" -lt 4096 ]; then
  # The client side needs 1,100 sockets per helper and serve needs room above 1024 to show the raise.
  ok "the flood tests # SKIP the hard open-file limit here is $HARD (they need 4096 or more)"
  echo "# done"
  exit 0
fi
if start_serve "-S -n 1024"; then ok "serve answers under ulimit -S -n 1024"; else fail "serve answers under ulimit -S -n 1024" "$(tail -5 "$WORK/serve.log")"; fi
soft="$(awk '/Max open files/{print $4}' "/proc/$SPID/limits")"
[ "$soft" = "$HARD" ] && ok "serve raised its open-file soft limit from 1024 to the hard limit ($soft)" || fail "serve raised its soft limit" "soft $soft, hard $HARD"
contains "…and logged what it set" "$(cat "$WORK/serve.log")" "nofile.before=1024"

entry="$(curl -sI -o /dev/null -w '%{redirect_url}' --max-time 5 "http://127.0.0.1:$P/lancer/$BUNDLE")"
contains "HEAD /lancer gives the entry on the bundle's own origin" "$entry" "http://127.0.0.1:$B/b/"
entry_path="/${entry#http://127.0.0.1:"$B"/}"

# Connection: close is said on the answer, on both ports, and the connection is then closed.
for target in "$P /healthz portal" "$B $entry_path content-file" "$C /nowhere content-404"; do
  read -r port path what <<<"$target"
  out="$("${CLIENT[@]}" exchange "$port" "GET $path HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")"
  [ "$(json_field "$out" 'v["connection"]')" = "close" ] && ok "$what: Connection: close is answered with Connection: close" || fail "$what: Connection: close answered with the header" "$out"
  [ "$(json_field "$out" 'v["closed"]')" = "True" ] && ok "$what: …and the connection is closed after the answer" || fail "$what: connection closed after the answer" "$out"
done

# Half a request head, then nothing: 408 with Connection: close within the header timeout.
for target in "$P portal" "$C content"; do
  read -r port what <<<"$target"
  out="$("${CLIENT[@]}" exchange "$port" "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" $((HEADER + IDLE + 5)))"
  if [ "$(json_field "$out" 'v["status"]')" = 408 ] && [ "$(json_field "$out" 'v["connection"]')" = close ] \
    && [ "$(json_field "$out" 'v["closed"] and v["seconds"] < '"$((HEADER + 2))")" = True ]; then
    ok "$what: half a head is answered 408 and closed within the header timeout"
  else
    fail "$what: half a head answered 408 and closed within ${HEADER}s" "$out"
  fi
done

# 1,100 idle connections to each port from 127.0.0.1: more than 1024 descriptors in all.
"${CLIENT[@]}" hold "$P" "$FLOOD" $((IDLE + 40)) "$WORK/hold-portal.json" &
PIDS+=("$!"); hp=$!
"${CLIENT[@]}" hold "$C" "$FLOOD" $((IDLE + 40)) "$WORK/hold-content.json" &
PIDS+=("$!"); hc=$!
poll 20 phase_is "$WORK/hold-portal.json" holding; poll 20 phase_is "$WORK/hold-content.json" holding
code_portal="$(http_code "http://127.0.0.1:$P/healthz")"
code_file="$(http_code "http://127.0.0.1:$B$entry_path")"
code_404="$(http_code "http://127.0.0.1:$C/nowhere")"
peak_fds="$(fds)"; peak_rss="$(rss_kb)"
portal_open="$(json_field "$(status_of "$WORK/hold-portal.json")" 'v.get("open")')"
content_open="$(json_field "$(status_of "$WORK/hold-content.json")" 'v.get("open")')"
echo "# figures: $portal_open idle portal + $content_open idle content connections open; serve holds $peak_fds descriptors, RSS $peak_rss kB"
[ "$portal_open" = "$FLOOD" ] && [ "$content_open" = "$FLOOD" ] && ok "$FLOOD idle connections to each port are open at once" || fail "$FLOOD idle connections open on each port" "portal $portal_open content $content_open"
[ "${peak_fds:-0}" -gt 2200 ] && ok "serve holds more descriptors ($peak_fds) than the 1024 it was started with" || fail "serve holds more than 1024 descriptors" "$peak_fds"
[ "$code_portal" = 200 ] && ok "meanwhile the portal answers /healthz" || fail "the portal answers /healthz during the flood" "HTTP $code_portal"
[ "$code_file" = 200 ] && ok "meanwhile the content origin serves a file" || fail "the content origin serves a file during the flood" "HTTP $code_file"
[ "$code_404" = 404 ] && ok "meanwhile the content origin answers 404" || fail "the content origin answers 404 during the flood" "HTTP $code_404"
poll $((IDLE + 30)) open_is "$WORK/hold-portal.json" 0 && ok "the portal drops the idle connections after the idle timeout" || fail "the portal drops idle connections" "$(status_of "$WORK/hold-portal.json")"
poll $((IDLE + 30)) open_is "$WORK/hold-content.json" 0 && ok "the content origin drops the idle connections after the idle timeout" || fail "the content origin drops idle connections" "$(status_of "$WORK/hold-content.json")"
wait "$hp" "$hc" 2>/dev/null
alive && ok "serve is alive after the flood" || fail "serve is alive after the flood" "$(tail -20 "$WORK/serve.log")"
echo "# figures: after the flood serve holds $(fds) descriptors, RSS $(rss_kb) kB"

# 200 launches at once: every one answers 303 and the server stays up.
out="$("${CLIENT[@]}" launches "$P" "$BUNDLE" 200)"
echo "# launches: $out"
[ "$(json_field "$out" 'v["statuses"].get("303")')" = 200 ] && ok "200 concurrent launches all answer 303" || fail "200 concurrent launches all answer 303" "$out"
alive && [ "$(http_code "http://127.0.0.1:$P/healthz")" = 200 ] && ok "serve answers after the 200 launches" || fail "serve answers after the launches" "$(tail -20 "$WORK/serve.log")"
stop_serve

# --- the per-address bound ---------------------------------------------------------------------
check "serve.maxConnectionsPerAddress set to 50" "$RELAIS" config --data "$D" set serve.maxConnectionsPerAddress 50
if start_serve "-S -n 1024"; then ok "serve restarts with the new bound"; else fail "serve restarts" "$(tail -5 "$WORK/serve.log")"; fi
"${CLIENT[@]}" hold "$P" 120 $((IDLE + 30)) "$WORK/bound-portal.json" &
PIDS+=("$!"); hp=$!
"${CLIENT[@]}" hold "$C" 120 $((IDLE + 30)) "$WORK/bound-content.json" &
PIDS+=("$!"); hc=$!
poll 20 phase_is "$WORK/bound-portal.json" holding; poll 20 phase_is "$WORK/bound-content.json" holding
# The 70 extra connections are closed at once, well before the idle timeout.
poll $((IDLE - 2)) open_is "$WORK/bound-portal.json" 50 && ok "portal: 70 of 120 connections from one address are closed at once, 50 stay" || fail "portal: extra connections closed at once" "$(status_of "$WORK/bound-portal.json")"
poll $((IDLE - 2)) open_is "$WORK/bound-content.json" 50 && ok "content: 70 of 120 connections from one address are closed at once, 50 stay" || fail "content: extra connections closed at once" "$(status_of "$WORK/bound-content.json")"
out="$("${CLIENT[@]}" exchange "$P" "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" 3)"
[ "$(json_field "$out" 'v["bytes"] == 0 and v["closed"]')" = True ] && ok "a 51st connection from that address is closed without an answer" || fail "a 51st connection is refused" "$out"
contains "…and the log says which setting to raise" "$(cat "$WORK/serve.log")" "serve.maxConnectionsPerAddress"
poll $((IDLE + 20)) open_is "$WORK/bound-portal.json" 0 && poll $((IDLE + 20)) open_is "$WORK/bound-content.json" 0 && ok "the 50 are dropped by the idle timeout" || fail "the 50 are dropped by the idle timeout"
wait "$hp" "$hc" 2>/dev/null
poll 5 test "$(http_code "http://127.0.0.1:$P/healthz")" = 200 && ok "once they are gone the address is served again" || fail "the address is served again"
stop_serve

# --- a hard limit of 1024 that cannot be raised -------------------------------------------------------
check "serve.maxConnectionsPerAddress set above the flood again" "$RELAIS" config --data "$D" set serve.maxConnectionsPerAddress 1500
if start_serve "-n 1024"; then ok "serve answers under ulimit -n 1024 (hard limit too)"; else fail "serve answers under ulimit -n 1024" "$(tail -5 "$WORK/serve.log")"; fi
"${CLIENT[@]}" hold "$P" "$FLOOD" $((IDLE * 6 + 30)) "$WORK/hard-portal.json" &
PIDS+=("$!"); hp=$!
"${CLIENT[@]}" hold "$C" "$FLOOD" $((IDLE * 6 + 30)) "$WORK/hard-content.json" &
PIDS+=("$!"); hc=$!
poll 20 phase_is "$WORK/hard-portal.json" holding; poll 20 phase_is "$WORK/hard-content.json" holding
max_fds=0
deadline=$((SECONDS + IDLE * 6 + 30))
while [ "$SECONDS" -lt "$deadline" ] && ! { open_is "$WORK/hard-portal.json" 0 && open_is "$WORK/hard-content.json" 0; }; do
  f="$(fds)"; [ "${f:-0}" -gt "$max_fds" ] && max_fds="$f"
  alive || break
  sleep 0.2
done
echo "# figures: with a hard limit of 1024, serve held at most $max_fds descriptors under $FLOOD connections per port"
[ "$max_fds" -lt 1024 ] && ok "serve never ran out of descriptors (at most $max_fds of 1024)" || fail "serve stays under 1024 descriptors" "$max_fds"
open_is "$WORK/hard-portal.json" 0 && open_is "$WORK/hard-content.json" 0 && ok "every connection was served in turn and dropped by the idle timeout" || fail "every connection dropped" "$(status_of "$WORK/hard-portal.json") $(status_of "$WORK/hard-content.json")"
wait "$hp" "$hc" 2>/dev/null
alive && ok "serve is alive after the flood under the hard limit" || fail "serve alive under the hard limit" "$(tail -20 "$WORK/serve.log")"
[ "$(http_code "http://127.0.0.1:$P/healthz")" = 200 ] && [ "$(http_code "http://127.0.0.1:$B$entry_path")" = 200 ] && ok "both ports answer after it" || fail "both ports answer after the flood"
if grep -qiE "Illegal instruction|Fatal error|Too many open files" "$WORK/serve.log"; then fail "no trap and no descriptor exhaustion in the log" "$(grep -iE "Illegal instruction|Fatal error|Too many open files" "$WORK/serve.log" | head -3)"; else ok "no trap and no descriptor exhaustion in the log"; fi
stop_serve

echo "# done"
