#!/usr/bin/env bash
# Black-box tests of the relais executable, as an admin would use it.
source "$(dirname "$0")/lib.sh"
D="$WORK/data"

# --- help on every verb ------------------------------------------------------------------------
for verb in "" init serve backup restore bundle "bundle pack" "bundle inspect" import status config doctor admin "admin setup-code" "admin reset" "admin password" purge people "people import-staff" "people import-pupils" "people assign-teacher" "people list" seance "seance prepare" "seance list"; do
  # shellcheck disable=SC2086
  if out="$("$RELAIS" $verb --help 2>&1)" && [[ "$out" == *USAGE* ]]; then ok "relais $verb --help"; else fail "relais $verb --help" "$out"; fi
done

# --- init ---------------------------------------------------------------------------------------
expect_exit 1 "init refuses a UAI with a wrong check letter" "$RELAIS" init --data "$D" --uai 0750654E
contains "the refusal names the expected letter" "$ERR" "0750654D"
[ ! -e "$D/relais.sqlite" ] && ok "a refused init writes no database" || fail "a refused init writes no database"
expect_exit 2 "a usage error exits 2" "$RELAIS" init --data "$D"
check "init accepts a valid UAI" "$RELAIS" init --data "$D" --uai 0750654D --name "École de test"
contains "init prints a one-time setup code for /admin" "$out" "Code de mise en service"
out="$("$RELAIS" admin setup-code --data "$D" 2>&1)"
contains "admin setup-code gives a new code while no admin exists" "$out" "/admin"
expect_exit 1 "admin reset refuses an unknown login" "$RELAIS" admin reset --data "$D" --login personne.inconnue
out="$("$RELAIS" purge --data "$D" 2>&1)"
contains "purge prints what it deleted" "$out" "statements: 0"
# A French Excel export: Windows-1252, ';', CRLF.
printf 'Prénom;Nom;Classe\r\nLéa;Martin;CM2 B\r\nNoé;Bernard;CM2 B\r\n' | iconv -f utf-8 -t cp1252 > "$WORK/eleves.csv"
expect_exit 1 "people import-pupils refuses a class the box does not have" "$RELAIS" people import-pupils --data "$D" "$WORK/eleves.csv"
contains "…naming the line and the column" "$ERR" "ligne 2, colonne « classe »"
check "people import-pupils --create-classes" "$RELAIS" people import-pupils --data "$D" --create-classes "$WORK/eleves.csv"
contains "…creates the class and its two pupils" "$out" "2 élèves créés"
check "importing the same file again" "$RELAIS" people import-pupils --data "$D" "$WORK/eleves.csv"
contains "…changes nothing" "$out" "0 élèves créés / pupils created, 2 déjà là"
printf 'nom,prénom,rôle\nLe Goff,Julien,Enseignant(e)\n' > "$WORK/staff.csv"
check "people import-staff" "$RELAIS" people import-staff --data "$D" "$WORK/staff.csv"
contains "…prints the generated login" "$out" "julien.legoff"
check "admin reset of a known login" "$RELAIS" admin reset --data "$D" --login julien.legoff
contains "…prints a one-time code" "$out" "Code de réinitialisation pour julien.legoff"
expect_exit 1 "init refuses a folder that already holds a box" "$RELAIS" init --data "$D" --uai 0750654D
expect_exit 1 "a verb on a folder that is not a box says to run init" "$RELAIS" status --data "$WORK/nothing"
contains "…naming relais init" "$ERR" "relais init"

# --- pack and import the samples and the corpus --------------------------------------------------
mkdir -p "$WORK/out"
for src in "$ROOT"/bundles/*/; do
  name="$(basename "$src")"
  check "pack sample $name" "$RELAIS" bundle pack "$src" -o "$WORK/out/$name.relais"
  check "import sample $name" "$RELAIS" import --data "$D" --local "$WORK/out/$name.relais"
done
CORPUS="${RELAIS_CORPUS:-$ROOT/../shared/corpus}"
expected_bundles=0
for src in "$ROOT"/bundles/*/; do expected_bundles=$((expected_bundles + 1)); done
for zip in "$CORPUS"/cmi5/*.zip "$CORPUS"/scorm/*.zip; do
  expected_bundles=$((expected_bundles + 1))
  name="$(basename "$zip" .zip)"
  check "pack corpus $name" "$RELAIS" bundle pack "$zip" -o "$WORK/out/$name.relais" --publisher "ADL / Rustici Software"
  check "import corpus $name" "$RELAIS" import --data "$D" --local "$WORK/out/$name.relais"
done
out="$("$RELAIS" bundle inspect "$WORK/out/RuntimeBasicCalls_SCORM12.relais" 2>&1)"
contains "inspect shows the derived standard" "$out" '"standard" : "scorm12"'
contains "inspect says every hash was verified" "$out" "vérifiés"

out="$("$RELAIS" import --data "$D" --local "$WORK/out/calcul-mental.relais" 2>&1)"
contains "re-importing the same bundle changes nothing" "$out" "déjà à jour"

status="$("$RELAIS" status --data "$D" --json)"
count="$(printf '%s' "$status" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["bundles"]))')"
# Every sample and every corpus package is one bundle of its own (ids are derived, never shared).
[ "$count" -eq "$expected_bundles" ] && ok "status lists the $expected_bundles imported bundles (samples and corpus)" \
  || fail "status lists the $expected_bundles imported bundles" "got $count"
saved="$(printf '%s' "$status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["savedBytes"])')"
# The two cmi5 corpus packages share their video: deduplication must save at least that.
[ "$saved" -gt 100000 ] && ok "deduplication saves the files shared by the two cmi5 packages ($saved bytes)" || fail "deduplication saves shared files" "saved $saved"
out="$("$RELAIS" status --data "$D")"
contains "text status shows disk use" "$out" "économisés par déduplication"

# --- refusals leave nothing behind -----------------------------------------------------------------
printf 'not an archive at all' > "$WORK/garbage.relais"
expect_exit 1 "a file that is not an archive is refused" "$RELAIS" import --data "$D" --local "$WORK/garbage.relais"
head -c 3000 "$WORK/out/calcul-mental.relais" > "$WORK/truncated.relais"
expect_exit 1 "a truncated bundle is refused" "$RELAIS" import --data "$D" --local "$WORK/truncated.relais"
[ -z "$(ls -A "$D/tmp")" ] && ok "refused imports leave no staging files" || fail "refused imports leave no staging files" "$(ls "$D/tmp")"
check "doctor finds the store consistent" "$RELAIS" doctor --data "$D" --deep
expect_exit 1 "import of a signed repository folder says it is not available yet" "$RELAIS" import --data "$D" "$WORK"
mkdir -p "$WORK/bad-src" && printf '{"schema":1,"id":"fr.x.y","version":"1.0","kind":"solution"}' > "$WORK/bad-src/bundle.json"
expect_exit 1 "pack refuses an invalid bundle.json" "$RELAIS" bundle pack "$WORK/bad-src" -o "$WORK/bad.relais"
[ ! -e "$WORK/bad.relais" ] && ok "a refused pack writes no output" || fail "a refused pack writes no output"

# --- config -----------------------------------------------------------------------------------------
check "config set accepts a valid value" "$RELAIS" config --data "$D" set import.maxEntries 5000
out="$("$RELAIS" config --data "$D" get import.maxEntries)"
[ "$out" = "5000" ] && ok "config get reads it back" || fail "config get reads it back" "$out"
expect_exit 1 "config refuses an unknown key, listing the known ones" "$RELAIS" config --data "$D" set nope 1
contains "…listing the known ones" "$ERR" "import.maxRatio"
check "config set restores the default" "$RELAIS" config --data "$D" set import.maxEntries 200000

# --- a killed import leaves the old version serving and nothing behind ---------------------------
big="$WORK/big-src"
mkdir -p "$big"
cp -r "$ROOT/bundles/calcul-mental/." "$big/"
python3 - "$big" <<'PY'
import json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "bundle.json")))
m["version"] = "9.0.0"
json.dump(m, open(os.path.join(d, "bundle.json"), "w"))
os.makedirs(os.path.join(d, "data"), exist_ok=True)
for i in range(60):
    with open(os.path.join(d, "data", f"f{i}.bin"), "wb") as f:
        f.write(os.urandom(4 << 20))
PY
"$RELAIS" bundle pack "$big" -o "$WORK/big.relais" >/dev/null
before="$("$RELAIS" status --data "$D" --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["blobCount"], [b["activeVersion"] for b in s["bundles"] if b["id"].endswith("calcul-mental")][0])')"
"$RELAIS" import --data "$D" --local "$WORK/big.relais" >/dev/null 2>&1 &
pid=$!
PIDS+=("$pid")
for _ in $(seq 1 200); do
  [ -n "$(find "$D/tmp" -mindepth 2 -type f 2>/dev/null | head -1)" ] && break
  sleep 0.02
done
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
staged="$(find "$D/tmp" -mindepth 2 -type f | wc -l)"
[ "$staged" -gt 0 ] && ok "the import was killed mid-way ($staged staged files)" || fail "the import was killed mid-way" "nothing staged: too fast to kill?"
after="$("$RELAIS" status --data "$D" --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["blobCount"], [b["activeVersion"] for b in s["bundles"] if b["id"].endswith("calcul-mental")][0])')"
[ "$before" = "$after" ] && ok "after a killed import the old version still serves, same store ($after)" || fail "old version still serves" "before $before after $after"
[ -z "$(ls -A "$D/tmp")" ] && ok "the next command removed the killed import's staging" || fail "staging removed" "$(ls -R "$D/tmp" | head)"
check "doctor finds no orphan after the killed import" "$RELAIS" doctor --data "$D"

# --- serve ---------------------------------------------------------------------------------------
P="$(free_port)"; C="$(free_port)"
"$RELAIS" config --data "$D" set serve.bundlePorts 0 >/dev/null  # any free port: tests run side by side
"$RELAIS" serve --data "$D" --host 127.0.0.1 --port "$P" --content-port "$C" >"$WORK/serve.log" 2>&1 &
spid=$!
PIDS+=("$spid")
if wait_http "http://127.0.0.1:$P/healthz"; then ok "serve answers /healthz"; else fail "serve answers /healthz" "$(tail -5 "$WORK/serve.log")"; fi
health="$(curl -fsS "http://127.0.0.1:$P/healthz")"
contains "/healthz gives the UAI" "$health" '"uai":"0750654D"'
# Each bundle's own origin opens within a second of the start.
for _ in $(seq 1 100); do
  catalog="$(curl -fsS "http://127.0.0.1:$P/api/v1/catalog")"
  printf '%s' "$catalog" | python3 -c 'import json,sys; sys.exit(0 if all(b.get("contentOrigin") for b in json.load(sys.stdin)) else 1)' && break
  sleep 0.1
done
url="$(printf '%s' "$catalog" | python3 -c 'import json,sys; print([b["launchUrl"] for b in json.load(sys.stdin) if b["id"].endswith("calcul-mental")][0])')"
B="$(printf '%s' "$catalog" | python3 -c 'import json,sys; print([b["contentOrigin"] for b in json.load(sys.stdin) if b["id"].endswith("calcul-mental")][0].rsplit(":",1)[1])')"
origins="$(printf '%s' "$catalog" | python3 -c 'import json,sys; o=[b["contentOrigin"] for b in json.load(sys.stdin)]; print(len(o), len(set(o)))')"
[ "${origins% *}" = "${origins#* }" ] && ok "every bundle has an origin of its own ($origins)" || fail "one origin per bundle" "$origins"
contains "the launch URL is the portal's launch address" "$url" "http://127.0.0.1:$P/lancer/"
url="$(curl -sI -o /dev/null -w '%{redirect_url}' "$url")"
contains "…which redirects to the bundle's own origin" "$url" "http://127.0.0.1:$B/b/"
shared="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$C${url#http://127.0.0.1:"$B"}")"
contains "the shared content port sends /b/… on to the bundle's origin (307)" "$shared" "307 http://127.0.0.1:$B/b/"
code="$(curl -s -o "$WORK/entry.html" -w '%{http_code}' "$url")"
[ "$code" = 200 ] && ok "the entry page serves (200)" || fail "the entry page serves" "HTTP $code"
entry_rel="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entry"])' "$ROOT/bundles/calcul-mental/bundle.json")"
cmp -s "$WORK/entry.html" "$ROOT/bundles/calcul-mental/$entry_rel" && ok "…byte for byte the packed file" || fail "served bytes differ"
headers="$(curl -sS -D - -o /dev/null "$url")"
etag="$(printf '%s' "$headers" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')"
contains "responses carry a strong ETag" "$etag" '"'
contains "responses are immutable" "$headers" "immutable"
contains "responses carry a sandboxing CSP" "$headers" "sandbox"
code="$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$url")"
[ "$code" = 304 ] && ok "If-None-Match gives 304" || fail "If-None-Match gives 304" "HTTP $code"
range="$(curl -s -H 'Range: bytes=0-9' -w ' %{http_code}' "$url")"
contains "a byte range gives 206 with 10 bytes" "$range" " 206"
page="$(curl -fsS "http://127.0.0.1:$P/catalogue")"
home="$(curl -fsS "http://127.0.0.1:$P/")"
contains "the home page asks pupils for their séance code" "$home" "Tape le code de ta séance"
contains "the catalogue page is in French" "$page" "Solutions pédagogiques"
# A new version imported while serving shows up without restarting.
check "import while serving" "$RELAIS" import --data "$D" --local "$WORK/big.relais"
# The content origin picks up new versions by itself (about once a second): poll, 15 s at most.
for _ in $(seq 1 150); do
  code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$B/b/fr.relais.demo.calcul-mental/9.0.0/data/f1.bin")"
  [ "$code" = 200 ] && break
  sleep 0.1
done
[ "$code" = 200 ] && ok "a version imported while serving is served within seconds" || fail "new version served" "HTTP $code"
expect_exit 1 "a second serve on the same ports is refused" "$RELAIS" serve --data "$D" --host 127.0.0.1 --port "$(free_port)" --content-port "$C"
contains "…naming the port in use and the option to change" "$ERR" "port $C"
kill -TERM "$spid"
for _ in $(seq 1 100); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$spid" 2>/dev/null; then fail "SIGTERM stops serve within 10 s"; else wait "$spid"; rc=$?; [ "$rc" -eq 0 ] && ok "SIGTERM stops serve cleanly (exit 0)" || fail "SIGTERM stops serve cleanly" "exit $rc"; fi

# --- a bundle whose own port cannot be opened ------------------------------------------------------
# serve.bundlePorts holds one port, taken by another program: no bundle gets an origin; a launch is
# refused with a page that says why and what to do, and serve keeps serving the rest.
B1="$(free_port)"
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("0.0.0.0",int(sys.argv[1]))); s.listen(); time.sleep(60)' "$B1" &
holder=$!
PIDS+=("$holder")
"$RELAIS" config --data "$D" set serve.bundlePorts "$B1-$B1" >/dev/null
P2="$(free_port)"; C2="$(free_port)"
"$RELAIS" serve --data "$D" --host 127.0.0.1 --port "$P2" --content-port "$C2" >"$WORK/serve2.log" 2>&1 &
spid2=$!
PIDS+=("$spid2")
wait_http "http://127.0.0.1:$P2/healthz" || fail "serve starts with its bundle port taken" "$(tail -5 "$WORK/serve2.log")"
for _ in $(seq 1 50); do grep -q "cannot listen on a bundle's port" "$WORK/serve2.log" && break; sleep 0.1; done
contains "the log names the bundle port that could not be opened" "$(cat "$WORK/serve2.log")" "cannot listen on a bundle's port"
contains "…and the bundles left without a port when the range is full" "$(cat "$WORK/serve2.log")" "serve.bundlePorts has no port left"
code="$(curl -s -o "$WORK/refused.html" -w '%{http_code}' "http://127.0.0.1:$P2/lancer/fr.relais.demo.calcul-mental")"
contains "opening a bundle without an origin is refused before the first-name form (503)" "$code" "503"
contains "…with a page that says why" "$(cat "$WORK/refused.html")" "n&#39;a pas pu lui ouvrir son adresse"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$P2/catalogue")" = 200 ] && ok "…while the catalogue still answers" || fail "catalogue answers with a bundle port taken"
kill -TERM "$spid2" "$holder" 2>/dev/null; wait "$spid2" 2>/dev/null
"$RELAIS" config --data "$D" set serve.bundlePorts 0 >/dev/null

# --- admin password (scripts and the demo set a staff password from standard input) --------------
expect_exit 1 "admin password refuses a password under 10 characters" "$RELAIS" admin password --data "$D" --login julien.legoff <<<'court'
contains "…saying why in French" "$ERR" "au moins 10 caractères ; rien n'a changé"
contains "…and in English" "$ERR" "at least 10 characters; nothing changed, give another one"
[ "$(printf '%s' "$ERR" | wc -l)" -eq 0 ] && ok "…on one line" || fail "one line" "$ERR"
expect_exit 1 "admin password refuses an empty standard input" "$RELAIS" admin password --data "$D" --login julien.legoff </dev/null
contains "…saying how to give it" "$ERR" "printf"
expect_exit 1 "admin password refuses an unknown login" "$RELAIS" admin password --data "$D" --login personne.inconnue <<<'un-bon-mot-de-passe'
contains "…naming relais people list" "$ERR" "relais people list"
out="$("$RELAIS" people list --data "$D" 2>&1)"
contains "before: julien.legoff has no password yet" "$out" "no password yet"
check "admin password accepts a 10-character password (CRLF line ending)" "$RELAIS" admin password --data "$D" --login julien.legoff < <(printf 'demo-2026!\r\n')
contains "…and says whose it set" "$out" "Password of julien.legoff set"
out="$("$RELAIS" people list --data "$D" 2>&1)"
[[ "$out" != *"no password yet"* ]] && ok "…after which people list shows a password" || fail "people list shows a password" "$out"

# --- séances from the console (the same store calls as the teacher's pages) ------------------------
"$RELAIS" people assign-teacher --data "$D" --login julien.legoff --class "CM2 B" >/dev/null
expect_exit 1 "seance prepare refuses a bundle that is not on the box" "$RELAIS" seance prepare --data "$D" --teacher julien.legoff --class "CM2 B" --title Essai --activity fr.inconnu
contains "…saying where to look" "$ERR" "relais status"
[ "$(printf '%s' "$ERR" | wc -l)" -eq 0 ] && ok "…on one line" || fail "one line" "$ERR"
expect_exit 1 "seance prepare refuses an unknown class" "$RELAIS" seance prepare --data "$D" --teacher julien.legoff --class "6e Z" --title Essai
expect_exit 1 "seance prepare --confier refuses a séance without activity" "$RELAIS" seance prepare --data "$D" --teacher julien.legoff --class "CM2 B" --title Vide --confier
out="$("$RELAIS" seance list --data "$D" 2>&1)"
[ -z "$out" ] && ok "…and nothing was written" || fail "nothing was written" "$out"
check "seance prepare --confier" "$RELAIS" seance prepare --data "$D" --teacher julien.legoff --class "CM2 B" --title "Calcul — CM2 B" --activity fr.relais.demo.calcul-mental --confier
contains "…prints the hand-over code once" "$out" "code de remise / hand-over code: "
code="$(printf '%s\n' "$out" | sed -n 's/^code de remise .*: //p')"
[[ "$code" =~ ^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$ ]] && ok "…six characters without 0/O/1/I/L" || fail "code format" "$code"
out="$("$RELAIS" seance list --data "$D" 2>&1)"
contains "seance list shows it handed over" "$out" "confiee"

echo "# done"
