"""A fault-injecting HTTP/1.1 proxy for the upstream tests: between relais and Ralph, it makes a
seeded share of requests fail the ways a school's link and a busy LRS do.

Per request (keep-alive connections are followed request by request), one of:
  forward   relayed to Ralph and back, untouched
  error500  answered 500 at once; Ralph never sees it
  reset     connection reset (RST) before anything is relayed
  delay     held 1-3 s, then relayed
  lost      relayed to Ralph (which stores the statements), then the connection is dropped
            without the answer: the box must resend, and Ralph must not store twice
  late500   relayed to Ralph, then answered 500 instead of Ralph's answer (same lesson)

    FaultProxy(target_port, fault_rate=0.3, seed=7).start() -> .port; .counts; .stop()
"""
import asyncio
import collections
import random
import socket
import struct
import threading

FAULTS = ["error500", "reset", "delay", "lost", "late500"]


class FaultProxy:
    def __init__(self, target_port, fault_rate=0.3, seed=7, host="127.0.0.1"):
        self.target = (host, target_port)
        self.fault_rate = fault_rate
        self.random = random.Random(seed)
        self.counts = collections.Counter()
        self.port = None
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self):
        async def shutdown():
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop)
        self._thread.join(5)

    def _run(self):
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def _choose(self):
        if self.random.random() >= self.fault_rate:
            return "forward"
        return self.random.choice(FAULTS)

    async def _client(self, reader, writer):
        try:
            while True:
                request = await read_message(reader)
                if request is None:
                    break
                fault = self._choose()
                self.counts[fault] += 1
                if fault == "reset":
                    reset(writer)
                    return
                if fault == "error500":
                    writer.write(response(500, b'{"detail":"injected error"}'))
                    await writer.drain()
                    continue
                if fault == "delay":
                    await asyncio.sleep(1 + 2 * self.random.random())
                answer = await forward(self.target, request)
                if fault == "lost" or answer is None:
                    reset(writer)
                    return
                if fault == "late500":
                    answer = response(500, b'{"detail":"injected error after storing"}')
                writer.write(answer)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass


async def read_message(reader):
    """One HTTP/1.1 message (head and Content-Length body) as bytes; None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return head + body


async def forward(target, request):
    """Sends one request to Ralph on a fresh connection and returns its whole answer."""
    try:
        reader, writer = await asyncio.open_connection(*target)
    except OSError:
        return None
    try:
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        status = int(head.split(b" ", 2)[1])
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        body = await reader.readexactly(length) if length and status not in (204, 304) else b""
        return head + body
    except (ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError):
        return None
    finally:
        writer.close()


def response(status, body):
    reason = {500: "Internal Server Error"}.get(status, "Error")
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
            .encode() + body)


def reset(writer):
    """Closes with RST (SO_LINGER 0), as a middlebox or a crashed peer does."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.close()
