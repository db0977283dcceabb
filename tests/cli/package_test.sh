#!/usr/bin/env bash
# Checks of packaging/ that need no .deb (fast; root for the network namespaces):
# - relais.service: systemd-analyze security exposure ≤ 2.0 (printed), systemd-analyze verify;
# - relais.conf documents every key the unit and the binary read;
# - the unit's ExecStart, run as an unprivileged user with the unit's one capability and no new
#   privileges, serves the portal on port 80;
# - relais.local: two network namespaces joined by a veth pair, "the box" with avahi-daemon
#   (private config, no D-Bus, packaging/relais.avahi.service as its only service file) and
#   `relais serve` on port 80, "the tablet" resolving relais.local with a hand-made mDNS query
#   and browsing _http._tcp with python-zeroconf, then fetching http://relais.local/healthz.
source "$(dirname "$0")/lib.sh"
UNIT="$ROOT/packaging/relais.service"; CONF="$ROOT/packaging/relais.conf"; AVAHI="$ROOT/packaging/relais.avahi.service"

# --- the unit ------------------------------------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
  report="$(systemd-analyze security --offline=true "$UNIT" 2>&1)"
  exposure="$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for relais.service: \([0-9.]*\).*/\1/p')"
  echo "# systemd-analyze security --offline=true packaging/relais.service: exposure ${exposure:-?}"
  if [ -n "$exposure" ] && python3 -c "import sys; sys.exit(0 if float('$exposure') <= 2.0 else 1)"; then
    ok "relais.service exposure $exposure ≤ 2.0"
  else
    fail "relais.service exposure ≤ 2.0" "$(printf '%s\n' "$report" | grep '✗' | head -20)"
  fi
  sed "s|/usr/bin/relais|$RELAIS|" "$UNIT" >"$WORK/relais.service"
  if out="$(systemd-analyze verify "$WORK/relais.service" 2>&1)" && [ -z "$out" ]; then ok "systemd-analyze verify finds nothing"; else fail "systemd-analyze verify" "$out"; fi
else
  fail "systemd-analyze is installed (scripts/test installs the systemd package)"
fi
for key in $(grep -o '\$[{]\?RELAIS_[A-Z_]*' "$UNIT" | tr -d '${' | sort -u) RELAIS_LOG_LEVEL; do
  if grep -q "^$key=" "$CONF" && grep -q "^# $key:" "$CONF"; then ok "relais.conf sets and documents $key"; else fail "relais.conf sets and documents $key"; fi
done
grep -q '^ReadWritePaths=/var/lib/relais$' "$UNIT" && grep -q '^RELAIS_DATA=/var/lib/relais$' "$CONF" \
  && ok "the only writable path of the unit is the conf's data folder" || fail "ReadWritePaths matches RELAIS_DATA"
for script in "$ROOT"/packaging/debian/*; do
  if sh -n "$script"; then ok "$(basename "$script") is valid sh"; else fail "$(basename "$script") is valid sh"; fi
done
got="$(python3 - "$AVAHI" <<'PY'
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("service")
print(s.findtext("type"), s.findtext("port"))
PY
)"
[ "$got" = "_http._tcp 80" ] && ok "the avahi service file announces HTTP on port 80" || fail "avahi service file" "$got"

# --- two network namespaces: the box and a tablet ----------------------------------------------------
if [ "$(id -u)" -ne 0 ] || ! command -v avahi-daemon >/dev/null || ! python3 -c 'import zeroconf' 2>/dev/null; then
  fail "root, avahi-daemon and python zeroconf for the relais.local check (scripts/test installs them)"
  echo "# done"; exit 0
fi
BOX="rlbox$$"; TAB="rltab$$"
cleanup_ns() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null; done
  ip netns del "$BOX" 2>/dev/null; ip netns del "$TAB" 2>/dev/null
  rm -rf "${DATA_PARENT:-/nonexistent}"
  cleanup
}
trap cleanup_ns EXIT
ip netns add "$BOX" && ip netns add "$TAB"
ip link add "v$BOX" type veth peer name "v$TAB"
ip link set "v$BOX" netns "$BOX"; ip link set "v$TAB" netns "$TAB"
ip -n "$BOX" addr add 10.213.0.1/24 dev "v$BOX"; ip -n "$TAB" addr add 10.213.0.2/24 dev "v$TAB"
for ns in "$BOX" "$TAB"; do ip -n "$ns" link set lo up; ip -n "$ns" link set "v$ns" up; done
ok "two network namespaces joined by a veth pair"

# The box: a data folder made by setup, owned by an unprivileged user; the unit's ExecStart.
DATA_PARENT="$(mktemp -d /tmp/relais-pkg.XXXXXX)"; chmod 755 "$DATA_PARENT"
DATA="$DATA_PARENT/data"
"$RELAIS" setup --data "$DATA" --uai 0750654D --name "École du réseau" --port 80 >/dev/null
"$RELAIS" config --data "$DATA" set serve.bundlePorts 0 >/dev/null
chown -R nobody:nogroup "$DATA"
exec_start="$(sed -n 's/^ExecStart=//p' "$UNIT")"
(
  set -a; . "$CONF"; set +a
  RELAIS_DATA="$DATA"
  cmd="${exec_start//\/usr\/bin\/relais/$RELAIS}"
  eval "exec ip netns exec $BOX setpriv --reuid nobody --regid nogroup --clear-groups --no-new-privs \
    --inh-caps -all,+net_bind_service --ambient-caps -all,+net_bind_service --bounding-set -all,+net_bind_service $cmd"
) >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
up=""
for _ in $(seq 1 200); do
  ip netns exec "$BOX" curl -fsS http://127.0.0.1/healthz >/dev/null 2>&1 && { up=1; break; }; sleep 0.1
done
[ -n "$up" ] && ok "the unit's ExecStart serves port 80 as nobody with only CAP_NET_BIND_SERVICE" || fail "ExecStart serves port 80 unprivileged" "$(tail -5 "$WORK/serve.log")"
owner="$(ip netns exec "$BOX" ss -Htlnp 'sport = :80' 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)"
[ -n "$owner" ] && [ "$(stat -c %U "/proc/$owner")" = "nobody" ] && ok "…the listening process is not root" || fail "…the listening process is not root" "pid $owner"

mkdir -p "$DATA_PARENT/services" /run/avahi-daemon
cp "$AVAHI" "$DATA_PARENT/services/relais.service"
cat >"$DATA_PARENT/avahi.conf" <<CONF
[server]
host-name=relais
domain-name=local
use-ipv4=yes
use-ipv6=no
allow-interfaces=v$BOX
enable-dbus=no
[wide-area]
enable-wide-area=no
[publish]
publish-addresses=yes
publish-workstation=no
CONF
# Its own mount namespace: the service file in /etc/avahi/services and a private /run/avahi-daemon
# (pid file) without touching the machine's.
ip netns exec "$BOX" unshare -m sh -c "mount --bind '$DATA_PARENT/services' /etc/avahi/services && mount -t tmpfs tmpfs /run/avahi-daemon \
  && exec avahi-daemon -f '$DATA_PARENT/avahi.conf' --no-drop-root --no-chroot --no-rlimits" >"$WORK/avahi.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do grep -qs 'successfully established' "$WORK/avahi.log" && break; sleep 0.1; done
grep -q 'Service "Relais (relais)".*successfully established' "$WORK/avahi.log" && ok "avahi-daemon on the box publishes relais.service" \
  || fail "avahi-daemon publishes relais.service" "$(tail -5 "$WORK/avahi.log")"

# The tablet: an mDNS query for relais.local (legacy unicast, RFC 6762 §6.7), by hand.
ip="$(ip netns exec "$TAB" python3 - <<'PY'
import socket, struct, time
query = struct.pack(">HHHHHH", 0x5252, 0, 1, 0, 0, 0) + b"\x06relais\x05local\x00" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("10.213.0.2"))
s.settimeout(0.5)
def name(data, i):
    while data[i]:
        if data[i] >= 0xC0: return i + 2
        i += data[i] + 1
    return i + 1
end = time.time() + 15
while time.time() < end:
    s.sendto(query, ("224.0.0.251", 5353))
    try:
        data, _ = s.recvfrom(9000)
    except socket.timeout:
        continue
    _, _, qd, an, _, _ = struct.unpack(">HHHHHH", data[:12])
    i = 12
    for _ in range(qd): i = name(data, i) + 4
    for _ in range(an):
        i = name(data, i)
        kind, _, _, length = struct.unpack(">HHIH", data[i:i + 10]); i += 10
        if kind == 1 and length == 4:
            print(socket.inet_ntoa(data[i:i + 4])); raise SystemExit
        i += length
PY
)"
[ "$ip" = "10.213.0.1" ] && ok "the tablet resolves relais.local to the box ($ip) over mDNS" || fail "relais.local resolves over mDNS" "got « $ip »; $(tail -3 "$WORK/avahi.log")"
got="$(ip netns exec "$TAB" python3 - <<'PY'
import time
from zeroconf import IPVersion, ServiceBrowser, Zeroconf
zc = Zeroconf(interfaces=["10.213.0.2"], ip_version=IPVersion.V4Only)
found = []
class Listener:
    def add_service(self, zc, kind, name): found.append(name)
    def update_service(self, *args): pass
    def remove_service(self, *args): pass
ServiceBrowser(zc, "_http._tcp.local.", Listener())
end = time.time() + 15
while not found and time.time() < end: time.sleep(0.05)
info = zc.get_service_info("_http._tcp.local.", found[0], timeout=5000) if found else None
print(f"{info.server} {info.port} {','.join(info.parsed_addresses(IPVersion.V4Only))}" if info else f"none {found}")
zc.close()
PY
)"
[ "$got" = "relais.local. 80 10.213.0.1" ] && ok "python-zeroconf on the tablet browses _http._tcp: relais.local. port 80" || fail "DNS-SD browse" "$got"
if [ -n "$ip" ] && page="$(ip netns exec "$TAB" curl -fsS --resolve "relais.local:80:$ip" http://relais.local/healthz 2>&1)"; then
  ok "the tablet reaches http://relais.local/healthz ($page)"
else
  fail "the tablet reaches http://relais.local/healthz" "${page:-no address}"
fi
echo "# done"
