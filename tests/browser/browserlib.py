"""What every browser test shares: where things are, the "ok N - …" report lines scripts/test
counts, a free port, the relais binary, and headless Chromium (Debian's chromium + chromedriver)."""
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import time

from selenium import webdriver
from selenium.webdriver.common.by import By
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


# ---- the box's database and the corpus golf courses, shared by players.py and seance.py ----

def statements(db, registration=None):
    """The statements stored on the box (optionally of one registration), oldest first."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT body FROM statement" + (" WHERE registration = ?" if registration else "") + " ORDER BY rowid",
                           (registration,) if registration else ()).fetchall()
    finally:
        con.close()
    return [json.loads(r[0]) for r in rows]


def verbs(items):
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in items]


def attempt(db, bundle_id):
    """The latest SCORM attempt of a bundle on the box: (registration, cmi dict), or (None, {})."""
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT registration, cmi FROM scormAttempt WHERE bundleId = ? ORDER BY updatedAt DESC", (bundle_id,)).fetchone()
    finally:
        con.close()
    return (row[0], json.loads(row[1])) if row else (None, {})


def poll(read, done, seconds=20.0, step=0.1):
    """Reads `read()` until `done(value)` holds or `seconds` pass; returns the last value read."""
    deadline = time.time() + seconds
    value = read()
    while not done(value) and time.time() < deadline:
        time.sleep(step)
        value = read()
    return value


def next_page(driver):
    """Clicks the golf course's Next button and waits for its page counter to move."""
    page = driver.execute_script("return currentPage;")
    driver.find_element(By.ID, "butNext").click()
    poll(lambda: driver.execute_script("return currentPage;"), lambda p: p != page, 10)


def golf_pass_assessment(driver, wait):
    """From the golf course's current page to its assessment (the last page), answered right and
    submitted; the driver is left inside the course's content frame."""
    for _ in range(20):
        if driver.execute_script("return currentPage == pageArray.length - 1;"):
            break
        next_page(driver)
    driver.switch_to.frame("contentFrame")
    wait.until(lambda d: d.execute_script("return typeof test !== 'undefined' && test.Questions.length > 0;"))
    driver.execute_script("""
        var qs = test.Questions;
        for (var i = 0; i < qs.length; i++) {
          var q = qs[i];
          if (q.Type == 'numeric') { document.getElementById('question_' + q.Id + '_Text').value = q.CorrectAnswer; }
        }
        var radios = document.querySelectorAll('.correctAnswer input[type=radio]');
        for (var j = 0; j < radios.length; j++) { radios[j].checked = true; }
        SubmitAnswers();""")
