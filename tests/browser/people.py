#!/usr/bin/env python3
"""People in headless Chromium: the admin's first visit with the setup code `relais init` printed,
a teacher and a class made with the admin's forms, a class of 25 pupils imported from a CSV as a
French spreadsheet exports it (; Windows-1252 CRLF) after its preview, a reset code, the teacher's
new password, sign-in and sign-out, wrong passwords throttled, a hostile class name shown as text.
Every page is saved at 1024×600 and 375×667 under tests/browser/shots/. Prints "ok N - …" /
"not ok N - …" and "# done" (scripts/test counts them).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from selenium.common.exceptions import NoAlertPresentException, NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from browserlib import RELAIS, ROOT, SHOTS, Serve, make_driver, report

FIRST_NAMES = ["Léa", "Zoé", "Chloé", "Inès", "Maël", "Noé", "Anaïs", "Jérôme", "Hélène", "Loïc", "Cécile", "Gaëlle", "Théo",
               "Amélie", "Benoît", "Clément", "Élodie", "François", "Joël", "Mathéo", "Océane", "Raphaël", "Sébastien", "Timothée", "Yaël"]


def shoot(driver, name):
    """The page as a tablet (1024×600) and a phone (375×667) show it, whole height."""
    for width, height in ((1024, 600), (375, 667)):
        driver.set_window_size(width, height)
        full = driver.execute_script("return Math.max(document.body.scrollHeight, %d);" % height)
        driver.set_window_size(width, min(full, 4000))
        driver.save_screenshot(os.path.join(SHOTS, f"{name}-{width}x{height}.png"))
    driver.set_window_size(1024, 600)


def fill(driver, values):
    for element_id, value in values.items():
        field = driver.find_element(By.ID, element_id)
        if field.tag_name == "select":
            Select(field).select_by_value(value)
        else:
            field.clear()
            field.send_keys(value)


def submit(driver, element_id):
    driver.find_element(By.ID, element_id).find_element(By.XPATH, "./ancestor::form").submit()


def main():
    os.makedirs(SHOTS, exist_ok=True)
    work = tempfile.mkdtemp(prefix="relais-people-")
    data = os.path.join(work, "data")
    out = subprocess.run([RELAIS, "init", "--data", data, "--uai", "0750654D", "--name", "École Jean Moulin"],
                         check=True, capture_output=True, text=True).stdout
    code = re.search(r"Code de mise en service : ([A-Z0-9-]+)", out)
    report(code is not None, "relais init prints the one-time setup code", out)
    for name in ("calcul-mental", "prise-en-main"):
        packed = os.path.join(work, name + ".relais")
        subprocess.run([RELAIS, "bundle", "pack", os.path.join(ROOT, "bundles", name), "-o", packed], check=True, capture_output=True)
        subprocess.run([RELAIS, "import", "--data", data, "--local", packed], check=True, capture_output=True)
    subprocess.run([RELAIS, "config", "--data", data, "set", "serve.bundlePorts", "0"], check=True, capture_output=True)
    server = Serve(data)
    portal = server.portal
    driver = None
    try:
        driver = make_driver(1024, 600)
        # A condition may read the page being replaced by a navigation: try again, do not fail.
        wait = WebDriverWait(driver, 15, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))

        # The admin's first visit.
        driver.get(portal + "/admin")
        shoot(driver, "admin-installation")
        report(driver.find_elements(By.ID, "setup-code"), "the first visit to /admin asks for the setup code")
        fill(driver, {"setup-code": "AAAA-BBBB-CC", "setup-nom": "Morvan", "setup-prenom": "Claire",
                      "setup-password": "mot-de-passe-admin", "setup-confirm": "mot-de-passe-admin"})
        submit(driver, "setup-code")
        report("/admin" in driver.current_url and driver.find_elements(By.ID, "setup-code") and driver.find_elements(By.CSS_SELECTOR, "[role=alert]"),
               "a wrong setup code is refused and the setup asked again")
        fill(driver, {"setup-code": code.group(1) if code else "", "setup-nom": "Morvan", "setup-prenom": "Claire",
                      "setup-password": "mot-de-passe-admin", "setup-confirm": "mot-de-passe-admin"})
        submit(driver, "setup-code")
        wait.until(lambda d: d.find_elements(By.ID, "personnel-nom"))
        shoot(driver, "admin")
        report("Claire Morvan" in driver.page_source, "the setup code creates the admin and signs her in")
        state = driver.find_elements(By.ID, "etat-box")
        report(bool(state) and "relais.local" in driver.page_source and "0750654D" in driver.page_source,
               "the admin page shows « État de la box » with the UAI and how pupils reach the box")

        # A teacher, then a class with her, then 25 pupils from a French spreadsheet.
        fill(driver, {"personnel-nom": "Diallo", "personnel-prenom": "Awa", "personnel-role": "enseignant"})
        submit(driver, "personnel-nom")
        wait.until(lambda d: "awa.diallo" in d.page_source)
        report("awa.diallo" in driver.page_source, "the admin adds a teacher, who gets the login awa.diallo")
        fill(driver, {"classe-nom": "CM2 B", "classe-niveau": "CM2", "classe-cycle": "cycle3"})
        for box in driver.find_elements(By.CSS_SELECTOR, "input[name='enseignants[]']"):
            if "Awa" in box.find_element(By.XPATH, "./..").text:
                box.click()
        submit(driver, "classe-nom")
        wait.until(lambda d: "CM2 B" in d.page_source)
        shoot(driver, "admin-classe-ajoutee")
        row = [r for r in driver.find_elements(By.CSS_SELECTOR, "tr") if "CM2 B" in r.text][0]
        report("Awa Diallo" in row.text, "the class is listed with its teacher", row.text)
        row.find_element(By.TAG_NAME, "a").click()
        wait.until(lambda d: d.find_elements(By.ID, "eleves-csv"))
        csv_path = os.path.join(work, "eleves.csv")
        with open(csv_path, "wb") as f:
            f.write("Prénom;Initiale du nom;Classe\r\n".encode("cp1252"))
            for i, first in enumerate(FIRST_NAMES):
                f.write(f"{first};{chr(65 + i % 26)};CM2 B\r\n".encode("cp1252"))
        driver.find_element(By.ID, "eleves-csv").send_keys(csv_path)
        submit(driver, "eleves-csv")
        wait.until(lambda d: "Confirmer l'import" in d.page_source or d.find_elements(By.CSS_SELECTOR, "[role=alert]"))
        shoot(driver, "import-apercu")
        rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
        report(len(rows) == 25 and "Hélène" in driver.page_source, "the pupils' CSV (Windows-1252, ;) is previewed with its 25 rows", f"{len(rows)} rows")
        driver.find_element(By.XPATH, "//button[contains(., \"Confirmer l'import\")]").click()
        wait.until(lambda d: d.find_elements(By.ID, "eleve-prenom"))
        shoot(driver, "admin-classe")
        pupils = driver.find_elements(By.CSS_SELECTOR, "#eleves ~ * li, #eleves li, table tbody tr")
        report("Timothée" in driver.page_source and "Yaël" in driver.page_source, "after « Confirmer l'import », the class lists its 25 pupils", f"{len(pupils)} items")

        # A reset code for the teacher.
        driver.get(portal + "/admin")
        row = [r for r in driver.find_elements(By.CSS_SELECTOR, "tr") if "awa.diallo" in r.text][0]
        row.find_element(By.XPATH, ".//button[contains(., 'mot de passe')]").click()
        wait.until(lambda d: re.search(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{2}", d.find_element(By.TAG_NAME, "main").text))
        shoot(driver, "code-reinitialisation")
        reset = re.search(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{2}", driver.find_element(By.TAG_NAME, "main").text).group(0)
        report(bool(reset), "the admin gets a one-time reset code for the teacher")
        driver.find_element(By.XPATH, "//button[contains(., 'Se déconnecter')]").click()
        wait.until(lambda d: d.find_elements(By.ID, "login"))
        report("/connexion" in driver.current_url, "the admin signs out")

        # The teacher sets her password with the code, then signs in.
        fill(driver, {"reset-login": "awa.diallo", "reset-code": reset, "reset-password": "mot-de-passe-prof", "reset-confirm": "mot-de-passe-prof"})
        submit(driver, "reset-login")
        wait.until(lambda d: d.find_elements(By.ID, "login"))
        shoot(driver, "connexion")
        fill(driver, {"login": "awa.diallo", "password": "mot-de-passe-prof"})
        submit(driver, "login")
        wait.until(lambda d: "/enseignant" in d.current_url)
        shoot(driver, "enseignant")
        report("CM2 B" in driver.page_source and "Calcul mental" in driver.page_source,
               "the teacher sets her password with the code, signs in, sees her class and the catalogue")
        cookies = {c["name"]: c for c in driver.get_cookies()}
        report(cookies.get("relais_session", {}).get("httpOnly") and cookies.get("relais_session", {}).get("sameSite") == "Strict",
               "the session cookie is HttpOnly and SameSite=Strict", str(cookies.get("relais_session")))
        driver.find_element(By.XPATH, "//button[contains(., 'Se déconnecter')]").click()
        wait.until(lambda d: d.find_elements(By.ID, "login"))
        driver.get(portal + "/enseignant")
        report("/connexion" in driver.current_url, "after signing out, /enseignant asks to sign in again")

        # Wrong passwords: the same words, then throttled.
        for attempt in range(6):
            fill(driver, {"login": "awa.diallo", "password": "pas-le-bon-mot-%d" % attempt})
            submit(driver, "login")
            wait.until(lambda d: d.find_elements(By.ID, "login"))
        shoot(driver, "connexion-bloquee")
        text = driver.find_element(By.TAG_NAME, "main").text
        report("minute" in text and "/enseignant" not in driver.current_url, "wrong passwords are throttled, with the minutes to wait", text[:200])

        # A hostile class name, typed by the admin, is text everywhere.
        driver.get(portal + "/connexion")
        fill(driver, {"login": "claire.morvan", "password": "mot-de-passe-admin"})
        submit(driver, "login")
        wait.until(lambda d: d.find_elements(By.ID, "classe-nom"))
        fill(driver, {"classe-nom": "<img src=x onerror=alert(1)>", "classe-niveau": "CM1"})
        submit(driver, "classe-nom")
        wait.until(lambda d: "onerror" in d.find_element(By.TAG_NAME, "main").text)
        try:
            driver.switch_to.alert
            alerted = True
        except NoAlertPresentException:
            alerted = False
        report(not alerted and not driver.find_elements(By.CSS_SELECTOR, "main img[src='x']"),
               "a class named <img src=x onerror=alert(1)> shows as text, no script runs")
        shoot(driver, "admin-nom-hostile")
        driver.get(portal + "/catalogue")
        shoot(driver, "catalogue")
        # The launch pages as a signed-in admin sees them, and the refusals.
        driver.get(portal + "/lancer/fr.relais.demo.calcul-mental")
        shoot(driver, "lancer-formulaire")
        driver.find_element(By.ID, "prenom").submit()
        wait.until(lambda d: "/lecture/" in d.current_url)
        shoot(driver, "lecture")
        report(driver.find_element(By.ID, "lecteur").get_attribute("sandbox") == "allow-scripts allow-same-origin allow-forms",
               "a signed-in admin opens a resource in the portal's sandboxed frame")
        driver.get(portal + "/lancer/fr.inconnu")
        shoot(driver, "lancer-inconnu")
        driver.get(portal + "/lecture/00000000-0000-4000-8000-000000000000")
        shoot(driver, "lecture-inconnue")
        driver.get(portal + "/?lang=en")
        shoot(driver, "catalogue-en")
    except Exception as error:
        report(False, "people session", repr(error))
    finally:
        if driver:
            driver.quit()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("# done")


if __name__ == "__main__":
    sys.exit(main())
