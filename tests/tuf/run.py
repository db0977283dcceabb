#!/usr/bin/env python3
"""Black-box TUF client tests: repositories built with python-tuf's Metadata API, served over HTTP,
checked against a client speaking the tuf-conformance client-under-test CLI (`relais tuf`).

  python3 tests/tuf/run.py                       # client: $RELAIS_BIN tuf, else python_client.py
  python3 tests/tuf/run.py --client "CMD ARGS"   # any client-under-test command line
  python3 tests/tuf/run.py -k rollback           # only the cases whose description contains "rollback"

Every case builds its own repository (consistent snapshots, ed25519 keys) in a temporary folder:
metadata/ with N.root.json, N.snapshot.json, N.targets.json and timestamp.json, targets/ with
HASH.name files; a case with delegations adds VERSION.QUOTED.json per delegated role (QUOTED: the
role name as python's urllib.parse.quote(name, safe="") writes it). A threaded HTTP server on
127.0.0.1 (free port), started here, serves it and records the paths it was asked for. The client gets a fresh metadata dir, `init` with the repository's root
v1, then refresh/download; the case checks the exit code (0 accepted, exactly 1 refused), the
client's metadata dir (version of root.json etc.; refused metadata must not be written there), the
target dir and, where it matters, the requests made.

Run without --client and without RELAIS_BIN, the cases check python-tuf's own ngclient
(python_client.py): every case is first validated that way. The official tuf-conformance suite is
not on PyPI (`pip index versions tuf-conformance` finds nothing), so it cannot run here.

Prints "ok N - …" / "not ok N - … (why)" per case and "# done" last; exits 1 if any case failed.
Needs only python-tuf (`pip install tuf`, which brings securesystemslib).
"""
import argparse
import hashlib
import http.server
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from datetime import datetime, timedelta, timezone

from securesystemslib.formats import encode_canonical
from securesystemslib.signer import CryptoSigner, SSlibKey
from urllib.parse import quote

from tuf.api.metadata import (DelegatedRole, Delegations, MetaFile, Metadata, Root, Snapshot, SuccinctRoles, TargetFile,
                              Targets, Timestamp)
from tuf.api.serialization.json import JSONSerializer

HERE = os.path.dirname(os.path.abspath(__file__))
ROLES = ("root", "timestamp", "snapshot", "targets")
TARGET = "bundles/demo/1.relais"
TARGET_DATA = b"PK\x03\x04 relais demo bundle " + bytes(range(256)) * 16
CLIENT_TIMEOUT = 30


def now():
    return datetime.now(timezone.utc).replace(microsecond=0)


def in_days(days):
    return now() + timedelta(days=days)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def new_signer(extra_fields=None):
    """An ed25519 signer; with `extra_fields`, its public key carries them (as tuf-on-ci's keys do)
    and its keyid is the SHA-256 of the whole key object in canonical JSON (TUF 1.0 §4.2)."""
    signer = CryptoSigner.generate_ed25519()
    if not extra_fields:
        return signer
    plain = signer.public_key
    draft = SSlibKey("", plain.keytype, plain.scheme, plain.keyval, dict(extra_fields))
    keyid = hashlib.sha256(encode_canonical(draft.to_dict()).encode()).hexdigest()
    return CryptoSigner(signer._private_key, SSlibKey(keyid, plain.keytype, plain.scheme, plain.keyval, dict(extra_fields)))


class Failure(Exception):
    pass


def check(condition, why):
    if not condition:
        raise Failure(why)


# --- repository -------------------------------------------------------------------------------------

class Repo:
    """A TUF repository on disk, built with the Metadata API. Cases mutate the `signed` parts of
    self.root / self.timestamp / self.snapshot / self.targets and call the write_* methods."""

    def __init__(self, base, keys=None, thresholds=None, root_expires=None, snapshot_hashes=True, extra_key_fields=False):
        keys = keys or {}
        thresholds = thresholds or {}
        self.base = base
        self.metadata_dir = os.path.join(base, "metadata")
        self.targets_dir = os.path.join(base, "targets")
        os.makedirs(self.metadata_dir)
        os.makedirs(self.targets_dir)
        # timestamp meta carries the snapshot's length and sha256 unless snapshot_hashes is False
        self.snapshot_hashes = snapshot_hashes
        def extra(role):
            return {"keyid_hash_algorithms": ["sha256", "sha512"], "x-tuf-on-ci-keyowner": f"@{role}"} if extra_key_fields else None
        self.signers = {role: [new_signer(extra(role)) for _ in range(keys.get(role, 1))] for role in ROLES}

        root = Root(expires=root_expires or in_days(365), consistent_snapshot=True)
        for role in ROLES:
            for signer in self.signers[role]:
                root.add_key(signer.public_key, role)
            root.roles[role].threshold = thresholds.get(role, 1)
        self.root = Metadata(root)
        self.targets = Metadata(Targets(expires=in_days(90)))
        self.snapshot = Metadata(Snapshot(expires=in_days(30)))
        self.timestamp = Metadata(Timestamp(expires=in_days(7)))
        # delegated roles: name -> Metadata(Targets), and their signers
        self.delegated = {}
        self.delegated_signers = {}
        self.root_v1 = self.write_root()

    # signing and writing

    @staticmethod
    def signed_bytes(md, signers):
        md.signatures.clear()
        for signer in signers:
            md.sign(signer, append=True)
        return md.to_bytes(JSONSerializer(compact=False))

    def put(self, name, data):
        with open(os.path.join(self.metadata_dir, name), "wb") as f:
            f.write(data)
        return data

    def read(self, name):
        with open(os.path.join(self.metadata_dir, name), "rb") as f:
            return f.read()

    def remove(self, name):
        os.remove(os.path.join(self.metadata_dir, name))

    def write_root(self, signers=None, filename=None):
        data = self.signed_bytes(self.root, signers if signers is not None else self.signers["root"])
        return self.put(filename or f"{self.root.signed.version}.root.json", data)

    def write_targets(self, signers=None, filename=None):
        data = self.signed_bytes(self.targets, signers if signers is not None else self.signers["targets"])
        return self.put(filename or f"{self.targets.signed.version}.targets.json", data)

    def write_snapshot(self, signers=None, filename=None):
        data = self.signed_bytes(self.snapshot, signers if signers is not None else self.signers["snapshot"])
        return self.put(filename or f"{self.snapshot.signed.version}.snapshot.json", data)

    def snapshot_meta_for(self, snapshot_bytes):
        if not self.snapshot_hashes:
            return MetaFile(version=self.snapshot.signed.version)
        return MetaFile(version=self.snapshot.signed.version, length=len(snapshot_bytes),
                        hashes={"sha256": sha256(snapshot_bytes)})

    def write_timestamp(self, signers=None):
        data = self.signed_bytes(self.timestamp, signers if signers is not None else self.signers["timestamp"])
        return self.put("timestamp.json", data)

    def write_snapshot_and_timestamp(self, snapshot_signers=None, timestamp_signers=None):
        """Writes the snapshot as it stands, and a timestamp naming it (version, length, hash)."""
        snapshot_bytes = self.write_snapshot(snapshot_signers)
        self.timestamp.signed.snapshot_meta = self.snapshot_meta_for(snapshot_bytes)
        self.write_timestamp(timestamp_signers)
        return snapshot_bytes

    def publish(self):
        """Writes every delegated role, targets, a snapshot naming their versions, and a timestamp
        naming the snapshot."""
        for name in self.delegated:
            self.write_role(name)
            self.snapshot.signed.meta[f"{name}.json"] = MetaFile(version=self.delegated[name].signed.version)
        self.write_targets()
        self.snapshot.signed.meta["targets.json"] = MetaFile(version=self.targets.signed.version)
        self.write_snapshot_and_timestamp()

    # delegations

    def role(self, name):
        """The Metadata of targets role `name` ("targets" or a delegated one)."""
        return self.targets if name == "targets" else self.delegated[name]

    def delegate(self, parent, name, paths=None, prefixes=None, terminating=False, keys=1, threshold=1):
        """`parent` delegates to a new role `name` (paths or path_hash_prefixes), with its own keys."""
        delegator = self.role(parent).signed
        if delegator.delegations is None:
            delegator.delegations = Delegations(keys={}, roles={})
        if paths is None and prefixes is None:
            paths = ["*"]
        delegator.delegations.roles[name] = DelegatedRole(name, [], threshold, terminating, paths, prefixes)
        if name not in self.delegated:
            self.delegated[name] = Metadata(Targets(expires=in_days(90)))
            self.delegated_signers[name] = [new_signer() for _ in range(keys)]
        for signer in self.delegated_signers[name]:
            delegator.add_key(signer.public_key, name)

    def delegate_bins(self, parent, bit_length, prefix="bins"):
        """`parent` delegates every target to 2**bit_length succinct hash bins signed by one key."""
        signer = new_signer()
        bins = SuccinctRoles([], 1, bit_length, prefix)
        self.role(parent).signed.delegations = Delegations(keys={}, succinct_roles=bins)
        self.role(parent).signed.add_key(signer.public_key)
        for name in bins.get_roles():
            self.delegated[name] = Metadata(Targets(expires=in_days(90)))
            self.delegated_signers[name] = [signer]
        return bins

    def write_role(self, name, signers=None, version=None):
        """Writes delegated role `name` as VERSION.QUOTED.json (python-tuf's URL quoting of the name)."""
        data = self.signed_bytes(self.delegated[name], signers if signers is not None else self.delegated_signers[name])
        return self.put(f"{version or self.delegated[name].signed.version}.{quote(name, safe='')}.json", data)

    def bump(self, *roles):
        for role in roles:
            getattr(self, role).signed.version += 1

    # targets

    def add_target(self, name, data, served=None, role="targets"):
        """Lists `name` in `role` with data's length and sha256; serves `served` (default: data) at
        the consistent-snapshot path targets/DIR/HASH.BASENAME."""
        info = TargetFile.from_data(name, data, ["sha256"])
        self.role(role).signed.targets[name] = info
        dirname, _, basename = name.rpartition("/")
        path = os.path.join(self.targets_dir, dirname, f"{info.hashes['sha256']}.{basename}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if served is None else served)

    # keys

    def rotate_keys(self, role):
        for signer in self.signers[role]:
            self.root.signed.revoke_key(signer.public_key.keyid, role)
        self.signers[role] = [new_signer() for _ in self.signers[role]]
        for signer in self.signers[role]:
            self.root.signed.add_key(signer.public_key, role)

    def new_root(self, rotate=(), expires=None, sign_old=True, sign_new=True, version=None, filename=None):
        """Writes the next root version: rotates the keys of the roles in `rotate`, signs with the
        previous root's keys and/or the new root's keys."""
        old = list(self.signers["root"])
        self.root.signed.version = version or self.root.signed.version + 1
        for role in rotate:
            self.rotate_keys(role)
        if expires is not None:
            self.root.signed.expires = expires
        signers, seen = [], set()
        for signer in (old if sign_old else []) + (self.signers["root"] if sign_new else []):
            if signer.public_key.keyid not in seen:
                seen.add(signer.public_key.keyid)
                signers.append(signer)
        return self.write_root(signers, filename)


def standard_repo(t, **options):
    """A valid repository: root v1, targets v1 listing TARGET, snapshot v1, timestamp v1."""
    repo = t.new_repo(**options)
    repo.add_target(TARGET, TARGET_DATA)
    repo.publish()
    return repo


# --- HTTP server ------------------------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "relais-tuf-test"

    def do_GET(self):
        self.serve(True)

    def do_HEAD(self):
        self.serve(False)

    def serve(self, with_body):
        server = self.server
        path = self.path.split("?", 1)[0]
        with server.lock:
            server.requests.append(path)
            docroot = server.docroot
        full = os.path.realpath(os.path.join(docroot or "/nonexistent", path.lstrip("/")))
        if docroot is None or not full.startswith(os.path.realpath(docroot) + os.sep) or not os.path.isfile(full):
            self.send_error(404)
            return
        with open(full, "rb") as f:
            data = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.requests = []
        self.docroot = None
        self.url = f"http://127.0.0.1:{self.server_address[1]}"

    def take_requests(self):
        with self.lock:
            taken, self.requests = self.requests, []
        return taken


# --- one case ---------------------------------------------------------------------------------------

class Case:
    def __init__(self, server, client, workdir):
        self.server = server
        self.client = client
        self.dir = workdir
        self.metadata_dir = os.path.join(workdir, "client-metadata")
        self.target_dir = os.path.join(workdir, "client-targets")
        os.makedirs(self.metadata_dir)
        os.makedirs(self.target_dir)
        self.repo = None

    def new_repo(self, **options):
        self.repo = Repo(os.path.join(self.dir, "repo"), **options)
        with self.server.lock:
            self.server.docroot = self.repo.base
            self.server.requests = []
        return self.repo

    def run(self, *args):
        cmd = self.client + ["--metadata-dir", self.metadata_dir, *args]
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=CLIENT_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Failure(f"`{args[-1]}` did not finish within {CLIENT_TIMEOUT}s")
        err = p.stderr.decode(errors="replace").strip().splitlines()
        return p.returncode, (err[-1] if err else "")

    def init(self, root_bytes=None):
        path = os.path.join(self.dir, "trusted-root.json")
        with open(path, "wb") as f:
            f.write(self.repo.root_v1 if root_bytes is None else root_bytes)
        self.server.take_requests()
        rc, err = self.run("init", path)
        check(rc == 0, f"init exited {rc}: {err}")
        requests = self.server.take_requests()
        check(not requests, f"init made requests: {requests}")

    def refresh(self):
        return ("refresh",) + self.run("--metadata-url", self.server.url + "/metadata", "refresh")

    def download(self, name=TARGET):
        return ("download",) + self.run("--metadata-url", self.server.url + "/metadata", "--target-name", name,
                                        "--target-base-url", self.server.url + "/targets",
                                        "--target-dir", self.target_dir, "download")

    # expectations

    @staticmethod
    def accepted(result):
        what, rc, err = result
        check(rc == 0, f"{what} exited {rc}, expected 0: {err}")

    @staticmethod
    def refused(result):
        what, rc, err = result
        check(rc == 1, f"{what} exited {rc}, expected 1 (refused)" + (f": {err}" if rc not in (0, 1) else ""))

    def version(self, role):
        """Version of ROLE.json in the client's metadata dir, None if there is none."""
        path = os.path.join(self.metadata_dir, f"{role}.json")
        if not os.path.exists(path):
            return None
        try:
            with open(path, "rb") as f:
                return json.load(f)["signed"]["version"]
        except (ValueError, KeyError, TypeError) as e:
            raise Failure(f"client's {role}.json is not TUF metadata: {e}")

    def expect_versions(self, **expected):
        got = {role: self.version(role) for role in expected}
        check(got == expected, f"client metadata versions {got}, expected {expected}")

    def target_files(self):
        found = []
        for dirpath, _, names in os.walk(self.target_dir):
            found += [os.path.join(dirpath, n) for n in names]
        return found

    def expect_target(self, data):
        for path in self.target_files():
            with open(path, "rb") as f:
                if f.read() == data:
                    return
        check(False, f"no file in the target dir holds the target's bytes (files: {self.relative_targets()})")

    def expect_no_target(self):
        check(not self.target_files(), f"files left in the target dir: {self.relative_targets()}")

    def relative_targets(self):
        return [os.path.relpath(p, self.target_dir) for p in self.target_files()]


# --- cases ------------------------------------------------------------------------------------------

CASES = []


def case(description):
    def register(fn):
        CASES.append((description, fn))
        return fn
    return register


@case("valid repository: init makes no request, refresh, download gives the target's bytes")
def valid_refresh_and_download(t):
    standard_repo(t)
    t.init()
    t.accepted(t.refresh())
    t.expect_versions(root=1, timestamp=1, snapshot=1, targets=1)
    t.accepted(t.download())
    t.expect_target(TARGET_DATA)
    requests = t.server.take_requests()
    hashed = f"/targets/bundles/demo/{sha256(TARGET_DATA)}.1.relais"
    check(hashed in requests, f"target not fetched by its consistent-snapshot name {hashed}: {requests}")


@case("no-change refresh fetches only 2.root.json and timestamp.json")
def no_change_refresh(t):
    standard_repo(t)
    t.init()
    t.accepted(t.refresh())
    t.server.take_requests()
    t.accepted(t.refresh())
    requests = t.server.take_requests()
    check(requests == ["/metadata/2.root.json", "/metadata/timestamp.json"],
          f"requests {requests}, expected ['/metadata/2.root.json', '/metadata/timestamp.json']")
    t.expect_versions(root=1, timestamp=1, snapshot=1, targets=1)


@case("new repository state: timestamp, snapshot, targets v2 are fetched and the new target downloads")
def valid_update(t):
    repo = standard_repo(t)
    t.init()
    t.accepted(t.refresh())
    data = b"second bundle " * 100
    repo.add_target("bundles/other/2.relais", data)
    repo.bump("targets", "snapshot", "timestamp")
    repo.publish()
    t.accepted(t.refresh())
    t.expect_versions(root=1, timestamp=2, snapshot=2, targets=2)
    t.accepted(t.download("bundles/other/2.relais"))
    t.expect_target(data)


@case("expired timestamp is refused and not written")
def expired_timestamp(t):
    repo = t.new_repo()
    repo.add_target(TARGET, TARGET_DATA)
    repo.timestamp.signed.expires = in_days(-1)
    repo.publish()
    t.init()
    t.refused(t.refresh())
    t.expect_versions(timestamp=None, snapshot=None, targets=None)


@case("expired snapshot is refused and not written")
def expired_snapshot(t):
    repo = t.new_repo()
    repo.add_target(TARGET, TARGET_DATA)
    repo.snapshot.signed.expires = in_days(-1)
    repo.publish()
    t.init()
    t.refused(t.refresh())
    t.expect_versions(snapshot=None, targets=None)


@case("expired targets is refused and not written")
def expired_targets(t):
    repo = t.new_repo()
    repo.add_target(TARGET, TARGET_DATA)
    repo.targets.signed.expires = in_days(-1)
    repo.publish()
    t.init()
    t.refused(t.refresh())
    t.expect_versions(targets=None)
    t.refused(t.download())
    t.expect_no_target()


@case("expired trusted root (v1, nothing newer) is refused; no timestamp written")
def expired_root_v1(t):
    standard_repo(t, root_expires=in_days(-1))
    t.init()
    t.refused(t.refresh())
    t.expect_versions(timestamp=None, snapshot=None)


@case("expired final root (v2, properly signed) is refused; no timestamp written")
def expired_root_v2(t):
    repo = standard_repo(t)
    t.init()
    repo.new_root(expires=in_days(-1))
    t.refused(t.refresh())
    t.expect_versions(timestamp=None, snapshot=None)


@case("timestamp rollback (v1 served after v2 was trusted) is refused; timestamp.json stays v2")
def timestamp_rollback(t):
    repo = standard_repo(t)
    old_timestamp = repo.read("timestamp.json")
    repo.bump("timestamp")
    repo.write_timestamp()
    t.init()
    t.accepted(t.refresh())
    t.expect_versions(timestamp=2)
    repo.put("timestamp.json", old_timestamp)
    t.refused(t.refresh())
    t.expect_versions(timestamp=2, snapshot=1)


@case("snapshot rollback (timestamp v3 names snapshot v1 after v2 was trusted) is refused")
def snapshot_rollback(t):
    repo = standard_repo(t)
    old_snapshot = repo.read("1.snapshot.json")
    repo.bump("snapshot", "timestamp")
    repo.write_snapshot_and_timestamp()
    t.init()
    t.accepted(t.refresh())
    t.expect_versions(timestamp=2, snapshot=2)
    repo.remove("2.snapshot.json")
    repo.bump("timestamp")
    repo.timestamp.signed.snapshot_meta = MetaFile(version=1, length=len(old_snapshot),
                                                   hashes={"sha256": sha256(old_snapshot)})
    repo.write_timestamp()
    t.refused(t.refresh())
    t.expect_versions(timestamp=2, snapshot=2)


@case("targets rollback (snapshot v3 names targets v1 after v2 was trusted) is refused")
def targets_rollback(t):
    repo = standard_repo(t)
    repo.bump("targets", "snapshot", "timestamp")
    repo.publish()
    t.init()
    t.accepted(t.refresh())
    t.expect_versions(snapshot=2, targets=2)
    repo.remove("2.targets.json")
    repo.bump("snapshot", "timestamp")
    repo.snapshot.signed.meta["targets.json"] = MetaFile(version=1)
    repo.write_snapshot_and_timestamp()
    t.refused(t.refresh())
    t.expect_versions(snapshot=2, targets=2)


@case("mix-and-match: 2.snapshot.json holds snapshot v1 while timestamp names v2 (no hashes) → refused")
def mix_and_match_snapshot(t):
    repo = t.new_repo(snapshot_hashes=False)
    repo.add_target(TARGET, TARGET_DATA)
    repo.publish()
    old_snapshot = repo.read("1.snapshot.json")
    repo.add_target("bundles/other/2.relais", b"other")
    repo.bump("targets", "snapshot", "timestamp")
    repo.publish()
    repo.put("2.snapshot.json", old_snapshot)
    t.init()
    t.refused(t.refresh())
    t.expect_versions(snapshot=None, targets=None)


@case("snapshot whose sha256 differs from timestamp's meta (same length, validly signed) → refused")
def snapshot_hash_mismatch(t):
    repo = standard_repo(t)
    good = repo.read("1.snapshot.json")
    repo.snapshot.signed.expires += timedelta(seconds=1)
    bad = repo.write_snapshot()
    check(len(bad) == len(good) and bad != good, "harness: could not make a same-length snapshot")
    t.init()
    t.refused(t.refresh())
    t.expect_versions(snapshot=None, targets=None)


@case("snapshot longer than the length in timestamp's meta (hash right) → refused")
def snapshot_length_mismatch(t):
    repo = standard_repo(t)
    data = repo.read("1.snapshot.json")
    repo.timestamp.signed.snapshot_meta = MetaFile(version=1, length=len(data) - 1, hashes={"sha256": sha256(data)})
    repo.write_timestamp()
    t.init()
    t.refused(t.refresh())
    t.expect_versions(snapshot=None, targets=None)


@case("targets file whose version is not the one snapshot names → refused")
def targets_version_mismatch(t):
    repo = standard_repo(t)
    old_targets = repo.read("1.targets.json")
    repo.bump("targets", "snapshot", "timestamp")
    repo.publish()
    repo.put("2.targets.json", old_targets)
    t.init()
    t.refused(t.refresh())
    t.expect_versions(targets=None)


@case("target whose bytes do not match its sha256 → download refused, nothing left in the target dir")
def bad_target_hash(t):
    repo = t.new_repo()
    tampered = bytearray(TARGET_DATA)
    tampered[100] ^= 0xFF
    repo.add_target(TARGET, TARGET_DATA, served=bytes(tampered))
    repo.publish()
    t.init()
    t.accepted(t.refresh())
    t.refused(t.download())
    t.expect_no_target()


@case("target served longer than its length (endless data) → download refused, nothing left")
def oversized_target(t):
    repo = t.new_repo()
    repo.add_target(TARGET, TARGET_DATA, served=TARGET_DATA + b"\0" * (1 << 20))
    repo.publish()
    t.init()
    t.accepted(t.refresh())
    t.refused(t.download())
    t.expect_no_target()


@case("target not listed in targets metadata → download refused")
def unknown_target(t):
    standard_repo(t)
    t.init()
    t.refused(t.download("bundles/absent/1.relais"))
    t.expect_no_target()


@case("timestamp signed by a key the root does not list → refused and not written")
def wrong_key_timestamp(t):
    repo = standard_repo(t)
    repo.write_timestamp(signers=[new_signer()])
    t.init()
    t.refused(t.refresh())
    t.expect_versions(timestamp=None)


@case("snapshot signed by the targets key (trusted, but for another role) → refused")
def wrong_role_key_snapshot(t):
    repo = t.new_repo()
    repo.add_target(TARGET, TARGET_DATA)
    repo.write_targets()
    repo.snapshot.signed.meta["targets.json"] = MetaFile(version=1)
    repo.write_snapshot_and_timestamp(snapshot_signers=repo.signers["targets"])
    t.init()
    t.refused(t.refresh())
    t.expect_versions(snapshot=None, targets=None)


@case("threshold 2: snapshot with both signatures accepted, then v2 with one signature refused")
def below_threshold(t):
    repo = standard_repo(t, keys={"snapshot": 2}, thresholds={"snapshot": 2})
    t.init()
    t.accepted(t.refresh())
    t.expect_versions(snapshot=1)
    repo.bump("snapshot", "timestamp")
    repo.write_snapshot_and_timestamp(snapshot_signers=repo.signers["snapshot"][:1])
    t.refused(t.refresh())
    t.expect_versions(snapshot=1)


@case("threshold 2: one key's signature given twice counts once → refused")
def duplicate_signature(t):
    repo = standard_repo(t, keys={"snapshot": 2}, thresholds={"snapshot": 2})
    t.init()
    t.accepted(t.refresh())
    repo.bump("snapshot", "timestamp")
    repo.write_snapshot(signers=repo.signers["snapshot"][:1])
    envelope = repo.snapshot.to_dict()
    envelope["signatures"] = envelope["signatures"] * 2
    data = json.dumps(envelope, indent=1).encode()
    repo.put("2.snapshot.json", data)
    repo.timestamp.signed.snapshot_meta = MetaFile(version=2, length=len(data), hashes={"sha256": sha256(data)})
    repo.write_timestamp()
    t.refused(t.refresh())
    t.expect_versions(snapshot=1)


@case("threshold 1: a snapshot listing its one signature twice (same keyid) is invalid → refused")
def repeated_keyid_threshold_one(t):
    repo = standard_repo(t)
    t.init()
    t.accepted(t.refresh())
    repo.bump("snapshot", "timestamp")
    repo.write_snapshot()
    envelope = repo.snapshot.to_dict()
    envelope["signatures"] = envelope["signatures"] * 2
    data = json.dumps(envelope, indent=1).encode()
    repo.put("2.snapshot.json", data)
    repo.timestamp.signed.snapshot_meta = MetaFile(version=2, length=len(data), hashes={"sha256": sha256(data)})
    repo.write_timestamp()
    t.refused(t.refresh())
    t.expect_versions(snapshot=1)


@case("keys with extra fields (keyid_hash_algorithms, x-tuf-on-ci-keyowner) hashed into their keyids: init, refresh, download")
def keys_with_extra_fields(t):
    repo = t.new_repo(extra_key_fields=True)
    repo.add_target(TARGET, TARGET_DATA)
    repo.publish()
    keys = json.loads(repo.root_v1)["signed"]["keys"]
    check(all("x-tuf-on-ci-keyowner" in key for key in keys.values()), "harness: the root's keys lack the extra fields")
    t.init()
    t.accepted(t.refresh())
    t.accepted(t.download())
    t.expect_target(TARGET_DATA)


@case("root v2 with new root keys, signed only by the new keys (old signatures missing) → refused")
def rotation_without_old_signatures(t):
    repo = standard_repo(t)
    t.init()
    repo.new_root(rotate=["root"], sign_old=False)
    t.refused(t.refresh())
    t.expect_versions(root=1, timestamp=None)


@case("root v2 with new root keys, signed only by the old keys (new signatures missing) → refused")
def rotation_without_new_signatures(t):
    repo = standard_repo(t)
    t.init()
    repo.new_root(rotate=["root"], sign_new=False)
    t.refused(t.refresh())
    t.expect_versions(root=1, timestamp=None)


@case("root version skip: 2.root.json holds version 3 → refused")
def root_version_skip(t):
    repo = standard_repo(t)
    t.init()
    repo.new_root(version=3, filename="2.root.json")
    t.refused(t.refresh())
    t.expect_versions(root=1, timestamp=None)


@case("valid root rotation 1→2→3 (new root keys each time) accepted; root.json ends at v3")
def valid_rotation(t):
    repo = standard_repo(t)
    t.init()
    repo.new_root(rotate=["root"])
    repo.new_root(rotate=["root"])
    t.accepted(t.refresh())
    t.expect_versions(root=3, timestamp=1, snapshot=1, targets=1)


@case("valid rotation through an expired intermediate root (v2 expired, v3 valid) accepted")
def rotation_through_expired_root(t):
    repo = standard_repo(t)
    t.init()
    repo.new_root(rotate=["root"], expires=in_days(-1))
    repo.new_root(rotate=["root"], expires=in_days(365))
    t.accepted(t.refresh())
    t.expect_versions(root=3, timestamp=1)


@case("rotation of the timestamp key in root v2: new-key timestamp accepted, old-key one refused")
def timestamp_key_rotation(t):
    repo = standard_repo(t)
    t.init()
    t.accepted(t.refresh())
    old_signers = repo.signers["timestamp"]
    repo.new_root(rotate=["timestamp"])
    repo.bump("timestamp")
    repo.write_timestamp(signers=old_signers)
    t.refused(t.refresh())
    t.expect_versions(root=2)
    # spec 5.3.11 deletes the trusted timestamp when its keys rotate; python-tuf keeps but ignores it
    check(t.version("timestamp") in (None, 1), f"client's timestamp.json is v{t.version('timestamp')} "
          "after a timestamp signed by the revoked key was refused")
    repo.write_timestamp()
    t.accepted(t.refresh())
    t.expect_versions(root=2, timestamp=2)


@case("fast-forward recovery: after a timestamp key rotation, timestamp v1 (new key) replaces trusted v10")
def fast_forward_recovery(t):
    repo = standard_repo(t)
    repo.timestamp.signed.version = 10
    repo.write_timestamp()
    t.init()
    t.accepted(t.refresh())
    t.expect_versions(timestamp=10)
    repo.new_root(rotate=["timestamp"])
    repo.timestamp.signed.version = 1
    repo.write_timestamp()
    t.accepted(t.refresh())
    t.expect_versions(root=2, timestamp=1, snapshot=1)



# --- delegations (TUF 1.0 §4.5, §5.6.7) --------------------------------------------------------------

DELEGATED = "bundles/delegated/1.relais"
DELEGATED_DATA = b"a target listed by a delegated role " * 50


def role_requests(requests):
    """The delegated-role metadata files among `requests` (top-level roles left out)."""
    top = ("root.json", "timestamp.json", "snapshot.json", "targets.json")
    return [r for r in requests if r.startswith("/metadata/") and not r.endswith(top)]


def fetch_delegated(t, name=DELEGATED, expect=True):
    """Fresh client: init, download `name`; returns the delegated-role files it asked for."""
    t.init()
    result = t.download(name)
    requests = t.server.take_requests()
    if expect:
        t.accepted(result)
        t.expect_target(DELEGATED_DATA)
    else:
        t.refused(result)
        t.expect_no_target()
    return role_requests(requests)


@case("delegation: a target listed by a delegated role (paths bundles/*/*.relais) downloads; 1.A.json fetched")
def delegated_target(t):
    repo = standard_repo(t)
    repo.delegate("targets", "A", paths=["bundles/*/*.relais"])
    repo.add_target(DELEGATED, DELEGATED_DATA, role="A")
    repo.publish()
    fetched = fetch_delegated(t)
    check(fetched == ["/metadata/1.A.json"], f"delegated roles fetched {fetched}, expected ['/metadata/1.A.json']")
    check(os.path.exists(os.path.join(t.metadata_dir, "A.json")), "the client did not keep the verified A.json")


@case("delegation: nested (targets → A → B), target in B; `?` matches one character in a segment")
def nested_delegation(t):
    repo = standard_repo(t)
    repo.delegate("targets", "A", paths=["bundles/*/*"])
    repo.delegate("A", "B", paths=["bundles/delegate?/1.relais"])
    repo.add_target(DELEGATED, DELEGATED_DATA, role="B")
    repo.publish()
    fetched = fetch_delegated(t)
    check(fetched == ["/metadata/1.A.json", "/metadata/1.B.json"], f"delegated roles fetched {fetched}")


@case("delegation: path pattern miss (`*` does not cross `/`): a target A lists outside its paths is refused, A not fetched")
def pattern_miss(t):
    repo = standard_repo(t)
    repo.delegate("targets", "A", paths=["bundles/*"])
    repo.add_target(DELEGATED, DELEGATED_DATA, role="A")
    inside = b"a target inside A's paths"
    repo.add_target("bundles/inside.relais", inside, role="A")
    repo.publish()
    fetched = fetch_delegated(t, expect=False)
    check(fetched == [], f"delegated roles fetched {fetched}, expected none (A is not trusted for {DELEGATED})")
    t.accepted(t.download("bundles/inside.relais"))
    t.expect_target(inside)


@case("delegation: path_hash_prefixes route the target to the role whose prefix its SHA-256 has; the other is not fetched")
def hash_prefix_routing(t):
    repo = standard_repo(t)
    digest = sha256(DELEGATED.encode())
    other = "0" if digest[0] != "0" else "1"
    repo.delegate("targets", "other", prefixes=[other])
    repo.delegate("targets", "bin", prefixes=[digest[:2]])
    repo.add_target(DELEGATED, DELEGATED_DATA, role="bin")
    repo.add_target(DELEGATED, b"decoy", role="other")
    repo.publish()
    fetched = fetch_delegated(t)
    check(fetched == ["/metadata/1.bin.json"], f"delegated roles fetched {fetched}, expected ['/metadata/1.bin.json']")


@case("delegation: a terminating role that does not list the target ends the search (B after it is never fetched)")
def terminating_stops(t):
    repo = standard_repo(t)
    repo.delegate("targets", "A", paths=["bundles/*/*"], terminating=True)
    repo.delegate("targets", "B", paths=["bundles/*/*"])
    repo.add_target(DELEGATED, DELEGATED_DATA, role="B")
    repo.publish()
    fetched = fetch_delegated(t, expect=False)
    check(fetched == ["/metadata/1.A.json"], f"delegated roles fetched {fetched}, expected ['/metadata/1.A.json']")


@case("delegation: a non-terminating role that misses lets the search go on to the next (A then B)")
def non_terminating_continues(t):
    repo = standard_repo(t)
    repo.delegate("targets", "A", paths=["bundles/*/*"])
    repo.delegate("targets", "B", paths=["bundles/*/*"])
    repo.add_target(DELEGATED, DELEGATED_DATA, role="B")
    repo.publish()
    fetched = fetch_delegated(t)
    check(fetched == ["/metadata/1.A.json", "/metadata/1.B.json"], f"delegated roles fetched {fetched}")


@case("delegation: the first role in order wins (A and B both list the target, A's bytes are the ones downloaded)")
def delegation_order(t):
    repo = standard_repo(t)
    repo.delegate("targets", "A", paths=["bundles/*/*"])
    repo.delegate("targets", "B", paths=["bundles/*/*"])
    repo.add_target(DELEGATED, b"from B", role="B")
    repo.add_target(DELEGATED, DELEGATED_DATA, role="A")
    repo.publish()
    fetched = fetch_delegated(t)
    check(fetched == ["/metadata/1.A.json"], f"delegated roles fetched {fetched}, expected ['/metadata/1.A.json']")


@case("delegation: a cycle (A → B → A) ends: each role fetched once, the absent target refused")
def delegation_cycle(t):
    repo = standard_repo(t)
    repo.delegate("targets", "A", paths=["bundles/*/*"])
    repo.delegate("A", "B", paths=["bundles/*/*"])
    repo.delegate("B", "A", paths=["bundles/*/*"])
    repo.publish()
    fetched = fetch_delegated(t, expect=False)
    check(fetched == ["/metadata/1.A.json", "/metadata/1.B.json"], f"delegated roles fetched {fetched}")


def delegation_chain(t, length):
    repo = standard_repo(t)
    parent = "targets"
    for n in range(1, length + 1):
        repo.delegate(parent, f"r{n}", paths=["bundles/*/*"])
        parent = f"r{n}"
    repo.add_target(DELEGATED, DELEGATED_DATA, role=parent)
    repo.publish()
    return repo


@case("delegation: a chain of 32 delegated roles, target in the 32nd: found (the most a search visits)")
def chain_of_32(t):
    delegation_chain(t, 32)
    fetched = fetch_delegated(t)
    check(len(fetched) == 32, f"{len(fetched)} delegated roles fetched, expected 32")


@case("delegation: too many delegations: target in the 33rd role of a chain is not found; no 33rd fetch")
def chain_of_33(t):
    delegation_chain(t, 33)
    fetched = fetch_delegated(t, expect=False)
    check(len(fetched) == 32 and "/metadata/1.r33.json" not in fetched, f"{len(fetched)} delegated roles fetched: {fetched[-2:]}")


def trusted_delegation(t, **options):
    """A repository where targets delegates bundles/*/* to A (listing DELEGATED), downloaded once by a
    fresh client (so a later refusal is the check's, not a client that ignores delegations); the
    target dir is emptied afterwards."""
    repo = standard_repo(t)
    repo.delegate("targets", "A", paths=["bundles/*/*"], **options)
    repo.add_target(DELEGATED, DELEGATED_DATA, role="A")
    repo.publish()
    fetch_delegated(t)
    for path in t.target_files():
        os.remove(path)
    return repo


def role_version(t, name):
    path = os.path.join(t.metadata_dir, f"{quote(name, safe='')}.json")
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return json.load(f)["signed"]["version"]


def next_delegated(repo, **changes):
    """Publishes A v2 (with `changes` to its signed part) with new snapshot and timestamp versions."""
    repo.bump("snapshot", "timestamp")
    repo.delegated["A"].signed.version += 1
    for field, value in changes.items():
        setattr(repo.delegated["A"].signed, field, value)
    repo.publish()


@case("delegation: A v2 (threshold 2) signed by one of its two keys → refused; A.json stays v1")
def delegated_below_threshold(t):
    repo = trusted_delegation(t, keys=2, threshold=2)
    next_delegated(repo)
    repo.write_role("A", signers=repo.delegated_signers["A"][:1])
    t.refused(t.download(DELEGATED))
    t.expect_no_target()
    check(role_version(t, "A") == 1, f"client's A.json is v{role_version(t, 'A')}, expected 1")


@case("delegation: A v2 signed by a key its delegator does not list for A (the targets key) → refused; A.json stays v1")
def delegated_wrong_key(t):
    repo = trusted_delegation(t)
    next_delegated(repo)
    repo.write_role("A", signers=repo.signers["targets"])
    t.refused(t.download(DELEGATED))
    t.expect_no_target()
    check(role_version(t, "A") == 1, f"client's A.json is v{role_version(t, 'A')}, expected 1")


@case("delegation: 2.A.json holds A v1 while snapshot lists A v2 (mix-and-match) → refused")
def delegated_version_mismatch(t):
    repo = trusted_delegation(t)
    old = repo.read("1.A.json")
    next_delegated(repo)
    repo.put("2.A.json", old)
    t.refused(t.download(DELEGATED))
    t.expect_no_target()


@case("delegation: rollback: after A v2 was trusted, snapshot v3 listing A v1 is refused")
def delegated_rollback(t):
    repo = standard_repo(t)
    repo.delegate("targets", "A", paths=["bundles/*/*"])
    repo.add_target(DELEGATED, DELEGATED_DATA, role="A")
    repo.delegated["A"].signed.version = 2
    repo.publish()
    fetch_delegated(t)
    repo.bump("snapshot", "timestamp")
    repo.delegated["A"].signed.version = 1
    repo.publish()
    t.refused(t.download(DELEGATED))
    check(t.version("snapshot") == 1, f"client's snapshot.json is v{t.version('snapshot')}, expected 1")
    check(role_version(t, "A") == 2, f"client's A.json is v{role_version(t, 'A')}, expected 2")


@case("delegation: A v2 expired → refused; A.json stays v1")
def delegated_expired(t):
    repo = trusted_delegation(t)
    next_delegated(repo, expires=in_days(-1))
    t.refused(t.download(DELEGATED))
    t.expect_no_target()
    check(role_version(t, "A") == 1, f"client's A.json is v{role_version(t, 'A')}, expected 1")


@case("delegation: a delegated role snapshot does not list → refused (its sibling that snapshot lists is found)")
def delegated_not_in_snapshot(t):
    repo = standard_repo(t)
    repo.delegate("targets", "listed", paths=["bundles/listed/*"])
    repo.delegate("targets", "unlisted", paths=["bundles/delegated/*"])
    listed_data = b"listed by a role snapshot lists"
    repo.add_target("bundles/listed/1.relais", listed_data, role="listed")
    repo.add_target(DELEGATED, DELEGATED_DATA, role="unlisted")
    repo.publish()
    del repo.snapshot.signed.meta["unlisted.json"]
    repo.write_snapshot_and_timestamp()
    t.init()
    t.accepted(t.download("bundles/listed/1.relais"))
    t.expect_target(listed_data)
    t.refused(t.download(DELEGATED))


@case("delegation: roles named `?` and `../x` are fetched URL-quoted (/metadata/1.%3F.json, /metadata/1...%2Fx.json), never as paths")
def quoted_role_names(t):
    repo = standard_repo(t)
    repo.delegate("targets", "?", paths=["bundles/*/*"])
    repo.delegate("targets", "../x", paths=["bundles/*/*"])
    repo.add_target(DELEGATED, DELEGATED_DATA, role="../x")
    repo.publish()
    fetched = fetch_delegated(t)
    check(fetched == ["/metadata/1.%3F.json", "/metadata/1...%2Fx.json"], f"delegated roles fetched {fetched}")
    check(not os.path.exists(os.path.join(t.dir, "x.json")), "the client wrote x.json outside its metadata dir")
    kept = sorted(n for n in os.listdir(t.metadata_dir) if n.endswith(".json")
                  and n not in ("root.json", "timestamp.json", "snapshot.json", "targets.json"))
    check(kept == ["%3F.json", "..%2Fx.json"], f"client metadata dir holds {kept}, expected ['%3F.json', '..%2Fx.json']")


@case("delegation: succinct hash bins (bit_length 3, bins-0…bins-7): only the target's bin is fetched")
def succinct_bins(t):
    repo = standard_repo(t)
    bins = repo.delegate_bins("targets", 3)
    name = bins.get_role_for_target(DELEGATED)
    repo.add_target(DELEGATED, DELEGATED_DATA, role=name)
    repo.publish()
    check(len(repo.delegated) == 8 and all(len(n) == len("bins-0") for n in repo.delegated), f"harness: bins {list(repo.delegated)}")
    fetched = fetch_delegated(t)
    check(fetched == [f"/metadata/1.{name}.json"], f"delegated roles fetched {fetched}, expected ['/metadata/1.{name}.json']")


@case("delegation: succinct hash bins (bit_length 5, zero-padded bins-00…bins-1f): a target in another bin is not trusted")
def succinct_wrong_bin(t):
    repo = standard_repo(t)
    bins = repo.delegate_bins("targets", 5)
    right = bins.get_role_for_target(DELEGATED)
    wrong = next(n for n in bins.get_roles() if n != right)
    repo.add_target(DELEGATED, DELEGATED_DATA, role=wrong)
    repo.publish()
    fetched = fetch_delegated(t, expect=False)
    check(fetched == [f"/metadata/1.{right}.json"], f"delegated roles fetched {fetched}, expected ['/metadata/1.{right}.json']")


# --- runner -----------------------------------------------------------------------------------------

def default_client():
    if os.environ.get("RELAIS_BIN"):
        return [os.environ["RELAIS_BIN"], "tuf"]
    return [sys.executable, os.path.join(HERE, "python_client.py")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--client", help='client-under-test command line (default: "$RELAIS_BIN tuf", '
                                         'else "python3 tests/tuf/python_client.py")')
    parser.add_argument("-k", dest="only", help="run only the cases whose description contains this text")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args()
    client = shlex.split(args.client) if args.client else default_client()

    server = Server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tmp = tempfile.mkdtemp(prefix="relais-tuf-")
    print(f"# client: {shlex.join(client)}", flush=True)
    print(f"# server: {server.url}", flush=True)
    started = time.monotonic()
    count = failed = 0
    try:
        for index, (description, fn) in enumerate(CASES, 1):
            if args.only and args.only.lower() not in description.lower():
                continue
            count += 1
            workdir = os.path.join(tmp, f"case{index:02d}-{fn.__name__}")
            os.makedirs(workdir)
            try:
                fn(Case(server, client, workdir))
                print(f"ok {count} - {description}", flush=True)
            except Failure as e:
                failed += 1
                why = " ".join(str(e).split())
                print(f"not ok {count} - {description} ({why})", flush=True)
            except Exception as e:  # a harness bug: report it as a failure, with where it happened
                failed += 1
                where = traceback.extract_tb(e.__traceback__)[-1]
                print(f"not ok {count} - {description} (harness error: {type(e).__name__}: {e} "
                      f"at line {where.lineno})", flush=True)
    finally:
        server.shutdown()
        if args.keep:
            print(f"# kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"# {count - failed} passed, {failed} failed in {time.monotonic() - started:.1f}s", flush=True)
    print("# done", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
