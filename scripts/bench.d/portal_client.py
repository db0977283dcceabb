#!/usr/bin/env python3
"""Load client of `scripts/bench portal`: simulated pupils launching activities, and sign-ins.

Pupils: each one, on a connection of its own (a device), GETs /catalogue, GETs /lancer/{id} (the
first-name form: hidden `csrf` field, `relais_formulaire` cookie), POSTs /lancer/{id} with
prenom=…&csrf=…, the cookie and the portal's Origin (expects 303 to /lecture/{launch}), then GETs
that /lecture page. Pupils start evenly over --spread seconds, at most --concurrency at once.

Sign-ins: --signins devices at once each GET /connexion and POST /connexion with login, password,
csrf, the cookie and Origin (expects 303), while one more device GETs /catalogue every 50 ms (what
pages cost while bcrypt runs).

asyncio and a minimal HTTP/1.1 client (Content-Length and chunked bodies), so one Python process
drives 50 connections without threads on this 2-core machine. Writes a JSON summary to --out.
"""
import argparse
import asyncio
import json
import math
import re
import sys
import time
import urllib.parse

CSRF = re.compile(rb'name="csrf" value="([0-9a-f]+)"')


class HTTPError(Exception):
    pass


class Device:
    """One keep-alive connection and its cookies, like one pupil's tablet."""

    def __init__(self, port, timeout):
        self.port = port
        self.timeout = timeout
        self.cookies = {}
        self.reader = self.writer = None

    async def close(self):
        if self.writer:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except Exception:
                pass
        self.reader = self.writer = None

    async def request(self, method, path, body=b"", headers=None):
        """(status, headers dict lowercased, body, seconds); reconnects once if the server closed."""
        for attempt in (0, 1):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "User-Agent: relais-bench"]
            if self.cookies:
                lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            for k, v in (headers or {}).items():
                lines.append(f"{k}: {v}")
            if method == "POST":
                lines.append("Content-Type: application/x-www-form-urlencoded")
                lines.append(f"Content-Length: {len(body)}")
            raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
            t0 = time.perf_counter()
            try:
                self.writer.write(raw)
                await self.writer.drain()
                status, head, content = await asyncio.wait_for(self._response(), self.timeout)
            except (ConnectionError, asyncio.IncompleteReadError) as error:
                await self.close()
                if attempt == 0:
                    continue
                raise HTTPError(f"{method} {path}: {error!r}")
            except asyncio.TimeoutError:
                await self.close()
                raise HTTPError(f"{method} {path}: no answer within {self.timeout} s")
            elapsed = time.perf_counter() - t0
            for value in head.get("set-cookie", []):
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if any(v.lower() == "close" for v in head.get("connection", [])):
                await self.close()
            return status, head, content, elapsed
        raise AssertionError("unreachable")

    async def _response(self):
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        head = {}
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            head.setdefault(name.strip().lower(), []).append(value.strip())
        if "content-length" in head:
            content = await self.reader.readexactly(int(head["content-length"][0]))
        elif any("chunked" in v for v in head.get("transfer-encoding", [])):
            content = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    while (await self.reader.readuntil(b"\r\n")) != b"\r\n":
                        pass
                    break
                content += await self.reader.readexactly(size)
                await self.reader.readexactly(2)
        else:
            content = b""
        return status, head, content


class Stats:
    def __init__(self):
        self.latencies = {}  # kind -> [seconds]
        self.errors = []
        self.requests = 0

    def add(self, kind, seconds):
        self.requests += 1
        self.latencies.setdefault(kind, []).append(seconds)

    def error(self, text):
        self.errors.append(text)


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)  # nearest rank
    return ordered[min(len(ordered), max(1, math.ceil(p / 100 * len(ordered)))) - 1]


def ms(value):
    return "—" if value is None else f"{value * 1000:.1f}"


async def pupil(index, args, bundles, names, stats, gate):
    async with gate:
        device = Device(args.port, args.timeout)
        origin = f"http://127.0.0.1:{args.port}"
        bundle = bundles[index % len(bundles)]
        try:
            status, _, _, t = await device.request("GET", "/catalogue")
            stats.add("catalogue", t)
            if status != 200:
                return stats.error(f"GET /catalogue answered {status}")
            path = "/lancer/" + urllib.parse.quote(bundle, safe="")
            status, _, body, t = await device.request("GET", path)
            stats.add("form", t)
            match = CSRF.search(body)
            if status != 200 or not match or "relais_formulaire" not in device.cookies:
                return stats.error(f"GET {path} answered {status} (csrf field {'found' if match else 'missing'})")
            form = urllib.parse.urlencode({"prenom": names[index % len(names)], "csrf": match.group(1).decode()}).encode()
            status, head, body, t = await device.request("POST", path, form, {"Origin": origin})
            stats.add("launch", t)
            location = (head.get("location") or [""])[0]
            if status != 303 or not location.startswith("/lecture/"):
                return stats.error(f"POST {path} answered {status} {location} {body[:120]!r}")
            status, _, _, t = await device.request("GET", location)
            stats.add("player", t)
            if status != 200:
                return stats.error(f"GET {location} answered {status}")
        except HTTPError as error:
            stats.error(str(error))
        finally:
            await device.close()


async def pupils(args, stats):
    bundles = args.bundles.split(",")
    names = [line.strip() for line in open(args.names, encoding="utf-8") if line.strip()]
    gate = asyncio.Semaphore(args.concurrency)
    t0 = time.perf_counter()
    tasks = []
    for i in range(args.pupils):
        start = t0 + (i * args.spread / args.pupils if args.pupils else 0)
        delay = start - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(pupil(i, args, bundles, names, stats, gate)))
    await asyncio.gather(*tasks)
    return time.perf_counter() - t0


async def sign_in(index, args, accounts, stats, barrier):
    login, password = accounts[index % len(accounts)]
    device = Device(args.port, args.timeout)
    try:
        status, _, body, t = await device.request("GET", "/connexion")
        if status == 404:
            stats.not_served = True
            return
        stats.add("signin-form", t)
        match = CSRF.search(body)
        if status != 200 or not match:
            return stats.error(f"GET /connexion answered {status} (csrf field {'found' if match else 'missing'})")
        await barrier.wait()
        form = urllib.parse.urlencode({"login": login, "password": password, "csrf": match.group(1).decode()}).encode()
        status, head, body, t = await device.request("POST", "/connexion", form, {"Origin": f"http://127.0.0.1:{args.port}"})
        stats.add("signin", t)
        if status == 404:
            stats.not_served = True
        elif status != 303:
            stats.error(f"POST /connexion as {login} answered {status} {body[:120]!r}")
    except HTTPError as error:
        stats.error(str(error))
    finally:
        await device.close()


class Barrier:
    """asyncio.Barrier is Python 3.11+; Debian 12 has 3.11, but keep it simple and tolerant."""

    def __init__(self, count):
        self.count, self.event = count, asyncio.Event()

    async def wait(self):
        self.count -= 1
        if self.count <= 0:
            self.event.set()
        await asyncio.wait_for(self.event.wait(), 30)

    def release(self):
        self.count = 0
        self.event.set()


async def sign_ins(args, stats, probe_stats):
    accounts = [tuple(a.split(":", 1)) for a in args.accounts.split(",")]
    stats.not_served = False
    barrier = Barrier(args.signins)
    done = asyncio.Event()

    async def probe():
        device = Device(args.port, args.timeout)
        try:
            while not done.is_set():
                try:
                    status, _, _, t = await device.request("GET", "/catalogue")
                    probe_stats.add("catalogue-during-signins", t)
                    if status != 200:
                        probe_stats.error(f"GET /catalogue during sign-ins answered {status}")
                except HTTPError as error:
                    probe_stats.error(str(error))
                await asyncio.sleep(0.05)
        finally:
            await device.close()

    probe_task = asyncio.create_task(probe())
    t0 = time.perf_counter()
    tasks = [asyncio.create_task(sign_in(i, args, accounts, stats, barrier)) for i in range(args.signins)]
    # A device that stopped early (404, error) must not hold the others at the barrier.
    while not all(t.done() for t in tasks):
        await asyncio.sleep(0.05)
        if stats.not_served or stats.errors:
            barrier.release()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - t0
    done.set()
    await probe_task
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--bundles", required=True, help="bundle ids, comma-separated")
    parser.add_argument("--names", required=True, help="file of first names, one a line")
    parser.add_argument("--accounts", required=True, help="login:password,… for the sign-ins")
    parser.add_argument("--pupils", type=int, default=500)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds over which pupils start")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--signins", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    stats, signin_stats, probe_stats = Stats(), Stats(), Stats()
    wall = asyncio.run(pupils(args, stats))
    pages = [t for k, v in stats.latencies.items() for t in v]
    print(f"portal: {args.pupils} pupils over {args.spread:.0f} s, at most {args.concurrency} at once: "
          f"{stats.requests} requests in {wall:.1f} s, {len(stats.errors)} errors")
    for kind in ("catalogue", "form", "launch", "player"):
        v = stats.latencies.get(kind, [])
        print(f"portal:   {kind:<9} n={len(v):<4} p50 {ms(percentile(v, 50))} ms  p95 {ms(percentile(v, 95))} ms  "
              f"p99 {ms(percentile(v, 99))} ms  max {ms(max(v) if v else None)} ms")
    print(f"portal:   all pages p50 {ms(percentile(pages, 50))} ms  p95 {ms(percentile(pages, 95))} ms  "
          f"p99 {ms(percentile(pages, 99))} ms  max {ms(max(pages) if pages else None)} ms")
    for text in stats.errors[:5]:
        print(f"portal:   error: {text}")

    signin_wall = asyncio.run(sign_ins(args, signin_stats, probe_stats))
    signins = signin_stats.latencies.get("signin", [])
    probes = probe_stats.latencies.get("catalogue-during-signins", [])
    if signin_stats.not_served:
        print("portal: sign-in route not served (GET or POST /connexion answered 404): no sign-in figures")
    else:
        print(f"portal: {args.signins} sign-ins at once: {len(signins)} answered in {signin_wall:.1f} s, "
              f"{len(signin_stats.errors)} errors; p50 {ms(percentile(signins, 50))} ms  "
              f"p99 {ms(percentile(signins, 99))} ms  max {ms(max(signins) if signins else None)} ms")
        for text in signin_stats.errors[:5]:
            print(f"portal:   error: {text}")
    print(f"portal:   /catalogue every 50 ms meanwhile: n={len(probes)} p50 {ms(percentile(probes, 50))} ms  "
          f"p99 {ms(percentile(probes, 99))} ms, {len(probe_stats.errors)} errors")

    summary = {
        "pupils": args.pupils, "spread": args.spread, "concurrency": args.concurrency, "wall": wall,
        "requests": stats.requests + signin_stats.requests + probe_stats.requests,
        "pageRequests": stats.requests, "pageErrors": len(stats.errors),
        "pageP50": percentile(pages, 50), "pageP95": percentile(pages, 95), "pageP99": percentile(pages, 99),
        "signInServed": not signin_stats.not_served, "signIns": len(signins), "signInErrors": len(signin_stats.errors),
        "signInP50": percentile(signins, 50), "signInP99": percentile(signins, 99),
        "probeP99": percentile(probes, 99), "probeErrors": len(probe_stats.errors),
    }
    with open(args.out, "w") as f:
        json.dump(summary, f)


if __name__ == "__main__":
    sys.exit(main())
