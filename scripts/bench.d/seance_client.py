#!/usr/bin/env python3
"""Load client of `scripts/bench seance`: one running séance, a class of --pupils pupils joining it
within --spread seconds, the substitute's live table polled every --poll seconds, and --statements
of the pupils reporting the end of their HTML5 activity.

Setup (timed apart, not in the figures), over HTTP as the pages do it: the teacher signs in
(GET/POST /connexion), prepares a séance for the class (GET /enseignant/seances/nouvelle for the
class id, POST /enseignant/seances), adds the HTML5 activity (POST …/activites), hands it over
(POST …/confier: the code in `<span class="code">`); the substitute types the code (POST
/remplacant) and starts it (POST /remplacant/{id}/demarrer); the join code is read in
`#code-seance`.

Each pupil, on a connection of its own (a tablet), with the form token and cookie the pages give:
GET / → POST /rejoindre (303 to /s/{code}) → GET /s/{code} (the class list) → POST /s/{code}
eleve={their id} (303 to /eleve) → GET /eleve → POST /eleve/activites/0 (303 to /lecture/{launch})
→ GET /lecture/{launch}. Every pupil whose index is a multiple of pupils/statements (--statements of
them, 30 by default) then POSTs /lancement/{launch}/fin as the player does when the pupil leaves:
text/plain JSON {"seconds": …}, Origin = the bundle's own origin (read in the /lecture page's
iframe), which writes an `experienced` statement to the local LRS. Pupils start evenly over
--spread seconds, at most --concurrency at once. Meanwhile the substitute GETs
/remplacant/{id}/suivi every --poll seconds until the last pupil is done, then once more, and the
client checks that the table counts every pupil who joined and every statement posted.

Bounded: each request times out after --timeout seconds, the whole run after --deadline seconds.
Reuses portal_client.py's minimal HTTP/1.1 client (asyncio, one process). Writes a JSON summary to
--out.
"""
import argparse
import asyncio
import json
import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from portal_client import CSRF, Device, HTTPError, Stats, ms, percentile  # noqa: E402

JOIN_CODE = re.compile(rb'id="code-seance">([2-9A-Z]{3}-[2-9A-Z]{3})<')
HANDOVER_CODE = re.compile(rb'class="code">([2-9A-Z]{3}-[2-9A-Z]{3})<')
CLASS_OPTION = re.compile(rb'<option value="([^"]+)"[^>]*>([^<]+)</option>')
NAME_BUTTON = re.compile(rb'<button type="submit" name="eleve" value="([^"]+)">([^<]+)</button>')
FRAME_SRC = re.compile(rb'id="lecteur"[^>]*src="(https?://[^/"]+)/')
JOINED = re.compile(r"(\d+) élève\(s\) sur (\d+) ont rejoint")


class BenchDevice(Device):
    """portal_client's Device, able to send a body of another type (the player's text/plain)."""

    async def post_text(self, path, text, headers):
        # Device.request writes a form Content-Type for POST; the player's beacon sends text/plain.
        # Same connection, same cookies: build the request here.
        body = text.encode()
        for attempt in (0, 1):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "User-Agent: relais-bench",
                     "Content-Type: text/plain;charset=UTF-8", f"Content-Length: {len(body)}"]
            lines += [f"{k}: {v}" for k, v in headers.items()]
            t0 = time.perf_counter()
            try:
                self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
                await self.writer.drain()
                status, head, content = await asyncio.wait_for(self._response(), self.timeout)
            except (ConnectionError, asyncio.IncompleteReadError) as error:
                await self.close()
                if attempt == 0:
                    continue
                raise HTTPError(f"POST {path}: {error!r}")
            except asyncio.TimeoutError:
                await self.close()
                raise HTTPError(f"POST {path}: no answer within {self.timeout} s")
            return status, head, content, time.perf_counter() - t0
        raise AssertionError("unreachable")


def form(**fields):
    return urllib.parse.urlencode(fields).encode()


def token(body):
    match = CSRF.search(body)
    return match.group(1).decode() if match else ""


class Failed(Exception):
    pass


async def expect(device, stats, kind, method, path, body=b"", status=200, location_prefix=None, origin=None):
    """One measured request that must answer `status` (and a Location starting so); its body."""
    headers = {"Origin": origin} if origin else None
    got, head, content, t = await device.request(method, path, body, headers)
    stats.add(kind, t)
    location = (head.get("location") or [""])[0]
    if got != status or (location_prefix is not None and not location.startswith(location_prefix)):
        raise Failed(f"{method} {path} answered {got} {location} {content[:160]!r}")
    return content, location


async def setup(args):
    """The séance, prepared, handed over and started over HTTP: (seance id, join code, substitute)."""
    portal = f"http://127.0.0.1:{args.port}"
    s = Stats()
    teacher = BenchDevice(args.port, args.timeout)
    body, _ = await expect(teacher, s, "setup", "GET", "/connexion")
    await expect(teacher, s, "setup", "POST", "/connexion", form(login=args.login, password=args.password, csrf=token(body)), 303, origin=portal)
    body, _ = await expect(teacher, s, "setup", "GET", "/enseignant/seances/nouvelle")
    classes = {name.decode().strip(): value.decode() for value, name in CLASS_OPTION.findall(body)}
    if args.klass not in classes:
        raise Failed(f"class {args.klass!r} not offered on the new-séance form: {list(classes)}")
    _, seance_path = await expect(teacher, s, "setup", "POST", "/enseignant/seances", form(
        titre="Bench — calcul mental", classe=classes[args.klass], date="", debut="", fin="", consignes="Calcul mental, 10 minutes.",
        planb="", csrf=token(body)), 303, "/enseignant/seances/", origin=portal)
    seance_id = seance_path.rstrip("/").rsplit("/", 1)[1]
    body, _ = await expect(teacher, s, "setup", "GET", seance_path)
    await expect(teacher, s, "setup", "POST", seance_path + "/activites", form(ressource=args.bundle, element="", csrf=token(body)), 303, origin=portal)
    body, _ = await expect(teacher, s, "setup", "GET", seance_path)
    body, _ = await expect(teacher, s, "setup", "POST", seance_path + "/confier", form(csrf=token(body)), 200, origin=portal)
    code = HANDOVER_CODE.search(body)
    if not code:
        raise Failed("no hand-over code on the sheet")
    await teacher.close()
    substitute = BenchDevice(args.port, args.timeout)
    body, _ = await expect(substitute, s, "setup", "GET", "/remplacant")
    await expect(substitute, s, "setup", "POST", "/remplacant", form(code=code.group(1).decode(), csrf=token(body)), 303, "/remplacant/", origin=portal)
    body, _ = await expect(substitute, s, "setup", "GET", f"/remplacant/{seance_id}")
    await expect(substitute, s, "setup", "POST", f"/remplacant/{seance_id}/demarrer", form(csrf=token(body)), 303, origin=portal)
    body, _ = await expect(substitute, s, "setup", "GET", f"/remplacant/{seance_id}")
    join = JOIN_CODE.search(body)
    if not join:
        raise Failed("no join code after « Démarrer »")
    return seance_id, join.group(1).decode(), substitute, s


async def pupil(index, args, join, stats, gate, posted, names, joined):
    """One pupil's tablet: code, name, activities, launch, player page, and maybe the end."""
    portal = f"http://127.0.0.1:{args.port}"
    async with gate:
        device = BenchDevice(args.port, args.timeout)
        try:
            body, _ = await expect(device, stats, "home", "GET", "/")
            _, names_path = await expect(device, stats, "code", "POST", "/rejoindre", form(code=join, csrf=token(body)), 303, "/s/", origin=portal)
            body, _ = await expect(device, stats, "names", "GET", names_path)
            if names[0] is None:
                names[0] = [value.decode() for value, _ in NAME_BUTTON.findall(body)]
            ids = names[0]
            if index >= len(ids):
                raise Failed(f"the class list has {len(ids)} names, pupil {index} has none")
            await expect(device, stats, "pick", "POST", names_path, form(eleve=ids[index], csrf=token(body)), 303, "/eleve", origin=portal)
            joined.append(index)
            body, _ = await expect(device, stats, "activities", "GET", "/eleve")
            _, player = await expect(device, stats, "launch", "POST", "/eleve/activites/0", form(csrf=token(body)), 303, "/lecture/", origin=portal)
            body, _ = await expect(device, stats, "player", "GET", player)
            if args.statements and index % max(1, args.pupils // args.statements) == 0 and len(posted) < args.statements:
                origin = FRAME_SRC.search(body)
                if not origin:
                    raise Failed(f"GET {player}: no player frame on a bundle origin")
                posted.append(index)
                launch = player.rsplit("/", 1)[1].split("?")[0]
                status, _, content, t = await device.post_text(
                    f"/lancement/{launch}/fin", json.dumps({"seconds": 60 + index % 240}), {"Origin": origin.group(1).decode()})
                stats.add("statement", t)
                if status != 200:
                    posted.remove(index)
                    raise Failed(f"POST /lancement/{launch}/fin answered {status} {content[:120]!r}")
        except (Failed, HTTPError) as error:
            stats.error(f"pupil {index}: {error}")
        finally:
            await device.close()


async def watch(args, seance_id, substitute, stats, done, last):
    """The substitute's live table, every --poll seconds until `done`, then once more."""
    path = f"/remplacant/{seance_id}/suivi"
    while True:
        finished = done.is_set()
        try:
            body, _ = await expect(substitute, stats, "suivi", "GET", path)
            last[0] = body.decode("utf-8", "replace")
        except (Failed, HTTPError) as error:
            stats.error(f"substitute: {error}")
        if finished:
            return
        try:
            await asyncio.wait_for(done.wait(), args.poll)
        except asyncio.TimeoutError:
            pass


async def run(args):
    seance_id, join, substitute, setup_stats = await setup(args)
    setup_seconds = sum(setup_stats.latencies.get("setup", []))
    pupils, watcher = Stats(), Stats()
    gate = asyncio.Semaphore(args.concurrency)
    posted, names, last, joined = [], [None], [""], []
    done = asyncio.Event()
    watch_task = asyncio.create_task(watch(args, seance_id, substitute, watcher, done, last))
    t0 = time.perf_counter()
    tasks = []
    for i in range(args.pupils):
        delay = t0 + i * args.spread / max(1, args.pupils) - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(pupil(i, args, join, pupils, gate, posted, names, joined)))
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), max(1.0, args.deadline - (time.perf_counter() - t0)))
    except asyncio.TimeoutError:
        pupils.error(f"the pupils were not all done within the {args.deadline:.0f} s deadline")
    wall = time.perf_counter() - t0
    done.set()
    await watch_task
    await substitute.close()

    # What the substitute saw last: every pupil who joined, every statement posted.
    text = re.sub(r"<[^>]+>", " ", last[0])
    counted = JOINED.search(text)
    seen_joined = int(counted.group(1)) if counted else None
    timed = len(re.findall(r"class=\"p-(?:cours|fini)\"><span aria-hidden=\"true\">[^<]*min", last[0]))
    if seen_joined != len(joined):
        watcher.error(f"the last table counts {seen_joined} pupils joined, {len(joined)} picked their name")
    if timed < len(posted):
        watcher.error(f"the last table shows a time spent for {timed} pupils, {len(posted)} posted the end of their activity")
    return setup_seconds, wall, pupils, watcher, len(posted), seen_joined, timed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--login", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--class", dest="klass", required=True, help="the class's name, as the form lists it")
    parser.add_argument("--bundle", required=True, help="the HTML5 activity's bundle id")
    parser.add_argument("--pupils", type=int, default=500)
    parser.add_argument("--spread", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--statements", type=int, default=30)
    parser.add_argument("--poll", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--deadline", type=float, default=180.0, help="seconds for all the pupils, from the first")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    try:
        setup_seconds, wall, pupils, watcher, posted, seen_joined, timed = asyncio.run(run(args))
    except (Failed, HTTPError) as error:
        print(f"seance: the séance could not be set up over HTTP: {error}")
        return 1
    kinds = ("home", "code", "names", "pick", "activities", "launch", "player")
    pages = [t for k in kinds for t in pupils.latencies.get(k, [])]
    statements = pupils.latencies.get("statement", [])
    suivi = watcher.latencies.get("suivi", [])
    everything = pages + statements + suivi
    print(f"seance: setup over HTTP (sign-in, prepare, add, hand over, open, start) {setup_seconds:.2f} s")
    print(f"seance: {args.pupils} pupils over {args.spread:.0f} s, at most {args.concurrency} at once: "
          f"{pupils.requests} requests in {wall:.1f} s, {len(pupils.errors)} errors; {posted} ended their activity (statements)")
    for kind in kinds + ("statement",):
        v = pupils.latencies.get(kind, [])
        print(f"seance:   {kind:<10} n={len(v):<4} p50 {ms(percentile(v, 50))} ms  p95 {ms(percentile(v, 95))} ms  "
              f"p99 {ms(percentile(v, 99))} ms  max {ms(max(v) if v else None)} ms")
    print(f"seance:   pupil pages n={len(pages)} p50 {ms(percentile(pages, 50))} ms  p95 {ms(percentile(pages, 95))} ms  "
          f"p99 {ms(percentile(pages, 99))} ms  max {ms(max(pages) if pages else None)} ms")
    print(f"seance:   suivi (substitute, every {args.poll:g} s) n={len(suivi)} p50 {ms(percentile(suivi, 50))} ms  "
          f"p95 {ms(percentile(suivi, 95))} ms  p99 {ms(percentile(suivi, 99))} ms  max {ms(max(suivi) if suivi else None)} ms")
    print(f"seance:   last table: {seen_joined} joined, {timed} with a time spent")
    for text in (pupils.errors + watcher.errors)[:8]:
        print(f"seance:   error: {text}")
    summary = {
        "pupils": args.pupils, "spread": args.spread, "wall": wall, "setupSeconds": setup_seconds,
        "requests": pupils.requests + watcher.requests, "errors": len(pupils.errors) + len(watcher.errors),
        "statementsPosted": posted, "seenJoined": seen_joined, "seenTimed": timed,
        "pageP50": percentile(pages, 50), "pageP95": percentile(pages, 95), "pageP99": percentile(pages, 99),
        "statementP99": percentile(statements, 99),
        "suiviN": len(suivi), "suiviP50": percentile(suivi, 50), "suiviP95": percentile(suivi, 95), "suiviP99": percentile(suivi, 99),
        "allP99": percentile(everything, 99),
    }
    with open(args.out, "w") as f:
        json.dump(summary, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
