#!/usr/bin/env python3
"""Browser tests: the demo box in headless Chromium (Debian's chromium + chromedriver, Selenium).

A pupil's path on a box synced from a signed repository: the French catalogue lists the bundles
with their licence state, « Ouvrir » opens a licensed bundle from the content origin, its scripts
run under the sandboxing CSP, and the game answers; a bundle whose abonnement has not started is
refused in French. Prints "ok N - …" /
"not ok N - …" lines and "# done" (scripts/test counts them). Screenshots go to tests/browser/shots/.
"""
import json
import os
import random
import re
import shutil
import sys
import tempfile
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from browserlib import ROOT, SHOTS, Serve, make_driver, relais, report


FUTURE_ID = "fr.relais.test.rentree"


def main():
    os.makedirs(SHOTS, exist_ok=True)
    work = tempfile.mkdtemp(prefix="relais-browser-")
    data = os.path.join(work, "data")
    seed = json.load(open(os.path.join(ROOT, "seeds", "etablissement.json"), encoding="utf-8"))
    # The box is filled as a school's is: the hub signs the samples and the licences, the box
    # trusts the root and syncs. One more copy of Calcul mental, « Rentrée 2099 », has an
    # abonnement that starts in 2099: it is synced ahead but cannot be opened yet.
    repo, keys = os.path.join(work, "repo"), os.path.join(work, "keys")
    relais("repo", "init", repo, "--keys", keys)
    bundles = sorted(d for d in os.listdir(os.path.join(ROOT, "bundles")) if os.path.isfile(os.path.join(ROOT, "bundles", d, "bundle.json")))
    packed = []
    for name in bundles:
        out = os.path.join(work, name + ".relais")
        relais("bundle", "pack", os.path.join(ROOT, "bundles", name), "-o", out)
        packed.append(out)
    rentree = os.path.join(work, "rentree.relais")
    relais("bundle", "pack", os.path.join(ROOT, "bundles", "calcul-mental"), "-o", rentree, "--id", FUTURE_ID, "--title", "Rentrée 2099")
    licence = json.load(open(os.path.join(ROOT, "seeds", "licences", seed["uai"] + ".json"), encoding="utf-8"))
    licence["abonnements"].append({
        "idAbonnement": "TEST-RENTREE-2099", "idRessource": FUTURE_ID, "libelleRessource": "Rentrée 2099",
        "debutValidite": "2099-09-01T00:00:00Z", "finValidite": "2100-08-31T23:59:59Z", "typeAffectation": "ETABL",
        "nbLicenceGlobale": "ILLIMITE", "publicCible": ["ELEVE", "ENSEIGNANT"]})
    licence_path = os.path.join(work, seed["uai"] + ".json")
    json.dump(licence, open(licence_path, "w", encoding="utf-8"), ensure_ascii=False)
    relais("repo", "add", repo, *packed, rentree, licence_path)
    relais("repo", "publish", repo, "--keys", keys)
    relais("init", "--data", data, "--uai", seed["uai"], "--name", seed["nom"], "--trust", os.path.join(repo, "metadata", "1.root.json"))
    relais("config", "--data", data, "set", "repository.url", repo)
    # Each bundle on an origin of its own: a range below the system's ephemeral ports, drawn at
    # random so two runs on one machine do not collide.
    base = random.randrange(20000, 29000, 100)
    relais("config", "--data", data, "set", "serve.bundlePorts", f"{base}-{base + 99}")
    relais("sync", "--data", data, "--once")
    bundles.append(FUTURE_ID)

    server = Serve(data)
    portal = server.portal
    driver = None
    try:
        driver = make_driver()
        wait = WebDriverWait(driver, 10)

        driver.get(portal + "/catalogue")
        driver.save_screenshot(os.path.join(SHOTS, "catalogue.png"))
        report(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr", "the catalogue page is in French")
        cards = driver.find_elements(By.CSS_SELECTOR, "li.card")
        report(len(cards) == len(bundles), f"the catalogue shows the {len(bundles)} sample bundles", f"{len(cards)} cards")
        headings = [h.text for h in driver.find_elements(By.TAG_NAME, "h2")]
        report(any("Solutions pédagogiques" in h for h in headings) and any("Modules de formation" in h for h in headings),
               "solutions and training modules are listed apart", str(headings))

        card = driver.find_element(By.CSS_SELECTOR, "li.card[data-bundle='fr.relais.demo.calcul-mental']")
        report("Licence valable jusqu'au 31/08/2027" in card.text, "the card says until when the licence runs", card.text)
        link = card.find_element(By.LINK_TEXT, "Ouvrir")
        link.click()
        # Until sign-in exists, a launch asks for a first name (a local guest learner).
        name = wait.until(EC.element_to_be_clickable((By.ID, "prenom")))
        name.send_keys("Zoé")
        name.submit()
        wait.until(lambda d: "/lecture/" in d.current_url)
        frame = driver.find_element(By.ID, "lecteur")
        src, sandbox = frame.get_attribute("src"), frame.get_attribute("sandbox")
        own = re.match(r"http://127\.0\.0\.1:(\d+)/_relais/lecteur\.html", src or "")
        report(driver.current_url.startswith(portal + "/lecture/") and own is not None and int(own.group(1)) in range(base, base + 100)
               and sandbox == "allow-scripts allow-same-origin allow-forms",
               "« Ouvrir » asks a first name, then the portal frames the player on the bundle's own origin, sandboxed",
               f"{driver.current_url} {src} {sandbox}")
        driver.save_screenshot(os.path.join(SHOTS, "lecture.png"))
        wait.until(EC.frame_to_be_available_and_switch_to_it("lecteur"))
        wait.until(EC.frame_to_be_available_and_switch_to_it("contenu"))
        wait.until(EC.element_to_be_clickable((By.ID, "commencer"))).click()
        question = wait.until(lambda d: re.match(r"\s*(\d+)\s*([+×x*])\s*(\d+)", d.find_element(By.ID, "calcul").text))
        a, op, b = int(question.group(1)), question.group(2), int(question.group(3))
        answer = a + b if op == "+" else a * b
        driver.find_element(By.ID, "reponse").send_keys(str(answer))
        driver.find_element(By.ID, "valider").click()
        ok = wait.until(lambda d: "Score : 1" in d.find_element(By.ID, "points").text)
        driver.save_screenshot(os.path.join(SHOTS, "calcul-mental.png"))
        report(bool(ok), "the bundle's scripts run in the sandbox and a right answer scores a point")

        driver.switch_to.default_content()
        driver.find_element(By.LINK_TEXT, "Retour").click()
        wait.until(lambda d: d.current_url.startswith(portal + "/catalogue"))
        future = driver.find_element(By.CSS_SELECTOR, f"li.card[data-bundle='{FUTURE_ID}']")
        report("Indisponible" in future.text and "Licence valable à partir du 01/09/2099" in future.text,
               "a bundle whose abonnement starts later is shown as not available yet", future.text)
        future.find_element(By.LINK_TEXT, "Ouvrir").click()
        refusal = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "[role=alert]")).text
        driver.save_screenshot(os.path.join(SHOTS, "refus-licence.png"))
        report("Impossible d'ouvrir « Rentrée 2099 »" in refusal and "01/09/2099" in refusal,
               "opening it is refused in French, saying when it opens", refusal)
        driver.get(portal + "/catalogue?lang=en")
        report("Teaching solutions" in driver.page_source, "the catalogue has an English version")

        pdf_url = json.load(urllib.request.urlopen(portal + "/api/v1/catalog"))
        pdf = [b for b in pdf_url if b["standard"] == "pdf"][0]["launchUrl"]
        with urllib.request.urlopen(urllib.request.Request(pdf, method="HEAD")) as response:
            report(response.headers["Content-Type"] == "application/pdf", "the PDF resource is served as application/pdf")
    except Exception as error:  # a crash is a failure with its reason, not a silent stop
        report(False, "browser session", repr(error))
    finally:
        if driver:
            driver.quit()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print("# done")


if __name__ == "__main__":
    sys.exit(main())
