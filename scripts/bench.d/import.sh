# shellcheck shell=bash
# `scripts/bench import`: relais import vs `bsdtar -xf` of the same ~200 MB archive of mixed files,
# both on tmpfs, alternating rounds. relais also hashes every file (SHA-256), deduplicates and
# records the version in SQLite; the target is ≥ 0.8× bsdtar's MB/s.
# Needs: $RELAIS (release binary), $BENCH_TMP (a folder on tmpfs), ROUNDS (default 3).

calc() { awk "BEGIN {print $*}"; }

bench_import() {
  command -v bsdtar >/dev/null || apt_ensure libarchive-tools
  local dir="$BENCH_TMP/import" rounds="${ROUNDS:-3}"
  rm -rf "$dir" && mkdir -p "$dir/src"
  log "import: making a ~200 MB bundle of mixed files"
  python3 - "$dir/src" <<'PY'
import json, os, random, sys
root = sys.argv[1]
rng = random.Random(42)
words = "le la les un une des élève classe calcul lecture fraction nombre école maître cahier".split()
def text(n):
    out = []
    size = 0
    while size < n:
        w = rng.choice(words)
        out.append(w); size += len(w) + 1
    return (" ".join(out))[:n].encode()
total = 0
# 3,000 small text/code files (1–32 KiB), 180 image-like (64 KiB–1 MiB random), 5 videos (12 MiB)
for i in range(3000):
    p = os.path.join(root, "pages", f"d{i % 40}", f"p{i}.html"); os.makedirs(os.path.dirname(p), exist_ok=True)
    data = text(rng.randint(1024, 32768)); open(p, "wb").write(data); total += len(data)
for i in range(180):
    p = os.path.join(root, "img", f"i{i}.jpg"); os.makedirs(os.path.dirname(p), exist_ok=True)
    data = rng.randbytes(rng.randint(65536, 1 << 20)); open(p, "wb").write(data); total += len(data)
for i in range(5):
    p = os.path.join(root, "video", f"v{i}.mp4"); os.makedirs(os.path.dirname(p), exist_ok=True)
    data = rng.randbytes(12 << 20); open(p, "wb").write(data); total += len(data)
open(os.path.join(root, "index.html"), "w").write("<!DOCTYPE html><title>bench</title>")
json.dump({"schema": 1, "id": "fr.relais.bench.import", "version": "1.0.0", "kind": "solution",
           "title": {"fr": "Banc d'essai"}, "description": {"fr": "Import"}, "publisher": "bench",
           "standard": "html5", "entry": "index.html", "levels": [], "subjects": []},
          open(os.path.join(root, "bundle.json"), "w"))
print(total)
PY
  "$RELAIS" bundle pack "$dir/src" -o "$dir/bundle.relais" >/dev/null
  # The same entries as a plain tar, to also measure without gzip in the way.
  mkdir -p "$dir/x" && bsdtar -xf "$dir/bundle.relais" -C "$dir/x"
  (cd "$dir/x" && bsdtar -cf "$dir/bundle.tar" bundle.json SHA256SUMS $(ls | grep -v -e '^bundle.json$' -e '^SHA256SUMS$'))
  rm -rf "$dir/x" "$dir/src"
  local bytes
  bytes=$(bsdtar -tvf "$dir/bundle.tar" | awk '{s += $5} END {print s}')
  printf '\nimport: %s MB of content in %s entries; tar.gz %s MB\n' "$((bytes / 1000000))" \
    "$(bsdtar -tf "$dir/bundle.tar" | wc -l)" "$(($(stat -c %s "$dir/bundle.relais") / 1000000))"
  printf '%-8s %-7s %10s %10s\n' archive round bsdtar relais
  local kind archive r t0 t1 tb tr
  for kind in tar tar.gz; do
    [ "$kind" = tar ] && archive="$dir/bundle.tar" || archive="$dir/bundle.relais"
    local bs=() rs=()
    for r in $(seq 1 "$rounds"); do
      rm -rf "$dir/out" && mkdir -p "$dir/out"
      t0=$(date +%s.%N); bsdtar -xf "$archive" -C "$dir/out"; t1=$(date +%s.%N)
      tb=$(calc "$t1 - $t0")
      rm -rf "$dir/out" "$dir/data"
      "$RELAIS" init --data "$dir/data" --uai 0750654D >/dev/null
      t0=$(date +%s.%N); "$RELAIS" import --data "$dir/data" --local "$archive" >/dev/null; t1=$(date +%s.%N)
      tr=$(calc "$t1 - $t0")
      bs+=("$tb"); rs+=("$tr")
      printf '%-8s %-7s %9.0f %9.0f  MB/s\n' "$kind" "$r" "$(calc "$bytes / $tb / 1000000")" "$(calc "$bytes / $tr / 1000000")"
    done
    local mb mr
    mb=$(printf '%s\n' "${bs[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    mr=$(printf '%s\n' "${rs[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-8s median  %9.0f %9.0f  MB/s   relais/bsdtar = %.2f× (target ≥ 0.8×)\n' "$kind" \
      "$(calc "$bytes / $mb / 1000000")" "$(calc "$bytes / $mr / 1000000")" "$(calc "$mb / $mr")"
  done
  # A second import of the same content stores nothing new: deduplication at work.
  "$RELAIS" status --data "$dir/data" | tail -2
  rm -rf "$dir"
}
