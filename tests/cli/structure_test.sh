#!/usr/bin/env bash
# Black-box tests of content structure (issue 10): `bundle pack` asks for the publisher instead of
# guessing, and `bundle inspect --json` lists the SCOs/AUs of multi-SCO packages as `structure`.
source "$(dirname "$0")/lib.sh"
CORPUS="${RELAIS_CORPUS:-$ROOT/../shared/corpus}"
golf="$CORPUS/scorm/SequencingForcedSequential_SCORM20043rdEdition.zip"
cp1="$CORPUS/scorm/ContentPackagingOneFilePerSCO_SCORM20043rdEdition.zip"

# --- pack: no guessing of kind or publisher ---------------------------------------------------------
expect_exit 1 "pack refuses a SCORM zip that names no publisher" "$RELAIS" bundle pack "$golf" -o "$WORK/golf.relais"
contains "…saying to give --publisher" "$ERR" "--publisher NAME"
lines="$(printf '%s\n' "$ERR" | grep -c .)"
[ "$lines" -eq 1 ] && ok "…in one line" || fail "…in one line" "$ERR"
[ ! -e "$WORK/golf.relais" ] && ok "…and writes no output" || fail "…and writes no output"
check "pack with --publisher" "$RELAIS" bundle pack "$golf" -o "$WORK/golf.relais" --publisher "Rustici Software"
contains "…a solution unless --kind training" "$out" "· solution ·"
check "pack with --kind training" "$RELAIS" bundle pack "$cp1" -o "$WORK/cp1.relais" --publisher "Rustici Software" --kind training
contains "…says training" "$out" "· training ·"

# --- inspect --json ------------------------------------------------------------------------------
check "inspect --json" "$RELAIS" bundle inspect "$WORK/golf.relais" --json
json="$out"
summary="$(printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert set(d) == {"manifest", "files", "bytes", "structure"}, sorted(d)
assert all(set(e) == {"id", "title", "launch"} for e in d["structure"])
print(d["manifest"]["publisher"], d["manifest"]["kind"], d["files"] > 0, d["bytes"] > 0, len(d["structure"]))
print(" ".join(e["id"] for e in d["structure"]))
print(d["structure"][0]["launch"], d["structure"][0]["title"])
' 2>&1)"
contains "…has manifest, files, bytes and the five SCOs" "$summary" "Rustici Software solution True True 5"
contains "…in the package's order" "$summary" "playing_item etuqiette_item handicapping_item havingfun_item assessment_item"
contains "…each launch with its query string" "$summary" "shared/launchpage.html?content=playing Playing the Game"
out="$("$RELAIS" bundle inspect "$WORK/cp1.relais" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = d["structure"]
print(len(s), s[5]["id"], s[5]["launch"])')"
contains "one file per SCO: 19 entries, the quiz with its parameters" "$out" "19 playing_quiz_item shared/assessmenttemplate.html?questions=Playing"
"$RELAIS" bundle pack "$ROOT/bundles/calcul-mental" -o "$WORK/calcul.relais" >/dev/null
out="$("$RELAIS" bundle inspect "$WORK/calcul.relais" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d["structure"]), d["structure"][0]["id"] == d["manifest"]["id"], d["structure"][0]["launch"] == d["manifest"]["entry"])')"
contains "an HTML5 bundle is one entry: the bundle itself" "$out" "1 True True"
out="$("$RELAIS" bundle inspect "$WORK/golf.relais" 2>&1)"
contains "the text output lists the structure too" "$out" "structure: 5"
contains "…and still checks the hashes" "$out" "vérifiés"
echo "# done"
