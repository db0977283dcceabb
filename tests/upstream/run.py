#!/usr/bin/env python3
"""Black-box check of the upstream push against a real LRS (Ralph 5.1.0) and a faulty network.

A box holds 10,000 statements from the seeded school (names in clear, as content may send them).
`relais sync --once` pushes them to Ralph through a proxy that breaks ~30 % of requests
(fault_proxy.py), in a loop until the outbox is empty, and the box is killed with SIGKILL twice
mid-push. Then: Ralph holds every statement exactly once, the outbox is empty, and no seeded
name is anywhere in Ralph's store. Also against Ralph directly: a real 409 goes to quarantine
(shown by `relais status`, retried on request) and wrong credentials stop the push (exit 1).

Prints TAP-like `ok N - …` / `not ok N - …` lines and `# done` last.
Environment: RELAIS_BIN (default: the debug build), UPSTREAM_COUNT (10000), FAULT_SEED (7).
"""
import collections
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import base64

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tap import Tap  # noqa: E402
import boxfill  # noqa: E402
import ralph as ralph_lrs  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402

ROOT = boxfill.ROOT
UAI = "0189990L"
COUNT = int(os.environ.get("UPSTREAM_COUNT", "10000"))
SEED = int(os.environ.get("FAULT_SEED", "7"))
TAP = Tap()
check = TAP.check


def relais_bin():
    if os.environ.get("RELAIS_BIN"):
        return os.environ["RELAIS_BIN"]
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return os.path.join(path, "relais")


RELAIS = relais_bin()


def relais(*args, check_rc=None):
    done = subprocess.run([RELAIS, *args], capture_output=True, text=True, timeout=300)
    if check_rc is not None and done.returncode != check_rc:
        raise RuntimeError(f"relais {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    return done


def new_box(tmp, name, endpoint, user=ralph_lrs.USER, password=ralph_lrs.PASSWORD, batch=100):
    data = os.path.join(tmp, name)
    relais("init", "--data", data, "--uai", UAI, "--name", "Test", check_rc=0)
    for key, value in [("upstream.lrs.url", endpoint), ("upstream.lrs.username", user),
                       ("upstream.lrs.password", password), ("upstream.batchSize", str(batch))]:
        relais("config", "--data", data, "set", key, value, check_rc=0)
    return data


def post_direct(ralph, statement):
    token = base64.b64encode(f"{ralph_lrs.USER}:{ralph_lrs.PASSWORD}".encode()).decode()
    request = urllib.request.Request(
        ralph.endpoint + "/statements", data=json.dumps(statement).encode(), method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3", "Authorization": "Basic " + token})
    try:
        return urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def faulty_scenario(tmp, ralph):
    # Filled through the box's own LRS before the upstream is configured, so `relais serve`
    # does not start pushing them itself.
    box = new_box(tmp, "box", "")
    ids = boxfill.fill_through_lrs(RELAIS, box, COUNT, seed=SEED)
    check(len(set(ids)) == COUNT and boxfill.outbox(box) == (COUNT, 0),
          f"{COUNT} statements POSTed to the box's local LRS are all queued in its outbox", str(boxfill.outbox(box)))
    proxy = FaultProxy(ralph.port, fault_rate=0.3, seed=SEED).start()
    relais("config", "--data", box, "set", "upstream.lrs.url", f"http://127.0.0.1:{proxy.port}/xAPI", check_rc=0)

    started = time.time()
    kills, runs, exits = [], 0, collections.Counter()
    # Two SIGKILLs, each while a run is pushing and once the outbox went below a mark; runs that
    # end by themselves before the mark (exit 1 after a few faults in a row) are started again.
    for threshold in (COUNT * 85 // 100, COUNT * 45 // 100):
        while boxfill.outbox(box)[0] > threshold and runs < 300:
            runs += 1
            process = subprocess.Popen([RELAIS, "sync", "--data", box, "--once"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while process.poll() is None and boxfill.outbox(box)[0] > threshold:
                time.sleep(0.05)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills.append(boxfill.outbox(box)[0])
                exits["SIGKILL"] += 1
                break
            exits[process.returncode] += 1
    while boxfill.outbox(box)[0] > 0 and runs < 300:
        runs += 1
        exits[relais("sync", "--data", box, "--once").returncode] += 1
    elapsed = time.time() - started
    proxy.stop()

    check(len(kills) == 2 and all(0 < k < COUNT for k in kills), "the box was killed with SIGKILL twice mid-push",
          f"outbox at the kills: {kills}")
    pending, quarantined = boxfill.outbox(box)
    check(pending == 0 and quarantined == 0, f"the outbox is empty after {runs} runs of relais sync --once",
          f"pending {pending}, quarantined {quarantined}")
    print(f"# {COUNT} statements in {elapsed:.1f} s, {runs} runs (exits {dict(exits)}, outbox at the kills {kills}), "
          f"proxy: {dict(proxy.counts)}", flush=True)
    check(all(proxy.counts[f] > 0 for f in ("error500", "reset", "delay", "lost", "late500")),
          "the proxy injected every kind of fault (500, reset, delay, lost answer, 500 after storing)", str(dict(proxy.counts)))

    stored = ralph.stored()
    counts = collections.Counter(s.get("id") for s in stored)
    twice = [i for i, n in counts.items() if n > 1]
    check(not twice, "Ralph holds no statement twice", f"{len(twice)} duplicated, e.g. {twice[:3]}")
    missing = set(ids) - set(counts)
    check(not missing and len(counts) == COUNT, f"Ralph holds every one of the {COUNT} statements",
          f"{len(missing)} missing, {len(counts)} distinct stored")

    raw = ralph.raw()
    leaked = [name for name in boxfill.seeded_names() if name in raw]
    check(not leaked and "ecole.school.example" not in raw, "no seeded pupil or teacher name (nor their mbox) in Ralph's store",
          f"found: {leaked[:5]}")
    home = f"https://relais.invalid/{UAI}"
    check(all(s["actor"].get("account", {}).get("homePage") == home and set(s["actor"]) <= {"objectType", "account"}
              for s in stored), "every actor upstream is the box's pseudonymous account, and nothing else")
    check(len({s["actor"]["account"]["name"] for s in stored}) <= len(boxfill.people()[0]),
          "pseudonyms are stable: at most one per seeded pupil")
    return stored


def refusal_scenarios(tmp, ralph, stored):
    # A real 409: Ralph already holds one of the box's ids with other content.
    box = new_box(tmp, "box409", ralph.endpoint, batch=10)
    ids = boxfill.fill(box, 20, seed=SEED + 1)
    taken = dict(stored[0])
    taken["id"] = ids[5]
    status = post_direct(ralph, {k: v for k, v in taken.items() if k not in ("stored", "authority")})
    done = relais("sync", "--data", box, "--once")
    pending, quarantined = boxfill.outbox(box)
    check(status == 200 and done.returncode == 0 and (pending, quarantined) == (0, 1),
          "a real 409 from Ralph sends the one conflicting statement to quarantine and the 19 others through",
          f"pre-post {status}, exit {done.returncode}, outbox {(pending, quarantined)}, stderr {done.stderr.strip()}")
    text = relais("status", "--data", box).stdout
    check("QUARANTAINE" in text and ids[5] in text and "409" in text, "relais status shows the quarantined statement and why",
          text[-600:])
    again = relais("sync", "--data", box, "--once", "--retry-quarantined")
    check(again.returncode == 0 and boxfill.outbox(box) == (0, 1), "retried, it is refused again and stays in quarantine",
          again.stdout + again.stderr)

    # `relais serve` pushes in the background as soon as it starts (no window set).
    box = new_box(tmp, "boxserve", ralph.endpoint)
    served = boxfill.fill(box, 30, seed=SEED + 3)
    ports = [ralph_lrs.free_port(), ralph_lrs.free_port()]
    server = subprocess.Popen([RELAIS, "serve", "--data", box, "--host", "127.0.0.1", "--port", str(ports[0]),
                               "--content-port", str(ports[1])], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline and boxfill.outbox(box)[0] > 0:
        time.sleep(0.2)
    server.terminate()
    server.wait(30)
    upstream = {s["id"] for s in ralph.stored()}
    check(boxfill.outbox(box) == (0, 0) and set(served) <= upstream, "relais serve pushes the outbox in the background",
          str(boxfill.outbox(box)))

    # Wrong credentials: exit 1, one line saying what to do, everything kept, status says so.
    box = new_box(tmp, "box401", ralph.endpoint, password="wrong")
    boxfill.fill(box, 10, seed=SEED + 2)
    done = relais("sync", "--data", box, "--once")
    check(done.returncode == 1 and "upstream.lrs.password" in done.stderr and boxfill.outbox(box) == (10, 0),
          "wrong credentials: exit 1 naming the settings to fix, nothing lost", f"exit {done.returncode}: {done.stderr.strip()}")
    check("IDENTIFIANTS REFUSÉS" in relais("status", "--data", box).stdout, "relais status shows the refused credentials")


def ralph_statements(ralph):
    """GET ENDPOINT/statements as the box authenticates: Ralph's answer as JSON, or {} on any failure."""
    token = base64.b64encode(f"{ralph_lrs.USER}:{ralph_lrs.PASSWORD}".encode()).decode()
    request = urllib.request.Request(ralph.endpoint + "/statements?limit=1",
                                     headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)
    except (OSError, ValueError) as error:
        return {"error": repr(error)}


def main():
    ralph_lrs.ensure_installed()
    if not check(os.access(RELAIS, os.X_OK), f"relais binary at {RELAIS}"):
        print("# done")
        return 1
    tmp = tempfile.mkdtemp(prefix="relais-upstream-")
    ralph = ralph_lrs.Ralph(os.path.join(tmp, "ralph"))
    try:
        ralph.start()
        answer = ralph_statements(ralph)
        if not check(answer.get("statements") == [], f"Ralph 5.1.0 answers xAPI on {ralph.endpoint} with the box's credentials, store empty",
                     str(answer)[:300]):
            return 1
        stored = faulty_scenario(tmp, ralph)
        if stored:
            refusal_scenarios(tmp, ralph, stored)
    except Exception as error:  # a harness failure is a failed test, not a traceback without `# done`
        check(False, "upstream scenario ran to the end", repr(error))
    finally:
        ralph.stop()
        if TAP.failures == 0 and not os.environ.get("UPSTREAM_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"# kept {tmp}")
    print("# done", flush=True)
    return 1 if TAP.failures else 0


if __name__ == "__main__":
    sys.exit(main())
