#!/usr/bin/env bash
# The .deb on a clean Debian 12: scripts/package-deb builds it; its metadata and files are read
# back with dpkg-deb; a minbase bookworm root made by debootstrap (kept in .build-deb/, ignored by
# git) installs it with apt (dependencies resolved from the mirror), `relais setup` runs as the
# relais user, the unit's ExecStart serves /healthz on port 80 with only CAP_NET_BIND_SERVICE
# (in a network namespace), then `dpkg -r` keeps /var/lib/relais and `dpkg -P` removes it.
# TAP lines, "# done" at the end, each step timed ("# time …"). Root only (chroot, netns).
#   RELAIS_RELEASE_BIN=PATH tests/package/deb_test.sh   # package an already built release binary
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.build-deb"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '#   %s\n' "$2"; }
step_start=$(date +%s)
timed() { local now; now=$(date +%s); echo "# time $1: $((now - step_start)) s"; step_start=$now; }

[ "$(id -u)" -eq 0 ] || { fail "the package test runs as root (chroot, network namespace)"; echo "# done"; exit 0; }
mkdir -p "$CACHE"
TARGET="$CACHE/root.$$"; NS="rldeb$$"; SERVE_PID=""
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null
  for m in dev/pts dev proc; do umount -l "$TARGET/$m" 2>/dev/null; done
  ip netns del "$NS" 2>/dev/null
  rm -rf "$TARGET"
}
trap cleanup EXIT

# --- build and read back ------------------------------------------------------------------------------
if ! DEB="$(cd "$ROOT" && scripts/package-deb)"; then fail "scripts/package-deb builds the package"; echo "# done"; exit 0; fi
DEB="$ROOT/$DEB"
ok "scripts/package-deb built $(basename "$DEB") ($(du -h "$DEB" | cut -f1))"
timed "package-deb"
VERSION="$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' "$ROOT/Sources/RelaisCore/RelaisVersion.swift")"
[ "$(basename "$DEB")" = "relais_${VERSION}_amd64.deb" ] && ok "named after RelaisVersion ($VERSION)" || fail "named relais_${VERSION}_amd64.deb"
[ "$(dpkg-deb -f "$DEB" Package Version Architecture | tr '\n' ' ')" = "Package: relais Version: $VERSION Architecture: amd64 " ] \
  && ok "control: package, version, architecture" || fail "control fields" "$(dpkg-deb -f "$DEB")"
depends="$(dpkg-deb -f "$DEB" Depends)"
echo "# Depends: $depends"
missing=""
for want in libarchive13 libsqlite3-0 libqrencode4 avahi-daemon libc6; do [[ ", $depends," == *", $want,"* ]] || missing="$missing $want"; done
[ -z "$missing" ] && ok "Depends names the C libraries and avahi-daemon" || fail "Depends" "missing:$missing in $depends"
files="$(dpkg-deb -c "$DEB")"
for f in ./usr/bin/relais ./lib/systemd/system/relais.service ./etc/relais/relais.conf ./etc/avahi/services/relais.service; do
  [[ "$files" == *" $f"* ]] && ok "contains $f" || fail "contains $f"
done
[ -z "$(printf '%s\n' "$files" | awk '$2 != "root/root"')" ] && ok "every file is owned by root/root (--root-owner-group)" || fail "root/root owners"
conffiles="$(dpkg-deb --info "$DEB" conffiles)"
[ "$conffiles" = "$(printf '/etc/relais/relais.conf\n/etc/avahi/services/relais.service')" ] && ok "relais.conf and the avahi file are conffiles" || fail "conffiles" "$conffiles"
for script in postinst prerm postrm; do dpkg-deb --info "$DEB" "$script" >/dev/null 2>&1 && ok "has a $script" || fail "has a $script"; done
timed "read back"

# --- a clean Debian 12 --------------------------------------------------------------------------------
mirror="$(sed -n 's/^URIs: *\([^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
mirror="${mirror:-http://deb.debian.org/debian}"
if [ ! -f "$CACHE/bookworm-minbase.tar" ]; then
  command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  rm -rf "$CACHE/bootstrap"
  if debootstrap --variant=minbase bookworm "$CACHE/bootstrap" "$mirror" >"$CACHE/debootstrap.log" 2>&1; then
    tar -C "$CACHE/bootstrap" -cf "$CACHE/bookworm-minbase.tar" . && rm -rf "$CACHE/bootstrap"
  else
    fail "debootstrap --variant=minbase bookworm" "$(tail -3 "$CACHE/debootstrap.log")"; echo "# done"; exit 0
  fi
  timed "debootstrap minbase bookworm (once, cached in .build-deb/)"
fi
mkdir -p "$TARGET" && tar -C "$TARGET" -xf "$CACHE/bookworm-minbase.tar"
mount -t proc proc "$TARGET/proc"; mount --bind /dev "$TARGET/dev"; mount --bind /dev/pts "$TARGET/dev/pts"
cp /etc/resolv.conf "$TARGET/etc/resolv.conf"
in_root() { chroot "$TARGET" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }
[ ! -e "$TARGET/usr/bin/relais" ] && [ ! -d "$TARGET/run/systemd/system" ] && ok "a clean minbase bookworm root, no systemd running" || fail "clean root"
timed "fresh root from the cache"

cp "$DEB" "$TARGET/tmp/"
if out="$(in_root sh -c "apt-get update -qq && apt-get install -y -q /tmp/$(basename "$DEB")" 2>&1)"; then
  ok "apt-get install ./$(basename "$DEB") resolves the dependencies on a clean Debian 12"
else
  fail "apt-get install of the package" "$(printf '%s\n' "$out" | tail -5)"
fi
timed "apt-get install (with dependencies)"
linked="$(in_root ldd /usr/bin/relais 2>&1)"
! grep -q 'libswift\|libFoundation\|libdispatch' <<<"$linked" && ok "ldd: no Swift runtime library" || fail "no libswift in ldd" "$linked"
! grep -q 'not found' <<<"$linked" && ok "ldd: every library is there" || fail "every library found" "$(grep 'not found' <<<"$linked")"
[ "$(in_root relais --version 2>&1)" = "$VERSION" ] && ok "relais --version says $VERSION" || fail "relais --version" "$(in_root relais --version 2>&1)"
in_root getent passwd relais | grep -q ':/var/lib/relais:/usr/sbin/nologin$' && ok "postinst made the relais system user (no login shell)" || fail "relais user" "$(in_root getent passwd relais)"
[ "$(in_root stat -c '%U %G %a' /var/lib/relais)" = "relais relais 750" ] && ok "/var/lib/relais is relais's, mode 750" || fail "/var/lib/relais" "$(in_root stat -c '%U %G %a' /var/lib/relais)"
[ -f "$TARGET/etc/relais/relais.conf" ] && [ -f "$TARGET/etc/avahi/services/relais.service" ] && ok "/etc/relais/relais.conf and the avahi service file installed" || fail "/etc files"

# --- setup as the relais user, the unit's ExecStart on port 80 ----------------------------------------
as_relais() { in_root setpriv --reuid relais --regid relais --init-groups "$@"; }
if out="$(as_relais relais setup --data /var/lib/relais --uai 0750654D --name "École du paquet" 2>&1)"; then
  ok "relais setup with flags, as the relais user"
else
  fail "relais setup as relais" "$out"
fi
[[ "$out" == *"Code de mise en service"* ]] && ok "…prints the setup code" || fail "…prints the setup code" "$out"
as_relais relais config --data /var/lib/relais set serve.bundlePorts 0 >/dev/null
timed "setup"
ip netns add "$NS" && ip -n "$NS" link set lo up
exec_start="$(sed -n 's/^ExecStart=//p' "$TARGET/lib/systemd/system/relais.service")"
(
  set -a; . "$TARGET/etc/relais/relais.conf"; set +a
  eval "exec ip netns exec $NS chroot $TARGET setpriv --reuid relais --regid relais --init-groups --no-new-privs \
    --inh-caps -all,+net_bind_service --ambient-caps -all,+net_bind_service --bounding-set -all,+net_bind_service $exec_start"
) >"$CACHE/serve.$$.log" 2>&1 &
SERVE_PID=$!
health=""
for _ in $(seq 1 300); do
  health="$(ip netns exec "$NS" curl -fsS http://127.0.0.1/healthz 2>/dev/null)" && break; health=""; sleep 0.1
done
[[ "$health" == *"\"$VERSION\""* ]] && [[ "$health" == *0750654D* ]] && ok "the unit's ExecStart serves /healthz on port 80 as relais ($health)" \
  || fail "ExecStart serves /healthz on port 80" "$(tail -5 "$CACHE/serve.$$.log")"
timed "serve up"
kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null; SERVE_PID=""
[ "$(in_root stat -c %U /var/lib/relais/relais.sqlite)" = "relais" ] && ok "the database is relais's" || fail "database owner" "$(ls -l "$TARGET/var/lib/relais")"
rm -f "$CACHE/serve.$$.log"

# --- remove keeps the data, purge deletes it -----------------------------------------------------------
in_root dpkg -r relais >/dev/null 2>&1
[ ! -e "$TARGET/usr/bin/relais" ] && [ -f "$TARGET/var/lib/relais/relais.sqlite" ] && [ -f "$TARGET/etc/relais/relais.conf" ] \
  && ok "dpkg -r removes the program, keeps /var/lib/relais and the configuration" || fail "dpkg -r keeps the data" "$(ls "$TARGET/var/lib/relais" 2>&1)"
in_root dpkg -P relais >/dev/null 2>&1
[ ! -e "$TARGET/var/lib/relais" ] && [ ! -e "$TARGET/etc/relais" ] && ok "dpkg -P removes /var/lib/relais and /etc/relais" || fail "dpkg -P purges" "$(ls -d "$TARGET"/var/lib/relais "$TARGET"/etc/relais 2>&1)"
timed "remove and purge"

# --- scripts/install.sh on the same clean root (its own UTS namespace: naming the box stays there) ---
cp "$ROOT/scripts/install.sh" "$TARGET/tmp/install.sh"
in_install() { unshare --uts chroot "$TARGET" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 RELAIS_HOSTNAME=relais "$@"; }
if out="$(in_install bash /tmp/install.sh "/tmp/$(basename "$DEB")" --uai 0750654D --name "École install.sh" 2>&1)"; then
  ok "scripts/install.sh installs the package and sets the box up in one go"
else
  fail "scripts/install.sh" "$(printf '%s\n' "$out" | tail -5)"
fi
[[ "$out" == *"Relais est installé / Relais is installed: http://relais.local/"* ]] && ok "…prints http://relais.local/ (port 80, the box named relais)" || fail "install.sh's address" "$(printf '%s\n' "$out" | tail -3)"
[[ "$out" == *"Code de mise en service"* ]] && ok "…and the setup code" || fail "install.sh prints the setup code" "$(printf '%s\n' "$out" | tail -5)"
[ "$(cat "$TARGET/etc/hostname")" = relais ] && grep -q "[[:space:]]relais$" "$TARGET/etc/hosts" && ok "…names the box relais (/etc/hostname, /etc/hosts)" || fail "box named relais" "$(cat "$TARGET/etc/hostname")"
[ "$(in_root stat -c %U /var/lib/relais/relais.sqlite)" = relais ] && [ "$(in_root runuser -u relais -- relais config --data /var/lib/relais get serve.port)" = 80 ] \
  && ok "…the box is relais's and serves port 80" || fail "box after install.sh" "$(ls -l "$TARGET/var/lib/relais")"
if out="$(in_install bash /tmp/install.sh "/tmp/$(basename "$DEB")" 2>&1)"; then
  [[ "$out" == *"already holds a box: kept as it is (upgrade)"* ]] && ok "install.sh again keeps the box (an upgrade asks nothing)" || fail "install.sh again" "$(printf '%s\n' "$out" | tail -3)"
else
  fail "install.sh run again" "$(printf '%s\n' "$out" | tail -5)"
fi
in_root dpkg -P relais >/dev/null 2>&1
timed "install.sh twice"
echo "# done"
