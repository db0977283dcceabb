#!/usr/bin/env python3
"""The séance prête in headless Chromium, with one browser profile per person (issue 10):

Mme Diallo (teacher) signs in, prepares a séance for CM2 B with three activities — the corpus's
SCORM 1.2 golf course, its SCORM 2004 one-file-per-SCO course, the HTML5 sample calcul-mental
and the SCORM 2004 multi-SCO course (SequencingForcedSequential), whole, then one of its SCOs
named by the picker —
and presses « Confier »; M. Robert (substitute, no account, a profile of his own) types the
hand-over code at /remplacant and starts the séance; three pupils (three more profiles) type the
join code at /, pick their names and work: Léa runs the SCORM 1.2 course, leaves it, closes her
tablet, comes back and resumes where she was, then passes its assessment; Tom opens the SCORM
2004 course, then runs two SCOs of the multi-SCO course (its first to the end, « Suivant », the
second); Inès plays the HTML5 sample and comes back. The substitute's live table shows their
results without a reload; « Terminer »; the join code is refused; the teacher's report shows the
same table, its charts and its CSV. Finally a wrong hand-over code typed 11 times gets the 429
page (last: the throttle would refuse every code from this address for 15 minutes).

Every page of the flow is saved under tests/browser/shots/seance-*.png at 1024×600 (the pupils'
pages and the projector view at 375×667 too). The box is set up with the CLI only (init, CSV
imports, `admin password`, `bundle pack`, `import --local`). Prints "ok N - …" / "not ok N - …"
and "# done" (scripts/test counts them).
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
import urllib.error
import urllib.parse
import urllib.request

from selenium.common.exceptions import WebDriverException, NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import Select, WebDriverWait

from browserlib import RELAIS, ROOT, SHOTS, Serve, attempt, golf_pass_assessment, make_driver, next_page, poll, relais, report, statements, verbs

CORPUS = os.environ.get("RELAIS_CORPUS") or os.path.join(os.path.dirname(ROOT), "shared", "corpus")
GOLF12 = os.path.join(CORPUS, "scorm", "RuntimeBasicCalls_SCORM12.zip")
GOLF2004 = os.path.join(CORPUS, "scorm", "ContentPackagingOneFilePerSCO_SCORM20043rdEdition.zip")
# The corpus's multi-SCO course (its one-file-per-SCO sibling above marks every resource an asset).
MULTI_SCO = os.path.join(CORPUS, "scorm", "SequencingForcedSequential_SCORM20043rdEdition.zip")
MULTI_SCO_ID = "com.scorm.golfsamples.sequencing.forcedsequential.20043rd"
SECOND_SCO = "etuqiette_item"  # sic: the manifest's identifier of the « Etiquette » SCO
HTML5 = os.path.join(ROOT, "bundles", "calcul-mental")
PUBLISHER = "Éditeur test"
TEACHER, TEACHER_PASSWORD = "awa.diallo", "mot-de-passe-prof"
PUPILS = [("Léa", "M"), ("Tom", "B"), ("Inès", "C"), ("Noé", "D"), ("Zoé", "E")]  # Noé and Zoé never join
CODE = re.compile(r"^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$")
IGNORED = (NoSuchElementException, StaleElementReferenceException)


# ---- helpers ------------------------------------------------------------------------------------

def shoot(driver, name, phone=False):
    """The page at 1024×600 (whole height), and at 375×667 when `phone`; back to 1024×600."""
    sizes = ((1024, 600), (375, 667)) if phone else ((1024, 600),)
    for width, height in sizes:
        driver.set_window_size(width, height)
        full = driver.execute_script("return Math.max(document.body.scrollHeight, %d);" % height)
        driver.set_window_size(width, min(full, 4000))
        driver.execute_script("window.scrollTo(0, 0);")
        driver.save_screenshot(os.path.join(SHOTS, f"seance-{name}-{width}x{height}.png"))
    driver.set_window_size(1024, 600)


def until(driver, condition, seconds=20.0):
    """Waits for `condition(driver)`, accepting any alert()/confirm() meanwhile; TimeoutError at the
    deadline."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            driver.switch_to.alert.accept()
            continue
        except Exception:
            pass
        try:
            if condition(driver):
                return
        except Exception:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"condition not met within {seconds} s at {driver.current_url}")


def text_of(driver, css):
    try:
        return driver.find_element(By.CSS_SELECTOR, css).text
    except IGNORED:
        return ""


def main_text(driver):
    return text_of(driver, "main")


def click_button(driver, words, scope=None):
    """Clicks the first visible button whose text contains `words`."""
    for button in (scope or driver).find_elements(By.TAG_NAME, "button"):
        if words in button.text and button.is_displayed():
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
            button.click()
            return
    raise NoSuchElementException(f"no button « {words} » on {driver.current_url}")


def in_player(driver, ready_js):
    """True once /lecture/… frames the player and the content frame inside it satisfies `ready_js`
    (left switched into the content frame)."""
    if "/lecture/" not in driver.current_url:
        return False
    driver.switch_to.default_content()
    driver.switch_to.frame("lecteur")
    driver.switch_to.frame("contenu")
    return bool(driver.execute_script(ready_js))


GOLF_READY = "return !!document.getElementById('butNext') && typeof currentPage !== 'undefined';"
ANY_PAGE = "return document.readyState === 'complete' && document.body && document.body.innerText.trim().length > 0;"


def player_frame(driver):
    """Into the player's frame (its table of contents and « Suivant »)."""
    driver.switch_to.default_content()
    driver.switch_to.frame("lecteur")


def framed_sco(driver, content):
    """True once the player frames the golf SCO whose launch page has `content=…` with its page
    counter (left switched into the SCO's frame)."""
    if "/lecture/" not in driver.current_url:
        return False
    player_frame(driver)
    if ("content=" + content) not in (driver.find_element(By.ID, "contenu").get_attribute("src") or ""):
        return False
    driver.switch_to.frame("contenu")
    return bool(driver.find_elements(By.ID, "butNext")) and driver.execute_script("return typeof currentPage === 'number';")


def query(db, sql, args=()):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def back_to_activities(driver, wait):
    """The player page's way back (its title bar), to /eleve."""
    driver.switch_to.default_content()
    driver.find_element(By.CSS_SELECTOR, ".bar a").click()
    wait.until(lambda d: d.current_url.split("?")[0].endswith("/eleve") and d.find_elements(By.CSS_SELECTOR, "ol.activites"))


def start_activity(driver, position, words="Commencer"):
    """Presses the « Commencer »/« Reprendre » button of the activity at `position` on /eleve."""
    form = driver.find_element(By.CSS_SELECTOR, f"form[action$='/eleve/activites/{position}']")
    button = form.find_element(By.TAG_NAME, "button")
    label = button.text
    button.click()
    return label


TABLE_JS = """
    var root = arguments[0] ? document.getElementById(arguments[0]) : null;
    if (root && arguments[1]) { root = root.closest('section'); }
    if (!root) { return null; }
    var meta = root.querySelector('p.meta');
    var table = root.querySelector('table.progression');
    var heads = table ? Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) { return th.textContent.trim(); }) : [];
    var rows = table ? Array.prototype.map.call(table.querySelectorAll('tbody tr'), function (tr) {
      return Array.prototype.map.call(tr.children, function (cell) {
        var shown = cell.querySelector('span[aria-hidden]');
        return (shown || cell).textContent.trim();
      });
    }) : [];
    return {count: meta ? meta.textContent.trim() : '', heads: heads, rows: rows};"""


def live_table(driver):
    """The substitute's table: its counts line, its headings, each row's visible cells."""
    return driver.execute_script(TABLE_JS, "suivi-tableau", False) or {"count": "", "heads": [], "rows": []}


def report_table(driver):
    """The table in the teacher's report (the section under « Rapport »)."""
    return driver.execute_script(TABLE_JS, "rapport", True) or {"count": "", "heads": [], "rows": []}


def row_of(table, name):
    """A pupil's row: [name, joined, cell 1, cell 2, cell 3], or []."""
    for row in table["rows"]:
        if row and row[0] == name:
            return row
    return []


def cell(table, name, index):
    row = row_of(table, name)
    return row[2 + index] if len(row) > 2 + index else ""


def cookie_header(cookies):
    return "; ".join(f"{c['name']}={c['value']}" for c in cookies)


def new_profile(portal, cookies=None, phone=False):
    """A browser profile of its own (a fresh Chromium); with `cookies`, the same device coming back."""
    driver = make_driver(375 if phone else 1024, 667 if phone else 600, prompts_ignored=True)
    if cookies:
        driver.get(portal + "/catalogue?lang=fr")  # a page of the portal: cookies are set for its host
        for c in cookies:
            c = {k: v for k, v in c.items() if k in ("name", "value", "path", "httpOnly", "secure", "sameSite", "expiry")}
            driver.add_cookie(c)
    return driver


# ---- the box --------------------------------------------------------------------------------------

def setup(work):
    data = os.path.join(work, "data")
    relais("init", "--data", data, "--uai", "0750654D", "--name", "École Jean Moulin")
    base = random.randrange(20000, 29000, 100)
    relais("config", "--data", data, "set", "serve.bundlePorts", f"{base}-{base + 99}")
    packed = {}
    for label, source, extra in (("golf12", GOLF12, ["--publisher", PUBLISHER, "--kind", "solution"]),
                                 ("golf2004", GOLF2004, ["--publisher", PUBLISHER, "--kind", "solution"]),
                                 ("html5", HTML5, []),
                                 ("multisco", MULTI_SCO, ["--publisher", PUBLISHER, "--kind", "solution"])):
        out = os.path.join(work, label + ".relais")
        done = subprocess.run([RELAIS, "bundle", "pack", source, "-o", out, *extra], capture_output=True, text=True)
        report(done.returncode == 0, f"bundle pack {os.path.basename(source)} {' '.join(extra)}", done.stderr.strip()[:300])
        relais("import", "--data", data, "--local", out)
        packed[label] = out
    staff = os.path.join(work, "personnels.csv")
    with open(staff, "w", encoding="utf-8-sig", newline="") as f:
        f.write("Nom;Prénom;Rôle;Email\r\nDiallo;Awa;enseignant;\r\nMorvan;Claire;admin;\r\n")
    pupils = os.path.join(work, "eleves.csv")
    with open(pupils, "w", encoding="utf-8-sig", newline="") as f:
        f.write("Prénom;Initiale du nom;Classe\r\n")
        for first, initial in PUPILS:
            f.write(f"{first};{initial};CM2 B\r\n")
        f.write("Hugo;F;CM1 A\r\n")  # another class: never listed in this séance
    relais("people", "import-staff", "--data", data, staff)
    relais("people", "import-pupils", "--data", data, "--create-classes", pupils)
    subprocess.run([RELAIS, "admin", "password", "--data", data, "--login", TEACHER], input=TEACHER_PASSWORD + "\n",
                   check=True, capture_output=True, text=True)
    relais("people", "assign-teacher", "--data", data, "--login", TEACHER, "--class", "CM2 B")
    return data


# ---- the flow ------------------------------------------------------------------------------------

def main():
    os.makedirs(SHOTS, exist_ok=True)
    for old in os.listdir(SHOTS):
        if old.startswith("seance-"):
            os.remove(os.path.join(SHOTS, old))
    work = tempfile.mkdtemp(prefix="relais-seance-")
    data = setup(work)
    db = os.path.join(data, "relais.sqlite")
    server = Serve(data)
    portal = server.portal
    drivers = {}
    try:
        flow(server, portal, db, drivers)
    except Exception as error:
        report(False, "séance session", repr(error))
    finally:
        for driver in drivers.values():
            try:
                driver.quit()
            except Exception:
                pass
        server.stop()
        if os.environ.get("RELAIS_KEEP"):
            print(f"# box kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("# done")


def flow(server, portal, db, drivers):
    ids = {b["standard"]: b["id"] for b in server.catalog if b["id"] != MULTI_SCO_ID}
    report(set(ids) >= {"scorm12", "scorm2004", "html5"} and MULTI_SCO_ID in [b["id"] for b in server.catalog]
           and all(b.get("contentOrigin") for b in server.catalog), "the four bundles are in the catalogue, each on an origin of its own", str(ids))
    kinds = {b["id"]: (b.get("kind"), b.get("publisher")) for b in server.catalog}
    report(all(k == "solution" for k, _ in kinds.values()) and all(p and p != "inconnu" for _, p in kinds.values()),
           "the packed SCORM courses are solutions with the publisher given to pack (not training, not « inconnu »)", str(kinds))
    order = [ids["scorm12"], ids["scorm2004"], ids["html5"], MULTI_SCO_ID]

    # ---- Monday: Mme Diallo prepares the séance ----
    teacher = drivers["teacher"] = new_profile(portal)
    wait = WebDriverWait(teacher, 15, ignored_exceptions=IGNORED)
    teacher.get(portal + "/connexion")
    shoot(teacher, "01-connexion")
    teacher.find_element(By.ID, "login").send_keys(TEACHER)
    teacher.find_element(By.ID, "password").send_keys(TEACHER_PASSWORD)
    teacher.find_element(By.ID, "login").submit()
    wait.until(lambda d: "/enseignant" in d.current_url)
    shoot(teacher, "02-enseignant")
    report("CM2 B" in main_text(teacher), "the teacher signs in and sees her class on /enseignant")
    teacher.find_element(By.PARTIAL_LINK_TEXT, "Préparer une séance").click()
    wait.until(lambda d: d.find_elements(By.ID, "seance-titre"))
    report(teacher.current_url.endswith("/enseignant/seances/nouvelle"), "« Préparer une séance » opens /enseignant/seances/nouvelle", teacher.current_url)
    shoot(teacher, "03-nouvelle")
    teacher.find_element(By.ID, "seance-titre").send_keys("Golf et calcul — CM2 B")
    Select(teacher.find_element(By.ID, "seance-classe")).select_by_visible_text("CM2 B")
    day = time.strftime("%Y-%m-%d", time.localtime(time.time() + 3 * 86400))
    # A date/time field is typed digit by digit in the browser's locale; its value is what the form sends.
    teacher.execute_script("document.getElementById('seance-date').value = arguments[0];"
                           "document.getElementById('seance-debut').value = '10:00';"
                           "document.getElementById('seance-fin').value = '11:00';", day)
    teacher.find_element(By.ID, "seance-consignes").send_keys("Faire le golf (1), puis le golf 2004 (2), puis le calcul mental (3).")
    teacher.find_element(By.ID, "seance-planb").send_keys("Fiche 12 du fichier de calcul.")
    shoot(teacher, "04-nouvelle-remplie")
    teacher.find_element(By.ID, "seance-titre").submit()
    wait.until(lambda d: re.search(r"/enseignant/seances/[^/]+$", d.current_url) and "nouvelle" not in d.current_url)
    seance_url = teacher.current_url.split("?")[0]
    seance_id = seance_url.rsplit("/", 1)[1]
    shoot(teacher, "05-seance-brouillon")
    report("brouillon" in main_text(teacher) and "Golf et calcul" in main_text(teacher), "the draft séance page shows its title and « brouillon »")
    report(bool(teacher.find_elements(By.CSS_SELECTOR, "form input[name=q], form select")), "the séance page offers the catalogue's filter form to find activities")

    # The four courses whole, then one SCO of the multi-SCO course named by the picker.
    for number, (bundle_id, element) in enumerate([(b, "") for b in order] + [(MULTI_SCO_ID, SECOND_SCO)], 1):
        forms = teacher.find_elements(By.XPATH, f"//ul[@class='candidats']//form[input[@name='ressource' and @value='{bundle_id}']"
                                                f" and input[@name='element' and @value='{element}']]")
        if not forms:
            report(False, f"activity {number}: {bundle_id} {element} is offered among the candidates", main_text(teacher)[:400])
            continue
        form = forms[0]
        # A course's parts are folded under it: open « ou seulement une de ses N parties » first.
        folded = form.find_elements(By.XPATH, "ancestor::details")
        if folded and not folded[0].get_attribute("open"):
            summary = folded[0].find_element(By.TAG_NAME, "summary")
            teacher.execute_script("arguments[0].scrollIntoView({block: 'center'});", summary)
            summary.click()
        click_button(teacher, "Ajouter", form)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "ol.activites-seance > li")) >= number)
    items = teacher.find_elements(By.CSS_SELECTOR, "ol.activites-seance > li")
    titles = [li.find_element(By.TAG_NAME, "strong").text for li in items]
    report(len(items) == 5, "« Ajouter » puts the five activities in the séance, in order", str(titles))
    # Issue 10: « ordered activities (bundles, and for a multi-SCO/multi-AU course the chosen SCO/AU) ».
    elements = [e.get_attribute("value") for e in teacher.find_elements(
        By.XPATH, f"//ul[@class='candidats']//form[input[@name='ressource' and @value='{MULTI_SCO_ID}']]/input[@name='element']")]
    report(len([e for e in elements if e]) >= 2, "the séance page offers the multi-SCO course's SCOs as activities of their own", str(elements))
    shoot(teacher, "06-seance-activites")

    click_button(teacher, "Confier")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "span.code"))
    handover = teacher.find_element(By.CSS_SELECTOR, "span.code").text.strip()
    qr_ok = teacher.execute_script("var i = document.querySelector('img.qr'); return !!i && i.complete && i.naturalWidth > 0;")
    shoot(teacher, "07-feuille-remise")
    report(bool(CODE.match(handover)) and qr_ok, "« Confier » shows the hand-over sheet: a code without ambiguous characters and its QR image", handover)
    teacher.get(seance_url)
    shoot(teacher, "08-seance-confiee")
    report("confiée" in main_text(teacher), "the séance is « confiée » afterwards")
    teacher.get(portal + "/enseignant")
    row = [r.text for r in teacher.find_elements(By.CSS_SELECTOR, "tr") if "Golf et calcul" in r.text]
    report(bool(row) and "confiée" in row[0], "/enseignant lists the séance as « confiée »", str(row))
    teacher_cookies = teacher.get_cookies()
    teacher.quit()
    del drivers["teacher"]  # she is away on Thursday

    # ---- Thursday: M. Robert, the substitute ----
    sub = drivers["substitute"] = new_profile(portal)
    wait_sub = WebDriverWait(sub, 15, ignored_exceptions=IGNORED)
    sub.get(portal + "/remplacant")
    shoot(sub, "09-remplacant-code")
    sub.find_element(By.ID, "remise-code").send_keys(handover.lower().replace("-", ""))
    sub.find_element(By.ID, "remise-code").submit()
    wait_sub.until(lambda d: f"/remplacant/{seance_id}" in d.current_url)
    shoot(sub, "10-remplacant-seance")
    text = main_text(sub)
    report("Faire le golf (1)" in text and "Fiche 12" in text and "Léa M." in text and "Zoé E." in text and "Hugo" not in text,
           "the code (lower case, no dash) opens the séance: instructions, plan B, the class list and nothing of another class")
    sub.get(portal + "/enseignant")
    report("/enseignant" not in sub.current_url or "Golf et calcul" not in main_text(sub), "the substitute cannot open the teacher's pages")
    sub.get(portal + f"/remplacant/{seance_id}")
    click_button(sub, "Démarrer la séance")
    wait_sub.until(lambda d: d.find_elements(By.ID, "code-seance"))
    join = sub.find_element(By.ID, "code-seance").text.strip()
    report(bool(CODE.match(join)) and join != handover and sub.find_elements(By.CSS_SELECTOR, "#code-seance ~ img.qr"),
           "« Démarrer » shows the pupils' join code and its QR", join)
    shoot(sub, "11-remplacant-en-cours")
    sub.find_element(By.CSS_SELECTOR, "a[href$='/projection']").click()  # « Afficher en grand pour le vidéoprojecteur »
    wait_sub.until(lambda d: "/projection" in d.current_url)
    shoot(sub, "12-projection", phone=True)
    report(join in main_text(sub) and sub.execute_script("var i = document.querySelector('img.qr'); return !!i && i.naturalWidth > 0;"),
           "the projector view shows the join code large, with its QR")
    sub.get(portal + f"/remplacant/{seance_id}")
    wait_sub.until(lambda d: d.find_elements(By.ID, "suivi-tableau"))
    # A marker that a reload would wipe: the table must fill in under it.
    sub.execute_script("window.pasRecharge = 'oui';")
    first_maj = sub.find_element(By.ID, "suivi-tableau").get_attribute("data-maj")

    # ---- the pupils, each on a tablet of their own ----
    pupils = {}
    for index, (first, initial) in enumerate(PUPILS[:3]):
        d = drivers[first] = new_profile(portal)
        pupils[first] = d
        w = WebDriverWait(d, 15, ignored_exceptions=IGNORED)
        d.get(portal + "/")
        if index == 0:
            shoot(d, "13-eleve-code", phone=True)
        d.find_element(By.ID, "code").send_keys(join if index != 1 else join.replace("-", "").lower())
        click_button(d, "Rejoindre")
        w.until(lambda d: "/s/" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".noms button"))
        names = [b.text for b in d.find_elements(By.CSS_SELECTOR, ".noms button")]
        if index == 0:
            shoot(d, "14-eleve-noms", phone=True)
            report(sorted(names) == sorted(f"{f} {i}." for f, i in PUPILS), "the code leads to the class list (first name + initial), no other class", str(names))
        [b for b in d.find_elements(By.CSS_SELECTOR, ".noms button") if b.text == f"{first} {initial}."][0].click()
        w.until(lambda d: d.current_url.split("?")[0].endswith("/eleve") and d.find_elements(By.CSS_SELECTOR, "ol.activites > li"))
        if index == 0:
            shoot(d, "15-eleve-activites", phone=True)
        text = main_text(d)
        report(f"Bonjour {first} {initial}." in text and len(d.find_elements(By.CSS_SELECTOR, "ol.activites > li")) == 5,
               f"{first} joins by code and name and sees the five activities in order", text[:200])

    live = poll(lambda: live_table(sub), lambda t: t["count"].startswith("3 élève(s) sur 5"), 15)
    report(live["count"].startswith("3 élève(s) sur 5") and sub.execute_script("return window.pasRecharge;") == "oui",
           "the substitute's live table counts the three pupils who joined, without a reload", live["count"])
    report(sub.find_element(By.ID, "suivi-tableau").get_attribute("data-maj") not in (None, first_maj), "the table carries data-maj from suivi.js's refresh")

    # A pupil's device opens neither the substitute's view nor its table.
    tom = pupils["Tom"]
    tom.get(portal + f"/remplacant/{seance_id}")
    seen = main_text(tom)
    tom.get(portal + f"/remplacant/{seance_id}/suivi")
    seen += main_text(tom) + tom.page_source
    report(join not in seen and "Zoé E." not in seen, "a pupil's device opens neither the substitute's view nor its table", seen[:150])
    tom.get(portal + "/eleve")

    # Léa: the SCORM 1.2 golf course, three pages, then she leaves it.
    lea = pupils["Léa"]
    w = WebDriverWait(lea, 15, ignored_exceptions=IGNORED)
    start_activity(lea, 0)
    until(lea, lambda d: in_player(d, GOLF_READY))
    for _ in range(3):
        next_page(lea)
    lea.switch_to.default_content()
    sandbox = lea.find_element(By.ID, "lecteur").get_attribute("sandbox")
    frame_src = lea.find_element(By.ID, "lecteur").get_attribute("src")
    report(sandbox == "allow-scripts allow-same-origin allow-forms" and not frame_src.startswith(portal),
           "the pupil's launch frames the player in the sandbox, on the bundle's own origin", frame_src[:80])
    shoot(lea, "16-eleve-lecture-golf12", phone=True)
    back_to_activities(lea, w)
    registration, cmi = poll(lambda: attempt(db, ids["scorm12"]), lambda a: a[1].get("cmi.core.lesson_location") == "3")
    report(cmi.get("cmi.core.lesson_location") == "3", "Léa leaves the course at page 3: its location is kept on the box", str(cmi)[:200])
    shoot(lea, "17-eleve-activites-apres", phone=True)
    state = lea.find_elements(By.CSS_SELECTOR, "ol.activites > li")[0].text
    report("Reprendre" in state, "back on /eleve, Léa's first activity offers « Reprendre »", state)

    # She closes the tablet; the same device (same cookies) comes back later.
    lea_cookies = lea.get_cookies()
    lea.quit()
    lea = pupils["Léa"] = drivers["Léa"] = new_profile(portal, lea_cookies)
    w = WebDriverWait(lea, 15, ignored_exceptions=IGNORED)
    lea.get(portal + "/")
    lea.get(portal + "/eleve")
    report(lea.find_elements(By.CSS_SELECTOR, "ol.activites > li") and "Bonjour Léa M." in main_text(lea),
           "Léa's tablet reopened (same cookies) goes straight back to her activities", main_text(lea)[:150])
    start_activity(lea, 0)
    try:
        until(lea, lambda d: in_player(d, GOLF_READY + "&& currentPage > 0"), 20)
    except TimeoutError:
        pass
    in_player(lea, "return true;")
    resumed = lea.execute_script("return typeof currentPage === 'undefined' ? null : currentPage;")
    report(resumed == 3, "Léa resumes the SCORM 1.2 course at page 3 (suspend data and location)", f"page {resumed}")
    golf_pass_assessment(lea, w)
    registration, _ = attempt(db, ids["scorm12"])
    names = poll(lambda: verbs(statements(db, registration)), lambda n: "passed" in n)
    lea.switch_to.default_content()
    shoot(lea, "18-eleve-golf12-resultats", phone=True)
    back_to_activities(lea, w)
    names = poll(lambda: verbs(statements(db, registration)), lambda n: "terminated" in n)
    report("passed" in names and "resumed" in names and "terminated" in names, "Léa's assessment is recorded: passed, after resumed, then terminated", str(names))

    # Tom: the SCORM 2004 multi-SCO course.
    tom = pupils["Tom"]
    w = WebDriverWait(tom, 15, ignored_exceptions=IGNORED)
    start_activity(tom, 1)
    try:
        until(tom, lambda d: in_player(d, ANY_PAGE), 20)
        opened = tom.execute_script("return document.body.innerText.slice(0, 200);")
    except TimeoutError as error:
        opened = ""
        print(f"#   {error}", flush=True)
    tom.switch_to.default_content()
    shoot(tom, "19-eleve-lecture-golf2004", phone=True)
    report(bool(opened.strip()), "Tom opens the SCORM 2004 course: its page shows in the player", opened[:120])
    back_to_activities(tom, w)

    # Tom, then: two SCOs of the multi-SCO course, through the player's own navigation.
    start_activity(tom, 3)
    until(tom, lambda d: framed_sco(d, "playing"), 20)
    player_frame(tom)
    contents = [a.get_attribute("textContent") for a in tom.find_elements(By.CSS_SELECTOR, "#sommaire a")]
    report(len(contents) == 5, "Tom's multi-SCO course shows its table of contents (five SCOs) in the séance's player", str(contents))
    framed_sco(tom, "playing")
    for _ in range(20):
        if tom.execute_script("return currentPage == pageArray.length - 1;"):
            break
        next_page(tom)
    player_frame(tom)
    tom.find_element(By.ID, "suivant").click()
    until(tom, lambda d: framed_sco(d, "etiquette"), 20)
    next_page(tom)
    tom.switch_to.default_content()
    shoot(tom, "19b-eleve-multi-sco-second", phone=True)
    items = [row[0] for row in query(db, "SELECT itemId FROM launch WHERE bundleId = ? ORDER BY createdAt, rowid", (MULTI_SCO_ID,))]
    report(items[:2] == ["playing_item", SECOND_SCO], "Tom runs the first SCO to its end, then « Suivant » opens the second", str(items))
    back_to_activities(tom, w)
    # The séance names the second SCO as activity 5: moving to it inside the player counts there.
    linked = query(db, """SELECT sl.position, l.itemId FROM seanceLaunch sl JOIN launch l ON l.id = sl.launchId
                          WHERE sl.seanceId = ? AND l.bundleId = ? ORDER BY l.createdAt, l.rowid""", (seance_id, MULTI_SCO_ID))
    report(linked[:2] == [(3, "playing_item"), (4, SECOND_SCO)],
           "the second SCO's launch (its own registration) belongs to the séance, at the activity naming that SCO", str(linked))

    # Inès: the HTML5 sample, then back (the player sends the time spent on leaving).
    ines = pupils["Inès"]
    w = WebDriverWait(ines, 15, ignored_exceptions=IGNORED)
    start_activity(ines, 2)
    try:
        until(ines, lambda d: in_player(d, ANY_PAGE), 20)
        played = ines.execute_script("return document.body.innerText.slice(0, 200);")
    except TimeoutError:
        played = ""
    ines.switch_to.default_content()
    shoot(ines, "20-eleve-lecture-html5", phone=True)
    report(bool(played.strip()), "Inès opens the HTML5 sample in the player", played[:120])
    back_to_activities(ines, w)
    experienced = poll(lambda: [s for s in statements(db) if s["verb"]["id"].endswith("/experienced")], lambda s: bool(s))
    report(bool(experienced) and experienced[0].get("result", {}).get("duration"), "back on /eleve, Inès's time spent is recorded (experienced, with a duration)")
    shoot(ines, "21-eleve-activites-html5-vue", phone=True)

    # The substitute's table fills in by itself.
    def filled(t):
        return ("réussi" in cell(t, "Léa M.", 0) and "100 %" in cell(t, "Léa M.", 0)
                and cell(t, "Tom B.", 1) not in ("", "—") and "min" in cell(t, "Inès C.", 2))
    live = poll(lambda: live_table(sub), filled, 20, 0.5)
    report(filled(live) and sub.execute_script("return window.pasRecharge;") == "oui",
           "the substitute's live table shows Léa's score, Tom's launch and Inès's time spent without a reload",
           str([row_of(live, n) for n in ("Léa M.", "Tom B.", "Inès C.")]))
    report(cell(live, "Léa M.", 0).startswith("terminé"),
           "Léa's passed SCORM 1.2 course counts as completed (1.2: « passed » implies completion)", cell(live, "Léa M.", 0))
    report(cell(live, "Tom B.", 0) == "—" and cell(live, "Inès C.", 0) == "—" and cell(live, "Léa M.", 1) == "—",
           "activities a pupil did not open stay « — »", str(live["rows"]))
    # One SCO of five done: the package is not complete (issue 10: rollup of completion for the package).
    report(cell(live, "Tom B.", 3).startswith("en cours"),
           "Tom's whole multi-SCO course (one SCO of five completed) shows « en cours », not « terminé »", cell(live, "Tom B.", 3))
    report(cell(live, "Tom B.", 4).startswith("en cours"), "the activity naming the second SCO shows Tom there (« en cours »)", cell(live, "Tom B.", 4))
    report(row_of(live, "Noé D.") == ["Noé D.", "non", "—", "—", "—", "—", "—"], "a pupil who did not join shows « non » and dashes", str(row_of(live, "Noé D.")))
    shoot(sub, "22-remplacant-suivi-rempli")
    last_live = live

    # « Terminer »
    sub.find_element(By.ID, "fin-confirmer").click()  # ending cannot be undone: the page asks for a tick
    click_button(sub, "Terminer la séance")
    wait_sub.until(lambda d: not d.find_elements(By.ID, "code-seance"))
    shoot(sub, "23-remplacant-terminee")
    ended_table = live_table(sub)
    report("terminée" in main_text(sub), "« Terminer la séance »: the séance shows « terminée »", main_text(sub)[:150])
    report(ended_table == last_live, "the table after « Terminer » is the last live table", f"{ended_table!r} vs {last_live!r}")

    late = drivers["late"] = new_profile(portal)
    late.get(portal + "/")
    late.find_element(By.ID, "code").send_keys(join)
    click_button(late, "Rejoindre")
    WebDriverWait(late, 15, ignored_exceptions=IGNORED).until(lambda d: d.find_elements(By.ID, "code-probleme"))
    shoot(late, "24-eleve-code-refuse", phone=True)
    report("/s/" not in late.current_url and late.find_elements(By.ID, "code-probleme"), "after « Terminer » the join code typed at / is refused",
           text_of(late, "#code-probleme"))
    late.quit()
    del drivers["late"]
    lea.get(portal + "/eleve")
    shoot(lea, "25-eleve-seance-finie", phone=True)
    report(not lea.find_elements(By.CSS_SELECTOR, "ol.activites"), "Léa's device no longer opens the séance's activities", main_text(lea)[:150])
    # PupilRoutes answers an ended séance with « Cette séance est terminée. » (410): the pupil
    # must be told why her activities are gone, not find an empty code field.
    report("Cette séance est terminée" in main_text(lea), "Léa's device, back on /eleve after « Terminer », is told the séance has ended",
           f"{lea.current_url} {main_text(lea)[:150]!r}")
    for first in ("Léa", "Tom", "Inès"):
        drivers.pop(first).quit()

    # ---- Friday: Mme Diallo's report ----
    teacher = drivers["teacher"] = new_profile(portal, teacher_cookies)
    teacher.get(seance_url)
    WebDriverWait(teacher, 15, ignored_exceptions=IGNORED).until(lambda d: d.find_elements(By.ID, "rapport"))
    shoot(teacher, "26-rapport")
    rapport = report_table(teacher)
    report(rapport == ended_table, "the teacher's report shows the same table as the substitute's last one", f"{rapport!r} vs {ended_table!r}")
    charts = teacher.execute_script("return Array.prototype.map.call(document.querySelectorAll('.graphiques img'), function (i) { return i.naturalWidth; });")
    report(len(charts) == 5 and all(w > 0 for w in charts), "the report has one chart per activity, each drawn", str(charts))
    link = teacher.find_elements(By.CSS_SELECTOR, "a[href$='rapport.csv']")
    csv_status, csv_type, csv_text = None, "", ""
    if link:
        request = urllib.request.Request(link[0].get_attribute("href"), headers={"Cookie": cookie_header(teacher.get_cookies())})
        with urllib.request.urlopen(request, timeout=10) as answer:
            csv_status, csv_type, csv_text = answer.status, answer.headers.get("Content-Type", ""), answer.read().decode("utf-8-sig")
    print("# CSV:", csv_text.replace("\n", " / ")[:600], flush=True)
    lea_csv = [line for line in csv_text.splitlines() if line.startswith("Léa M.;1;")]
    report(csv_status == 200 and csv_type.startswith("text/csv") and lea_csv and "réussi" in lea_csv[0] and "100" in lea_csv[0],
           "the CSV downloads with the teacher's cookies and holds Léa's passed golf course", f"{csv_status} {csv_type} {lea_csv}")
    code = status_without_redirect(portal + f"/enseignant/seances/{seance_id}/rapport.csv")
    report(code in (303, 401, 403), "the CSV is not given without the teacher's session", str(code))
    teacher.get(portal + "/enseignant")
    shoot(teacher, "27-enseignant-terminee")
    row = [r.text for r in teacher.find_elements(By.CSS_SELECTOR, "tr") if "Golf et calcul" in r.text]
    report(bool(row) and "terminée" in row[0], "/enseignant lists the séance as « terminée »", str(row))
    drivers.pop("teacher").quit()

    # ---- a wrong hand-over code, 11 times (last: it throttles this address for 15 minutes) ----
    # Each try opens /remplacant afresh (no element of a page being replaced is touched); a driver
    # hiccup on a loaded machine retries that try instead of ending the session.
    problem, tries = "", 0
    for _ in range(16):
        try:
            sub.get(portal + "/remplacant")
            field = WebDriverWait(sub, 15, ignored_exceptions=IGNORED).until(lambda d: d.find_element(By.ID, "remise-code"))
            field.clear()
            field.send_keys("ZZZ-ZZZ")
            field.submit()
            WebDriverWait(sub, 15).until(staleness_of(field))
            tries += 1
            WebDriverWait(sub, 15, ignored_exceptions=IGNORED).until(lambda d: d.find_elements(By.ID, "remise-probleme"))
            problem = text_of(sub, "#remise-probleme")
        except WebDriverException as error:
            print(f"# hand-over try: {error!r}; trying again", flush=True)
            continue
        if re.search(r"\d+ min", problem):
            break
    shoot(sub, "28-remplacant-429")
    # Counted on the box, not by this loop (a retried try may or may not have reached it, and the
    # join code refused after « Terminer » counts against the same address): the throttled page
    # comes once this address has exactly 10 wrong codes recorded in the window.
    recorded = query(db, "SELECT COUNT(*) FROM signInFailure WHERE key LIKE 'code:address:%'")[0][0]
    report(re.search(r"\d+ min", problem) is not None and recorded == 10,
           "the 11th wrong code from this address gets the throttled page, with the minutes to wait",
           f"{recorded} wrong codes recorded, {tries} tries here: {problem}")
    # The status and Retry-After, as a browser gets them (same address, a fresh form token).
    status, retry = throttled_status(portal)
    report(status == 429 and retry.isdigit() and int(retry) > 0, "once throttled, /remplacant answers 429 with Retry-After", f"{status} Retry-After {retry!r}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status_without_redirect(url, cookies=""):
    opener = urllib.request.build_opener(NoRedirect())
    try:
        return opener.open(urllib.request.Request(url, headers={"Cookie": cookies} if cookies else {}), timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def throttled_status(portal):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    page = opener.open(portal + "/remplacant", timeout=10).read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    body = urllib.parse.urlencode({"code": "ZZZ-ZZZ", "csrf": token.group(1) if token else ""}).encode()
    request = urllib.request.Request(portal + "/remplacant", data=body, headers={"Origin": portal, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        answer = opener.open(request, timeout=10)
        return answer.status, answer.headers.get("Retry-After", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After", "")


if __name__ == "__main__":
    sys.exit(main())
