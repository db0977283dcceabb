"""scripts/fleet-sim's driver: one hub (nginx + Ralph), N boxes on 127.0.0.1. See scripts/fleet-sim."""
import base64
import collections
import concurrent.futures
import datetime
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "upstream"))
from ralph import PASSWORD, USER, Ralph  # noqa: E402

RELAIS = os.environ["RELAIS_BIN"]
BATCH = int(os.environ.get("FLEET_BATCH", "8"))
STATEMENTS = int(os.environ.get("FLEET_STATEMENTS", "20"))
TIMEOUT = float(os.environ.get("FLEET_TIMEOUT", "600"))
BINS = 16
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
START = time.monotonic()
DEADLINE = START + TIMEOUT
LOCK = threading.Lock()


def uai(n):
    digits = f"{750000 + n:07d}"
    return digits + LETTERS[int(digits) % 23]


def left():
    return max(1.0, DEADLINE - time.monotonic())


def relais(*args):
    done = subprocess.run([RELAIS, *args], capture_output=True, text=True, timeout=left())
    if done.returncode != 0:
        raise RuntimeError(f"relais {args[0]} {args[1] if len(args) > 1 else ''} exited {done.returncode}: {done.stderr.strip()[:300]}")
    return done.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """utime + stime (+ waited-for children) of a live process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
    return ticks / os.sysconf("SC_CLK_TCK")


def log(message):
    with LOCK:
        print(f"==> {message}", file=sys.stderr, flush=True)


class Hub:
    """The signed repository, nginx serving it, and Ralph."""

    def __init__(self, work, count):
        self.work = work
        self.repo, self.keys = os.path.join(work, "repo"), os.path.join(work, "keys")
        self.bundles = {}  # id -> kind
        packed = os.path.join(work, "packed")
        os.makedirs(packed)
        files = []
        for name in sorted(os.listdir(os.path.join(ROOT, "bundles"))):
            src = os.path.join(ROOT, "bundles", name)
            if not os.path.isfile(os.path.join(src, "bundle.json")):
                continue
            manifest = json.load(open(os.path.join(src, "bundle.json"), encoding="utf-8"))
            self.bundles[manifest["id"]] = manifest["kind"]
            out = os.path.join(packed, name + ".relais")
            relais("bundle", "pack", src, "-o", out)
            files.append(out)
        self.solutions = sorted(i for i, kind in self.bundles.items() if kind == "solution")
        # Box n holds solution j when bit j of n is 0: every combination of licences appears,
        # including none at all (then the box has no licence document).
        self.expected = {}
        licences = os.path.join(work, "licences")
        os.makedirs(licences)
        now = datetime.datetime.now(datetime.timezone.utc)
        start, end = (now - datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"), (now + datetime.timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for n in range(count):
            licensed = [s for j, s in enumerate(self.solutions) if (n >> j) & 1 == 0]
            self.expected[uai(n)] = sorted(licensed + [i for i, kind in self.bundles.items() if kind != "solution"])
            if not licensed:
                continue
            document = {"uai": uai(n), "abonnements": [
                {"idAbonnement": f"FLEET-{uai(n)}-{j}", "idRessource": s, "libelleRessource": s, "debutValidite": start, "finValidite": end,
                 "typeAffectation": "ETABL", "nbLicenceGlobale": "ILLIMITE", "publicCible": ["ELEVE", "ENSEIGNANT"]}
                for j, s in enumerate(licensed)]}
            path = os.path.join(licences, uai(n) + ".json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(document, f, ensure_ascii=False)
            files.append(path)
        t0 = time.monotonic()
        relais("repo", "init", self.repo, "--keys", self.keys, "--licence-bins", str(BINS))
        relais("repo", "add", self.repo, *files)
        relais("repo", "publish", self.repo, "--keys", self.keys)
        self.publish_seconds = time.monotonic() - t0
        self.trust = os.path.join(self.repo, "metadata", "1.root.json")

    def start(self):
        folder = os.path.join(self.work, "nginx")
        os.makedirs(os.path.join(folder, "tmp"))
        self.port = free_port()
        self.access_log = os.path.join(folder, "access.log")
        temp = os.path.join(folder, "tmp")
        with open(os.path.join(folder, "nginx.conf"), "w") as f:
            f.write(f"""
worker_processes 1;
master_process off;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  log_format fleet '$request_uri $status $bytes_sent';
  access_log {self.access_log} fleet;
  sendfile on; keepalive_timeout 65; default_type application/octet-stream;
  client_body_temp_path {temp}; proxy_temp_path {temp}; fastcgi_temp_path {temp}; uwsgi_temp_path {temp}; scgi_temp_path {temp};
  server {{
    listen 127.0.0.1:{self.port};
    root {self.repo};
    # Box n reads the repository at /box/n/ (/box/n/2/ for its second sync), so the log tells
    # each box's bytes, and what a sync with nothing new costs, apart.
    location /box/ {{ rewrite ^/box/[0-9]+/(2/)?(.*)$ /$2 break; }}
  }}
}}
""")
        self.nginx = subprocess.Popen(["nginx", "-c", os.path.join(folder, "nginx.conf"), "-p", folder],
                                      stdout=subprocess.DEVNULL, stderr=open(os.path.join(folder, "stderr.log"), "w"))
        self.ralph = Ralph(os.path.join(self.work, "ralph")).start()
        wait_http(f"http://127.0.0.1:{self.port}/metadata/1.root.json", self.nginx)
        self.idle_cpu = self.cpu()

    def cpu(self):
        return cpu_seconds(self.nginx.pid), cpu_seconds(self.ralph.process.pid)

    def stop(self):
        if getattr(self, "ralph", None) is not None:
            self.ralph.stop()
        if self.nginx.poll() is None:
            self.nginx.terminate()
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait()


def wait_http(url, process, seconds=60):
    deadline = time.monotonic() + min(seconds, left())
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {seconds} s")
            time.sleep(0.05)


def run_box(n, hub):
    """One box's life; returns what it did, or raises with the step that failed."""
    code = uai(n)
    data = os.path.join(hub.work, "boxes", code)
    result = {"n": n, "uai": code, "ids": []}
    relais("init", "--data", data, "--uai", code, "--trust", hub.trust, "--name", f"École {n}")
    for key, value in (("repository.url", f"http://127.0.0.1:{hub.port}/box/{n}"), ("upstream.lrs.url", hub.ralph.endpoint),
                       ("upstream.lrs.username", USER), ("upstream.lrs.password", PASSWORD), ("serve.bundlePorts", "0")):
        relais("config", "--data", data, "set", key, value)
    t0 = time.monotonic()
    relais("sync", "--data", data, "--once")
    result["pull"] = time.monotonic() - t0
    status = json.loads(relais("status", "--data", data, "--json"))
    result["installed"] = sorted(b["id"] for b in status.get("bundles", []))
    key = relais("credentials", "add", "--data", data, "--name", "fleet").strip().splitlines()[-1]
    for attempt in range(3):
        # A port found free may be taken by another box's server before this one binds it: retry.
        port, content_port = free_port(), free_port()
        server = subprocess.Popen([RELAIS, "serve", "--data", data, "--host", "127.0.0.1", "--port", str(port), "--content-port", str(content_port)],
                                  stdout=subprocess.DEVNULL, stderr=open(os.path.join(hub.work, f"serve-{code}.log"), "a"))
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz", server)
            break
        except RuntimeError:
            if server.poll() is None or attempt == 2:
                server.kill()
                server.wait()
                raise
            server.wait()
    try:
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        # Identifying agents, as content might send them: the box must pseudonymise them.
        statements = [{
            "id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent", "name": f"Élève {k}", "mbox": f"mailto:eleve{k}.{code}@ecole.example"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"fr-FR": "a terminé"}},
            "object": {"objectType": "Activity", "id": f"https://fleet.example/activites/{k % 5}"},
            "timestamp": now,
        } for k in range(STATEMENTS)]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/xapi/statements", data=json.dumps(statements).encode(), method="POST",
            headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3",
                     "Authorization": "Basic " + base64.b64encode(key.encode()).decode()})
        with urllib.request.urlopen(request, timeout=left()) as answer:
            stored = json.loads(answer.read())
        if sorted(stored) != sorted(s["id"] for s in statements):
            raise RuntimeError(f"the local LRS answered ids {stored[:3]}… instead of the ids posted")
        result["ids"] = stored
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    result["record"] = time.monotonic() - t0 - result["pull"]
    relais("config", "--data", data, "set", "repository.url", f"http://127.0.0.1:{hub.port}/box/{n}/2")
    t0 = time.monotonic()
    relais("sync", "--data", data, "--once")
    result["push"] = time.monotonic() - t0
    return result


def main():
    count = int(sys.argv[1])
    base = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    work = tempfile.mkdtemp(prefix="relais-fleet.", dir=base)
    hub = None
    failures = 0
    number = 0

    def check(condition, what, detail=""):
        nonlocal failures, number
        number += 1
        print(f"{'ok' if condition else 'not ok'} {number} - {what}", flush=True)
        if not condition:
            failures += 1
            if detail:
                print(f"#   {detail}", flush=True)

    try:
        log(f"fleet-sim: {count} boxes, {BATCH} at a time, {STATEMENTS} statements each, work folder {work}")
        hub = Hub(work, count)
        log(f"hub: {len(hub.bundles)} bundles, {sum(1 for e in hub.expected.values() if set(e) & set(hub.solutions))} licence documents, "
            f"{BINS} bins; init + add + publish {hub.publish_seconds:.2f} s")
        hub.start()
        results, errors = {}, {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=BATCH) as pool:
            futures = {pool.submit(run_box, n, hub): n for n in range(count)}
            for future in concurrent.futures.as_completed(futures):
                n = futures[future]
                try:
                    results[n] = future.result()
                except Exception as error:  # noqa: BLE001 - reported as the box's failure
                    errors[n] = str(error)
                done = len(results) + len(errors)
                if done % 10 == 0 or done == count:
                    log(f"{done}/{count} boxes done ({time.monotonic() - START:.0f} s)")
        nginx_cpu, ralph_cpu = hub.cpu()
        wall = time.monotonic() - START

        upstream = hub.ralph.stored()
        seen = collections.Counter(s.get("id") for s in upstream)
        by_id = {s.get("id"): s for s in upstream}
        raw = hub.ralph.raw()
        served = collections.defaultdict(lambda: {"bytes": 0, "metadata": 0, "targets": 0, "bins": set(), "errors": 0, "again": 0})
        pattern = re.compile(r"^/box/(\d+)/(2/)?(\S*) (\d{3}) (\d+)$")
        with open(hub.access_log) as f:
            for line in f:
                match = pattern.match(line.strip())
                if not match:
                    continue
                n, again, path, status, size = int(match[1]), match[2], match[3], int(match[4]), int(match[5])
                entry = served[n]
                entry["bytes"] += size
                if again:
                    entry["again"] += size
                entry["metadata" if path.startswith("metadata/") else "targets"] += size
                if re.match(r"metadata/\d+\.licences-[0-9a-f]+\.json$", path):
                    entry["bins"].add(path)
                if status >= 400 and not path.endswith(".root.json"):
                    entry["errors"] += 1

        delivered_total = 0
        for n in range(count):
            code = uai(n)
            if n in errors:
                check(False, f"box {code}", errors[n])
                continue
            r = results[n]
            expected = hub.expected[code]
            once = sum(1 for i in r["ids"] if seen[i] == 1)
            twice = sum(1 for i in r["ids"] if seen[i] > 1)
            lost = sum(1 for i in r["ids"] if seen[i] == 0)
            homes = {by_id[i]["actor"].get("account", {}).get("homePage") for i in r["ids"] if i in by_id}
            delivered_total += once
            s = served[n]
            problems = []
            if r["installed"] != expected:
                problems.append(f"installed {r['installed']}, expected {expected}")
            if lost or twice:
                problems.append(f"{lost} statement(s) lost, {twice} delivered more than once")
            if homes - {f"https://relais.invalid/{code}"}:
                problems.append(f"actors upstream not pseudonymised as this box's: {sorted(map(str, homes))}")
            if len(s["bins"]) != 1:
                problems.append(f"fetched {len(s['bins'])} licence bins: {sorted(s['bins'])}")
            if s["errors"]:
                problems.append(f"{s['errors']} failed repository request(s)")
            check(not problems,
                  f"box {code}: {len(r['installed'])}/{len(expected)} bundles ({len(set(r['installed']) & set(hub.solutions))} licensed solutions, "
                  f"nothing unlicensed), {once}/{len(r['ids'])} statements upstream exactly once, {len(s['bins'])} licence bin, "
                  f"{s['bytes'] / 1000:.1f} kB served ({s['metadata'] / 1000:.1f} kB metadata, {s['again']} B at the second sync), pull {r['pull']:.2f} s, "
                  f"serve+record {r['record']:.2f} s, push {r['push']:.2f} s",
                  "; ".join(problems))

        posted = sum(len(r["ids"]) for r in results.values())
        check(len(upstream) == posted == count * STATEMENTS and all(v == 1 for v in seen.values()),
              f"Ralph holds {len(upstream)} statements for {count * STATEMENTS} posted on the boxes, none twice",
              f"{sum(1 for v in seen.values() if v > 1)} duplicated ids; {posted} posted")
        # (Ralph's own `authority` is the mbox of the box's upstream account: not a pupil's.)
        check("ecole.example" not in raw and "Élève" not in raw and "\\u00c9l\\u00e8ve" not in raw,
              "no pupil name or mbox reached Ralph")
        check(wall <= TIMEOUT, f"the fleet finished within {TIMEOUT:.0f} s ({wall:.1f} s)")
        total_bytes = sum(s["bytes"] for s in served.values())
        meta_bytes = sum(s["metadata"] for s in served.values())
        again_bytes = sum(s["again"] for s in served.values())
        pulls = sorted(r["pull"] for r in results.values()) or [0]
        pushes = sorted(r["push"] for r in results.values()) or [0]
        print(f"# total: {count} boxes ({len(results)} completed, {len(errors)} failed), batch {BATCH}, wall {wall:.1f} s")
        print(f"# total: {delivered_total}/{count * STATEMENTS} statements delivered exactly once; Ralph stored {len(upstream)}")
        print(f"# total: repository bytes served {total_bytes} ({total_bytes / max(count, 1) / 1000:.1f} kB a box; "
              f"metadata {meta_bytes}, {meta_bytes / max(count, 1) / 1000:.1f} kB a box; the second sync, nothing new: {again_bytes / max(count, 1):.0f} B a box)")
        print(f"# total: hub CPU during the run: nginx {nginx_cpu - hub.idle_cpu[0]:.2f} s, Ralph {ralph_cpu - hub.idle_cpu[1]:.2f} s "
              f"(Ralph's start-up {hub.idle_cpu[1]:.2f} s not counted); hub repo init+add+publish {hub.publish_seconds:.2f} s")
        print(f"# total: pull p50 {pulls[len(pulls) // 2]:.2f} s max {pulls[-1]:.2f} s; push p50 {pushes[len(pushes) // 2]:.2f} s max {pushes[-1]:.2f} s")
    except Exception as error:  # noqa: BLE001 - the hub failed: one line, then exit 1
        check(False, "the hub started and the fleet ran", str(error))
    finally:
        if hub is not None and hasattr(hub, "nginx"):
            hub.stop()
        if os.environ.get("FLEET_KEEP") == "1":
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("# done", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
