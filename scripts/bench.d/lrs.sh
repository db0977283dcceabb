# shellcheck shell=bash
# `scripts/bench lrs`: local LRS ingest. `relais serve` on free ports, one provider credential
# (`relais credentials add`), then 20,000 cmi5-like statements POSTed to /xapi/statements in
# batches of 100 by one keep-alive client (python http.client, bodies prepared before the clock
# starts), then read back with GET and `more`. Target (issue 4): ≥ 5,000 statements/s.
# Needs: $RELAIS (release binary), $BENCH_TMP (a folder on tmpfs), BENCH_PIDS (cleanup).
# LRS_STATEMENTS (default 20000), LRS_BATCH (default 100).

_lrs_free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

bench_lrs() {
  local dir="$BENCH_TMP/lrs" port content_port i
  rm -rf "$dir" && mkdir -p "$dir"
  "$RELAIS" init --data "$dir/data" --uai 0750654D >/dev/null
  port=$(_lrs_free_port)
  content_port=$(_lrs_free_port)
  while [ "$content_port" = "$port" ]; do content_port=$(_lrs_free_port); done
  "$RELAIS" serve --data "$dir/data" --host 127.0.0.1 --port "$port" --content-port "$content_port" >"$dir/relais.log" 2>&1 &
  local pid=$!
  BENCH_PIDS+=("$pid")
  for i in $(seq 1 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/xapi/about" 2>/dev/null && break
    [ "$i" = 120 ] && { echo "bench: relais serve did not answer within 60 s (see $dir/relais.log)" >&2; return 1; }
    sleep 0.5
  done
  local credential
  credential=$("$RELAIS" credentials add --data "$dir/data" --name bench)
  log "lrs: posting ${LRS_STATEMENTS:-20000} statements in batches of ${LRS_BATCH:-100}"
  python3 - "$port" "$credential" "${LRS_STATEMENTS:-20000}" "${LRS_BATCH:-100}" <<'PY'
import base64, http.client, json, sys, time, uuid
port, credential, total, batch = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
headers = {"Authorization": "Basic " + base64.b64encode(credential.encode()).decode(),
           "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
verbs = ["initialized", "answered", "completed", "passed", "terminated"]
def statement(i):
    return {"id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent", "account": {"homePage": "https://relais.invalid/0750654D", "name": "%032x" % (i % 500)}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/" + verbs[i % 5], "display": {"en-US": verbs[i % 5]}},
            "object": {"id": "https://relais.invalid/activities/calcul/q%d" % (i % 40), "objectType": "Activity",
                       "definition": {"name": {"fr": "Question %d" % (i % 40)}, "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                                      "interactionType": "choice", "choices": [{"id": "a"}, {"id": "b"}]}},
            "result": {"score": {"scaled": 0.75, "raw": 3, "min": 0, "max": 4}, "success": True, "duration": "PT12.5S", "response": "a"},
            "context": {"registration": str(uuid.UUID(int=i // 100)), "platform": "bench",
                        "contextActivities": {"category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}]},
                        "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s%d" % (i // 100)}},
            "timestamp": "2026-09-01T08:30:00.000Z"}
bodies = [json.dumps([statement(i) for i in range(start, min(start + batch, total))]).encode() for start in range(0, total, batch)]
conn = http.client.HTTPConnection("127.0.0.1", port)
t0 = time.perf_counter()
for body in bodies:
    conn.request("POST", "/xapi/statements", body, headers)
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        sys.exit("bench: POST answered %d: %s" % (response.status, data[:300]))
elapsed = time.perf_counter() - t0
print("lrs: POST  %d statements in %.2f s = %.0f statements/s (target ≥ 5000), %.1f ms per batch of %d"
      % (total, elapsed, total / elapsed, elapsed * 1000 / len(bodies), batch))
t0 = time.perf_counter()
path, read = "/xapi/statements?limit=500", 0
while path:
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    page = json.loads(response.read())
    read += len(page["statements"])
    path = page["more"]
elapsed = time.perf_counter() - t0
print("lrs: GET   %d statements in %.2f s = %.0f statements/s (pages of 500 through more)" % (read, elapsed, read / elapsed))
if read != total:
    sys.exit("bench: read back %d statements, expected %d" % (read, total))
PY
  printf 'lrs: relais serve RSS after ingest: %s MB; database %s MB\n' \
    "$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")" \
    "$(du -cm "$dir/data"/relais.sqlite* | tail -1 | cut -f1)"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
