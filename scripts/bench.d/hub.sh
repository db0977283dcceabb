# shellcheck shell=bash
# `scripts/bench hub`: the hub publishing a national programme: HUB_UAIS (default 10,000) licence
# documents (one per school, valid UAIs, 1–3 abonnements each) and HUB_BUNDLES (default 20) small
# bundles, in a repository made with `--licence-bins 256`. Times `relais repo add` of the bundles,
# `relais repo add` of the 10,000 licences (one command), the first `relais repo publish`, then a
# day's change (HUB_CHANGED, default 100, licences re-added) and its publish, and a publish with
# nothing changed; prints the sizes a box fetches (timestamp, snapshot, targets, one bin) next to
# the size targets.json would have without bins. Then the same add + publish of the licences on
# the disk (HUB_DISK_DIR, default /var/tmp), where flushing to disk, not the CPU, sets the pace.
# Licences are given as their folder (`relais repo add REPO FOLDER`). Wall and CPU seconds (user +
# sys) are printed: on this shared machine the wall time swings with the other builds.
# Target: each step in seconds, not minutes.
# Needs: $RELAIS (release binary), $BENCH_TMP.
declare -F calc >/dev/null || calc() { awk "BEGIN {print $*}"; }

bench_hub() {
  local dir="$BENCH_TMP/hub" uais="${HUB_UAIS:-10000}" nbundles="${HUB_BUNDLES:-20}" changed="${HUB_CHANGED:-100}"
  rm -rf "$dir" && mkdir -p "$dir/src" "$dir/packed" "$dir/licences" "$dir/changed"
  log "hub: making $nbundles bundles and $uais licence documents"
  python3 - "$dir" "$uais" "$nbundles" "$changed" <<'PY'
import json, os, random, sys
root, uais, nbundles, changed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
rng = random.Random(11)
for b in range(nbundles):
    d = os.path.join(root, "src", f"b{b:02d}")
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "index.html"), "w").write(f"<!DOCTYPE html><title>Ressource {b}</title><p>{'exercice ' * 200}</p>")
    json.dump({"schema": 1, "id": f"fr.editeur{b % 7}.ressource{b:02d}", "version": "1.0.0", "kind": "solution",
               "title": {"fr": f"Ressource {b}"}, "description": {"fr": "Banc d'essai du hub"}, "publisher": f"Éditeur {b % 7}",
               "standard": "html5", "entry": "index.html", "levels": ["cycle3"], "subjects": ["maths"]},
              open(os.path.join(d, "bundle.json"), "w"))
def document(code, n, salt):
    picks = rng.sample(range(nbundles), rng.randint(1, 3))
    return {"uai": code, "abonnements": [
        {"idAbonnement": f"ABO-{code}-{p}{salt}", "idRessource": f"fr.editeur{p % 7}.ressource{p:02d}", "libelleRessource": f"Ressource {p}",
         "debutValidite": "2026-09-01T00:00:00Z", "finValidite": "2027-08-31T23:59:59Z", "typeAffectation": "INDIV",
         "nbLicenceEleve": rng.randint(20, 900), "nbLicenceEnseignant": rng.randint(2, 60), "publicCible": ["ELEVE", "ENSEIGNANT"]}
        for p in picks]}
codes = []
for n in range(uais):
    digits = f"{(n * 97) % 10_000_000:07d}"
    code = digits + letters[int(digits) % 23]
    codes.append(code)
    json.dump(document(code, n, ""), open(os.path.join(root, "licences", code + ".json"), "w"), ensure_ascii=False)
for code in rng.sample(codes, min(changed, len(codes))):
    json.dump(document(code, 0, "-R"), open(os.path.join(root, "changed", code + ".json"), "w"), ensure_ascii=False)
PY
  local src
  for src in "$dir"/src/*/; do "$RELAIS" bundle pack "$src" -o "$dir/packed/$(basename "$src").relais" >/dev/null; done
  "$RELAIS" repo init "$dir/repo" --keys "$dir/keys" --licence-bins 256 >/dev/null

  local t_bundles t_add t_publish t_add2 t_publish2 t_noop
  t_bundles=$(_hub_time "$RELAIS" repo add "$dir/repo" "$dir"/packed/*.relais)
  t_add=$(_hub_time "$RELAIS" repo add "$dir/repo" "$dir/licences")
  t_publish=$(_hub_time "$RELAIS" repo publish "$dir/repo" --keys "$dir/keys")
  t_add2=$(_hub_time "$RELAIS" repo add "$dir/repo" "$dir/changed")
  t_publish2=$(_hub_time "$RELAIS" repo publish "$dir/repo" --keys "$dir/keys")
  t_noop=$(_hub_time "$RELAIS" repo publish "$dir/repo" --keys "$dir/keys")
  local meta="$dir/repo/metadata" size_ts size_snap size_targets size_bin size_bins flat
  size_ts=$(stat -c %s "$meta/timestamp.json")
  size_snap=$(stat -c %s "$(ls -v "$meta"/*.snapshot.json | tail -1)")
  size_targets=$(stat -c %s "$(ls -v "$meta"/*.targets.json | tail -1)")
  size_bins=$(find "$meta" -name '1.licences-*.json' -printf '%s\n' | awk '{s += $1; n++} END {printf "%d %d", s / n, n}')
  size_bin=${size_bins% *}
  # What targets.json would weigh with every licence in it (the entries of all bins, plus top-level).
  flat=$(python3 - "$meta" <<'PY'
import glob, json, os, re, sys
meta = sys.argv[1]
latest = {}
for path in glob.glob(os.path.join(meta, "*.licences-*.json")) + glob.glob(os.path.join(meta, "*.targets.json")):
    version, role = re.match(r"(\d+)\.(.+)\.json$", os.path.basename(path)).groups()
    if int(version) > latest.get(role, (0, ""))[0]: latest[role] = (int(version), path)
targets = {}
for _, path in latest.values(): targets.update(json.load(open(path))["signed"]["targets"])
print(len(json.dumps(targets, separators=(",", ":"), sort_keys=True)))
PY
)
  printf '\nhub: %s licence documents, %s bundles, 256 licence bins (%s; tmpfs unless said)\n' "$uais" "$nbundles" "$RELAIS"
  local disk t_disk_add t_disk_publish
  disk=$(mktemp -d "${HUB_DISK_DIR:-/var/tmp}/relais-bench-hub.XXXXXX")
  "$RELAIS" repo init "$disk/repo" --keys "$disk/keys" --licence-bins 256 >/dev/null
  t_disk_add=$(_hub_time "$RELAIS" repo add "$disk/repo" "$dir/licences")
  t_disk_publish=$(_hub_time "$RELAIS" repo publish "$disk/repo" --keys "$disk/keys")
  rm -rf "$disk"
  printf '%-58s %s\n' "repo add of $nbundles bundles" "$t_bundles" \
    "repo add of $uais licences (one command)" "$t_add" \
    "first repo publish ($((uais + nbundles)) targets, 256 bins signed)" "$t_publish" \
    "repo add of $changed changed licences" "$t_add2" \
    "repo publish after that change" "$t_publish2" \
    "repo publish with nothing changed" "$t_noop" \
    "on disk: repo add of $uais licences" "$t_disk_add" \
    "on disk: first repo publish" "$t_disk_publish"
  printf 'a box fetches: timestamp %s B, snapshot %s B, targets %s B, its bin ~%s B (of %s bins); targets with every licence in it would be ~%s B\n' \
    "$size_ts" "$size_snap" "$size_targets" "$size_bin" "${size_bins#* }" "$flat"
  printf 'hub: add + first publish of %s licences: tmpfs %.2f s, disk %.2f s wall (target: seconds, not minutes)\n' "$uais" \
    "$(calc "${t_add%% *} + ${t_publish%% *}")" "$(calc "${t_disk_add%% *} + ${t_disk_publish%% *}")"
}

# _hub_time COMMAND…: runs it (output dropped, failure fatal) and prints "WALL s wall, CPU s CPU".
_hub_time() {
  local TIMEFORMAT='%R %U %S' times
  times=$( { time "$@" >/dev/null 2>"$BENCH_TMP/hub-stderr"; } 2>&1) || { echo "bench hub: $* failed: $(cat "$BENCH_TMP/hub-stderr")" >&2; return 1; }
  set -- $times
  printf '%.2f s wall, %.2f s CPU' "$1" "$(calc "$2 + $3")"
}
