#!/usr/bin/env python3
"""Raw TCP clients for tests/cli/lan_test.sh; every loop is bounded in count and time, and only
127.0.0.1 is ever contacted.

  hold PORT COUNT SECONDS STATUS   open COUNT idle connections, then watch them until the server
                                   has closed them all or SECONDS pass; STATUS (a JSON file) is
                                   rewritten as it goes: opened, refused, open, closed, bytes
  exchange PORT REQUEST [SECONDS]  send REQUEST (\\r\\n escapes allowed) on a new connection, read
                                   until the server closes or SECONDS pass; print one JSON line:
                                   status, connection header, closed, seconds
  launches PORT ID COUNT           COUNT concurrent POST /lancer/ID (prenom=ÉlèveN, each with the
                                   CSRF token of its own GET of the form); print one JSON
                                   line counting the statuses and the failures
"""
import json
import os
import resource
import selectors
import socket
import sys
import threading
import time

HOST = "127.0.0.1"


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def write_status(path, status):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(status, f)
    os.replace(tmp, path)


def hold(port, count, seconds, status_path):
    raise_nofile()
    deadline = time.monotonic() + seconds
    sel = selectors.DefaultSelector()
    connecting = {}
    status = {"opened": 0, "refused": 0, "open": 0, "closed": 0, "bytes": 0, "phase": "connecting"}
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        err = s.connect_ex((HOST, port))
        if err not in (0, 115):  # EINPROGRESS
            status["refused"] += 1
            s.close()
            continue
        connecting[s.fileno()] = s
        sel.register(s, selectors.EVENT_WRITE)
    opened = {}
    connect_deadline = min(deadline, time.monotonic() + 15)
    while connecting and time.monotonic() < connect_deadline:
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            sel.unregister(s)
            del connecting[s.fileno()]
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                opened[s.fileno()] = s
                sel.register(s, selectors.EVENT_READ)
                status["opened"] += 1
            else:
                status["refused"] += 1
                s.close()
    for s in connecting.values():  # never completed: not counted as open
        sel.unregister(s)
        s.close()
        status["refused"] += 1
    status["open"] = len(opened)
    status["phase"] = "holding"
    write_status(status_path, status)
    last_write = time.monotonic()
    while opened and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if data:
                status["bytes"] += len(data)
                continue
            sel.unregister(s)
            del opened[s.fileno()]
            s.close()
            status["closed"] += 1
        status["open"] = len(opened)
        if time.monotonic() - last_write >= 0.2:
            write_status(status_path, status)
            last_write = time.monotonic()
    status["open"] = len(opened)
    status["phase"] = "done"
    write_status(status_path, status)
    for s in opened.values():
        s.close()


def exchange(port, request, seconds=5.0):
    started = time.monotonic()
    deadline = started + seconds
    received = b""
    closed = False
    with socket.create_connection((HOST, port), timeout=seconds) as s:
        if request:
            s.sendall(request.encode("latin-1"))
        while time.monotonic() < deadline:
            s.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            received += chunk
    head = received.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    status = None
    if lines and lines[0].startswith("HTTP/1."):
        parts = lines[0].split(" ")
        status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    print(json.dumps({
        "status": status, "connection": headers.get("connection"), "closed": closed,
        "seconds": round(time.monotonic() - started, 3), "bytes": len(received),
    }))


def launch_form(port, bundle_id):
    """GET /lancer/ID as a device would: the form's CSRF token and the cookie it is bound to."""
    import http.client
    import re
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", f"/lancer/{bundle_id}")
    response = connection.getresponse()
    html = response.read().decode("utf-8", "replace")
    cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
    connection.close()
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    return (match.group(1) if match else ""), cookie


def launches(port, bundle_id, count):
    raise_nofile()
    results = {}
    failures = []
    lock = threading.Lock()
    start = threading.Barrier(count, timeout=30)

    def one(index):
        try:
            token, cookie = launch_form(port, bundle_id)
        except OSError as error:
            token, cookie = "", ""
            with lock:
                failures.append(f"form: {error}"[:200])
        body = "prenom=%C3%89l%C3%A8ve" + str(index) + "&csrf=" + token
        request = (
            f"POST /lancer/{bundle_id} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Cookie: {cookie}\r\nOrigin: http://{HOST}:{port}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}"
        )
        try:
            start.wait()
        except threading.BrokenBarrierError:
            pass
        try:
            with socket.create_connection((HOST, port), timeout=30) as s:
                s.settimeout(30)
                s.sendall(request.encode())
                received = b""
                while b"\r\n\r\n" not in received:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    received += chunk
            line = received.split(b"\r\n", 1)[0].decode("latin-1")
            status = line.split(" ")[1] if line.startswith("HTTP/1.") else "no answer"
            location = ""
            for header in received.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
                if header.lower().startswith(b"location:"):
                    location = header.split(b":", 1)[1].strip().decode("latin-1")
            with lock:
                results[status] = results.get(status, 0) + 1
                if status != "303" or not location:
                    failures.append(f"{status} {location}"[:200])
        except OSError as error:
            with lock:
                results["error"] = results.get("error", 0) + 1
                failures.append(str(error)[:200])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    print(json.dumps({"statuses": results, "failures": failures[:5], "seconds": round(time.monotonic() - started, 2)}))


def main(argv):
    if len(argv) >= 5 and argv[0] == "hold":
        hold(int(argv[1]), int(argv[2]), float(argv[3]), argv[4])
    elif len(argv) >= 3 and argv[0] == "exchange":
        request = argv[2].encode().decode("unicode_escape")
        exchange(int(argv[1]), request, float(argv[3]) if len(argv) > 3 else 5.0)
    elif len(argv) >= 4 and argv[0] == "launches":
        launches(int(argv[1]), argv[2], int(argv[3]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
