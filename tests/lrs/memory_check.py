#!/usr/bin/env python3
"""Memory and body limits of the box's local LRS (issue 8, item 3), bounded in time and count.

Against one `relais serve`: RSS idle; 32 concurrent POSTs of 15 MB of statements (refused 413,
naming the limit in bytes, without holding 32 bodies); 16 concurrent POSTs of 6 MB (under the
limit: stored, or 503 + Retry-After when the large-body gate is full); RSS after; then 10,000
statements in one POST (stored atomically) and one statement with 1 MB of extensions. RSS is
read with `ps -o rss=` (sampled every 50 ms for the peak) and printed.

Prints `ok N - …` / `not ok N - …` and `# done`; exit 1 when a check failed.
Environment: RELAIS_BIN (default .build/debug/relais), MEMORY_AFTER_MAX_MB (100), MEMORY_PEAK_MAX_MB (300).
"""
import concurrent.futures
import json
import os
import sys
import threading
import time
import uuid

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from box import Box, Checks  # noqa: E402

check = Checks()
AFTER_MAX_MB = float(os.environ.get("MEMORY_AFTER_MAX_MB", "100"))
PEAK_MAX_MB = float(os.environ.get("MEMORY_PEAK_MAX_MB", "300"))
LIMIT = 8 << 20  # XAPIBodyLimits.maxJSON


def statements_body(size, extension=0):
    one = {"actor": {"mbox": "mailto:eleve@example.fr"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
           "object": {"id": "https://relais.invalid/b/quiz/1", "definition": {"extensions": {"http://x.y/pad": "x" * extension}}}}
    text = json.dumps(one)
    count = max(1, size // (len(text) + 1))
    return ("[" + ",".join([text] * count) + "]").encode(), count


class Sampler(threading.Thread):
    def __init__(self, box):
        super().__init__(daemon=True)
        self.box, self.peak, self.stop = box, 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, self.box.rss_kb())
            time.sleep(0.05)


def settle(box, seconds=15):
    """RSS once it stops falling (polled, bounded). The server gives memory back when its last
    large body is done and again 2 s later, so the first 3 s are always waited for."""
    deadline, last = time.monotonic() + seconds, box.rss_kb()
    quiet = time.monotonic() + 3
    while time.monotonic() < quiet:
        time.sleep(0.5)
        last = min(last, box.rss_kb())
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = box.rss_kb()
        if now >= last:
            return now
        last = now
    return last


def main():
    box = Box()
    headers = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
    auth = (box.key, box.secret)
    url = box.endpoint + "statements"
    try:
        for _ in range(3):  # warm up: first requests allocate the server's pools
            requests.post(url, data=statements_body(10_000)[0], headers=headers, auth=auth, timeout=60)
        idle = settle(box)
        print(f"# RSS idle: {idle / 1024:.1f} MB ({box.rss_detail()} kB)", flush=True)

        sampler = Sampler(box)
        sampler.start()
        big, _ = statements_body(15_000_000)

        def post(body):
            try:
                r = requests.post(url, data=body, headers=headers, auth=auth, timeout=180)
                return r.status_code, r.text, r.headers.get("Retry-After")
            except requests.RequestException as error:
                return 0, str(error), None

        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(32) as pool:
            answers = list(pool.map(post, [big] * 32))
        statuses = [a[0] for a in answers]
        check(statuses == [413] * 32, "32 concurrent 15 MB POSTs: all 413", str(sorted(set(statuses))))
        check(all(f"{LIMIT} bytes" in a[1] and "send fewer statements per request" in a[1] and "NIO" not in a[1] for a in answers),
              "the 413 names the limit in bytes and says to send fewer statements per request", answers[0][1][:200])
        print(f"# 32 x 15 MB: {time.monotonic() - started:.1f} s", flush=True)

        medium, per_body = statements_body(6_000_000)
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(post, [medium] * 16))
        stored = [a for a in answers if a[0] == 200]
        busy = [a for a in answers if a[0] == 503]
        check(len(stored) + len(busy) == 16 and stored and all(a[2] for a in busy),
              f"16 concurrent 6 MB POSTs ({per_body} statements each): stored, or 503 with Retry-After",
              str(sorted(a[0] for a in answers)))
        print(f"# 16 x 6 MB: {len(stored)} stored, {len(busy)} busy, {time.monotonic() - started:.1f} s", flush=True)
        sampler.stop.set()
        sampler.join()
        after = settle(box)
        peak = max(sampler.peak, after)
        print(f"# RSS idle {idle / 1024:.1f} MB, peak {peak / 1024:.1f} MB, after {after / 1024:.1f} MB ({box.rss_detail()} kB)", flush=True)
        check(box.alive(), "relais serve survived the large bodies")
        check(peak / 1024 <= PEAK_MAX_MB, f"peak RSS {peak / 1024:.1f} MB <= {PEAK_MAX_MB} MB")
        check(after / 1024 <= AFTER_MAX_MB, f"RSS after {after / 1024:.1f} MB <= {AFTER_MAX_MB} MB (idle {idle / 1024:.1f} MB)")

        body, count = statements_body(0)
        body = ("[" + ",".join([json.dumps({"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:eleve@example.fr"},
                                            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                                            "object": {"id": "https://relais.invalid/b/quiz/1"}}) for _ in range(10_000)]) + "]").encode()
        status, text, _ = post(body)
        check(status == 200 and len(json.loads(text)) == 10_000, f"10,000 statements in one POST ({len(body)} bytes): stored atomically", text[:200])
        one, _ = statements_body(0, extension=1 << 20)
        status, text, _ = post(one)
        check(status == 200, "one statement with 1 MB of extensions: stored", text[:200])
        check(box.alive(), "relais serve still answers")
        print(f"# RSS at the end: {settle(box) / 1024:.1f} MB", flush=True)
    finally:
        box.close()
    print("# done", flush=True)
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
