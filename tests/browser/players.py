#!/usr/bin/env python3
"""Browser tests of content launches: the shared corpus in headless Chromium (Debian's chromium +
chromedriver, Selenium), launched by Relais from the portal.

- cmi5 (single_au_basic_responsive.zip): the AU runs from its launch URL and records its cmi5
  statements (initialized…) in the local LRS under the pseudonymous actor and the registration.
- SCORM 1.2 and 2004 golf courses: pages visited, the tab closed, a relaunch resumes at the same
  page (suspend + location kept on the box); the assessment answered: score and status recorded.
Checks read the box's database (statements are the LRS's own rows). Prints "ok N - …" /
"not ok N - …" lines and "# done" (scripts/test counts them).
"""
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browserlib import ROOT, SHOTS, Serve, make_driver, relais, report

CORPUS = os.environ.get("RELAIS_CORPUS") or os.path.join(os.path.dirname(ROOT), "shared", "corpus")


def statements(db, registration=None):
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT body FROM statement" + (" WHERE registration = ?" if registration else "") + " ORDER BY rowid",
                           (registration,) if registration else ()).fetchall()
    finally:
        con.close()
    return [json.loads(r[0]) for r in rows]


def verbs(items):
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in items]


def launch(driver, wait, portal, bundle_id, first_name):
    """Opens the launch form in a new tab, types the first name, submits; returns to that tab."""
    driver.switch_to.new_window("tab")
    driver.get(f"{portal}/lancer/{bundle_id}")
    field = wait.until(lambda d: d.find_element(By.ID, "prenom"))
    field.clear()
    field.send_keys(first_name)
    field.submit()


def poll(read, done, seconds=15.0):
    """Reads `read()` until `done(value)` holds or `seconds` pass; returns the last value read."""
    deadline = time.time() + seconds
    value = read()
    while not done(value) and time.time() < deadline:
        time.sleep(0.1)
        value = read()
    return value


def until(driver, condition, seconds=15.0):
    """Waits until `condition(driver)` is true, accepting the confirm()/alert() boxes the golf course
    opens meanwhile (resume? …); returns the texts accepted. Raises TimeoutError at the deadline."""
    accepted = []
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            alert = driver.switch_to.alert
            accepted.append(alert.text)
            alert.accept()
            continue
        except Exception:
            pass
        try:
            if condition(driver):
                return accepted
        except Exception:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"condition not met within {seconds} s (alerts accepted: {accepted})")


def in_course_frame(driver):
    """True once the portal's launch page frames the player (on the bundle's own origin) and the
    player's frame holds the golf course's navigation (switched into it)."""
    if "/lecture/" not in driver.current_url:
        return False
    driver.switch_to.default_content()
    driver.switch_to.frame("lecteur")
    driver.switch_to.frame("contenu")
    return bool(driver.find_elements(By.ID, "butNext"))


def next_page(driver):
    """Clicks the golf course's Next button and waits for its page counter to move."""
    page = driver.execute_script("return currentPage;")
    driver.find_element(By.ID, "butNext").click()
    poll(lambda: driver.execute_script("return currentPage;"), lambda p: p != page, 10)


def attempt(db, bundle_id):
    """The latest SCORM attempt of a bundle on the box: (registration, cmi dict), or (None, {})."""
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT registration, cmi FROM scormAttempt WHERE bundleId = ? ORDER BY updatedAt DESC", (bundle_id,)).fetchone()
    finally:
        con.close()
    return (row[0], json.loads(row[1])) if row else (None, {})


def golf(driver, wait, portal, db, bundle_id, location_element, label, work):
    launch(driver, wait, portal, bundle_id, "Zoé")
    until(driver, in_course_frame)
    for _ in range(3):
        next_page(driver)
    driver.switch_to.default_content()
    driver.save_screenshot(os.path.join(SHOTS, f"{label}-page3.png"))
    driver.get("about:blank")  # the learner leaves (beforeunload: the course suspends), then closes the tab
    driver.close()
    driver.switch_to.window(driver.window_handles[0])
    first_registration, cmi = poll(lambda: attempt(db, bundle_id), lambda a: a[1].get(location_element) == "3")
    report(cmi.get(location_element) == "3", f"{label}: the location is kept on the box after the tab closed", str(cmi)[:300])

    launch(driver, wait, portal, bundle_id, "Zoé")
    prompts = []
    try:  # "Would you like to resume…?", then the course's page
        prompts = until(driver, lambda d: in_course_frame(d) and d.execute_script("return typeof currentPage !== 'undefined' && currentPage > 0;"))
    except TimeoutError as error:
        print(f"#   {error}", flush=True)
    in_course_frame(driver)
    resumed_at = driver.execute_script("return typeof currentPage === 'undefined' ? null : currentPage;")
    # The sandbox allows no modal: the course's "resume?" confirm() is answered OK by the player,
    # which shows the question at the bottom of its frame instead of a dialog.
    driver.switch_to.default_content()
    driver.switch_to.frame("lecteur")
    shown = driver.find_element(By.ID, "note").get_attribute("textContent")
    in_course_frame(driver)
    report(resumed_at == 3 and not prompts and "resume" in shown.lower(),
           f"{label}: relaunched, the course's resume question is answered without a modal and it resumes at page 3",
           f"page {resumed_at}, modal prompts {prompts}, note {shown!r}")
    # To the assessment (last page), answered right.
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
    # The player turns the committed score into `passed` on the box: wait for it, then leave.
    poll(lambda: verbs(statements(db, first_registration)), lambda names: "passed" in names)
    driver.switch_to.default_content()
    driver.save_screenshot(os.path.join(SHOTS, f"{label}-results.png"))
    driver.close()
    driver.switch_to.window(driver.window_handles[0])
    items = poll(lambda: statements(db, first_registration), lambda items: "terminated" in verbs(items))
    names = verbs(items)
    passed = [s for s in items if s["verb"]["id"].endswith("/passed")]
    report(bool(passed) and passed[0].get("result", {}).get("score", {}).get("scaled") == 1.0,
           f"{label}: the assessment's score and the passed status are recorded as xAPI", str(names))
    report("completed" in names or "2004" not in label, f"{label}: completion is recorded", str(names))
    report(names.count("launched") == 2 and "suspended" in names and "resumed" in names and "terminated" in names,
           f"{label}: launched, suspended, resumed, terminated are recorded in one registration", str(names))
    report(all("Zoé" not in json.dumps(s, ensure_ascii=False) for s in items) and all("account" in s["actor"] for s in items),
           f"{label}: every statement has the pseudonymous actor, never the first name")


def main():
    os.makedirs(SHOTS, exist_ok=True)
    work = tempfile.mkdtemp(prefix="relais-players-")
    data = os.path.join(work, "data")
    db = os.path.join(data, "relais.sqlite")
    relais("init", "--data", data, "--uai", "0750654D", "--name", "École des tests")
    # Each bundle on an origin of its own: a range below the system's ephemeral ports, drawn at
    # random so two runs on one machine do not collide.
    base = random.randrange(20000, 29000, 100)
    relais("config", "--data", data, "set", "serve.bundlePorts", f"{base}-{base + 99}")
    ids = {}
    for name in ("cmi5/single_au_basic_responsive.zip", "scorm/RuntimeBasicCalls_SCORM12.zip", "scorm/RuntimeBasicCalls_SCORM20043rdEdition.zip"):
        out = os.path.join(work, os.path.basename(name) + ".relais")
        relais("bundle", "pack", os.path.join(CORPUS, name), "-o", out)
        relais("import", "--data", data, "--local", out)
    server = Serve(data)
    portal, content_port, catalog = server.portal, server.content_port, server.catalog
    driver = None
    try:
        ids = {b["standard"]: b["id"] for b in catalog}
        origins = {b["id"]: b["contentOrigin"] for b in catalog}
        driver = make_driver(prompts_ignored=True)
        wait = WebDriverWait(driver, 15)
        driver.get(portal + "/catalogue")

        # cmi5
        try:
            launch(driver, wait, portal, ids["cmi5"], "Léa")
            wait.until(lambda d: d.current_url.startswith(portal + "/lecture/"))
            url = driver.find_element(By.ID, "lecteur").get_attribute("src")
            origin = origins[ids["cmi5"]]
            report(url.startswith(origin + "/b/") and origin not in (portal, f"http://127.0.0.1:{content_port}")
                   and all(f"{p}=" in url for p in ("endpoint", "fetch", "actor", "registration", "activityId")),
                   "cmi5: the portal frames the AU on the bundle's own origin with the five launch parameters", url[:200])
            driver.switch_to.frame("lecteur")
            registration = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["registration"][0]
            poll(lambda: verbs(statements(db, registration)), lambda names: "initialized" in names, 20)
            driver.save_screenshot(os.path.join(SHOTS, "cmi5-au.png"))
            items = statements(db, registration)
            names = verbs(items)
            report("launched" in names and "initialized" in names, "cmi5: the AU's initialized statement reaches the local LRS after the LMS's launched", str(names))
            au = [s for s in items if s["verb"]["id"].endswith("/initialized")]
            report(bool(au) and au[0]["actor"] == items[0]["actor"] and "account" in au[0]["actor"],
                   "cmi5: the AU writes as the pseudonymous actor it was given")
            # Leaving the AU by its own Exit button: the course's cmi5.js sends terminated to the box.
            driver.find_element(By.CSS_SELECTOR, "#navigation .exit-button").click()
            names = verbs(poll(lambda: statements(db, registration), lambda items: "terminated" in verbs(items)))
            report(names.count("terminated") == 1 and names.index("terminated") > names.index("initialized"),
                   "cmi5: the AU's Exit button records terminated after initialized, once", str(names))
            driver.close()
            driver.switch_to.window(driver.window_handles[0])
        except Exception as error:
            report(False, "cmi5 session", repr(error))
            driver.switch_to.window(driver.window_handles[0])

        for standard, element, label in (("scorm12", "cmi.core.lesson_location", "SCORM 1.2 golf"),
                                         ("scorm2004", "cmi.location", "SCORM 2004 golf")):
            try:
                golf(driver, wait, portal, db, ids[standard], element, label, work)
            except Exception as error:
                report(False, f"{label} session", repr(error))
                try:
                    driver.switch_to.window(driver.window_handles[0])
                except Exception:
                    pass
    except Exception as error:
        report(False, "browser session", repr(error))
    finally:
        if driver:
            driver.quit()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("# done")


if __name__ == "__main__":
    import urllib.parse
    sys.exit(main())
