"""Ralph 5.1.0 (FUN's LRS) as the upstream LRS of tests and benchmarks, on 127.0.0.1.

Its fs backend as shipped writes in "create" mode and fails every write after the first; it is
started through a tiny module that switches the default to APPEND first (corpus/README.md).
Statements end up, one JSON per line, in DIR/data/fs_lrs.jsonl.

    python3 ralph.py serve DIR PORT     # for shell scripts: runs until killed
"""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

USER, PASSWORD = "relais-box", "upstream-secret"
APPEND_MODULE = '''
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
from ralph.api import app  # noqa: E402
'''


def ensure_installed():
    """pip installs Ralph (and requests) once, when missing."""
    try:
        import ralph  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "ralph-malph[cli,lrs]==5.1.0", "requests"], check=True, stdout=sys.stderr)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Ralph:
    """One Ralph process with its own auth file and data folder under `root`."""

    def __init__(self, root, port=None):
        self.root = os.path.abspath(root)
        self.port = port or free_port()
        self.data = os.path.join(self.root, "data")
        self.auth = os.path.join(self.root, "auth.json")
        self.process = None
        os.makedirs(self.data, exist_ok=True)
        with open(os.path.join(self.root, "ralph_append.py"), "w") as f:
            f.write(APPEND_MODULE)

    @property
    def endpoint(self):
        """The xAPI endpoint relais is given (it POSTs to ENDPOINT/statements)."""
        return f"http://127.0.0.1:{self.port}/xAPI"

    @property
    def jsonl(self):
        return os.path.join(self.data, "fs_lrs.jsonl")

    def env(self):
        env = dict(os.environ)
        env.update(RALPH_AUTH_FILE=self.auth, RALPH_RUNSERVER_BACKEND="fs",
                   RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=self.data,
                   RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH=self.data)
        return env

    def prepare(self):
        """Writes the credentials file once; returns the command that serves Ralph."""
        if not os.path.exists(self.auth):
            subprocess.run(["ralph", "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
                            "-M", "mailto:box@school.example", "-N", "box", "-w"],
                           env=self.env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return [sys.executable, "-m", "uvicorn", "ralph_append:app", "--host", "127.0.0.1", "--port", str(self.port),
                "--log-level", "warning", "--no-access-log"]

    def start(self, log=None):
        command = self.prepare()
        out = open(log or os.path.join(self.root, "ralph.log"), "a")
        self.process = subprocess.Popen(command, cwd=self.root, env=self.env(), stdout=out, stderr=out)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph exited with {self.process.returncode}; see {out.name}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__lbheartbeat__", timeout=1)
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("Ralph did not answer within 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def stored(self):
        """Every statement Ralph wrote, in order, duplicates kept."""
        if not os.path.exists(self.jsonl):
            return []
        with open(self.jsonl, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def raw(self):
        """The store's bytes, to search for names."""
        if not os.path.exists(self.jsonl):
            return ""
        with open(self.jsonl, encoding="utf-8") as f:
            return f.read()


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "serve":
    # Replaces this process with uvicorn, so the caller's PID is Ralph's own and `kill PID` stops it.
    ensure_installed()
    ralph = Ralph(sys.argv[2], int(sys.argv[3]))
    command = ralph.prepare()
    os.chdir(ralph.root)
    os.execvpe(command[0], command, ralph.env())
