# Tiny TAP-style helpers for the black-box CLI tests: each check prints "ok N - what" or
# "not ok N - what" (scripts/test counts them), and the suite ends with "# done".
# shellcheck shell=bash
set -uo pipefail
RELAIS="${RELAIS_BIN:?set RELAIS_BIN to the relais binary}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d /tmp/relais-cli.XXXXXX)"
PIDS=()
n=0

cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '#   %s\n' "$2"; }

# check "what" command…: passes when the command exits 0.
check() { local what="$1"; shift; if out="$("$@" 2>&1)"; then ok "$what"; else fail "$what" "$out"; fi; }

# expect_exit CODE "what" command…: passes when the command exits with CODE; stderr kept in $ERR.
expect_exit() {
  local code="$1" what="$2"; shift 2
  ERR="$("$@" 2>&1 >/dev/null)"; local got=$?
  if [ "$got" -eq "$code" ]; then ok "$what"; else fail "$what" "exit $got, expected $code: $ERR"; fi
}

# contains "what" haystack needle
contains() { if [[ "$2" == *"$3"* ]]; then ok "$1"; else fail "$1" "« $3 » not in: ${2:0:400}"; fi; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_http() {
  for _ in $(seq 1 100); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}
