#!/usr/bin/env bash
# Black-box tests of « Keep data safe » (issue 11): the disk guard on a real full file system (a
# tmpfs of a few MB), `relais gc` and `relais fsck` on a box synced from a signed repository.
source "$(dirname "$0")/lib.sh"
one_line() { [ "$(printf '%s' "$2" | wc -l)" -eq 0 ] && [ -n "$2" ] && ok "$1" || fail "$1" "$2"; }
json_active() { "$RELAIS" status --data "$1" --json | python3 -c 'import json,sys; print(" ".join(sorted(b["id"]+"="+b["activeVersion"] for b in json.load(sys.stdin)["bundles"])))'; }

for verb in gc fsck; do
  if out="$("$RELAIS" $verb --help 2>&1)" && [[ "$out" == *USAGE* ]]; then ok "relais $verb --help"; else fail "relais $verb --help" "$out"; fi
  expect_exit 2 "relais $verb without --data is a usage error" "$RELAIS" $verb
done

# --- a bundle in two versions, published in a signed repository (a folder) -------------------------
mk_bundle() {  # mk_bundle VERSION → $WORK/sur-VERSION.relais, 3 files whose content names the version
  local src="$WORK/src-$1"; mkdir -p "$src/js"
  printf '<!doctype html><title>Sûr %s</title><script src="js/app.js"></script>\n' "$1" > "$src/index.html"
  printf 'console.log("version %s");\n' "$1" > "$src/js/app.js"
  head -c 200000 /dev/urandom > "$src/data.bin"
  cat > "$src/bundle.json" <<JSON
{"schema":1,"id":"fr.relais.test.sur","version":"$1","kind":"training","title":{"fr":"Module sûr"},
 "description":{"fr":"Pour les tests de sûreté"},"publisher":"Tests","standard":"html5","entry":"index.html","levels":["cycle3"],"subjects":["test"]}
JSON
  "$RELAIS" bundle pack "$src" -o "$WORK/sur-$1.relais" >/dev/null
}
mk_bundle 1.0.0; mk_bundle 2.0.0
REPO="$WORK/repo"; KEYS="$WORK/keys"; D="$WORK/box"
"$RELAIS" repo init "$REPO" --keys "$KEYS" >/dev/null
"$RELAIS" repo add "$REPO" --free "$WORK/sur-1.0.0.relais" >/dev/null
"$RELAIS" repo publish "$REPO" --keys "$KEYS" >/dev/null
check "init a box that trusts the repository" "$RELAIS" init --data "$D" --uai 0750654D --trust "$REPO/metadata/1.root.json"
"$RELAIS" config --data "$D" set repository.url "$REPO" >/dev/null
check "sync 1.0.0" "$RELAIS" sync --data "$D" --once
"$RELAIS" repo add "$REPO" --free "$WORK/sur-2.0.0.relais" >/dev/null
"$RELAIS" repo publish "$REPO" --keys "$KEYS" >/dev/null
check "sync 2.0.0 (1.0.0 is kept)" "$RELAIS" sync --data "$D" --once
left="$(ls -A "$D/sync/partial" 2>/dev/null)"
[ -z "$left" ] && ok "…and leaves no downloaded archive behind in sync/partial" || fail "no archive left in sync/partial" "$left"
[ "$(json_active "$D")" = "fr.relais.test.sur=2.0.0" ] && ok "2.0.0 serves" || fail "2.0.0 serves" "$(json_active "$D")"

# --- fsck on a clean box -----------------------------------------------------------------------------
out="$("$RELAIS" fsck --data "$D" 2>&1)"; code=$?
[ $code -eq 0 ] && ok "fsck on a clean box exits 0" || fail "fsck clean exits 0" "exit $code: $out"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] && ok "…with one summary line" || fail "one summary line" "$out"
contains "…saying no problem" "$out" "no problem"

# --- serve it, then damage the blobs of 2.0.0 three ways -----------------------------------------------
P="$(free_port)"; C="$(free_port)"
"$RELAIS" config --data "$D" set serve.bundlePorts 0 >/dev/null
"$RELAIS" serve --data "$D" --host 127.0.0.1 --port "$P" --content-port "$C" >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$P/healthz" && ok "serve runs" || fail "serve runs" "$(tail -5 "$WORK/serve.log")"
served() {  # served VERSION PATH → prints the served bytes' sha256 (or the HTTP code when not 200)
  local code; code="$(curl -sL -o "$WORK/got" -w '%{http_code}' "http://127.0.0.1:${CP:-$C}/b/fr.relais.test.sur/$1/$2")"
  if [ "$code" = 200 ]; then sha256sum < "$WORK/got" | cut -c1-64; else echo "HTTP $code"; fi
}
want() { sha256sum < "$WORK/src-$1/$2" | cut -c1-64; }
wait_served() {  # wait_served VERSION PATH EXPECTED (the origin reloads its index about once a second)
  local got=""; for _ in $(seq 1 100); do got="$(served "$1" "$2")"; [ "$got" = "$3" ] && return 0; sleep 0.1; done
  echo "$got"; return 1
}
if got="$(wait_served 2.0.0 data.bin "$(want 2.0.0 data.bin)")"; then ok "the content origin serves 2.0.0's data.bin"; else fail "serves 2.0.0" "$got"; fi
blob() { echo "$D/store/blobs/$(want "$1" "$2" | cut -c1-2)/$(want "$1" "$2")"; }
python3 - "$(blob 2.0.0 data.bin)" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(1000); b = f.read(1); f.seek(1000); f.write(bytes([b[0] ^ 0x01]))
PY
truncate -s 10 "$(blob 2.0.0 index.html)"
rm "$(blob 2.0.0 js/app.js)"
out="$("$RELAIS" fsck --data "$D" 2>&1)"; code=$?
[ $code -eq 1 ] && ok "fsck finds the damage (exit 1)" || fail "fsck exit 1" "exit $code: $out"
contains "…a flipped byte (corrupt)" "$out" "$(want 2.0.0 data.bin) (corrupt"
contains "…a truncated file (wrong size)" "$out" "$(want 2.0.0 index.html) (wrong size"
contains "…a deleted file (missing)" "$out" "$(want 2.0.0 js/app.js) (missing"
contains "…falls back to the whole previous version" "$out" "version 1.0.0 serves again"
contains "…and says the next sync fetches it again" "$out" "relais sync --data $D --once"
n_q="$(ls "$D/quarantine" | grep -vc '\.txt$')"
[ "$n_q" = 2 ] && ok "the two damaged files are in quarantine/" || fail "two in quarantine" "$(ls "$D/quarantine")"
grep -qs "wrong size" "$D"/quarantine/*.txt && ok "…each with a note saying why" || fail "quarantine notes" "$(cat "$D"/quarantine/*.txt)"
[ "$(json_active "$D")" = "fr.relais.test.sur=1.0.0" ] && ok "1.0.0 serves again" || fail "1.0.0 serves" "$(json_active "$D")"
if got="$(wait_served 2.0.0 data.bin "HTTP 404")"; then ok "2.0.0 is not served half-broken (404)"; else fail "2.0.0 no longer served" "$got"; fi
got="$(served 1.0.0 data.bin)"; [ "$got" = "$(want 1.0.0 data.bin)" ] && ok "1.0.0's files serve, byte for byte" || fail "1.0.0 serves" "$got"

check "relais sync --once brings 2.0.0 back" "$RELAIS" sync --data "$D" --once
[ "$(json_active "$D")" = "fr.relais.test.sur=2.0.0" ] && ok "2.0.0 is active again" || fail "2.0.0 active again" "$(json_active "$D")"
check "fsck is clean after the sync" "$RELAIS" fsck --data "$D"
for f in index.html js/app.js data.bin; do
  if got="$(wait_served 2.0.0 "$f" "$(want 2.0.0 "$f")")"; then ok "2.0.0's $f serves the original bytes"; else fail "2.0.0 $f original" "$got"; fi
done

# --- a local bundle with no other version: stop serving, say re-import ------------------------------
mk_bundle 3.0.0
L="$WORK/local"
"$RELAIS" init --data "$L" --uai 0750654D >/dev/null
check "import --local" "$RELAIS" import --data "$L" --local "$WORK/sur-3.0.0.relais"
rm "$L/store/blobs/$(want 3.0.0 index.html | cut -c1-2)/$(want 3.0.0 index.html)"
expect_exit 1 "fsck of a local bundle with a lost file exits 1" "$RELAIS" fsck --data "$L"
out="$("$RELAIS" fsck --data "$L" 2>&1)"
contains "…and says to re-import it" "$out" "relais import --data $L --local FILE"
check "re-import it" "$RELAIS" import --data "$L" --local "$WORK/sur-3.0.0.relais"
check "fsck is clean after the re-import" "$RELAIS" fsck --data "$L"

# --- gc ----------------------------------------------------------------------------------------------
orphan="$D/store/blobs/ab/ab$(printf '0%.0s' $(seq 1 62))"
head -c 50000 /dev/zero > "$orphan"
mkdir -p "$D/sync/partial" "$D/tmp/restes"
head -c 30000 /dev/zero > "$D/sync/partial/$(printf 'c%.0s' $(seq 1 64)).part"
head -c 20000 /dev/zero > "$D/tmp/restes/1"  # left by something else than an import (an import's own is cleaned when the box opens)
out="$("$RELAIS" gc --data "$D" 2>&1)"; code=$?
[ $code -eq 0 ] && ok "gc runs while serve runs (exit 0)" || fail "gc exit 0" "exit $code: $out"
contains "…prints the bytes freed" "$out" "(100000 octets / bytes)"
contains "…and what it removed" "$out" "unreferenced store files"
contains "…including leftovers in tmp/" "$out" "interrupted import folders"
[ ! -e "$orphan" ] && [ -z "$(ls -A "$D/sync/partial")" ] && [ -z "$(ls -A "$D/tmp")" ] && ok "…and removed them" || fail "gc removed them" "$(ls -R "$D/tmp" "$D/sync/partial")"
got="$(served 2.0.0 data.bin)"; [ "$got" = "$(want 2.0.0 data.bin)" ] && ok "…while 2.0.0 keeps serving" || fail "serving after gc" "$got"
got="$(served 1.0.0 data.bin)"; [ "$got" = "$(want 1.0.0 data.bin)" ] && ok "…and the kept 1.0.0 too" || fail "1.0.0 after gc" "$got"
out="$("$RELAIS" gc --data "$D" 2>&1)"
contains "a second gc has nothing to remove" "$out" "nothing to remove"
check "doctor --repair still works (it runs gc)" "$RELAIS" doctor --data "$D" --repair

# --- the disk guard on a real full disk: a 128 MB tmpfs (its last 5 % must hold SQLite's WAL, up to 4 MB) ------------------------------------------------
M="$WORK/petit-disque"; mkdir -p "$M"
if mount -t tmpfs -o size=128m tmpfs "$M" 2>/dev/null; then
  trap 'for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null && wait "$p" 2>/dev/null; done; umount "$M" 2>/dev/null; cleanup' EXIT
  T="$M/box"
  "$RELAIS" init --data "$T" --uai 0750654D --trust "$REPO/metadata/1.root.json" >/dev/null
  "$RELAIS" config --data "$T" set repository.url "$REPO" >/dev/null
  check "on a 128 MB disk, an import at low usage works" "$RELAIS" import --data "$T" --local "$WORK/sur-1.0.0.relais"
  key="$("$RELAIS" credentials add --data "$T" --name tests)"
  # Fill the disk to just above 95 % with a file that is not the box's.
  total=$(df -B1 --output=size "$M" | tail -1); used=$(df -B1 --output=used "$M" | tail -1)
  head -c $(( total * 96 / 100 - used )) /dev/zero > "$M/remplissage"
  pct=$(df --output=pcent "$M" | tail -1 | tr -dc 0-9)
  [ "$pct" -ge 95 ] && ok "the disk is now $pct % used" || fail "disk filled" "$pct %"
  expect_exit 1 "import is refused on a full disk" "$RELAIS" import --data "$T" --local "$WORK/sur-2.0.0.relais"
  one_line "…on one line" "$ERR"
  contains "…saying what is full" "$ERR" "disk full: the disk holding $T is"
  contains "…how much is free" "$ERR" "free)"
  contains "…and what to do" "$ERR" "relais gc --data $T"
  [ -z "$(ls -A "$T/tmp")" ] && ok "…nothing half-written in tmp/" || fail "nothing staged" "$(ls -R "$T/tmp")"
  expect_exit 1 "a sync refuses to download on a full disk" "$RELAIS" sync --data "$T" --once
  contains "…saying which download and what to do" "$ERR" "the download of bundles/fr.relais.test.sur/2.0.0.relais needs"
  contains "…and that the disk is full" "$ERR" "disk full"
  [ -z "$(ls -A "$T/sync/partial" 2>/dev/null)" ] && ok "…and downloads nothing" || fail "nothing downloaded" "$(ls -la "$T/sync/partial")"
  [ "$(json_active "$T")" = "fr.relais.test.sur=1.0.0" ] && ok "…and 1.0.0 still serves" || fail "1.0.0 still serves" "$(json_active "$T")"
  out="$("$RELAIS" status --data "$T" 2>&1)"
  contains "status shows the disk guard refusing" "$out" "ATTENTION: Disque plein"
  expect_exit 1 "doctor reports the full disk" "$RELAIS" doctor --data "$T"
  # Serving and statements go on.
  P2="$(free_port)"; C2="$(free_port)"
  "$RELAIS" config --data "$T" set serve.bundlePorts 0 >/dev/null 2>&1
  "$RELAIS" serve --data "$T" --host 127.0.0.1 --port "$P2" --content-port "$C2" >"$WORK/serve2.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$P2/healthz" && ok "serve starts on the full disk" || fail "serve on full disk" "$(tail -5 "$WORK/serve2.log")"
  if got="$(CP=$C2 wait_served 1.0.0 data.bin "$(want 1.0.0 data.bin)")"; then ok "…and serves 1.0.0, byte for byte"; else fail "serving on a full disk" "$got"; fi
  stored=0
  for i in $(seq 1 50); do
    code="$(curl -s -o /dev/null -w '%{http_code}' -u "$key" -H 'X-Experience-API-Version: 1.0.3' -H 'Content-Type: application/json' \
      -X PUT "http://127.0.0.1:$P2/xapi/statements?statementId=$(python3 -c 'import uuid; print(uuid.uuid4())')" \
      -d "{\"actor\":{\"mbox\":\"mailto:eleve$i@ecole.example\"},\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/experienced\"},\"object\":{\"id\":\"https://relais.example/a/$i\"}}")"
    [ "$code" = 204 ] && stored=$((stored + 1))
  done
  [ "$stored" = 50 ] && ok "50 statements are recorded above 95 % (the room kept for them)" || fail "statements recorded on a full disk" "$stored/50 (last HTTP $code) $(tail -3 "$WORK/serve2.log")"
  nread="$(curl -s -u "$key" -H 'X-Experience-API-Version: 1.0.3' "http://127.0.0.1:$P2/xapi/statements?limit=100" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["statements"]))')"
  [ "$nread" = 50 ] && ok "…and read back" || fail "statements read back" "$nread"
  rm "$M/remplissage"
  check "once space is freed, the sync goes through" "$RELAIS" sync --data "$T" --once
  [ "$(json_active "$T")" = "fr.relais.test.sur=2.0.0" ] && ok "…and 2.0.0 serves" || fail "2.0.0 after freeing" "$(json_active "$T")"
  # A compressed archive expands: 16 MB of zeros pack into a few kB, so the archive's size says
  # nothing; the guard counts each file's declared size before staging it.
  mk_bundle 3.0.0
  head -c 16000000 /dev/zero > "$WORK/src-3.0.0/zeros.bin"
  "$RELAIS" bundle pack "$WORK/src-3.0.0" -o "$WORK/sur-3.0.0.relais" >/dev/null
  total=$(df -B1 --output=size "$M" | tail -1); used=$(df -B1 --output=used "$M" | tail -1)
  head -c $(( total * 88 / 100 - used )) /dev/zero > "$M/remplissage"
  pct=$(df --output=pcent "$M" | tail -1 | tr -dc 0-9)
  archive=$(stat -c %s "$WORK/sur-3.0.0.relais")
  [ "$pct" -lt 95 ] && [ "$archive" -lt 1000000 ] && ok "the disk is $pct % used and the archive of 16 MB of zeros weighs $archive bytes" || fail "setup of the expanding archive" "$pct % $archive B"
  expect_exit 1 "an archive that would expand past 95 % is refused" "$RELAIS" import --data "$T" --local "$WORK/sur-3.0.0.relais"
  contains "…naming the file that does not fit" "$ERR" "(zeros.bin) needs"
  [ -z "$(ls -A "$T/tmp")" ] && ok "…nothing half-written in tmp/" || fail "nothing staged" "$(ls -R "$T/tmp")"
  [ "$(json_active "$T")" = "fr.relais.test.sur=2.0.0" ] && ok "…and 2.0.0 still serves" || fail "2.0.0 still serves" "$(json_active "$T")"
  rm "$M/remplissage"
else
  ok "# SKIP disk guard on a tmpfs: mount -t tmpfs is not allowed here (not root?)"
fi
echo "# done"
