#!/usr/bin/env bash
# Installs Relais on a fresh Debian 12 box, in one go (as root):
#   scripts/install.sh [relais_VERSION_amd64.deb] [relais setup flags…]
#   e.g. scripts/install.sh out/relais_0.1.0_amd64.deb --uai 0750654D --name "École du Parc" --trust /media/usb/root.json
# 1. apt installs the package and what it depends on (avahi-daemon, libarchive13…);
# 2. the box is named "relais" (avahi publishes relais.local) unless RELAIS_HOSTNAME says otherwise
#    (RELAIS_HOSTNAME= keeps the current name);
# 3. `relais setup` asks the UAI, the school's name and the trust root (or takes the flags);
# 4. the service is enabled and started, and the address pupils type is printed.
# Run again on a box already set up: upgrades the package and restarts the service.
set -euo pipefail
log() { printf '==> %s\n' "$*" >&2; }
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run it as root (sudo scripts/install.sh …)" >&2; exit 1; }

deb=""
if [ $# -gt 0 ] && [[ "$1" == *.deb ]]; then deb="$1"; shift; fi
if [ -z "$deb" ]; then
  here="$(cd "$(dirname "$0")/.." && pwd)"
  deb="$(ls "$here"/out/relais_*_amd64.deb 2>/dev/null | sort -V | tail -1 || true)"
fi
[ -n "$deb" ] && [ -f "$deb" ] || { echo "install.sh: no relais_VERSION_amd64.deb given or in out/; build it with scripts/package-deb" >&2; exit 2; }
deb="$(readlink -f "$deb")"

log "installing $deb and its dependencies"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || log "apt-get update failed; installing from what apt already knows"
apt-get install -y -q "$deb" >&2

name="${RELAIS_HOSTNAME-relais}"
if [ -n "$name" ] && [ "$(hostname)" != "$name" ]; then
  log "naming the box $name (pupils type http://$name.local)"
  if command -v hostnamectl >/dev/null && [ -d /run/systemd/system ]; then
    hostnamectl set-hostname "$name"
  else
    echo "$name" >/etc/hostname
    hostname "$name" 2>/dev/null || true
  fi
  grep -q "[[:space:]]$name\$" /etc/hosts || printf '127.0.1.1\t%s\n' "$name" >>/etc/hosts
fi

data="$(. /etc/relais/relais.conf && echo "${RELAIS_DATA:-/var/lib/relais}")"
if [ -e "$data/relais.sqlite" ]; then
  log "$data already holds a box: kept as it is (upgrade)"
else
  # As root, so a root.json anywhere can be read; setup gives the folder to the relais user.
  relais setup --data "$data" "$@"
fi

if [ -d /run/systemd/system ]; then
  systemctl restart avahi-daemon.service || true
  systemctl enable --now relais.service
  systemctl restart relais.service
  log "relais.service: $(systemctl is-active relais.service) (journalctl -u relais for its log)"
else
  log "systemd is not running here: start the portal with runuser -u relais -- relais serve --data $data"
fi
# As the relais user: a command run as root could leave root-owned database files the service cannot write.
port="$(runuser -u relais -- relais config --data "$data" get serve.port 2>/dev/null || echo 80)"
[ "$port" = "80" ] && suffix="" || suffix=":$port"
echo "Relais est installé / Relais is installed: http://$(hostname -s).local$suffix/"
