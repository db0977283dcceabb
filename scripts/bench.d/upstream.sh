# shellcheck shell=bash
# `scripts/bench upstream`: `relais sync --once` pushing UPSTREAM_BENCH_COUNT statements (default
# 10000) from a box's outbox to Ralph 5.1.0 (fs backend) on loopback, in batches of 100, vs curl
# posting the same batches (same statements, already pseudonymised, one curl process, keep-alive).
# Each push goes to a fresh Ralph, since Ralph checks every batch against what it holds.
# relais also reads the outbox, pseudonymises every statement and deletes acknowledged rows.
# Target: relais ≥ 0.9× curl's throughput.
# Needs: $RELAIS (release binary), $BENCH_TMP, ROUNDS (default 3); pip installs Ralph if missing.

declare -F calc >/dev/null || calc() { awk "BEGIN {print $*}"; }

bench_upstream() {
  local dir="$BENCH_TMP/upstream" rounds="${ROUNDS:-3}" count="${UPSTREAM_BENCH_COUNT:-10000}" batch=100
  local tests="$ROOT/tests/upstream"
  python3 -c 'import ralph, uvicorn' 2>/dev/null ||
    python3 -m pip install -q --disable-pip-version-check "ralph-malph[cli,lrs]==5.1.0" requests >&2
  rm -rf "$dir" && mkdir -p "$dir"
  "$RELAIS" init --data "$dir/seed" --uai 0189990L >/dev/null
  python3 "$tests/boxfill.py" "$dir/seed" "$count" >/dev/null
  python3 "$tests/curl_batches.py" "$dir/seed" "$dir/batches" "$batch" >/dev/null
  local args=() f
  for f in "$dir"/batches/*.json; do
    [ ${#args[@]} -eq 0 ] || args+=(--next)
    args+=(-sS -o /dev/null -w '%{http_code}\n' -u relais-box:upstream-secret
      -H 'Content-Type: application/json' -H 'X-Experience-API-Version: 1.0.3' --data-binary "@$f" URL)
  done
  printf '\nupstream push: %s statements in batches of %s to Ralph 5.1.0 (fs) on loopback\n' "$count" "$batch"
  printf '%-7s %10s %10s\n' round curl relais
  local r t0 t1 tc tr cs=() rs=() url codes
  for r in $(seq 1 "$rounds"); do
    _upstream_ralph "$dir/ralph-curl-$r"
    url="http://127.0.0.1:$UPSTREAM_PORT/xAPI/statements"
    t0=$(date +%s.%N); codes=$(curl "${args[@]/#URL/$url}" | sort | uniq -c | tr -s ' ' | tr '\n' ';'); t1=$(date +%s.%N)
    tc=$(calc "$t1 - $t0")
    _upstream_stop
    rm -rf "$dir/box" && cp -a "$dir/seed" "$dir/box"
    _upstream_ralph "$dir/ralph-relais-$r"
    "$RELAIS" config --data "$dir/box" set upstream.lrs.url "http://127.0.0.1:$UPSTREAM_PORT/xAPI" >/dev/null
    "$RELAIS" config --data "$dir/box" set upstream.lrs.username relais-box >/dev/null
    "$RELAIS" config --data "$dir/box" set upstream.lrs.password upstream-secret >/dev/null
    t0=$(date +%s.%N); "$RELAIS" sync --data "$dir/box" --once >/dev/null; t1=$(date +%s.%N)
    tr=$(calc "$t1 - $t0")
    _upstream_stop
    printf '%-7s %9.2fs %9.2fs   (curl answers:%s)\n' "$r" "$tc" "$tr" "$codes"
    cs+=("$tc"); rs+=("$tr")
    rm -rf "$dir/ralph-curl-$r" "$dir/ralph-relais-$r"
  done
  local mc mr
  mc=$(printf '%s\n' "${cs[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  mr=$(printf '%s\n' "${rs[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf 'upstream push (median of %s): curl %.2fs (%.0f statements/s), relais %.2fs (%.0f statements/s) → %.2f× curl'"'"'s throughput (target ≥ 0.9×)\n' \
    "$rounds" "$mc" "$(calc "$count / $mc")" "$mr" "$(calc "$count / $mr")" "$(calc "$mc / $mr")"
}

# _upstream_ralph DIR: starts a fresh Ralph in DIR (UPSTREAM_RALPH_PID), on UPSTREAM_PORT once it answers.
_upstream_ralph() {
  local root=$1
  UPSTREAM_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$root"
  python3 "$ROOT/tests/upstream/ralph.py" serve "$root" "$UPSTREAM_PORT" >"$root.log" 2>&1 &
  UPSTREAM_RALPH_PID=$!
  BENCH_PIDS+=("$UPSTREAM_RALPH_PID")
  for _ in $(seq 1 150); do curl -fsS -o /dev/null "http://127.0.0.1:$UPSTREAM_PORT/__lbheartbeat__" 2>/dev/null && break; sleep 0.2; done
}

_upstream_stop() {
  kill "$UPSTREAM_RALPH_PID" 2>/dev/null || true
  wait "$UPSTREAM_RALPH_PID" 2>/dev/null || true
}
