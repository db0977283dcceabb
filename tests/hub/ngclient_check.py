#!/usr/bin/env python3
"""Cross-check the hub against an independent TUF client: python-tuf's ngclient.

Builds a repository with `relais repo init/add/publish` in a temporary folder, serves it with
python's http.server on 127.0.0.1, and has `tuf.ngclient.Updater` refresh and download a bundle
and a licence document (bytes compared with the files added). Then rotates the root and the
timestamp keys, publishes again, and refreshes with the same client metadata folder: the
client must follow the root rotation chain (N.root.json) and accept the new timestamp key.
Last, a repository made with `relais repo init --licence-bins 8` holding the licences of many
schools: ngclient must find and download a licence through the succinct hash-bin delegation,
fetching only that licence's bin, and `relais repo verify` must pass. And a repository made
without bins, its licences added as a folder, moved to 8 bins by `relais repo bins`: the client
that trusted the old layout must follow the delegation, fetching one bin.

Usage: RELAIS_BIN=.build/debug/relais python3 tests/hub/ngclient_check.py
Prints TAP-like lines `ok N - …` / `not ok N - …`, then `# done`; exits 1 if any check failed.
"""

import functools
import json
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading

from tuf.ngclient import Updater

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RELAIS = os.environ.get("RELAIS_BIN", os.path.join(ROOT, ".build", "debug", "relais"))
BUNDLE_SOURCE = os.path.join(ROOT, "bundles", "calcul-mental")
LICENCE = os.path.join(ROOT, "seeds", "licences", "0189990L.json")

results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    line = f"{'ok' if condition else 'not ok'} {len(results)} - {name}"
    print(line + (f" # {detail}" if detail and not condition else ""), flush=True)
    return condition


def relais(*args):
    done = subprocess.run([RELAIS, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"relais {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def serve(folder):
    """A static HTTP server for `folder` on a free port of 127.0.0.1, in a thread."""
    handler = functools.partial(QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        requested = getattr(self.server, "requested", None)
        if requested is not None:
            requested.append(self.path)
        super().do_GET()


def uai(n):
    """A UAI with a valid check letter (seven digits, letter = "ABCDEFGHJKLMNPRSTUVWXYZ"[n % 23])."""
    digits = f"06{n:05d}"
    return digits + "ABCDEFGHJKLMNPRSTUVWXYZ"[int(digits) % 23]


def check_bins(work):
    """`relais repo init --licence-bins 8`: ngclient downloads a licence through the hash bins."""
    repo, keys = os.path.join(work, "bins-repo"), os.path.join(work, "bins-keys")
    relais("repo", "init", repo, "--keys", keys, "--licence-bins", "8")
    others = []
    for n in range(30):
        path = os.path.join(work, f"{uai(n)}.json")
        with open(path, "w") as f:
            f.write('{"uai": "%s", "abonnements": []}' % uai(n))
        others.append(path)
    relais("repo", "add", repo, LICENCE, *others)
    relais("repo", "publish", repo, "--keys", keys)
    bins = sorted(n for n in os.listdir(os.path.join(repo, "metadata")) if ".licences-" in n)
    check("publish with --licence-bins 8 wrote 8 bins", bins == [f"1.licences-{i}.json" for i in range(8)], repr(bins))
    verified = subprocess.run([RELAIS, "repo", "verify", repo, "--trust", os.path.join(repo, "metadata", "1.root.json")],
                              capture_output=True, text=True)
    check("relais repo verify passes on the repository with bins", verified.returncode == 0 and "31 target(s)" in verified.stdout,
          verified.stdout + verified.stderr)

    server = serve(repo)
    server.requested = []
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        client_metadata, target_dir = os.path.join(work, "bins-client"), os.path.join(work, "bins-downloads")
        os.makedirs(client_metadata)
        os.makedirs(target_dir)
        shutil.copy(os.path.join(repo, "metadata", "1.root.json"), os.path.join(client_metadata, "root.json"))
        updater = Updater(metadata_dir=client_metadata, metadata_base_url=f"{base}/metadata/",
                          target_base_url=f"{base}/targets/", target_dir=target_dir, bootstrap=None)
        updater.refresh()
        check("ngclient refreshes the repository with bins", True)
        licence_path = "licences/0189990L.json"
        download(updater, licence_path, read(LICENCE), target_dir, "hash bins")
        fetched = [p for p in server.requested if ".licences-" in p]
        check("ngclient fetched one bin for one licence", len(fetched) == 1, repr(fetched))
        info = updater.get_targetinfo("licences/0000000X.json")
        check("a licence the bins do not list is not found", info is None)
    except Exception as error:  # noqa: BLE001
        check("ngclient reads the repository with bins", False, repr(error))
    finally:
        server.shutdown()


def check_bins_later(work):
    """`relais repo bins`: a repository made without bins moves its licences into bins; a client
    that trusted the old layout (ngclient, its metadata kept) follows the delegation afterwards."""
    repo, keys = os.path.join(work, "later-repo"), os.path.join(work, "later-keys")
    export = os.path.join(work, "later-export")
    os.makedirs(export)
    relais("repo", "init", repo, "--keys", keys)
    shutil.copy(LICENCE, export)
    for n in range(30):
        with open(os.path.join(export, f"{uai(n)}.json"), "w") as f:
            f.write('{"uai": "%s", "abonnements": []}' % uai(n))
    relais("repo", "add", repo, export)  # the folder stands for its 31 licence documents
    relais("repo", "publish", repo, "--keys", keys)
    server = serve(repo)
    server.requested = []
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        client_metadata, target_dir = os.path.join(work, "later-client"), os.path.join(work, "later-downloads")
        os.makedirs(client_metadata)
        os.makedirs(target_dir)
        shutil.copy(os.path.join(repo, "metadata", "1.root.json"), os.path.join(client_metadata, "root.json"))

        def updater():
            return Updater(metadata_dir=client_metadata, metadata_base_url=f"{base}/metadata/",
                           target_base_url=f"{base}/targets/", target_dir=target_dir, bootstrap=None)

        before = updater()
        before.refresh()
        download(before, "licences/0189990L.json", read(LICENCE), target_dir, "before relais repo bins")
        relais("repo", "bins", repo, "--keys", keys, "--count", "8")
        relais("repo", "publish", repo, "--keys", keys)
        with open(os.path.join(repo, "metadata", "2.targets.json")) as f:
            listed = json.load(f)["signed"]["targets"]
        check("after relais repo bins, targets.json lists no licence", not [p for p in listed if p.startswith("licences/")], repr(list(listed)))
        server.requested.clear()
        after = updater()
        after.refresh()
        os.remove(os.path.join(target_dir, "0189990L.json"))
        download(after, "licences/0189990L.json", read(LICENCE), target_dir, "after relais repo bins")
        fetched = [p for p in server.requested if ".licences-" in p]
        check("the client that trusted the old layout fetched one bin", len(fetched) == 1, repr(fetched))
    except Exception as error:  # noqa: BLE001
        check("ngclient follows a repository moved to bins", False, repr(error))
    finally:
        server.shutdown()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def download(updater, target_path, expected, target_dir, label):
    info = updater.get_targetinfo(target_path)
    if not check(f"{label}: {target_path} is listed in targets metadata", info is not None):
        return
    path = updater.download_target(info, os.path.join(target_dir, os.path.basename(target_path)))
    check(f"{label}: {target_path} downloads with the bytes that were added", read(path) == expected)


def main():
    work = tempfile.mkdtemp(prefix="relais-ngclient-")
    server = None
    try:
        repo, keys = os.path.join(work, "repo"), os.path.join(work, "keys")
        bundle = os.path.join(work, "calcul-mental.relais")
        relais("bundle", "pack", BUNDLE_SOURCE, "-o", bundle)
        relais("repo", "init", repo, "--keys", keys, "--threshold", "root=2", "--key-count", "root=3")
        relais("repo", "add", repo, bundle, LICENCE)
        relais("repo", "publish", repo, "--keys", keys)
        check("relais repo init/add/publish built a repository", os.path.exists(os.path.join(repo, "metadata", "timestamp.json")))

        server = serve(repo)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        client_metadata = os.path.join(work, "client-metadata")
        target_dir = os.path.join(work, "downloads")
        os.makedirs(client_metadata)
        os.makedirs(target_dir)
        # The trusted root the client starts from, as a box gets it out of band (bootstrap=None
        # below makes ngclient read it from its metadata folder).
        shutil.copy(os.path.join(repo, "metadata", "1.root.json"), os.path.join(client_metadata, "root.json"))

        def updater():
            return Updater(
                metadata_dir=client_metadata, metadata_base_url=f"{base}/metadata/",
                target_base_url=f"{base}/targets/", target_dir=target_dir, bootstrap=None)

        bundle_path = "bundles/fr.relais.demo.calcul-mental/1.0.0.relais"
        licence_path = "licences/0189990L.json"
        try:
            first = updater()
            first.refresh()
            check("ngclient refreshes the published repository", True)
            info = first.get_targetinfo(bundle_path)
            custom = (info.unrecognized_fields.get("custom") if info else None) or {}
            check("bundle target carries id, version, kind, title, standard, licenceRequired",
                  custom.get("id") == "fr.relais.demo.calcul-mental" and custom.get("version") == "1.0.0"
                  and custom.get("kind") == "solution" and "fr" in custom.get("title", {})
                  and custom.get("standard") == "html5" and custom.get("licenceRequired") is True, repr(custom))
            download(first, bundle_path, read(bundle), target_dir, "first publish")
            download(first, licence_path, read(LICENCE), target_dir, "first publish")
        except Exception as error:  # noqa: BLE001 - every failure is reported as a TAP line
            check("ngclient refreshes the published repository", False, repr(error))

        relais("repo", "rotate", repo, "root", "--keys", keys)
        relais("repo", "rotate", repo, "timestamp", "--keys", keys)
        relais("repo", "publish", repo, "--keys", keys)
        check("rotations kept every root version", all(
            os.path.exists(os.path.join(repo, "metadata", f"{n}.root.json")) for n in (1, 2, 3)))
        try:
            second = updater()
            second.refresh()
            with open(os.path.join(client_metadata, "root.json"), "rb") as f:
                trusted = f.read()
            check("ngclient follows the root rotation to version 3", trusted == read(os.path.join(repo, "metadata", "3.root.json")))
            for name in os.listdir(target_dir):
                os.remove(os.path.join(target_dir, name))
            download(second, bundle_path, read(bundle), target_dir, "after rotation")
            download(second, licence_path, read(LICENCE), target_dir, "after rotation")
        except Exception as error:  # noqa: BLE001
            check("ngclient refreshes after root and timestamp rotation", False, repr(error))
        check_bins(work)
        check_bins_later(work)
    except Exception as error:  # noqa: BLE001
        check("the repository could be built", False, repr(error))
    finally:
        if server:
            server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    print("# done")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
