#!/usr/bin/env python3
"""Browser tests of content launches: the shared corpus in headless Chromium (Debian's chromium +
chromedriver, Selenium), launched by Relais from the portal.

- cmi5 (single_au_basic_responsive.zip): the AU runs from its launch URL and records its cmi5
  statements (initialized…) in the local LRS under the pseudonymous actor and the registration.
- SCORM 1.2 and 2004 golf courses: pages visited, the tab closed, a relaunch resumes at the same
  page (suspend + location kept on the box); the assessment answered: score and status recorded.
- Content structure: the multi-SCO SCORM 2004 golf course (SequencingForcedSequential) walked
  through the player's table of contents, its « Suivant » (continue) and a SCO's own
  adl.nav.request; the one-file-per-SCO golf course's assets; a cmi5 course of three AUs in two
  blocks (tests/browser/bundles/cmi5-cours) opening its second AU.
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

from browserlib import ROOT, SHOTS, Serve, attempt, golf_pass_assessment, make_driver, next_page, poll, relais, report, statements, verbs

CORPUS = os.environ.get("RELAIS_CORPUS") or os.path.join(os.path.dirname(ROOT), "shared", "corpus")


def launch(driver, wait, portal, bundle_id, first_name):
    """Opens the launch form in a new tab, types the first name, submits; returns to that tab."""
    driver.switch_to.new_window("tab")
    driver.get(f"{portal}/lancer/{bundle_id}")
    field = wait.until(lambda d: d.find_element(By.ID, "prenom"))
    field.clear()
    field.send_keys(first_name)
    field.submit()


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
    golf_pass_assessment(driver, wait)
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


SEQ_ID = "com.scorm.golfsamples.sequencing.forcedsequential.20043rd"
CP_ID = "com.scorm.golfsamples.contentpackaging.multioscosinglefile.20043rd"
CMI5_COURSE_ID = "fr.relais.test.cmi5-cours"


def launches(db, bundle_id):
    """(id, itemId, registration) of every launch of a bundle, oldest first."""
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT id, itemId, registration FROM launch WHERE bundleId = ? ORDER BY createdAt, rowid", (bundle_id,)).fetchall()
    finally:
        con.close()


def in_player(driver):
    """Switches into the player frame of the portal's launch page; True once its bar is shown."""
    if "/lecture/" not in driver.current_url:
        return False
    driver.switch_to.default_content()
    driver.switch_to.frame("lecteur")
    return driver.find_element(By.ID, "barre").is_displayed()


def framed_sco(driver, content):
    """True once the player frames the golf SCO whose launch page has `content=…` and its
    navigation is there (switched into the SCO's frame)."""
    if not in_player(driver):
        return False
    if ("content=" + content) not in (driver.find_element(By.ID, "contenu").get_attribute("src") or ""):
        return False
    driver.switch_to.frame("contenu")
    return bool(driver.find_elements(By.ID, "butNext")) and driver.execute_script("return typeof currentPage === 'number';")


def multi_sco(driver, wait, portal, db):
    label = "SCORM 2004 multi-SCO golf"
    launch(driver, wait, portal, SEQ_ID, "Noé")
    until(driver, lambda d: framed_sco(d, "playing"))
    top = driver.current_url
    in_player(driver)
    links = driver.find_elements(By.CSS_SELECTOR, "#sommaire a")
    report([a.get_attribute("textContent") for a in links] == ["Playing the Game", "Etiquette", "Handicapping", "Having Fun", "Quiz"],
           f"{label}: the player's table of contents lists the five SCOs of the organization", str([a.get_attribute("textContent") for a in links]))
    framed = driver.find_element(By.ID, "contenu").get_attribute("src")
    report(framed.endswith("/shared/launchpage.html?content=playing"),
           f"{label}: the first SCO opens with its href's query string (content=playing)", framed)
    # The first SCO to its last page: it sets completed itself.
    framed_sco(driver, "playing")
    for _ in range(20):
        if driver.execute_script("return currentPage == pageArray.length - 1;"):
            break
        next_page(driver)
    driver.switch_to.default_content()
    driver.save_screenshot(os.path.join(SHOTS, "multi-sco-playing-done.png"))
    first = launches(db, SEQ_ID)[0]
    items = poll(lambda: statements(db, first[2]), lambda items: "completed" in verbs(items))
    done = [s for s in items if s["verb"]["id"].endswith("/completed")]
    report(bool(done) and done[0]["object"]["id"].endswith("/sco/playing_item"),
           f"{label}: the first SCO's completion is recorded for that SCO", str(verbs(items)))

    # « Suivant » (continue): the next SCO, a new launch in the same frame of the same portal page.
    in_player(driver)
    driver.find_element(By.ID, "suivant").click()
    until(driver, lambda d: framed_sco(d, "etiquette"))
    rows = launches(db, SEQ_ID)
    report([r[1] for r in rows] == ["playing_item", "etuqiette_item"] and rows[0][2] != rows[1][2] and driver.current_url == top,
           f"{label}: « Suivant » launches the second SCO (its own attempt) in the same portal page", str(rows))
    framed_sco(driver, "etiquette")
    next_page(driver)
    driver.switch_to.default_content()
    driver.save_screenshot(os.path.join(SHOTS, "multi-sco-etiquette.png"))

    # The table of contents: choose the third SCO.
    in_player(driver)
    driver.find_element(By.ID, "bouton-sommaire").click()
    driver.switch_to.default_content()
    driver.save_screenshot(os.path.join(SHOTS, "multi-sco-sommaire.png"))
    in_player(driver)
    driver.find_element(By.CSS_SELECTOR, "#sommaire a[data-element='handicapping_item']").click()
    until(driver, lambda d: framed_sco(d, "handicapping"))
    rows = launches(db, SEQ_ID)
    report([r[1] for r in rows][-1] == "handicapping_item", f"{label}: the table of contents launches the chosen SCO", str(rows))
    # The etiquette SCO was left at page 2: its data was kept when the player moved on.
    con = sqlite3.connect(db)
    try:
        cmi = json.loads(con.execute("SELECT cmi FROM scormAttempt WHERE registration = ?", (rows[1][2],)).fetchone()[0])
    finally:
        con.close()
    report(cmi.get("cmi.location") == "1", f"{label}: the SCO left for another keeps its location", str(cmi)[:300])

    # The SCO's own navigation request: continue on Terminate.
    in_player(driver)
    valid = driver.execute_script("return [API_1484_11.GetValue('adl.nav.request_valid.continue'), API_1484_11.GetValue('adl.nav.request_valid.previous'),"
                                  " API_1484_11.GetValue('adl.nav.request_valid.choice.{target=assessment_item}'), API_1484_11.GetValue('adl.nav.request_valid.choice.{target=nope}')];")
    report(valid == ["true", "true", "true", "false"], f"{label}: adl.nav.request_valid answers from the organization", str(valid))
    driver.execute_script("API_1484_11.SetValue('adl.nav.request', 'continue'); API_1484_11.Terminate('');")
    until(driver, lambda d: framed_sco(d, "havingfun"))
    rows = launches(db, SEQ_ID)
    report([r[1] for r in rows][-1] == "havingfun_item" and driver.current_url == top,
           f"{label}: adl.nav.request continue on Terminate opens the next SCO", str(rows))
    # {target=…}choice back to the first SCO.
    in_player(driver)
    driver.execute_script("API_1484_11.SetValue('adl.nav.request', '{target=playing_item}choice'); API_1484_11.Terminate('');")
    until(driver, lambda d: framed_sco(d, "playing"))
    in_player(driver)
    current = driver.find_element(By.CSS_SELECTOR, "#sommaire a.courant").get_attribute("data-element")
    completed = [a.get_attribute("data-element") for a in driver.find_elements(By.CSS_SELECTOR, "#sommaire a.fait")]
    report(current == "playing_item" and "playing_item" in completed,
           f"{label}: {{target=…}}choice opens the chosen SCO; the contents mark it current and completed", f"{current} {completed}")
    driver.switch_to.default_content()
    driver.save_screenshot(os.path.join(SHOTS, "multi-sco-choice.png"))
    launched = [s for s in statements(db) if s["verb"]["id"].endswith("/launched") and "/sco/" in s["object"]["id"]]
    report(len({s["object"]["id"] for s in launched}) == 4 and all("account" in s["actor"] for s in launched),
           f"{label}: one launched statement per SCO opened, naming the SCO", str([s["object"]["id"].rsplit("/", 1)[-1] for s in launched]))
    driver.close()
    driver.switch_to.window(driver.window_handles[0])


def assets(driver, wait, portal, db):
    label = "SCORM 2004 one file per SCO"
    launch(driver, wait, portal, CP_ID, "Noé")
    until(driver, lambda d: in_player(d) and "Playing/Playing.html" in (d.find_element(By.ID, "contenu").get_attribute("src") or ""))
    driver.find_element(By.ID, "suivant").click()
    until(driver, lambda d: in_player(d) and "Playing/Par.html" in (d.find_element(By.ID, "contenu").get_attribute("src") or ""))
    driver.switch_to.frame("contenu")
    text = driver.find_element(By.TAG_NAME, "body").get_attribute("textContent")
    driver.switch_to.default_content()
    driver.save_screenshot(os.path.join(SHOTS, "multi-sco-assets.png"))
    rows = launches(db, CP_ID)
    report([r[1] for r in rows] == ["playing_playing_item", "playing_par_item"] and "par" in text.lower(),
           f"{label}: « Suivant » goes from one asset to the next", str(rows))
    driver.close()
    driver.switch_to.window(driver.window_handles[0])


def cmi5_course(driver, wait, portal, db):
    label = "cmi5 course of three AUs"
    launch(driver, wait, portal, CMI5_COURSE_ID, "Léa")
    until(driver, lambda d: in_player(d) and "au1.html" in (d.find_element(By.ID, "contenu").get_attribute("src") or ""))
    groups = [g.get_attribute("textContent") for g in driver.find_elements(By.CSS_SELECTOR, "#sommaire .groupe")]
    report(groups == ["Bloc 1 : découvrir", "Bloc 2 : s'exercer"], f"{label}: the table of contents shows the course's blocks", str(groups))
    driver.find_element(By.ID, "bouton-sommaire").click()
    driver.find_element(By.CSS_SELECTOR, "#sommaire a[data-element='https://relais.invalid/tests/cmi5-cours/au-2']").click()
    until(driver, lambda d: in_player(d) and "au2.html" in (d.find_element(By.ID, "contenu").get_attribute("src") or ""))
    driver.switch_to.frame("contenu")
    shown = driver.find_element(By.ID, "params").get_attribute("textContent")
    driver.switch_to.default_content()
    driver.save_screenshot(os.path.join(SHOTS, "cmi5-course-au2.png"))
    rows = launches(db, CMI5_COURSE_ID)
    report([r[1].rsplit("/", 1)[-1] for r in rows] == ["au-1", "au-2"] and rows[0][2] == rows[1][2]
           and "niveau" in shown and "endpoint" in shown and "registration" in shown,
           f"{label}: the second AU opens from the contents, in the course's one registration, with its own query and the cmi5 parameters",
           f"{rows} {shown!r}")
    launched = [s for s in statements(db, rows[0][2]) if s["verb"]["id"].endswith("/launched")]
    report([s["object"]["id"].rsplit("/", 1)[-1] for s in launched] == ["au-1", "au-2"], f"{label}: the LMS's launched statement names each AU")
    driver.close()
    driver.switch_to.window(driver.window_handles[0])


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
    for name in ("cmi5/single_au_basic_responsive.zip", "scorm/RuntimeBasicCalls_SCORM12.zip", "scorm/RuntimeBasicCalls_SCORM20043rdEdition.zip",
                 "scorm/SequencingForcedSequential_SCORM20043rdEdition.zip", "scorm/ContentPackagingOneFilePerSCO_SCORM20043rdEdition.zip"):
        out = os.path.join(work, os.path.basename(name) + ".relais")
        # The corpus packages name no publisher: pack asks for it.
        relais("bundle", "pack", os.path.join(CORPUS, name), "-o", out, "--publisher", "Rustici Software")
        relais("import", "--data", data, "--local", out)
    out = os.path.join(work, "cmi5-cours.relais")
    relais("bundle", "pack", os.path.join(ROOT, "tests", "browser", "bundles", "cmi5-cours"), "-o", out)
    relais("import", "--data", data, "--local", out)
    server = Serve(data)
    portal, content_port, catalog = server.portal, server.content_port, server.catalog
    driver = None
    try:
        ids = {b["standard"]: b["id"] for b in catalog if b["id"] not in (SEQ_ID, CP_ID, CMI5_COURSE_ID)}
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
        for name, test in (("multi-SCO", multi_sco), ("assets", assets), ("cmi5 course", cmi5_course)):
            try:
                test(driver, wait, portal, db)
            except Exception as error:
                report(False, f"{name} session", repr(error))
                try:
                    driver.switch_to.default_content()
                    driver.save_screenshot(os.path.join(SHOTS, f"failed-{name.replace(' ', '-')}.png"))
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
