"""Writes, for the upstream benchmark, the batches curl posts: the box's statements as relais
sends them (local-only fields removed, every Agent a pseudonymous account), `BATCH` per file.

    python3 curl_batches.py DATA_DIR OUT_DIR BATCH   # prints the number of files
"""
import json
import os
import sqlite3
import sys


def account(agent):
    return {"objectType": "Agent", "account": {"homePage": "https://relais.invalid/0189990L", "name": "0" * 32}}


def outgoing(body):
    s = json.loads(body)
    for key in ("stored", "authority"):
        s.pop(key, None)
    s["actor"] = account(s["actor"])
    if "instructor" in s.get("context", {}):
        s["context"]["instructor"] = account(s["context"]["instructor"])
    return json.dumps(s, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def main(data_dir, out_dir, batch):
    db = sqlite3.connect(os.path.join(data_dir, "relais.sqlite"))
    bodies = [outgoing(row[0]) for row in db.execute("SELECT body FROM statement ORDER BY seq")]
    os.makedirs(out_dir, exist_ok=True)
    files = 0
    for start in range(0, len(bodies), batch):
        with open(os.path.join(out_dir, f"{files:05d}.json"), "w", encoding="utf-8") as f:
            f.write("[" + ",".join(bodies[start:start + batch]) + "]")
        files += 1
    print(files)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
