#!/usr/bin/env bash
# Black-box tests of the first start of a box (`relais setup`, flags, a pipe and a terminal),
# of `relais serve` pulling from repository.url by itself, and of a data folder a newer Relais
# wrote (an older binary must refuse it and say what to do).
source "$(dirname "$0")/lib.sh"
REPO="$WORK/repo"; KEYS="$WORK/keys"

if out="$("$RELAIS" setup --help 2>&1)" && [[ "$out" == *USAGE* ]] && [[ "$out" == *--uai* ]]; then ok "relais setup --help"; else fail "relais setup --help" "$out"; fi

# --- flags ---------------------------------------------------------------------------------------
D="$WORK/box"
out="$("$RELAIS" setup --data "$D" --uai 0750654D --name "École du Parc" --port 8099 2>&1)"; code=$?
[ "$code" -eq 0 ] && ok "setup with flags" || fail "setup with flags" "exit $code: $out"
contains "…prints the setup code" "$out" "Code de mise en service : "
contains "…and the address pupils type, with its port" "$out" ".local:8099/"
contains "…and the box's LAN addresses" "$out" "http://"
got="$("$RELAIS" status --data "$D" --json | python3 -c 'import json,sys; b=json.load(sys.stdin); print(b["uai"], b["name"])' 2>&1)"
[ "$got" = "0750654D École du Parc" ] && ok "…made the box of that school" || fail "…made the box of that school" "$got"
[ "$("$RELAIS" config --data "$D" get serve.port)" = "8099" ] && ok "…with its portal port stored (serve.port)" || fail "serve.port stored"
code_line="$(printf '%s\n' "$out" | grep -o 'Code de mise en service : [^ ]*' | head -1)"
before="$(md5sum "$D/relais.sqlite" | cut -d' ' -f1)"
expect_exit 1 "setup refuses a data folder that already holds a box" "$RELAIS" setup --data "$D" --uai 0750654D
contains "…saying setup runs once and what to do instead" "$ERR" "relais config"
[ "$(printf '%s' "$ERR" | wc -l)" -eq 0 ] && ok "…in one line" || fail "…in one line" "$ERR"
[ "$(md5sum "$D/relais.sqlite" | cut -d' ' -f1)" = "$before" ] && ok "…and leaves it untouched" || fail "…and leaves it untouched"

expect_exit 1 "setup refuses a UAI with a wrong check letter" "$RELAIS" setup --data "$WORK/bad" --uai 0750654X
contains "…naming the expected letter" "$ERR" "D"
[ ! -e "$WORK/bad" ] && ok "…and creates nothing" || fail "…and creates nothing" "$(ls -R "$WORK/bad")"
expect_exit 2 "setup refuses port 0 as a usage error" "$RELAIS" setup --data "$WORK/bad" --uai 0750654D --port 0
expect_exit 1 "setup refuses a relative repository address" "$RELAIS" setup --data "$WORK/bad" --uai 0750654D --repository-url depot
[ ! -e "$WORK/bad" ] && ok "…and creates nothing" || fail "…and creates nothing (repository)" "$(ls -R "$WORK/bad")"
expect_exit 2 "setup with no flags and no answer on stdin is a usage error naming --uai" "$RELAIS" setup --data "$WORK/bad" </dev/null
contains "…naming --uai" "$ERR" "--uai"
[ ! -e "$WORK/bad" ] && ok "…and creates nothing" || fail "…and creates nothing (no answer)"

# --- a hub repository with one free bundle --------------------------------------------------------
"$RELAIS" repo init "$REPO" --keys "$KEYS" >/dev/null
"$RELAIS" bundle pack "$ROOT/bundles/prise-en-main" -o "$WORK/prise.relais" >/dev/null
"$RELAIS" repo add "$REPO" "$WORK/prise.relais" --free >/dev/null
"$RELAIS" repo publish "$REPO" --keys "$KEYS" >/dev/null
bundle_id="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$ROOT/bundles/prise-en-main/bundle.json")"

# --- answers on a pipe (UAI, name, root.json, repository) ------------------------------------------
P="$WORK/piped"
out="$(printf '0750654d\nCollège des Pins\n%s\n%s\n' "$REPO/metadata/1.root.json" "$REPO" | "$RELAIS" setup --data "$P" --port "$(free_port)" 2>&1)"; code=$?
[ "$code" -eq 0 ] && ok "setup answered on a pipe" || fail "setup answered on a pipe" "exit $code: $out"
contains "…asks the UAI" "$out" "UAI de l'établissement"
contains "…asks for the trust root" "$out" "root.json"
got="$("$RELAIS" status --data "$P" --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["uai"], s["name"], s["sync"]["trustsRepository"])' 2>&1)"
[ "$got" = "0750654D Collège des Pins True" ] && ok "…the box has the answers and trusts the root" || fail "…the box has the answers" "$got"
[ "$("$RELAIS" config --data "$P" get repository.url)" = "$REPO" ] && ok "…and pulls from the repository given" || fail "repository.url from the pipe"
out="$(printf '0750654X\n' | "$RELAIS" setup --data "$WORK/bad" 2>&1)"; code=$?
[ "$code" -eq 1 ] && [ ! -e "$WORK/bad" ] && ok "a wrong UAI on a pipe is refused at once, nothing created" || fail "wrong UAI on a pipe" "exit $code: $out"

# --- serve pulls from repository.url by itself (RepositorySyncService) ----------------------------
"$RELAIS" config --data "$P" set serve.bundlePorts 0 >/dev/null
port="$("$RELAIS" config --data "$P" get serve.port)"
"$RELAIS" serve --data "$P" --host 127.0.0.1 --content-port "$(free_port)" 2>"$WORK/serve.log" &
PIDS+=($!)
wait_http "http://127.0.0.1:$port/healthz" && ok "serve starts on the port setup stored" || fail "serve starts" "$(tail -5 "$WORK/serve.log")"
got=""
for _ in $(seq 1 200); do
  got="$("$RELAIS" status --data "$P" --json | python3 -c 'import json,sys; print(" ".join(b["id"] for b in json.load(sys.stdin)["bundles"]))' 2>/dev/null)"
  [[ "$got" == *"$bundle_id"* ]] && break; sleep 0.1
done
[[ "$got" == *"$bundle_id"* ]] && ok "serve installed the repository's bundle with no relais sync run" || fail "serve pulls by itself" "bundles: $got; $(tail -5 "$WORK/serve.log")"
kill "${PIDS[-1]}" 2>/dev/null; wait "${PIDS[-1]}" 2>/dev/null

# --- a terminal: a wrong UAI is said and asked again ----------------------------------------------
T="$WORK/tty"
out="$(python3 - "$RELAIS" "$T" <<'PY' 2>&1
import os, pty, sys, time
relais, data = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execv(relais, [relais, "setup", "--data", data, "--port", "8098"])
buffer = b""
def expect(text, seconds=20):
    """Reads the terminal until `text` shows, then forgets what came before it."""
    global buffer
    end = time.time() + seconds
    while text.encode() not in buffer and time.time() < end:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        buffer += chunk
    if text.encode() not in buffer:
        print("NO", text, buffer.decode(errors="replace"))
        return False
    buffer = buffer.split(text.encode(), 1)[1]
    return True
script = [("UAI de l", "0750654X"), ("lettre de contrôle devrait être D", None), ("UAI de l", "0750654D"),
          ("Nom de l", "École au terminal"), ("root.json", ""), ("Code de mise en service", None)]
for prompt, answer in script:
    if not expect(prompt):
        break
    if answer is not None:
        os.write(fd, (answer + "\n").encode())
_, status = os.waitpid(pid, 0)
print("EXIT", os.waitstatus_to_exitcode(status))
PY
)"
contains "setup on a terminal finishes" "$out" "EXIT 0"
got="$("$RELAIS" status --data "$T" --json 2>&1 | python3 -c 'import json,sys; b=json.load(sys.stdin); print(b["uai"], b["name"])' 2>&1)"
[ "$got" = "0750654D École au terminal" ] && ok "…after asking again for a UAI with a wrong check letter" || fail "terminal setup" "$got / $out"

# --- a data folder written by a newer Relais -------------------------------------------------------
python3 - "$D/relais.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-a-newer-relais')")
db.commit()
PY
# The rows and the schema, whatever the WAL file holds (opening may checkpoint it).
dump() { python3 -c 'import hashlib, sqlite3, sys; print(hashlib.md5("\n".join(sqlite3.connect(sys.argv[1]).iterdump()).encode()).hexdigest())' "$1"; }
before="$(dump "$D/relais.sqlite")"
expect_exit 1 "an older binary refuses a data folder a newer Relais wrote" "$RELAIS" status --data "$D"
contains "…naming the unknown schema" "$ERR" "v99-from-a-newer-relais"
contains "…and saying what to do" "$ERR" "restore a backup made by this version"
[ "$(printf '%s' "$ERR" | wc -l)" -eq 0 ] && ok "…in one line" || fail "…in one line" "$ERR"
expect_exit 1 "…serve refuses it too" "$RELAIS" serve --data "$D" --port "$(free_port)" --content-port "$(free_port)"
[ "$(dump "$D/relais.sqlite")" = "$before" ] && ok "…and the database is left as it was (rows and schema)" || fail "database untouched"

echo "# done"
