#!/usr/bin/env bash
# Black-box tests of the signed repository path, as the hub and a school admin would use it:
# relais repo → a static HTTP server (tests/tuf/range_server.py, with Range and a cut-connection
# fault) or a folder (USB) → relais init --trust / sync / import PATH / tuf, then the portal.
source "$(dirname "$0")/lib.sh"
REPO="$WORK/repo"; KEYS="$WORK/keys"; D="$WORK/box"; OUT="$WORK/out"
mkdir -p "$OUT"

for verb in sync tuf repo "repo init" "repo add" "repo publish" "repo rotate" "repo verify" "repo remove" credentials "credentials add" report "report decompte"; do
  # shellcheck disable=SC2086
  if out="$("$RELAIS" $verb --help 2>&1)" && [[ "$out" == *USAGE* ]]; then ok "relais $verb --help"; else fail "relais $verb --help" "$out"; fi
done

# --- the hub publishes the samples, the demo licences and one large bundle --------------------
check "repo init" "$RELAIS" repo init "$REPO" --keys "$KEYS"
perm="$(stat -c %a "$(find "$KEYS" -type f -name '*.json' | head -1)")"
[ "$perm" = "600" ] && ok "private key files are owner-only ($perm)" || fail "private key files are owner-only" "mode $perm"
for src in "$ROOT"/bundles/*/; do "$RELAIS" bundle pack "$src" -o "$OUT/$(basename "$src").relais" >/dev/null; done
mkdir -p "$WORK/gros"
head -c 3000000 /dev/urandom > "$WORK/gros/video.bin"
echo '<!doctype html><title>Gros</title>' > "$WORK/gros/index.html"
cat > "$WORK/gros/bundle.json" <<'JSON'
{"schema":1,"id":"fr.relais.test.gros","version":"1.0.0","kind":"training","title":{"fr":"Gros module"},
 "description":{"fr":"Pour tester la reprise"},"publisher":"Tests","standard":"html5","entry":"index.html","levels":["cycle3"],"subjects":["test"]}
JSON
"$RELAIS" bundle pack "$WORK/gros" -o "$OUT/gros.relais" >/dev/null
echo '{"uai":"0189990L","abonnements":[{"idAbonnement":"X","idRessource":"fr.relais.demo.calcul-mental","libelleRessource":"a","debutValidite":"2026-13-01T00:00:00Z","finValidite":"2027-01-01T00:00:00Z","typeAffectation":"ETABL","nbLicenceGlobale":1,"publicCible":["ELEVE"]}]}' > "$WORK/0189990L.json"
expect_exit 1 "repo add refuses a licence document with a bad date" "$RELAIS" repo add "$REPO" "$WORK/0189990L.json"
contains "…naming the field" "$ERR" "debutValidite"
check "repo add bundles and licences" "$RELAIS" repo add "$REPO" "$OUT"/*.relais "$ROOT"/seeds/licences/0189990L.json
check "repo publish" "$RELAIS" repo publish "$REPO" --keys "$KEYS"
[ -f "$REPO/metadata/1.root.json" ] && [ -f "$REPO/metadata/timestamp.json" ] && [ -f "$REPO/metadata/1.targets.json" ] \
  && ok "metadata has consistent-snapshot names" || fail "metadata has consistent-snapshot names" "$(ls "$REPO/metadata")"
[ -z "$(find "$REPO" -name '*.key' -o -name '*private*')" ] && ! grep -rqs '"private"' "$REPO" \
  && ok "no private key inside the repository" || fail "no private key inside the repository"
check "repo verify checks the folder before it ships" "$RELAIS" repo verify "$REPO" --trust "$REPO/metadata/1.root.json"

# --- a box that trusts the root --------------------------------------------------------------
echo '{"signed":{},"signatures":[]}' > "$WORK/bad-root.json"
expect_exit 1 "init --trust refuses a root that is not signed TUF metadata" "$RELAIS" init --data "$D" --uai 0189990L --trust "$WORK/bad-root.json"
[ ! -e "$D" ] && ok "…and leaves no half-made box" || fail "…and leaves no half-made box"
check "init --trust ROOT.json" "$RELAIS" init --data "$D" --uai 0189990L --trust "$REPO/metadata/1.root.json"
expect_exit 1 "sync without repository.url says how to set it" "$RELAIS" sync --data "$D" --once
contains "…naming the setting" "$ERR" "repository.url"

# --- sync over HTTP, cut mid-bundle, resumed with Range -----------------------------------------
LOG="$WORK/http.log"
python3 "$ROOT/tests/tuf/range_server.py" "$REPO" 0 --cut-after 1000000 --cut-pattern 'fr.relais.test.gros' --log "$LOG" > "$WORK/port" &
PIDS+=($!)
for _ in $(seq 1 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT="$(head -1 "$WORK/port")"
check "config set repository.url" "$RELAIS" config --data "$D" set repository.url "http://127.0.0.1:$PORT"
expect_exit 1 "a sync cut mid-bundle fails (exit 1)" "$RELAIS" sync --data "$D" --once
partial="$(find "$D/sync/partial" -name '*.part' -size +100k | head -1)"
[ -n "$partial" ] && ok "the partial download survives the failed sync" || fail "the partial download survives" "$(ls -la "$D/sync/partial" 2>&1)"
size=$(stat -c %s "$partial" 2>/dev/null || echo 0)
out="$("$RELAIS" status --data "$D")"
contains "status shows the failed sync" "$out" "ÉCHEC"
check "the next sync succeeds" "$RELAIS" sync --data "$D" --once
range="$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if "fr.relais.test.gros" in r["path"] and r["range"]: print(r["range"])' "$LOG" | tail -1)"
[ "$range" = "bytes=$size-" ] && ok "it resumed with Range from the partial file's size ($range)" || fail "resumed from the right offset" "range « $range », partial was $size bytes"
json="$("$RELAIS" status --data "$D" --json)"
states="$(printf '%s' "$json" | python3 -c 'import json,sys; print(" ".join(sorted(b["id"]+"="+b["licence"] for b in json.load(sys.stdin)["bundles"])))')"
contains "licensed and free bundles are installed with their licence state" "$states" "fr.relais.demo.calcul-mental=active fr.relais.demo.ecrire-seance=notRequired fr.relais.demo.fiche-fractions=active fr.relais.demo.prise-en-main=notRequired fr.relais.test.gros=notRequired"

: > "$LOG"
out="$("$RELAIS" sync --data "$D" --once 2>&1)"
contains "a sync with no change says so" "$out" "inchangé"
paths="$(python3 -c 'import json,sys; print(" ".join(json.loads(l)["path"] for l in open(sys.argv[1])))' "$LOG")"
[ "$paths" = "/metadata/2.root.json /metadata/timestamp.json" ] && ok "a no-change sync fetches only the root probe and timestamp.json" || fail "no-change sync fetches only timestamp" "$paths"

# --- the hub removes a bundle and rotates a key ---------------------------------------------------
check "repo remove" "$RELAIS" repo remove "$REPO" bundles/fr.relais.test.gros/1.0.0.relais
check "repo rotate timestamp" "$RELAIS" repo rotate "$REPO" timestamp --keys "$KEYS"
check "repo publish after rotation" "$RELAIS" repo publish "$REPO" --keys "$KEYS"
out="$("$RELAIS" sync --data "$D" --once 2>&1)"
contains "the box follows the root rotation and unlists the removed bundle" "$out" "retiré du catalogue : fr.relais.test.gros"
catalog="$("$RELAIS" status --data "$D" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["sync"]["rootVersion"])')"
[ "$catalog" = "2" ] && ok "status reports root version 2" || fail "status reports root version 2" "$catalog"

# --- an attacker replays an old timestamp --------------------------------------------------------
cp "$REPO/metadata/timestamp.json" "$WORK/new-ts.json"
"$RELAIS" repo publish "$REPO" --keys "$KEYS" >/dev/null
"$RELAIS" sync --data "$D" --once >/dev/null 2>&1
cp "$WORK/new-ts.json" "$REPO/metadata/timestamp.json"
expect_exit 1 "a rolled-back timestamp.json is refused" "$RELAIS" sync --data "$D" --once
contains "…saying it is a rollback" "$ERR" "timestamp"

# --- the same repository on a USB stick --------------------------------------------------------
cp -r "$REPO" "$WORK/usb"
"$RELAIS" repo publish "$WORK/usb" --keys "$KEYS" >/dev/null
check "init a second box" "$RELAIS" init --data "$WORK/box2" --uai 0189990L --trust "$REPO/metadata/1.root.json"
out="$("$RELAIS" import --data "$WORK/box2" "$WORK/usb" 2>&1)"
contains "import PATH installs from a USB copy" "$out" "installé : fr.relais.demo.calcul-mental"
printf 'x' >> "$(find "$WORK/usb/targets/licences" -type f | head -1)"
"$RELAIS" init --data "$WORK/box3" --uai 0189990L --trust "$REPO/metadata/1.root.json" >/dev/null
expect_exit 1 "a tampered licence document on the stick is refused" "$RELAIS" import --data "$WORK/box3" "$WORK/usb"
count="$("$RELAIS" status --data "$WORK/box3" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["bundles"]))')"
[ "$count" = "0" ] && ok "…and nothing was installed from it" || fail "nothing installed from a tampered stick" "$count bundles"
expect_exit 1 "import of a folder that is not a repository says what to give" "$RELAIS" import --data "$WORK/box2" "$WORK/gros"
contains "…naming metadata/" "$ERR" "metadata/"

# --- relais sync without --once keeps the box in step ---------------------------------------------
"$RELAIS" repo publish "$REPO" --keys "$KEYS" >/dev/null
want="$(ls "$REPO/metadata" | sed -n 's/^\([0-9]*\)\.targets\.json$/\1/p' | sort -n | tail -1)"
"$RELAIS" sync --data "$D" 2>"$WORK/loop.log" &
loop=$!; PIDS+=("$loop")
got=""
for _ in $(seq 1 100); do
  got="$("$RELAIS" status --data "$D" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["sync"]["targetsVersion"])')"
  [ "$got" = "$want" ] && break; sleep 0.1
done
[ "$got" = "$want" ] && ok "relais sync (no --once) syncs at once, then waits for the next interval" || fail "the sync loop syncs at once" "targets v$got, want v$want: $(cat "$WORK/loop.log")"
kill "$loop" 2>/dev/null

# --- relais tuf, the conformance client ---------------------------------------------------------
M="$WORK/tufmeta"; mkdir -p "$M" "$WORK/tuftargets"
check "tuf init" "$RELAIS" tuf --metadata-dir "$M" init "$REPO/metadata/1.root.json"
check "tuf refresh" "$RELAIS" tuf --metadata-dir "$M" --metadata-url "http://127.0.0.1:$PORT/metadata" refresh
check "tuf download" "$RELAIS" tuf --metadata-dir "$M" --metadata-url "http://127.0.0.1:$PORT/metadata" \
  --target-name licences/0189990L.json --target-base-url "http://127.0.0.1:$PORT/targets" --target-dir "$WORK/tuftargets" download
[ -n "$(find "$WORK/tuftargets" -type f)" ] && cmp -s "$(find "$WORK/tuftargets" -type f | head -1)" "$ROOT/seeds/licences/0189990L.json" \
  && ok "tuf download wrote the verified target" || fail "tuf download wrote the verified target" "$(ls -R "$WORK/tuftargets")"

# --- the portal enforces the licences ------------------------------------------------------------
P="$(free_port)"; C="$(free_port)"
"$RELAIS" config --data "$D" set serve.bundlePorts 0 >/dev/null  # any free port: tests run side by side
"$RELAIS" serve --data "$D" --host 127.0.0.1 --port "$P" --content-port "$C" 2>"$WORK/serve.log" &
PIDS+=($!)
wait_http "http://127.0.0.1:$P/healthz" && ok "serve starts" || fail "serve starts" "$(cat "$WORK/serve.log")"
for _ in $(seq 1 100); do  # bundle origins open within a second of the start
  code="$(curl -sI -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$P/lancer/fr.relais.demo.calcul-mental")"
  [ "${code%% *}" = 303 ] && break
  sleep 0.1
done
contains "a licensed bundle launches (303 to its own origin)" "$code" "303 http://127.0.0.1:"
contains "…on /b/ of that bundle" "$code" "/b/fr.relais.demo.calcul-mental/"
page="$(curl -s "http://127.0.0.1:$P/catalogue")"
contains "the catalogue shows each licence's end" "$page" "Licence valable jusqu"
echo "# done"
