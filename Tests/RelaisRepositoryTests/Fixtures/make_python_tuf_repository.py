#!/usr/bin/env python3
"""Writes python-tuf-repo/: a repository built with python-tuf 7.0.1's Metadata API, laid out as
`relais repo publish` does (consistent snapshots: metadata/N.root.json, N.snapshot.json,
N.targets.json, timestamp.json; targets/bundles/demo/HASH.1.relais), with a root rotation 1 → 2
(new root key, signed by old and new) and hashes/lengths in timestamp and snapshot meta.

Used by PythonTUFRepositoryTests to check the Swift client against an independent writer.
Run from this folder: python3 make_python_tuf_repository.py (keys are fresh each run).
"""
import hashlib
import os
import shutil
from datetime import datetime, timezone

from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import MetaFile, Metadata, Root, Snapshot, TargetFile, Targets, Timestamp
from tuf.api.serialization.json import JSONSerializer

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "python-tuf-repo")
EXPIRES = datetime(2099, 1, 1, tzinfo=timezone.utc)
TARGET = "bundles/demo/1.relais"
DATA = b"relais demo bundle " + bytes(range(256)) * 4

signers = {role: CryptoSigner.generate_ed25519() for role in ("root", "timestamp", "snapshot", "targets")}
root = Root(expires=EXPIRES, consistent_snapshot=True)
for role, signer in signers.items():
    root.add_key(signer.public_key, role)


def write(md, name, *sign_with):
    md.signatures.clear()
    for signer in sign_with:
        md.sign(signer, append=True)
    data = md.to_bytes(JSONSerializer(compact=False))
    with open(os.path.join(OUT, "metadata", name), "wb") as f:
        f.write(data)
    return data


shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(os.path.join(OUT, "metadata"))
os.makedirs(os.path.join(OUT, "targets", "bundles", "demo"))

write(Metadata(root), "1.root.json", signers["root"])
new_root_signer = CryptoSigner.generate_ed25519()
root.revoke_key(signers["root"].public_key.keyid, "root")
root.add_key(new_root_signer.public_key, "root")
root.version = 2
write(Metadata(root), "2.root.json", signers["root"], new_root_signer)

digest = hashlib.sha256(DATA).hexdigest()
with open(os.path.join(OUT, "targets", "bundles", "demo", f"{digest}.1.relais"), "wb") as f:
    f.write(DATA)
targets = Targets(version=1, expires=EXPIRES)
targets.targets[TARGET] = TargetFile.from_data(TARGET, DATA, ["sha256"])
targets_bytes = write(Metadata(targets), "1.targets.json", signers["targets"])

snapshot = Snapshot(version=1, expires=EXPIRES)
snapshot.meta["targets.json"] = MetaFile(1, len(targets_bytes), {"sha256": hashlib.sha256(targets_bytes).hexdigest()})
snapshot_bytes = write(Metadata(snapshot), "1.snapshot.json", signers["snapshot"])

timestamp = Timestamp(version=1, expires=EXPIRES)
timestamp.snapshot_meta = MetaFile(1, len(snapshot_bytes), {"sha256": hashlib.sha256(snapshot_bytes).hexdigest()})
write(Metadata(timestamp), "timestamp.json", signers["timestamp"])
