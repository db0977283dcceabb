#!/usr/bin/env python3
"""Reference client-under-test for tests/tuf/run.py, built on python-tuf's ngclient.

Speaks the client-under-test CLI protocol of the TUF conformance suite
(theupdateframework/tuf-conformance, CLIENT-CLI.md), the same protocol as `relais tuf`:

  python_client.py --metadata-dir D init ROOT
  python_client.py --metadata-dir D --metadata-url U refresh
  python_client.py --metadata-dir D --metadata-url U --target-name T \
                   --target-base-url B --target-dir TD download

Exit 0 on success, 1 on any failure (the reason goes to stderr), 2 on a usage error.
It lets the harness be checked against an independent TUF implementation before (and alongside)
the Swift client. Needs only `pip install tuf`.
"""
import argparse
import os
import shutil
import sys


def make_updater(args, with_targets=False):
    from tuf.ngclient import Updater

    positional = [args.metadata_dir, args.metadata_url]
    if with_targets:
        positional += [args.target_dir, args.target_base_url]
    try:
        # python-tuf >= 5 takes the trusted root as a keyword (None: read root.json in metadata_dir)
        return Updater(*positional, bootstrap=None)
    except TypeError:
        return Updater(*positional)


def cmd_init(args):
    os.makedirs(args.metadata_dir, exist_ok=True)
    # The protocol asks for no checks and no network access: keep the trusted root as root.json.
    shutil.copyfile(args.trusted_root, os.path.join(args.metadata_dir, "root.json"))


def cmd_refresh(args):
    make_updater(args).refresh()


def cmd_download(args):
    os.makedirs(args.target_dir, exist_ok=True)
    updater = make_updater(args, with_targets=True)
    updater.refresh()
    info = updater.get_targetinfo(args.target_name)
    if info is None:
        raise LookupError(f"target {args.target_name!r} is not in the repository's targets metadata")
    if updater.find_cached_target(info) is None:
        updater.download_target(info)


def main():
    parser = argparse.ArgumentParser(description="python-tuf client-under-test (tuf-conformance CLI)")
    parser.add_argument("--metadata-dir", required=True)
    parser.add_argument("--metadata-url")
    parser.add_argument("--target-name")
    parser.add_argument("--target-base-url")
    parser.add_argument("--target-dir")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init").add_argument("trusted_root")
    sub.add_parser("refresh")
    sub.add_parser("download")
    args = parser.parse_args()

    if args.command in ("refresh", "download") and not args.metadata_url:
        parser.error(f"{args.command} needs --metadata-url")
    if args.command == "download":
        missing = [o for o, v in (("--target-name", args.target_name), ("--target-base-url", args.target_base_url),
                                  ("--target-dir", args.target_dir)) if not v]
        if missing:
            parser.error("download needs " + ", ".join(missing))

    try:
        {"init": cmd_init, "refresh": cmd_refresh, "download": cmd_download}[args.command](args)
    except Exception as e:  # any failure of the TUF workflow is a refusal: exit 1
        print(f"python-tuf client: {args.command} failed: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
