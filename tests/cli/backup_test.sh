#!/usr/bin/env bash
# Black-box tests of `relais backup` / `relais restore` (issue 11, « Keep data safe »).
source "$(dirname "$0")/lib.sh"
D="$WORK/data"
B="$WORK/sauvegarde.relais-backup"
one_line() { [ "$(printf '%s' "$2" | wc -l)" -eq 0 ] && [ -n "$2" ] && ok "$1" || fail "$1" "$2"; }

for verb in backup restore; do
  if out="$("$RELAIS" $verb --help 2>&1)" && [[ "$out" == *USAGE* ]]; then ok "relais $verb --help"; else fail "relais $verb --help" "$out"; fi
done

# --- a box with a bundle, people and a séance ------------------------------------------------------
check "init" "$RELAIS" init --data "$D" --uai 0750654D --name "École de sauvegarde"
check "pack a sample bundle" "$RELAIS" bundle pack "$ROOT/bundles/calcul-mental" -o "$WORK/calcul.relais"
check "import it" "$RELAIS" import --data "$D" --local "$WORK/calcul.relais"
printf 'prénom,initiale,classe\nLéa,M,CM2 B\nNoé,B,CM2 B\n' > "$WORK/eleves.csv"
check "import pupils" "$RELAIS" people import-pupils --data "$D" --create-classes "$WORK/eleves.csv"
printf 'nom,prénom,rôle\nLe Goff,Julien,Enseignant(e)\n' > "$WORK/staff.csv"
check "import staff" "$RELAIS" people import-staff --data "$D" "$WORK/staff.csv"
"$RELAIS" people assign-teacher --data "$D" --login julien.legoff --class "CM2 B" >/dev/null
check "prepare a séance" "$RELAIS" seance prepare --data "$D" --teacher julien.legoff --class "CM2 B" --title "Calcul" --activity fr.relais.demo.calcul-mental
check "set a setting" "$RELAIS" config --data "$D" set privacy.retentionDays 200
people_before="$("$RELAIS" people list --data "$D" 2>&1)"

# --- backup ---------------------------------------------------------------------------------------
expect_exit 2 "backup without FILE is a usage error" "$RELAIS" backup --data "$D"
check "backup" "$RELAIS" backup --data "$D" "$B"
contains "…says the content is not included" "$out" "content not included"
contains "…and how it comes back" "$out" "relais sync --once"
[ "$(stat -c %a "$B")" = 600 ] && ok "…the file is owner-only (it holds the secret)" || fail "backup mode" "$(stat -c %a "$B")"
members="$(tar tf "$B" 2>&1)"
[ "$(printf '%s\n' "$members" | head -1)" = relais-backup.json ] && ok "…a tar whose first member is the manifest" || fail "manifest first" "$members"
contains "…holding the database" "$members" "relais.sqlite"
contains "…and the secret" "$members" "secret.key"
[[ "$members" != *store/* ]] && ok "…and no content blob" || fail "no blobs" "$members"
ls -A "$WORK" | grep -q '^\.' && fail "no temporary file left beside the backup" "$(ls -A "$WORK")" || ok "no temporary file left beside the backup"
expect_exit 1 "backup refuses to overwrite an existing file" "$RELAIS" backup --data "$D" "$B"
one_line "…on one line" "$ERR"
contains "…saying --force" "$ERR" "--force"
check "backup --force replaces it" "$RELAIS" backup --data "$D" "$B" --force

# --- restore --------------------------------------------------------------------------------------
N="$WORK/nouvelle/data"
check "restore into a new folder" "$RELAIS" restore --data "$N" "$B"
contains "…says the content store is empty" "$out" "content store is empty"
[ "$(stat -c %a "$N/secret.key")" = 600 ] && ok "…secret.key owner-only" || fail "secret mode" "$(stat -c %a "$N/secret.key")"
cmp -s "$D/secret.key" "$N/secret.key" && ok "…the same secret (pupils keep their pseudonyms)" || fail "same secret"
check "status on the restored box" "$RELAIS" status --data "$N"
contains "…shows the UAI" "$out" "0750654D"
contains "…and the box name" "$out" "École de sauvegarde"
out="$("$RELAIS" people list --data "$N" 2>&1)"
[ "$out" = "$people_before" ] && ok "people list shows the same people" || fail "same people" "$out"
out="$("$RELAIS" seance list --data "$N" 2>&1)"
contains "seance list shows the séance" "$out" "Calcul"
out="$("$RELAIS" config --data "$N" get privacy.retentionDays 2>&1)"
[ "$out" = 200 ] && ok "settings come back" || fail "settings" "$out"
expect_exit 1 "doctor on the restored box says the store is empty" "$RELAIS" doctor --data "$N"
out="$("$RELAIS" doctor --data "$N" 2>&1)"
contains "…and to sync or import" "$out" "relais sync --once"
check "re-importing the bundle" "$RELAIS" import --data "$N" --local "$WORK/calcul.relais"
check "…after which doctor is happy" "$RELAIS" doctor --data "$N" --deep

# --- while relais serve runs (another process holding the database) ---------------------------------
P="$(free_port)"; C="$(free_port)"
"$RELAIS" config --data "$D" set serve.bundlePorts 0 >/dev/null
"$RELAIS" serve --data "$D" --host 127.0.0.1 --port "$P" --content-port "$C" >"$WORK/serve.log" 2>&1 &
spid=$!
PIDS+=("$spid")
if wait_http "http://127.0.0.1:$P/healthz"; then ok "serve starts"; else fail "serve starts" "$(tail -5 "$WORK/serve.log")"; fi
check "backup while serve runs" "$RELAIS" backup --data "$D" "$WORK/pendant-serve.relais-backup"
check "…restores" "$RELAIS" restore --data "$WORK/pendant" "$WORK/pendant-serve.relais-backup"
out="$("$RELAIS" people list --data "$WORK/pendant" 2>&1)"
[ "$out" = "$people_before" ] && ok "…with the same people" || fail "same people" "$out"
kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null

# --- refusals -------------------------------------------------------------------------------------
expect_exit 1 "restore refuses a folder holding a box" "$RELAIS" restore --data "$N" "$B"
one_line "…on one line" "$ERR"
contains "…saying --replace" "$ERR" "--replace"
expect_exit 1 "restore refuses another UAI than --uai" "$RELAIS" restore --data "$WORK/autre" --uai 0750655E "$B"
one_line "…on one line" "$ERR"
contains "…saying --other-uai" "$ERR" "--other-uai"
[ ! -e "$WORK/autre" ] && ok "…and writes nothing" || fail "nothing written" "$(ls -A "$WORK/autre")"
check "restore --other-uai restores it anyway" "$RELAIS" restore --data "$WORK/autre" --uai 0750655E --other-uai "$B"
O="$WORK/other-uai"
"$RELAIS" init --data "$O" --uai 0750655E >/dev/null
expect_exit 1 "restore --replace refuses a box of another UAI" "$RELAIS" restore --data "$O" --replace "$B"
contains "…naming both UAIs" "$ERR" "0750655E"
check "restore --replace over a box of the same UAI" "$RELAIS" restore --data "$N" --replace "$B"
aside="$(ls -d "$N".avant-restauration-* 2>/dev/null | head -1)"
[ -n "$aside" ] && [ -f "$aside/relais.sqlite" ] && ok "…keeps the old box aside" || fail "old box kept" "$(ls "$WORK/nouvelle")"
contains "…and says where" "$out" "$aside"
# A damaged backup: one byte of secret.key flipped inside the tar.
cp "$B" "$WORK/abime.tar"
python3 - "$WORK/abime.tar" <<'PY'
import sys, tarfile
path = sys.argv[1]
with tarfile.open(path) as t:
    m = t.getmember("secret.key")
with open(path, "r+b") as f:
    f.seek(m.offset_data); b = f.read(1); f.seek(m.offset_data); f.write(bytes([b[0] ^ 1]))
PY
expect_exit 1 "restore refuses a damaged member" "$RELAIS" restore --data "$WORK/abime" "$WORK/abime.tar"
one_line "…on one line" "$ERR"
contains "…naming it" "$ERR" "secret.key"
[ ! -e "$WORK/abime" ] && ok "…and writes nothing" || fail "nothing written" "$(ls -A "$WORK/abime")"
ls -A "$WORK" | grep -q '\.restore\.' && fail "no temporary folder left" "$(ls -A "$WORK")" || ok "no temporary folder left"
expect_exit 1 "restore refuses a file that is not a backup" "$RELAIS" restore --data "$WORK/pas" "$WORK/calcul.relais"
one_line "…on one line" "$ERR"
expect_exit 1 "restore refuses a missing file" "$RELAIS" restore --data "$WORK/pas" "$WORK/inexistant"

echo "# done"
