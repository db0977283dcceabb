#!/usr/bin/env python3
"""Isolation test: a hostile HTML5 bundle (tests/browser/bundles/hostile) run by a pupil in headless
Chromium after another bundle (tests/browser/bundles/victime) stored a secret in the same browser.

Every probe must be blocked: the portal's cookies (HttpOnly) and the portal page that frames the
player (another origin), the top window (no top navigation, no script insertion), the other
bundle's localStorage and sessionStorage (another origin), popups and modals (sandbox),
credentialed reads of every portal page (CORS), no-cors writes to every portal route (Origin
check: 403 before anything is written), cookies planted for the portal (HttpOnly ones cannot be
overwritten by a script). The box's database must show nothing recorded by the probes.
Prints "ok N - …" / "not ok N - …" and "# done" (scripts/test counts them); screenshots go to
tests/browser/shots/.
"""
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from browserlib import HERE, RELAIS, SHOTS, Serve, make_driver, relais, report


def counts(db):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        return {table: c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("launch", "statement", "learner", "scormAttempt", "person", "schoolClass", "pupil", "session", "resetCode", "seance", "seanceAccess", "signInFailure")}


def open_launch(driver, wait, portal, bundle_id, first_name):
    """The pupil's path: the launch form, a first name, the portal's frame page."""
    driver.get(f"{portal}/lancer/{bundle_id}")
    field = wait.until(EC.element_to_be_clickable((By.ID, "prenom")))
    field.clear()
    field.send_keys(first_name)
    field.submit()
    wait.until(lambda d: "/lecture/" in d.current_url)
    wait.until(EC.frame_to_be_available_and_switch_to_it("lecteur"))
    wait.until(EC.frame_to_be_available_and_switch_to_it("contenu"))


def main():
    os.makedirs(SHOTS, exist_ok=True)
    work = tempfile.mkdtemp(prefix="relais-isolation-")
    data = os.path.join(work, "data")
    init = subprocess.run([RELAIS, "init", "--data", data, "--uai", "0750654D", "--name", "École des tests"], check=True, capture_output=True, text=True).stdout
    setup_code = re.search(r"Code de mise en service : ([A-Z0-9-]+)", init).group(1)
    base = random.randrange(20000, 29000, 100)
    relais("config", "--data", data, "set", "serve.bundlePorts", f"{base}-{base + 99}")
    for name in ("victime", "hostile"):
        out = os.path.join(work, name + ".relais")
        relais("bundle", "pack", os.path.join(HERE, "bundles", name), "-o", out)
        relais("import", "--data", data, "--local", out)
    server = Serve(data)
    portal = server.portal
    db = os.path.join(data, "relais.sqlite")
    driver = None
    try:
        origins = {b["id"]: b.get("contentOrigin") for b in server.catalog}
        victim, hostile = origins.get("fr.relais.test.victime"), origins.get("fr.relais.test.hostile")
        report(victim and hostile and victim != hostile and portal not in (victim, hostile),
               "each bundle has an origin of its own, apart from the portal's", str(origins))

        driver = make_driver(1024, 600)
        wait = WebDriverWait(driver, 15)
        # The admin is signed in in this browser (the worst case: a bundle's requests would carry
        # her session cookie).
        driver.get(portal + "/admin")
        for field, value in (("setup-code", setup_code), ("setup-nom", "Morvan"), ("setup-prenom", "Claire"),
                             ("setup-password", "mot-de-passe-admin"), ("setup-confirm", "mot-de-passe-admin")):
            driver.find_element(By.ID, field).send_keys(value)
        driver.find_element(By.ID, "setup-code").submit()
        wait.until(lambda d: d.find_elements(By.ID, "classe-nom"))
        report(any(c["name"] == "relais_session" for c in driver.get_cookies()), "the admin is signed in in the same browser")
        # The victim runs first in this browser and keeps a secret in its storage.
        open_launch(driver, wait, portal, "fr.relais.test.victime", "Zoé")
        wait.until(lambda d: d.find_element(By.ID, "etat").get_attribute("data-pret") == "1")
        driver.switch_to.default_content()
        portal_cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
        # Signed in, the admin launches as herself: the portal keeps her session and form cookies
        # (no first name is remembered on the device).
        report("relais_formulaire" in portal_cookies and "relais_session" in portal_cookies,
               "the portal set its session and form cookies", str(list(portal_cookies)))
        before = counts(db)

        open_launch(driver, wait, portal, "fr.relais.test.hostile", "Zoé")
        after_launch = counts(db)
        wait.until(lambda d: d.find_element(By.ID, "resultats").get_attribute("data-fini") == "1")
        results = json.loads(driver.find_element(By.ID, "resultats").text)
        try:
            driver.switch_to.alert
            alert_shown = True
        except NoAlertPresentException:
            alert_shown = False
        driver.switch_to.default_content()
        driver.save_screenshot(os.path.join(SHOTS, "isolation-hostile-1024x600.png"))

        report(results.get("portal", "").startswith(portal), "the hostile bundle found the portal's address (as an attacker would)", str(results.get("portal")))
        report("relais_" not in results.get("cookies", "") and "relais_" not in results.get("cookiesAfterPlanting", "").replace("relais_session=fixe-par-le-bundle", "").replace("relais_formulaire=00000000000000000000000000000000", ""),
               "the portal's cookies are invisible to the bundle", results.get("cookies", ""))
        for probe in ("topDocument", "topBodyWrite", "parentParentDocument", "topLocationRead", "topNavigation"):
            report("blocked" in results.get(probe, {}), f"the bundle cannot reach the portal's page or the top window: {probe}", str(results.get(probe)))
        report(driver.current_url.startswith(portal + "/lecture/"), "the top window stayed on the portal", driver.current_url)
        for probe in ("otherLocalStorage", "otherSessionStorage"):
            value = results.get(probe, {})
            report("secret-de-la-victime" not in json.dumps(value), f"the other bundle's storage is out of reach: {probe}", str(value))
        report(results.get("popup", {}).get("obtained") in ("null", None) and len(driver.window_handles) == 1,
               "a popup cannot be opened", f"{results.get('popup')} windows={len(driver.window_handles)}")
        report(not alert_shown, "a modal alert cannot be shown (the sandbox ignores alert())", str(results.get("alert")))
        reads = {k: v for k, v in results.items() if k.startswith("read ")}
        report(reads and all("blocked" in v for v in reads.values()), f"credentialed reads of {len(reads)} portal addresses are all hidden by CORS",
               json.dumps({k: v for k, v in reads.items() if "blocked" not in v}))
        writes = {k: v for k, v in results.items() if k.startswith("write ")}
        report(len(writes) >= 10, f"the bundle sent no-cors writes to {len(writes)} portal routes", str(list(writes)))
        report(results.get("neighbourOrigin", {}).get("blocked") is not None, "another bundle origin is not readable either", str(results.get("neighbourOrigin")))

        # Give the writes a moment to land if they were going to, then compare the box.
        time.sleep(1)
        final = counts(db)
        report(final == after_launch, "the box recorded nothing from the probes (launches, statements, learners, SCORM data, staff, classes, pupils, sessions, codes)",
               f"before hostile {before}, after its launch {after_launch}, after probes {final}")
        report(after_launch["launch"] == before["launch"] + 1, "only the pupil's own launch of the hostile bundle was recorded", f"{before} → {after_launch}")

        kept = {c["name"]: c["value"] for c in driver.get_cookies()}
        report(kept.get("relais_session") == portal_cookies.get("relais_session"),
               "the admin's session cookie is neither read nor replaced by the bundle")
        driver.get(portal + "/admin")
        report(driver.find_elements(By.ID, "classe-nom") and "/connexion" not in driver.current_url,
               "the admin is still signed in after the bundle ran (its planted session cookie fixated nothing)")
        report(kept.get("relais_formulaire") == portal_cookies.get("relais_formulaire"),
               "a cookie planted by the bundle does not replace the portal's (HttpOnly)",
               f"{portal_cookies.get('relais_formulaire')} → {kept.get('relais_formulaire')}")
        # The portal itself still works for the pupil after all that.
        driver.get(f"{portal}/lancer/fr.relais.test.victime")
        field = wait.until(EC.element_to_be_clickable((By.ID, "prenom")))
        field.submit()
        wait.until(lambda d: "/lecture/" in d.current_url)
        report(counts(db)["launch"] == final["launch"] + 1, "the pupil's own next launch still works")
    except Exception as error:
        report(False, "isolation session", repr(error))
    finally:
        if driver:
            driver.quit()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("# done")


if __name__ == "__main__":
    sys.exit(main())
