"""What every browser test shares: where things are, the "ok N - …" report lines scripts/test
counts, a free port, the relais binary, and headless Chromium (Debian's chromium + chromedriver)."""
import os
import shutil
import socket
import subprocess

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RELAIS = os.environ.get("RELAIS_BIN") or os.path.join(ROOT, ".build/debug/relais")
SHOTS = os.path.join(HERE, "shots")
_count = 0


def report(passed, what, detail=""):
    """One "ok N - what" or "not ok N - what" line (with the detail when it failed)."""
    global _count
    _count += 1
    print(f"{'ok' if passed else 'not ok'} {_count} - {what}", flush=True)
    if not passed and detail:
        print(f"#   {detail}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def relais(*args):
    """Runs a relais verb that must succeed; its output is dropped."""
    subprocess.run([RELAIS, *args], check=True, stdout=subprocess.DEVNULL)


def make_driver(width=1280, height=900, prompts_ignored=False):
    """Headless Chromium in French; `prompts_ignored` leaves alert()/confirm() boxes to the test."""
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                 "--lang=fr-FR", "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(flag)
    if prompts_ignored:
        options.set_capability("unhandledPromptBehavior", "ignore")
    return webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))


class Serve:
    """`relais serve` on free ports for a test: started, waited for (its health, then every
    bundle's own origin, which opens within a second), stopped with SIGTERM by `stop()`."""

    def __init__(self, data):
        import json
        import time
        import urllib.request
        port, self.content_port = free_port(), free_port()
        self.process = subprocess.Popen(
            [RELAIS, "serve", "--data", data, "--host", "127.0.0.1", "--port", str(port), "--content-port", str(self.content_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.portal = f"http://127.0.0.1:{port}"
        self.catalog = []
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                self.catalog = json.load(urllib.request.urlopen(self.portal + "/api/v1/catalog", timeout=1))
                if all(b.get("contentOrigin") for b in self.catalog):
                    break
            except OSError:
                pass
            time.sleep(0.1)

    def stop(self):
        import signal
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)
