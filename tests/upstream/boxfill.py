"""Fills a box's local LRS with statements from the seeded school (seeds/personnes.json), the way
the local LRS stores them (body with id, timestamp, stored, authority, version), in one
transaction: the outbox trigger queues each one as it is inserted.

Written to SQLite directly so the upstream tests do not depend on the local LRS's HTTP side.

    python3 boxfill.py DATA_DIR COUNT [SEED]
"""
import json
import os
import random
import sqlite3
import sys
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VERBS = ["http://adlnet.gov/expapi/verbs/launched", "http://adlnet.gov/expapi/verbs/experienced",
         "http://adlnet.gov/expapi/verbs/completed", "http://adlnet.gov/expapi/verbs/passed"]


def people():
    with open(os.path.join(ROOT, "seeds", "personnes.json"), encoding="utf-8") as f:
        seeds = json.load(f)
    return seeds["eleves"], seeds["personnels"]


def seeded_names():
    """Every first and last name of the seeded pupils and staff (what must never go upstream)."""
    pupils, staff = people()
    names = set()
    for person in pupils + staff:
        for key in ("prenom", "nom"):
            if person.get(key):
                names.add(person[key])
    return sorted(names)


def agent(person):
    name = " ".join(p for p in (person.get("prenom"), person.get("nom") or person.get("initiale")) if p)
    local = "".join(c for c in name.lower() if c.isalnum()) or "someone"
    return {"objectType": "Agent", "name": name, "mbox": f"mailto:{local}@ecole.school.example"}


def statements(count, seed=1):
    rng = random.Random(seed)
    pupils, staff = people()
    base = 1_772_442_000_000  # 2026-03-02 09:00 UTC, in ms
    for i in range(count):
        pupil, teacher = rng.choice(pupils), rng.choice(staff)
        ms = base + i * 1000
        stamp = ms_to_iso(ms)
        yield ms, {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "actor": agent(pupil),
            "verb": {"id": rng.choice(VERBS), "display": {"fr-FR": "a fait"}},
            "object": {"objectType": "Activity", "id": f"https://relais.example/activites/{i % 97}",
                       "definition": {"name": {"fr-FR": f"Activité {i % 97}"}}},
            "context": {"instructor": agent(teacher), "registration": str(uuid.UUID(int=rng.getrandbits(128), version=4))},
            "result": {"completion": True, "score": {"scaled": round(rng.random(), 2)}},
            "timestamp": stamp, "stored": stamp, "version": "1.0.3",
            "authority": {"objectType": "Agent", "account": {"homePage": "https://relais.invalid/box", "name": "lrs"}},
        }


def ms_to_iso(ms):
    import datetime
    t = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def fill(data_dir, count, seed=1):
    """Inserts `count` statements; returns their ids."""
    db = sqlite3.connect(os.path.join(data_dir, "relais.sqlite"), timeout=30)
    ids = []
    with db:
        for ms, s in statements(count, seed):
            body = json.dumps(s, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
            db.execute("INSERT INTO statement (id, body, storedAt, verbId, activityId, registration, actorKey) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (s["id"], body, ms, s["verb"]["id"], s["object"]["id"], s["context"]["registration"],
                        "mbox:" + s["actor"]["mbox"]))
            ids.append(s["id"])
    db.close()
    return ids


def fill_through_lrs(relais, data_dir, count, seed=1, batch=100):
    """Stores `count` statements the real way: POSTed in batches to the box's local LRS
    (`relais serve`, /xapi/statements) with credentials from `relais credentials add`.
    Statements go without `stored`/`authority`: the local LRS sets them. Returns their ids."""
    import base64
    import socket
    import subprocess
    import time
    import urllib.request

    credential = subprocess.run([relais, "credentials", "add", "--data", data_dir, "--name", "upstream-tests"],
                                capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    ports = []
    for _ in range(2):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
    server = subprocess.Popen([relais, "serve", "--data", data_dir, "--host", "127.0.0.1", "--port", str(ports[0]),
                               "--content-port", str(ports[1])], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{ports[0]}/xapi/statements"
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3",
               "Authorization": "Basic " + base64.b64encode(credential.encode()).decode()}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{ports[0]}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        ids, pending = [], []
        for _, s in statements(count, seed):
            pending.append({k: v for k, v in s.items() if k not in ("stored", "authority", "version")})
            if len(pending) == batch:
                ids += post(url, headers, pending)
                pending = []
        if pending:
            ids += post(url, headers, pending)
        return ids
    finally:
        server.terminate()
        server.wait(30)


def post(url, headers, batch):
    import urllib.request
    request = urllib.request.Request(url, data=json.dumps(batch).encode(), method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def outbox(data_dir):
    """(pending, quarantined) read from the box's database."""
    db = sqlite3.connect(f"file:{os.path.join(data_dir, 'relais.sqlite')}?mode=ro", uri=True, timeout=30)
    try:
        pending = db.execute("SELECT COUNT(*) FROM outbox WHERE quarantinedAt IS NULL").fetchone()[0]
        quarantined = db.execute("SELECT COUNT(*) FROM outbox WHERE quarantinedAt IS NOT NULL").fetchone()[0]
        return pending, quarantined
    finally:
        db.close()


if __name__ == "__main__":
    ids = fill(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    print(len(ids))
