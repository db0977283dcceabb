// Every probe a hostile bundle would try, run from inside the box's player. Each probe records
// what it obtained; tests/browser/isolation.py asserts that every one was blocked and that the
// box recorded nothing. The portal's address is read from the player's own URL (the player is
// on this bundle's origin, as SCORM needs), as a real attacker would.
(function () {
  "use strict";
  var results = {};
  function record(name, value) { results[name] = value; }
  function attempt(name, probe) {
    try { record(name, { obtained: String(probe()) }); } catch (e) { record(name, { blocked: String(e && e.name || e) }); }
  }

  var portal = "";
  try {
    var api = /[?&]api=([^&]*)/.exec(parent.location.search);
    portal = /^(https?:\/\/[^\/]+)/.exec(decodeURIComponent(api[1]))[1];
  } catch (e) { portal = ""; }
  record("portal", portal);

  // Cookies: the portal's are HttpOnly, so none of them shows here.
  record("cookies", document.cookie);
  // Try to plant cookies for the portal (cookies ignore ports): a session to fixate, a CSRF nonce.
  document.cookie = "relais_session=fixe-par-le-bundle; path=/";
  document.cookie = "relais_formulaire=00000000000000000000000000000000; path=/";
  record("cookiesAfterPlanting", document.cookie);

  // The portal page that frames the player, and the top window.
  attempt("topDocument", function () { return top.document.documentElement.outerHTML.length; });
  attempt("topBodyWrite", function () {
    var s = top.document.createElement("script");
    s.textContent = "location.href='http://evil.invalid/'";
    top.document.body.appendChild(s);
    return "script inserted";
  });
  attempt("parentParentDocument", function () { return parent.parent.document.title; });
  attempt("topLocationRead", function () { return top.location.href; });
  // Another bundle's storage.
  attempt("otherLocalStorage", function () { return localStorage.getItem("relais-victime"); });
  attempt("otherSessionStorage", function () { return sessionStorage.getItem("relais-victime"); });
  // Popups, modals.
  attempt("popup", function () { return window.open("http://evil.invalid/", "_blank"); });
  // Without allow-modals the browser ignores alert() in the frame; a shown one would block here.
  attempt("alert", function () { alert("hostile"); return "returned"; });

  var pending = 0;
  function done() {
    pending -= 1;
    if (pending === 0) {
      // Top navigation last: if it worked, the page would be gone and nothing recorded.
      attempt("topNavigation", function () { top.location.href = "http://evil.invalid/"; return "navigated"; });
      var out = document.getElementById("resultats");
      out.textContent = JSON.stringify(results);
      out.setAttribute("data-fini", "1");
    }
  }

  if (!portal) { pending = 1; done(); return; }

  // Credentialed reads of portal pages: CORS must hide every answer.
  var reads = ["/", "/catalogue", "/connexion", "/enseignant", "/admin", "/remplacant", "/api/v1/catalog",
               "/xapi/statements", "/lancer/fr.relais.test.victime", "/healthz", "/eleve", "/enseignant/seances/nouvelle"];
  // No-cors writes to every portal route with the pupil's cookies: the portal must refuse them all.
  var writes = ["/lancer/fr.relais.test.victime", "/lancer/fr.relais.test.hostile", "/connexion", "/deconnexion", "/admin",
                "/connexion/nouveau-mot-de-passe", "/admin/installation", "/admin/personnel", "/admin/personnel/import",
                "/admin/import/confirmer", "/admin/classes", "/remplacant", "/enseignant",
                "/lancement/00000000-0000-4000-8000-000000000000/cmi", "/lancement/00000000-0000-4000-8000-000000000000/fin",
                "/cmi5/fetch/00000000-0000-4000-8000-000000000000", "/xapi/statements",
                "/rejoindre", "/enseignant/seances", "/enseignant/acces-libre", "/eleve/sortir"];
  pending = reads.length + writes.length + 1;
  reads.forEach(function (path) {
    fetch(portal + path, { credentials: "include" })
      .then(function (r) { return r.text().then(function (t) { record("read " + path, { obtained: r.status + " " + t.length }); }); })
      .catch(function (e) { record("read " + path, { blocked: String(e && e.name || e) }); })
      .then(done);
  });
  writes.forEach(function (path) {
    fetch(portal + path, {
      method: "POST", mode: "no-cors", credentials: "include",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "prenom=Intrus&nom=Intrus&role=admin&initiale=I&login=intrus&password=intrus-intrus&event=finish&cmi=%7B%7D"
    }).then(function (r) { record("write " + path, { sent: r.type }); })
      .catch(function (e) { record("write " + path, { failed: String(e && e.name || e) }); })
      .then(done);
  });
  // A form posted to the portal (a top-level-ish navigation of this frame).
  try {
    var f = document.createElement("form");
    f.method = "POST"; f.action = portal + "/lancer/fr.relais.test.victime"; f.target = "_self";
    var i = document.createElement("input"); i.name = "prenom"; i.value = "Intrus"; f.appendChild(i);
    document.body.appendChild(f);
    record("formTargetTop", "prepared");
  } catch (e) { record("formTargetTop", { blocked: String(e) }); }
  // The other bundle's origin, read with credentials (another port: another origin).
  fetch(location.protocol + "//" + location.hostname + ":" + (Number(location.port) - 1) + "/", { credentials: "include" })
    .then(function (r) { record("neighbourOrigin", { obtained: r.status }); })
    .catch(function (e) { record("neighbourOrigin", { blocked: String(e && e.name || e) }); })
    .then(done);
})();
