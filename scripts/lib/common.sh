# Shared by scripts/demo, scripts/test and scripts/bench: find Swift, install what is missing.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="$PATH:/opt/swift/usr/bin"
fi

log() { printf '==> %s\n' "$*" >&2; }

# Installs Debian packages that are not installed yet (apt-get update once, only if needed).
apt_ensure() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What building and running Relais needs on Debian.
ensure_build_deps() {
  apt_ensure libarchive-dev libqrencode-dev libsqlite3-dev pkg-config curl python3
  command -v swift >/dev/null || { echo "Swift 6 toolchain not found (expected on PATH or in /opt/swift)" >&2; exit 1; }
}
