#!/usr/bin/env python3
"""The catalogue's filters in headless Chromium: the sample bundles imported on a fresh box, the
filter form used with the keyboard only (Tab to each labelled field, arrow keys in a select, type
the search, Enter), the count « N ressources sur M », the chosen values kept after the reload, an
empty result that offers « Effacer les filtres », and no script on the page. Screenshots at
1024×600 and 375×667 under tests/browser/shots/. Prints "ok N - …" / "not ok N - …" and "# done"
(scripts/test counts them).
"""
import os
import shutil
import subprocess
import sys
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from browserlib import RELAIS, ROOT, SHOTS, Serve, make_driver, report


def shoot(driver, name):
    """The page as a tablet (1024×600) and a phone (375×667) show it, whole height."""
    for width, height in ((1024, 600), (375, 667)):
        driver.set_window_size(width, height)
        full = driver.execute_script("return Math.max(document.body.scrollHeight, %d);" % height)
        driver.set_window_size(width, min(full, 4000))
        driver.save_screenshot(os.path.join(SHOTS, f"{name}-{width}x{height}.png"))
    driver.set_window_size(1024, 600)


def cards(driver):
    return [c.get_attribute("data-bundle") for c in driver.find_elements(By.CSS_SELECTOR, "li.card")]


def main():
    os.makedirs(SHOTS, exist_ok=True)
    work = tempfile.mkdtemp(prefix="relais-catalogue-")
    data = os.path.join(work, "data")
    subprocess.run([RELAIS, "init", "--data", data, "--uai", "0750654D", "--name", "École Jean Moulin"], check=True, capture_output=True)
    names = sorted(d for d in os.listdir(os.path.join(ROOT, "bundles")) if os.path.isfile(os.path.join(ROOT, "bundles", d, "bundle.json")))
    for name in names:
        packed = os.path.join(work, name + ".relais")
        subprocess.run([RELAIS, "bundle", "pack", os.path.join(ROOT, "bundles", name), "-o", packed], check=True, capture_output=True)
        subprocess.run([RELAIS, "import", "--data", data, "--local", packed], check=True, capture_output=True)
    total = len(names)
    server = Serve(data)
    driver = None
    try:
        driver = make_driver(1024, 600)
        wait = WebDriverWait(driver, 10)
        driver.get(server.portal + "/catalogue")
        count = driver.find_element(By.CSS_SELECTOR, "p.count").text
        report(count == f"{total} ressources sur {total}", "the catalogue counts every bundle", count)
        labels = {l.get_attribute("for"): l.text for l in driver.find_elements(By.CSS_SELECTOR, "form.filters label")}
        report(labels.get("filtre-cycle") == "Niveau" and labels.get("filtre-q") == "Rechercher" and len(labels) == 7,
               "every filter field has its label", str(labels))
        report(not driver.find_elements(By.TAG_NAME, "script"), "no script on the catalogue")

        # Keyboard only: focus the level select, choose Cycle 3 with the arrow keys, Tab on to the
        # search field, type, Enter.
        level = driver.find_element(By.ID, "filtre-cycle")
        level.send_keys(Keys.NULL)
        driver.execute_script("arguments[0].focus()", level)
        options = [o.get_attribute("value") for o in Select(level).options]
        for _ in range(options.index("cycle3")):
            level.send_keys(Keys.ARROW_DOWN)
        active = driver.switch_to.active_element
        for _ in range(8):
            if active.get_attribute("id") == "filtre-q":
                break
            active.send_keys(Keys.TAB)
            active = driver.switch_to.active_element
        report(active.get_attribute("id") == "filtre-q", "Tab reaches the search field from the filters", active.get_attribute("id") or "")
        active.send_keys("FRACTIONS")
        active.send_keys(Keys.ENTER)
        wait.until(lambda d: "q=FRACTIONS" in d.current_url)
        report("cycle=cycle3" in driver.current_url, "the form sends the level chosen with the keyboard", driver.current_url)
        shown = cards(driver)
        report(shown == ["fr.relais.demo.fiche-fractions"], "cycle 3 + « FRACTIONS » finds the fractions sheet (case ignored)", str(shown))
        count = driver.find_element(By.CSS_SELECTOR, "p.count").text
        report(count == f"1 ressource sur {total}", "the count says 1 of all", count)
        kept = Select(driver.find_element(By.ID, "filtre-cycle")).first_selected_option.get_attribute("value")
        report(kept == "cycle3" and driver.find_element(By.ID, "filtre-q").get_attribute("value") == "FRACTIONS",
               "the chosen values are kept", kept)
        shoot(driver, "catalogue-filtre-cycle3-fractions")

        driver.get(server.portal + "/catalogue?type=training&q=SEANCE+prete")
        shown = cards(driver)
        report(shown == ["fr.relais.demo.ecrire-seance"], "« SEANCE prete » finds « séance prête » among the training modules", str(shown))

        driver.get(server.portal + "/catalogue?q=z%C3%A8bre")
        empty = driver.find_element(By.CSS_SELECTOR, "p.empty").text
        report("Aucune ressource ne correspond à ces filtres." in empty, "an empty result says so", empty)
        shoot(driver, "catalogue-filtre-vide")
        driver.find_element(By.LINK_TEXT, "Effacer les filtres").send_keys(Keys.ENTER)
        wait.until(lambda d: "q=" not in d.current_url)
        report(len(cards(driver)) == total, "« Effacer les filtres » shows everything again", str(cards(driver)))
    except Exception as error:  # a broken page must still end the run with a report
        report(False, "the catalogue filter run finished", repr(error))
    finally:
        if driver:
            driver.quit()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("# done")


if __name__ == "__main__":
    sys.exit(main())
