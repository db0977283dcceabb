"""A throwaway box for the LRS suites: `relais init`, a provider credential, `relais serve` on free
127.0.0.1 ports, polled until it answers."""
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RELAIS = os.environ.get("RELAIS_BIN") or os.path.join(ROOT, ".build", "debug", "relais")


def relais(*args):
    done = subprocess.run([RELAIS, *args], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"relais {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Box:
    def __init__(self, uai="0750654D"):
        self.tmp = tempfile.TemporaryDirectory(prefix="relais-lrs-")
        self.data = os.path.join(self.tmp.name, "data")
        relais("init", "--data", self.data, "--uai", uai, "--name", "LRS tests")
        self.key, self.secret = relais("credentials", "add", "--data", self.data, "--name", "tincan").strip().splitlines()[-1].split(":", 1)
        self.port, content_port = free_port(), free_port()
        self.server = subprocess.Popen(
            [RELAIS, "serve", "--data", self.data, "--host", "127.0.0.1", "--port", str(self.port), "--content-port", str(content_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.endpoint = f"http://127.0.0.1:{self.port}/xapi/"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                break
            except OSError:
                if self.server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("relais serve did not answer /healthz within 60 s")
                time.sleep(0.05)

    def rss_kb(self):
        out = subprocess.run(["ps", "-o", "rss=", "-p", str(self.server.pid)], capture_output=True, text=True).stdout.strip()
        return int(out) if out else 0

    def rss_detail(self):
        """`RssAnon` / `RssFile` / `RssShmem` of the server (Linux), for the log."""
        try:
            with open(f"/proc/{self.server.pid}/status") as status:
                return " ".join(line.split(":")[0] + "=" + line.split()[1] for line in status if line.startswith(("RssAnon", "RssFile", "RssShmem")))
        except OSError:
            return ""

    def alive(self):
        return self.server.poll() is None

    def close(self):
        self.server.terminate()
        try:
            self.server.wait(30)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
        self.tmp.cleanup()


class Checks:
    def __init__(self):
        self.number = 0
        self.failures = 0

    def __call__(self, condition, what, detail=""):
        self.number += 1
        if condition:
            print(f"ok {self.number} - {what}", flush=True)
        else:
            self.failures += 1
            print(f"not ok {self.number} - {what}" + (f" # {detail}" if detail else ""), flush=True)
        return condition

    def run(self, what, function):
        """Runs one check function; an exception is a failed check naming it."""
        try:
            return function()
        except Exception as error:  # noqa: BLE001 - a suite reports, never stops
            self(False, what, f"{type(error).__name__}: {error}")
            return None
