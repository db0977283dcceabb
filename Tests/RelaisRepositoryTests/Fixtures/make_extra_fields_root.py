#!/usr/bin/env python3
"""Writes root-extra-fields.json: a python-tuf 7.0.1 root v1 whose keys carry fields beyond
keytype/scheme/keyval (as sigstore's root-signing and tuf-on-ci repositories do:
`keyid_hash_algorithms`, `x-tuf-on-ci-keyowner`), each keyid being the SHA-256 of the whole key
object in canonical JSON (TUF 1.0 §4.2), and signed by its root key.

Used by RootMetadataTests. Run from this folder: python3 make_extra_fields_root.py (fresh keys).
"""
import hashlib
import os
from datetime import datetime, timezone

from securesystemslib.formats import encode_canonical
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import Metadata, Root
from tuf.api.serialization.json import JSONSerializer

HERE = os.path.dirname(os.path.abspath(__file__))


def signer_with_extra_fields(owner):
    plain = CryptoSigner.generate_ed25519()
    extra = {"keyid_hash_algorithms": ["sha256", "sha512"], "x-tuf-on-ci-keyowner": owner}
    draft = SSlibKey("", plain.public_key.keytype, plain.public_key.scheme, plain.public_key.keyval, extra)
    keyid = hashlib.sha256(encode_canonical(draft.to_dict()).encode()).hexdigest()
    key = SSlibKey(keyid, draft.keytype, draft.scheme, draft.keyval, extra)
    return CryptoSigner(plain._private_key, key)


root = Root(expires=datetime(2099, 1, 1, tzinfo=timezone.utc), consistent_snapshot=True)
signers = {role: signer_with_extra_fields(f"@{role}-owner") for role in ("root", "timestamp", "snapshot", "targets")}
for role, signer in signers.items():
    root.add_key(signer.public_key, role)
md = Metadata(root)
md.sign(signers["root"])
with open(os.path.join(HERE, "root-extra-fields.json"), "wb") as f:
    f.write(md.to_bytes(JSONSerializer(compact=False)))
