#!/usr/bin/env python3
"""Crash consistency of a box (issue 11, « Keep data safe »).

Kills `relais` with SIGKILL at random moments (a seeded RNG; the seed is printed, give it back as
CRASH_SEED to replay) spread over:
  (a) `relais import --local` of a bundle that flips between two versions,
  (b) `relais sync --once` from a repository served over HTTP (python http.server) and
      `relais import REPO_FOLDER` (the USB stick path), a new version published before each run,
  (c) `relais sync --once` pushing the outbox to Ralph (tests/upstream/ralph.py).
After each kill the box is started again: `relais fsck` must be clean, the bundle must serve its
previous or its new version and never a mix (files fetched from the running `relais serve`'s
content origin must all carry the active version's tag), and at the end Ralph must hold every
statement exactly once (counted by id).

Plus the power-cut equivalent: a copy of the data folder taken with `cp -a` while an import and
a push write to it (the copy sees files at different moments, as a disk would after a cut); the
copy must open, `relais fsck` must be clean or repair it with a clear message, and nothing
half-imported may serve.

    RELAIS_BIN=.build/debug/relais python3 tests/crash/run.py     # CRASH_KILLS=100 CRASH_SEED=N
Prints TAP-style `ok` / `not ok` lines and ends with `# done`.
"""
import collections
import functools
import http.server
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "upstream"))
from tap import Tap  # noqa: E402
import boxfill  # noqa: E402
import ralph as ralph_lrs  # noqa: E402

UAI = "0750654D"
KILLS = int(os.environ.get("CRASH_KILLS", "100"))
SEED = int(os.environ.get("CRASH_SEED", str(random.SystemRandom().randrange(1 << 32))))
RNG = random.Random(SEED)
LOCAL_ID, REPO_ID = "fr.relais.crash.local", "fr.relais.crash.depot"
TAP = Tap()
check = TAP.check


def relais_bin():
    if os.environ.get("RELAIS_BIN"):
        return os.environ["RELAIS_BIN"]
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return os.path.join(path, "relais")


RELAIS = relais_bin()


def relais(*args, check_rc=None, timeout=300):
    done = subprocess.run([RELAIS, *args], capture_output=True, text=True, timeout=timeout)
    if check_rc is not None and done.returncode != check_rc:
        raise RuntimeError(f"relais {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    return done


def free_port():
    return ralph_lrs.free_port()


# --- bundles whose every file names its version ------------------------------------------------------

def make_bundle(work, bundle_id, version, files=120, big=2_000_000):
    """Packs a bundle whose every file starts with `TAG bundle_id version` (so a served file tells
    which version it belongs to); returns the .relais path and the list of its paths."""
    src = os.path.join(work, f"src-{bundle_id}-{version}")
    os.makedirs(os.path.join(src, "pages"), exist_ok=True)
    tag = f"TAG {bundle_id} {version}\n".encode()
    paths = ["index.html", "gros.bin"] + [f"pages/p{i:03d}.html" for i in range(files)]
    rng = random.Random(f"{bundle_id}{version}")
    for path in paths:
        size = big if path == "gros.bin" else 1500
        with open(os.path.join(src, path), "wb") as f:
            f.write(tag + rng.randbytes(size))
    with open(os.path.join(src, "bundle.json"), "w") as f:
        json.dump({"schema": 1, "id": bundle_id, "version": version, "kind": "training",
                   "title": {"fr": "Module de crash"}, "description": {"fr": "Tests de cohérence"},
                   "publisher": "Tests", "standard": "html5", "entry": "index.html",
                   "levels": ["cycle3"], "subjects": ["test"]}, f)
    out = os.path.join(work, f"{bundle_id}-{version}.relais")
    relais("bundle", "pack", src, "-o", out, check_rc=0)
    return out, paths


# --- what the box serves ----------------------------------------------------------------------------

def active_versions(data):
    db = sqlite3.connect(f"file:{os.path.join(data, 'relais.sqlite')}?mode=ro", uri=True, timeout=30)
    try:
        return dict(db.execute("SELECT id, activeVersion FROM bundle").fetchall())
    finally:
        db.close()


def fetch(port, bundle_id, version, path):
    url = f"http://127.0.0.1:{port}/b/{bundle_id}/{version}/{path}"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # follows the 307 to the bundle's origin
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
    except OSError as error:
        return 0, repr(error).encode()


def served_consistently(port, bundle_id, version, paths, deadline=8.0):
    """Fetches the entry, the big file and three random pages of `version`; all must be 200 and
    carry the tag of that version. The origin reloads its index about once a second after an
    activation: 404s are retried until the deadline."""
    chosen = ["index.html", "gros.bin"] + RNG.sample(paths[2:], 3)
    want = f"TAG {bundle_id} {version}\n".encode()
    end = time.time() + deadline
    while True:
        answers = {p: fetch(port, bundle_id, version, p) for p in chosen}
        if all(code == 200 for code, _ in answers.values()) or time.time() > end:
            break
        time.sleep(0.1)
    wrong = {p: (code, body[:40]) for p, (code, body) in answers.items() if code != 200 or not body.startswith(want)}
    return not wrong, wrong


def after_kill(label, data, port, bundle_id, allowed, paths_of):
    """The checks after one kill; returns the active version (None when a check failed)."""
    fsck = relais("fsck", "--data", data)
    ok = fsck.returncode == 0
    active = active_versions(data).get(bundle_id)
    ok &= active in allowed
    detail = f"fsck exit {fsck.returncode}: {fsck.stdout.strip()} {fsck.stderr.strip()}; active {active}, allowed {sorted(a for a in allowed if a)}"
    if ok and active is not None:
        whole, wrong = served_consistently(port, bundle_id, active, paths_of[active])
        ok &= whole
        detail += f"; served {wrong}"
    check(ok, label, detail)
    return active if ok else None


def killed_run(args, delay):
    """Starts `relais ARGS`, SIGKILLs it after `delay` seconds unless it ended; returns
    ('killed'|exit code, elapsed)."""
    started = time.time()
    process = subprocess.Popen([RELAIS, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        process.wait(delay)
        return process.returncode, time.time() - started, process.stderr.read().decode()[-500:]
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return "killed", time.time() - started, ""


def timed(args):
    started = time.time()
    relais(*args, check_rc=0)
    return time.time() - started


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the repository folder; bundle archives go out at about 8 MB/s (64 KiB every 8 ms),
    a slow school link, so a kill can land in the middle of a download too."""
    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        if not self.path.endswith(".relais"):
            return super().copyfile(source, outputfile)
        while True:
            chunk = source.read(65536)
            if not chunk:
                break
            outputfile.write(chunk)
            time.sleep(0.008)  # the link's pace, not a wait for a condition


class RepositoryServer(http.server.ThreadingHTTPServer):
    """The repository over HTTP; counts the downloads a kill cut (instead of printing each)."""
    cut = 0

    def handle_error(self, request, client_address):
        RepositoryServer.cut += 1


def serve_folder(folder):
    server = RepositoryServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- the scenarios ---------------------------------------------------------------------------------

def import_scenario(work, data, port, kills, outcomes):
    """(a) `relais import --local` of a new version each time (new files to write, not only to hash)."""
    paths_of = {}
    full = 0.0
    for version in ("1.0.0", "2.0.0"):
        archive, paths_of[version] = make_bundle(work, LOCAL_ID, version)
        full = max(full, timed(["import", "--data", data, "--local", archive]))
    for i in range(kills):
        before = active_versions(data).get(LOCAL_ID)
        target = f"{i + 3}.0.0"
        archive, paths_of[target] = make_bundle(work, LOCAL_ID, target)
        delay = RNG.uniform(0.0, full * 1.1)
        outcome, elapsed, err = killed_run(["import", "--data", data, "--local", archive], delay)
        os.remove(archive)
        outcomes[f"import:{outcome}"] += 1
        after_kill(f"import --local kill {i + 1}/{kills} at {delay:.3f} s ({outcome}): fsck clean, "
                   f"{LOCAL_ID} serves {before} or {target} whole", data, port, LOCAL_ID, {before, target}, paths_of)
    return full, paths_of


def make_repository(work):
    """The hub's repository with 1.0.0 of REPO_ID; returns (repo, keys, paths_of)."""
    repo, keys = os.path.join(work, "repo"), os.path.join(work, "keys")
    relais("repo", "init", repo, "--keys", keys, check_rc=0)
    paths_of = {}
    archive, paths_of["1.0.0"] = make_bundle(work, REPO_ID, "1.0.0")
    relais("repo", "add", repo, "--free", archive, check_rc=0)
    relais("repo", "publish", repo, "--keys", keys, check_rc=0)
    return repo, keys, paths_of


def repository_scenario(work, data, port, kills, outcomes, repo, keys, paths_of):
    """(b) sync over HTTP and import of the repository folder, a new version published each time."""
    http_server = serve_folder(repo)
    url = f"http://127.0.0.1:{http_server.server_address[1]}"
    relais("config", "--data", data, "set", "repository.url", url, check_rc=0)
    full = timed(["sync", "--data", data, "--once"])
    try:
        for i in range(kills):
            before = active_versions(data).get(REPO_ID)
            version = f"{i + 2}.0.0"
            archive, paths_of[version] = make_bundle(work, REPO_ID, version)
            relais("repo", "add", repo, "--free", archive, check_rc=0)
            relais("repo", "publish", repo, "--keys", keys, check_rc=0)
            os.remove(archive)
            by_folder = i % 2 == 1
            args = ["import", "--data", data, repo] if by_folder else ["sync", "--data", data, "--once"]
            delay = RNG.uniform(0.0, full * 1.3)
            outcome, elapsed, err = killed_run(args, delay)
            outcomes[f"{'folder' if by_folder else 'sync'}:{outcome}"] += 1
            after_kill(f"{'import REPO' if by_folder else 'sync --once (HTTP)'} kill {i + 1}/{kills} at {delay:.3f} s ({outcome}): "
                       f"fsck clean, {REPO_ID} serves {before} or {version} whole", data, port, REPO_ID, {before, version}, paths_of)
        # A last sync with no kill ends on the newest version.
        relais("sync", "--data", data, "--once", check_rc=0)
        newest = f"{kills + 1}.0.0"
        whole, wrong = served_consistently(port, REPO_ID, newest, paths_of[newest])
        check(active_versions(data).get(REPO_ID) == newest and whole, f"a last sync without kill serves {newest} whole", str(wrong))
    finally:
        http_server.shutdown()
    return full


def push_scenario(work, kills, outcomes):
    """(c) the upstream push to Ralph, killed; then every statement upstream exactly once."""
    ralph = ralph_lrs.Ralph(os.path.join(work, "ralph")).start()
    try:
        box = os.path.join(work, "push-box")
        relais("init", "--data", box, "--uai", UAI, "--name", "Crash", check_rc=0)
        for key, value in [("upstream.lrs.url", ralph.endpoint), ("upstream.lrs.username", ralph_lrs.USER),
                           ("upstream.lrs.password", ralph_lrs.PASSWORD), ("upstream.batchSize", "50")]:
            relais("config", "--data", box, "set", key, value, check_rc=0)
        ids = []
        ids += boxfill.fill(box, 600, seed=SEED)
        full = timed(["sync", "--data", box, "--once"])
        refills = 1
        for i in range(kills):
            if boxfill.outbox(box)[0] < 100:
                refills += 1
                ids += boxfill.fill(box, 600, seed=SEED + refills)
            delay = RNG.uniform(0.0, full * 0.8)
            outcome, elapsed, err = killed_run(["sync", "--data", box, "--once"], delay)
            outcomes[f"push:{outcome}"] += 1
            fsck = relais("fsck", "--data", box)
            check(fsck.returncode == 0, f"push kill {i + 1}/{kills} at {delay:.3f} s ({outcome}): fsck clean, outbox {boxfill.outbox(box)}",
                  fsck.stdout + fsck.stderr + err)
        runs = 0
        while boxfill.outbox(box)[0] > 0 and runs < 50:
            runs += 1
            relais("sync", "--data", box, "--once")
        pending, quarantined = boxfill.outbox(box)
        check(pending == 0 and quarantined == 0, f"the outbox empties after the kills ({runs} more runs)", f"{pending} pending, {quarantined} quarantined")
        counts = collections.Counter(s.get("id") for s in ralph.stored())
        twice = [i for i, n in counts.items() if n > 1]
        missing = set(ids) - set(counts)
        check(len(set(ids)) == len(ids), f"{len(ids)} distinct statements were recorded by the box")
        check(not twice, "Ralph holds no statement twice", f"{len(twice)} duplicated, e.g. {twice[:3]}")
        check(not missing and len(counts) == len(ids), f"Ralph holds every one of the {len(ids)} statements",
              f"{len(missing)} missing, {len(counts)} distinct stored")
        return full, box, ralph, ids
    except Exception:
        ralph.stop()
        raise


def power_cut(work, label, data, args, delay, check_bundle=None):
    """Copies the data folder with `cp -a` while `relais ARGS` writes, then kills the writer; the
    copy must open and fsck clean (or say what it repaired), with nothing half-imported."""
    copy = os.path.join(work, f"copie-{label}")
    process = subprocess.Popen([RELAIS, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)  # the moment of the cut, drawn from the seeded RNG
    subprocess.run(["cp", "-a", data, copy], check=False)
    process.send_signal(signal.SIGKILL)
    process.wait()
    fsck = relais("fsck", "--data", copy)
    status = relais("status", "--data", copy, "--json")
    opened = status.returncode == 0
    text = (fsck.stdout + fsck.stderr).strip()
    check(opened, f"power cut ({label}, copy at {delay:.3f} s): the copy opens (relais status)", status.stderr)
    check(fsck.returncode == 0 or (fsck.returncode == 1 and ("relais sync" in text or "relais import" in text)),
          f"power cut ({label}): fsck is clean or repairs with a clear message", text)
    if fsck.returncode == 1:
        again = relais("fsck", "--data", copy)
        print(f"# power cut ({label}): fsck repaired: {text[:300]}", flush=True)
        check(again.returncode in (0, 1), f"power cut ({label}): a second fsck runs", again.stderr)
    if check_bundle and opened:
        bundle_id, allowed, paths_of = check_bundle
        db = sqlite3.connect(f"file:{os.path.join(copy, 'relais.sqlite')}?mode=ro", uri=True)
        rows = db.execute("SELECT v.version, COUNT(f.path) FROM bundle b JOIN bundleVersion v ON v.bundleId = b.id "
                          "AND v.version = b.activeVersion LEFT JOIN bundleFile f ON f.bundleId = v.bundleId AND f.version = v.version "
                          "WHERE b.id = ? GROUP BY v.version", (bundle_id,)).fetchall()
        db.close()
        ok = len(rows) == 1 and rows[0][0] in allowed and rows[0][1] >= len(paths_of[rows[0][0]])
        if ok:  # every file of the active version is stored whole (fsck re-hashed them)
            ok = fsck.returncode == 0
        check(ok, f"power cut ({label}): the copy's active version is a whole one ({rows})")
    shutil.rmtree(copy, ignore_errors=True)


def main():
    print(f"# seed {SEED} (replay with CRASH_SEED={SEED}), {KILLS} kills", flush=True)
    if not check(os.access(RELAIS, os.X_OK), f"relais binary at {RELAIS}"):
        print("# done")
        return 1
    ralph_lrs.ensure_installed()
    work = tempfile.mkdtemp(prefix="relais-crash-")
    data = os.path.join(work, "box")
    repo, keys, repo_paths = make_repository(work)
    relais("init", "--data", data, "--uai", UAI, "--name", "Crash", "--trust", os.path.join(repo, "metadata", "1.root.json"), check_rc=0)
    relais("config", "--data", data, "set", "serve.bundlePorts", "0", check_rc=0)
    port, content = free_port(), free_port()
    server = subprocess.Popen([RELAIS, "serve", "--data", data, "--host", "127.0.0.1", "--port", str(port),
                               "--content-port", str(content)], stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "serve.log"), "w"))
    started = time.time()
    outcomes = collections.Counter()
    ralph = None
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        n_import = KILLS - 2 * (KILLS // 3)
        t_import, local_paths = import_scenario(work, data, content, n_import, outcomes)
        t_sync = repository_scenario(work, data, content, KILLS // 3, outcomes, repo, keys, repo_paths)
        t_push, push_box, ralph, ids = push_scenario(work, KILLS // 3, outcomes)
        print(f"# one full run: import {t_import:.2f} s, sync {t_sync:.2f} s, push {t_push:.2f} s", flush=True)

        # The power cut: copies taken mid-import and mid-push.
        current = active_versions(data).get(LOCAL_ID)
        archive, local_paths["99.0.0"] = make_bundle(work, LOCAL_ID, "99.0.0")
        power_cut(work, "import", data, ["import", "--data", data, "--local", archive],
                  RNG.uniform(0.05, t_import), check_bundle=(LOCAL_ID, {current, "99.0.0"}, local_paths))
        boxfill.fill(push_box, 600, seed=SEED + 1000)
        power_cut(work, "push", push_box, ["sync", "--data", push_box, "--once"], RNG.uniform(0.05, t_push))
        print(f"# outcomes {dict(outcomes)}; {RepositoryServer.cut} repository downloads cut by a kill; "
              f"{time.time() - started:.0f} s in all", flush=True)
        killed = sum(n for k, n in outcomes.items() if k.endswith(":killed"))
        check(killed >= KILLS // 2, f"most runs were killed mid-way ({killed} of {KILLS}; the others ended before their moment)")
    except Exception as error:
        check(False, "crash scenarios ran to the end", repr(error))
    finally:
        server.terminate()
        server.wait(30)
        if ralph:
            ralph.stop()
        if TAP.failures == 0 and not os.environ.get("CRASH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"# kept {work}")
    print("# done", flush=True)
    return 1 if TAP.failures else 0


if __name__ == "__main__":
    sys.exit(main())
