/// The player each bundle's own origin serves at `/_relais/lecteur.html`: a page that frames the
/// bundle (same origin, so a SCO finds `window.parent.API` / `API_1484_11`) and talks to the
/// portal for this launch (`api` = `{portal}/lancement/{launchId}`). The portal's `/lecture/{launch}`
/// page frames this player in a sandbox (scripts, forms, its own origin; no popups, no top
/// navigation, no modals, no downloads), so the title bar and the way back live on the portal.
///
/// Plain ES5 and XMLHttpRequest, no external asset, for the old PCs and tablets of schools.
/// - SCORM 1.2 and 2004: the run-time API; the data model is loaded synchronously before the SCO
///   starts, saved asynchronously shortly after each change, and synchronously on
///   LMSCommit/Commit and LMSFinish/Terminate (with `navigator.sendBeacon` when the page is
///   closing, where browsers refuse synchronous requests).
/// - HTML5, video, PDF: on leaving (pagehide/unload) the time spent goes to `/fin`.
/// - cmi5 (a course of several AUs only; a single AU is framed by the portal directly): frames the AU.
/// - `plan=1` (a package of several SCOs/AUs): a bar with « Sommaire » (the organization's items or
///   the course's blocks and AUs), « Précédent » and « Suivant »; choosing one asks the portal for a
///   new launch of it (`POST {api}/element`) and opens the page it answers in place of this one.
///   A SCO's `adl.nav.request` (continue, previous, `{target=ID}choice|jump`) does the same when
///   it terminates; `adl.nav.request_valid.*` answers from the same plan.
public enum BundlePlayer {
    public static let path = "/_relais/lecteur.html"
    /// Where a cmi5 AU goes when it exits (its `returnURL`): a short page on the bundle's own
    /// origin, inside the portal's frame (the way back is the portal's title bar).
    public static let endPath = "/_relais/fin.html"

    /// Who may frame the box's pages on a bundle origin: the portal, on any host name the
    /// devices use for the box (the content origin cannot know which), on its port.
    public static func portalAncestors(portalPort: Int) -> String {
        "http://*:\(portalPort) https://*:\(portalPort)"
    }

    /// The player's own policy: its inline script and style, frames of its own origin, requests
    /// to the portal (CMI data, the end of a launch) and nothing else; framed by the portal only.
    public static func contentSecurityPolicy(portalPort: Int) -> String {
        "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self' \(portalAncestors(portalPort: portalPort)); frame-src 'self'; "
            + "frame-ancestors \(portalAncestors(portalPort: portalPort)); base-uri 'none'; form-action 'none'"
    }

    /// The end page's policy: no script at all.
    public static func endPageContentSecurityPolicy(portalPort: Int) -> String {
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self' \(portalAncestors(portalPort: portalPort)); base-uri 'none'; form-action 'none'"
    }

    /// A cmi5 AU that exits lands here, inside the portal's frame.
    public static let endHTML = """
        <!DOCTYPE html>
        <html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Activité terminée</title>
        <style>body { font-family: sans-serif; margin: 2em; color: #1a1a1a; font-size: 1.2em; }</style></head>
        <body><p>Activité terminée. Utilisez « Retour » en haut de la page pour revenir.</p>
        <p lang="en">Activity finished. Use “Back” at the top of the page to go back.</p></body></html>
        """

    public static let html = #"""
<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Relais</title>
<style>
html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; font-family: sans-serif; background: #f4f4f4; }
#etat { display: none; padding: 24px; color: #8a1f11; }
#contenu { position: absolute; top: 0; left: 0; right: 0; bottom: 0; width: 100%; height: 100%; border: 0; background: #fff; }
#barre { display: none; position: absolute; top: 0; left: 0; right: 0; height: 44px; background: #1e3a5f; color: #fff; z-index: 3; white-space: nowrap; overflow: hidden; }
#barre button { height: 36px; margin: 4px 2px; padding: 0 12px; font-size: 15px; border: 1px solid #9bb; border-radius: 4px; background: #fff; color: #1e3a5f; }
#barre button[disabled] { opacity: .45; }
#barre span { display: inline-block; vertical-align: middle; margin-left: 8px; font-size: 15px; overflow: hidden; text-overflow: ellipsis; max-width: 40%; }
#sommaire { display: none; position: absolute; top: 44px; left: 0; bottom: 0; width: 320px; max-width: 90%; overflow: auto; background: #fff; border-right: 2px solid #1e3a5f; z-index: 3; margin: 0; padding: 8px 0; list-style: none; font-size: 16px; }
#sommaire li { margin: 0; padding: 0; }
#sommaire .groupe { padding: 8px 12px 4px; font-weight: bold; color: #1e3a5f; }
#sommaire a { display: block; padding: 9px 12px; color: #1a1a1a; text-decoration: none; border-bottom: 1px solid #eee; }
#sommaire a.courant { background: #e3ecf7; font-weight: bold; }
#sommaire a.fait:after { content: " \2713"; color: #1b7a3a; }
body.plan #contenu { top: 44px; height: 90%; height: calc(100% - 44px); }
#note { display: none; pointer-events: none; opacity: .92; position: absolute; left: 8px; right: 8px; top: 8px; margin: 0; padding: 10px 14px; background: #1e1e1e; color: #fff; font-size: 16px; border-radius: 4px; z-index: 2; }
</style>
</head>
<body>
<p id="etat" role="alert"></p>
<p id="note" role="status"></p>
<div id="barre"><button type="button" id="bouton-sommaire" aria-expanded="false" aria-controls="sommaire">&#9776; Sommaire</button><button type="button" id="precedent">&#9664; Précédent</button><button type="button" id="suivant">Suivant &#9654;</button><span id="titre-element"></span></div>
<ul id="sommaire" aria-label="Sommaire"></ul>
<iframe id="contenu" title="Contenu" allow="fullscreen; autoplay"></iframe>
<script>
(function () {
  "use strict";
  function param(name) {
    var match = new RegExp("[?&]" + name + "=([^&#]*)").exec(window.location.search);
    if (!match) { return ""; }
    try { return decodeURIComponent(match[1].replace(/\+/g, " ")); } catch (e) { return ""; }
  }
  function byId(id) { return document.getElementById(id); }
  function showError(text) {
    var etat = byId("etat");
    etat.style.display = "block";
    etat.appendChild(document.createTextNode(text));
    byId("contenu").style.display = "none";
  }
  var mode = param("mode"), api = param("api"), content = param("contenu"), title = param("titre");
  if (title) { document.title = title + " - Relais"; }
  if (!/^https?:\/\/[^\/?#]+\/lancement\/[0-9a-f\-]{36}$/.test(api) || content.indexOf("/b/") !== 0 || /[\\"<>]|\/\//.test(content)) {
    showError("Adresse de lancement invalide : revenez au catalogue et ouvrez la ressource à nouveau.");
    return;
  }
  var leaving = false;
  var startedAt = new Date().getTime();

  // Sends a JSON body to the portal. Synchronous when asked (LMSCommit, LMSFinish), except while
  // the page closes: browsers refuse synchronous requests then, and sendBeacon is what still
  // leaves. text/plain keeps the request "simple" (no CORS preflight).
  function send(path, body, sync) {
    var text = JSON.stringify(body);
    if (!leaving) {
      try {
        var xhr = new XMLHttpRequest();
        xhr.open("POST", api + path, !sync);
        xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
        xhr.send(text);
        return sync ? (xhr.status >= 200 && xhr.status < 300) : true;
      } catch (e) { /* refused while unloading: fall through to the beacon */ }
    }
    if (navigator.sendBeacon) { return navigator.sendBeacon(api + path, text); }
    try {
      var last = new XMLHttpRequest();
      last.open("POST", api + path, false);
      last.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
      last.send(text);
      return last.status >= 200 && last.status < 300;
    } catch (e2) { return false; }
  }
  function onLeave(handler) {
    if (window.addEventListener) {
      window.addEventListener("pagehide", handler, false);
      window.addEventListener("beforeunload", function () { leaving = true; }, false);
      window.addEventListener("unload", handler, false);
    } else if (window.attachEvent) {
      window.attachEvent("onunload", handler);
    }
  }

  // ---- Table of contents and navigation between SCOs/AUs (plan=1) ------------------------
  var plan = null, scormState = function () { return 0; }, beforeLeaving = function (done) { done(); };
  function entryIndex(id) {
    if (!plan) { return -1; }
    for (var i = 0; i < plan.entries.length; i++) { if (plan.entries[i].id === id) { return i; } }
    return -1;
  }
  function neighbour(offset) {
    var i = entryIndex(plan ? plan.item : "");
    if (!plan || !plan.flow || i < 0) { return null; }
    var j = i + offset;
    return j >= 0 && j < plan.entries.length ? plan.entries[j].id : null;
  }
  var navigating = false;
  // Opens another SCO/AU: a new launch of it, whose page replaces this one in the same frame.
  function go(id) {
    if (navigating || !plan || entryIndex(id) < 0) { return; }
    navigating = true;
    beforeLeaving(function () {
      try {
        var xhr = new XMLHttpRequest();
        xhr.open("POST", api + "/element", false);
        xhr.setRequestHeader("Content-Type", "text/plain;charset=UTF-8");
        xhr.send(JSON.stringify({ item: id }));
        var answer = JSON.parse(xhr.responseText);
        // Only a page of this same origin (the player, or an AU of this bundle).
        if (xhr.status === 200 && typeof answer.url === "string" && answer.url.indexOf(window.location.protocol + "//" + window.location.host + "/") === 0) {
          leaving = true;
          window.location.replace(answer.url);
          return;
        }
        showError(answer.error ? "Impossible d'ouvrir cet élément : " + answer.error : "Impossible d'ouvrir cet élément.");
      } catch (e) {
        showError("La box ne répond pas : impossible d'ouvrir cet élément. Réessayez.");
      }
      navigating = false;
    });
  }
  function toggleContents(open) {
    var list = byId("sommaire");
    var show = open === undefined ? list.style.display !== "block" : open;
    list.style.display = show ? "block" : "none";
    byId("bouton-sommaire").setAttribute("aria-expanded", show ? "true" : "false");
  }
  function renderPlan() {
    document.body.className = "plan";
    // An absolutely placed frame takes its own 150 px unless given a height: calc() where the
    // browser has it, pixels otherwise (old tablets).
    var fit = function () {
      var frame = byId("contenu");
      if (frame.offsetHeight < window.innerHeight - 60) { frame.style.height = Math.max(0, window.innerHeight - 44) + "px"; }
    };
    fit();
    if (window.addEventListener) { window.addEventListener("resize", fit, false); }
    byId("barre").style.display = "block";
    var list = byId("sommaire"), lastGroups = [], i, j, entry, item, link;
    for (i = 0; i < plan.entries.length; i++) {
      entry = plan.entries[i];
      if (!entry.visible) { continue; }
      for (j = 0; j < entry.groups.length; j++) {
        if (lastGroups[j] !== entry.groups[j]) {
          item = document.createElement("li");
          item.className = "groupe";
          item.style.paddingLeft = (12 + 16 * j) + "px";
          item.appendChild(document.createTextNode(entry.groups[j]));
          list.appendChild(item);
          lastGroups = entry.groups.slice(0, j + 1);
        }
      }
      lastGroups = entry.groups.slice(0);
      item = document.createElement("li");
      link = document.createElement("a");
      link.href = "#";
      link.setAttribute("data-element", entry.id);
      link.style.paddingLeft = (12 + 16 * entry.groups.length) + "px";
      link.className = (entry.id === plan.item ? "courant" : "") + (entry.completed ? " fait" : "");
      link.appendChild(document.createTextNode(entry.title));
      if (entry.id === plan.item) {
        link.setAttribute("aria-current", "true");
        byId("titre-element").appendChild(document.createTextNode(entry.title));
      }
      link.onclick = (function (id) {
        return function () { if (plan.choice) { toggleContents(false); go(id); } return false; };
      })(entry.id);
      item.appendChild(link);
      list.appendChild(item);
    }
    byId("bouton-sommaire").onclick = function () { toggleContents(); };
    var previous = neighbour(-1), next = neighbour(1);
    byId("precedent").disabled = !previous;
    byId("suivant").disabled = !next;
    byId("precedent").onclick = function () { if (previous) { go(previous); } };
    byId("suivant").onclick = function () { if (next) { go(next); } };
  }
  if (param("plan") === "1") {
    try {
      var planRequest = new XMLHttpRequest();
      planRequest.open("GET", api + "/plan", false);
      planRequest.send(null);
      if (planRequest.status === 200) { plan = JSON.parse(planRequest.responseText); }
    } catch (e) { plan = null; }
    if (plan && plan.entries && plan.entries.length > 1) { renderPlan(); } else { plan = null; }
  }
  // adl.nav.request_valid.*: from the plan (false without one: a single SCO has no neighbour).
  function navigationValid(element) {
    var what = /^adl\.nav\.request_valid\.(continue|previous)$/.exec(element);
    if (what) { return neighbour(what[1] === "continue" ? 1 : -1) ? "true" : "false"; }
    var target = /^adl\.nav\.request_valid\.(choice|jump)\.\{target=([^}]+)\}$/.exec(element);
    if (target) {
      if (!plan || entryIndex(target[2]) < 0) { return "false"; }
      return target[1] === "jump" || plan.choice ? "true" : "false";
    }
    return "unknown";
  }
  // The SCO terminated with a navigation request: open what it asks for.
  function navigationRequest(request) {
    if (!plan || !request || request === "_none_") { return; }
    var target = null, choice = /^\{target=([^}]+)\}(choice|jump)$/.exec(request);
    if (request === "continue") { target = neighbour(1); }
    else if (request === "previous") { target = neighbour(-1); }
    else if (choice && (choice[2] === "jump" || plan.choice)) { target = choice[1]; }
    if (target) { setTimeout(function () { go(target); }, 0); }
    else if (/^(exit|exitAll|abandon|abandonAll|suspendAll)$/.test(request) || request === "continue") { toggleContents(true); }
  }

  if (mode === "cmi5") {
    byId("contenu").src = content;
    return;
  }
  if (mode === "html5") {
    var ended = false;
    onLeave(function () {
      if (ended) { return; }
      ended = true;
      leaving = true;
      send("/fin", { seconds: (new Date().getTime() - startedAt) / 1000 }, true);
    });
    byId("contenu").src = content;
    return;
  }
  if (mode !== "scorm12" && mode !== "scorm2004") { showError("Type de contenu inconnu."); return; }

  // ---- SCORM run-time ---------------------------------------------------------------------
  var is12 = mode === "scorm12";
  var data = {};
  try {
    var load = new XMLHttpRequest();
    load.open("GET", api + "/cmi", false);
    load.send(null);
    if (load.status !== 200) { throw new Error("HTTP " + load.status); }
    data = JSON.parse(load.responseText).cmi || {};
  } catch (e) {
    showError("La box ne répond pas : impossible d'ouvrir ce module. Revenez au catalogue et réessayez.");
    return;
  }

  var state = 0; // 0 not initialized, 1 running, 2 terminated
  var lastError = "0", diagnostic = "";
  var dirty = false, timer = null;

  var V = {
    status12: /^(passed|completed|failed|incomplete|browsed|not attempted)$/,
    exit12: /^(time-out|suspend|logout|)$/,
    completion: /^(completed|incomplete|not attempted|unknown)$/,
    success: /^(passed|failed|unknown)$/,
    exit2004: /^(time-out|suspend|logout|normal|)$/,
    decimal: /^-?\d+(\.\d+)?$/,
    time12: /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/,
    duration: /^P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/,
    interactionType12: /^(true-false|choice|fill-in|matching|performance|sequencing|likert|numeric)$/,
    interactionType2004: /^(true-false|choice|fill-in|long-fill-in|matching|performance|sequencing|likert|numeric|other)$/,
    result12: /^(correct|wrong|unanticipated|neutral|-?\d+(\.\d+)?)$/,
    result2004: /^(correct|incorrect|unanticipated|neutral|-?\d+(\.\d+)?)$/,
    objectiveStatus12: /^(passed|completed|failed|incomplete|browsed|not attempted)$/,
    nav: /^(continue|previous|exit|exitAll|abandon|abandonAll|suspendAll|_none_|\{target=[^}]+\}(choice|jump))$/,
    any: /[\s\S]*/
  };

  // Data model: pattern → access (r, w, rw) and check (regex, or function returning an error code).
  function decimalIn(low, high) {
    return function (v) {
      if (!V.decimal.test(v)) { return "type"; }
      var n = parseFloat(v);
      if ((low !== null && n < low) || (high !== null && n > high)) { return "range"; }
      return "";
    };
  }
  function maxLength(n) { return function (v) { return v.length > n ? "type" : ""; }; }
  function optionalDecimal(v) { return v === "" ? "" : (V.decimal.test(v) ? "" : "type"); }
  var N = "\\.(\\d+)\\.";
  var M12 = [
    ["^cmi\\.core\\._children$", "r"], ["^cmi\\.core\\.student_id$", "r"], ["^cmi\\.core\\.student_name$", "r"],
    ["^cmi\\.core\\.lesson_location$", "rw", maxLength(255)], ["^cmi\\.core\\.credit$", "r"],
    ["^cmi\\.core\\.lesson_status$", "rw", function (v) { return V.status12.test(v) && v !== "not attempted" ? "" : "type"; }],
    ["^cmi\\.core\\.entry$", "r"], ["^cmi\\.core\\.score\\._children$", "r"],
    ["^cmi\\.core\\.score\\.(raw|min|max)$", "rw", function (v) { return v === "" ? "" : decimalIn(0, 100)(v); }],
    ["^cmi\\.core\\.total_time$", "r"], ["^cmi\\.core\\.lesson_mode$", "r"],
    ["^cmi\\.core\\.exit$", "w", V.exit12], ["^cmi\\.core\\.session_time$", "w", V.time12],
    ["^cmi\\.suspend_data$", "rw", maxLength(4096)], ["^cmi\\.launch_data$", "r"],
    ["^cmi\\.comments$", "rw", maxLength(4096)], ["^cmi\\.comments_from_lms$", "r"],
    ["^cmi\\.objectives\\._children$", "r"], ["^cmi\\.objectives\\._count$", "r"],
    ["^cmi\\.objectives" + N + "id$", "rw", maxLength(255)],
    ["^cmi\\.objectives" + N + "score\\._children$", "r"],
    ["^cmi\\.objectives" + N + "score\\.(raw|min|max)$", "rw", optionalDecimal],
    ["^cmi\\.objectives" + N + "status$", "rw", V.objectiveStatus12],
    ["^cmi\\.student_data\\._children$", "r"], ["^cmi\\.student_data\\.(mastery_score|max_time_allowed|time_limit_action)$", "r"],
    ["^cmi\\.student_preference\\._children$", "r"],
    ["^cmi\\.student_preference\\.(audio|speed|text)$", "rw", V.decimal], ["^cmi\\.student_preference\\.language$", "rw", maxLength(255)],
    ["^cmi\\.interactions\\._children$", "r"], ["^cmi\\.interactions\\._count$", "r"],
    ["^cmi\\.interactions" + N + "(id|student_response|latency|weighting|time)$", "w", maxLength(4096)],
    ["^cmi\\.interactions" + N + "type$", "w", V.interactionType12],
    ["^cmi\\.interactions" + N + "result$", "w", V.result12],
    ["^cmi\\.interactions" + N + "objectives\\._count$", "r"],
    ["^cmi\\.interactions" + N + "objectives" + N + "id$", "w", maxLength(255)],
    ["^cmi\\.interactions" + N + "correct_responses\\._count$", "r"],
    ["^cmi\\.interactions" + N + "correct_responses" + N + "pattern$", "w", maxLength(4096)]
  ];
  var M2004 = [
    ["^cmi\\._version$", "r"], ["^cmi\\.comments_from_learner\\._children$", "r"], ["^cmi\\.comments_from_learner\\._count$", "r"],
    ["^cmi\\.comments_from_learner" + N + "(comment|location|timestamp)$", "rw", maxLength(4000)],
    ["^cmi\\.comments_from_lms\\._children$", "r"], ["^cmi\\.comments_from_lms\\._count$", "r"],
    ["^cmi\\.comments_from_lms" + N + "(comment|location|timestamp)$", "r"],
    ["^cmi\\.completion_status$", "rw", V.completion], ["^cmi\\.completion_threshold$", "r"], ["^cmi\\.credit$", "r"],
    ["^cmi\\.entry$", "r"], ["^cmi\\.exit$", "w", V.exit2004],
    ["^cmi\\.interactions\\._children$", "r"], ["^cmi\\.interactions\\._count$", "r"],
    ["^cmi\\.interactions" + N + "(id|timestamp|weighting|learner_response|latency|description)$", "rw", maxLength(4000)],
    ["^cmi\\.interactions" + N + "type$", "rw", V.interactionType2004],
    ["^cmi\\.interactions" + N + "result$", "rw", V.result2004],
    ["^cmi\\.interactions" + N + "objectives\\._count$", "r"],
    ["^cmi\\.interactions" + N + "objectives" + N + "id$", "rw", maxLength(4000)],
    ["^cmi\\.interactions" + N + "correct_responses\\._count$", "r"],
    ["^cmi\\.interactions" + N + "correct_responses" + N + "pattern$", "rw", maxLength(4000)],
    ["^cmi\\.launch_data$", "r"], ["^cmi\\.learner_id$", "r"], ["^cmi\\.learner_name$", "r"],
    ["^cmi\\.learner_preference\\._children$", "r"],
    ["^cmi\\.learner_preference\\.(audio_level|delivery_speed)$", "rw", decimalIn(0, null)],
    ["^cmi\\.learner_preference\\.language$", "rw", maxLength(250)],
    ["^cmi\\.learner_preference\\.audio_captioning$", "rw", /^(-1|0|1)$/],
    ["^cmi\\.location$", "rw", maxLength(1000)], ["^cmi\\.max_time_allowed$", "r"], ["^cmi\\.mode$", "r"],
    ["^cmi\\.objectives\\._children$", "r"], ["^cmi\\.objectives\\._count$", "r"],
    ["^cmi\\.objectives" + N + "(id|description)$", "rw", maxLength(4000)],
    ["^cmi\\.objectives" + N + "score\\._children$", "r"],
    ["^cmi\\.objectives" + N + "score\\.scaled$", "rw", decimalIn(-1, 1)],
    ["^cmi\\.objectives" + N + "score\\.(raw|min|max)$", "rw", decimalIn(null, null)],
    ["^cmi\\.objectives" + N + "success_status$", "rw", V.success],
    ["^cmi\\.objectives" + N + "completion_status$", "rw", V.completion],
    ["^cmi\\.objectives" + N + "progress_measure$", "rw", decimalIn(0, 1)],
    ["^cmi\\.progress_measure$", "rw", decimalIn(0, 1)], ["^cmi\\.scaled_passing_score$", "r"],
    ["^cmi\\.score\\._children$", "r"], ["^cmi\\.score\\.scaled$", "rw", decimalIn(-1, 1)],
    ["^cmi\\.score\\.(raw|min|max)$", "rw", decimalIn(null, null)],
    ["^cmi\\.session_time$", "w", V.duration], ["^cmi\\.success_status$", "rw", V.success],
    ["^cmi\\.suspend_data$", "rw", maxLength(64000)], ["^cmi\\.time_limit_action$", "r"], ["^cmi\\.total_time$", "r"],
    ["^adl\\.nav\\.request$", "rw", V.nav], ["^adl\\.nav\\.request_valid\\.(continue|previous)$", "r"],
    ["^adl\\.nav\\.request_valid\\.(choice|jump)\\.\\{target=[^}]+\\}$", "r"]
  ];
  var MODEL = is12 ? M12 : M2004;
  for (var i = 0; i < MODEL.length; i++) { MODEL[i][0] = new RegExp(MODEL[i][0]); }
  var CHILDREN = is12 ? {
    "cmi.core._children": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
    "cmi.core.score._children": "raw,min,max",
    "cmi.objectives._children": "id,score,status",
    "cmi.student_data._children": "mastery_score,max_time_allowed,time_limit_action",
    "cmi.student_preference._children": "audio,language,speed,text",
    "cmi.interactions._children": "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"
  } : {
    "cmi.comments_from_learner._children": "comment,location,timestamp",
    "cmi.comments_from_lms._children": "comment,location,timestamp",
    "cmi.interactions._children": "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description",
    "cmi.learner_preference._children": "audio_level,language,delivery_speed,audio_captioning",
    "cmi.objectives._children": "id,score,success_status,completion_status,progress_measure,description",
    "cmi.score._children": "scaled,raw,min,max"
  };
  if (is12) { CHILDREN["cmi.objectives.n.score._children"] = "raw,min,max"; } else { CHILDREN["cmi.objectives.n.score._children"] = "scaled,raw,min,max"; }

  function lookup(element) {
    for (var i = 0; i < MODEL.length; i++) { if (MODEL[i][0].test(element)) { return MODEL[i]; } }
    return null;
  }
  // How many entries an array has: one more than its highest index with an id (or any element).
  function count(prefix) {
    var n = 0, key, rest, index;
    for (key in data) {
      if (data.hasOwnProperty(key) && key.indexOf(prefix) === 0) {
        rest = key.substring(prefix.length);
        index = parseInt(rest, 10);
        if (!isNaN(index) && index + 1 > n) { n = index + 1; }
      }
    }
    return n;
  }
  var ERRORS12 = { "0": "No error", "101": "General exception", "201": "Invalid argument error", "202": "Element cannot have children",
    "203": "Element not an array - cannot have count", "301": "Not initialized", "401": "Not implemented error",
    "402": "Invalid set value, element is a keyword", "403": "Element is read only", "404": "Element is write only", "405": "Incorrect data type" };
  var ERRORS2004 = { "0": "No Error", "101": "General Exception", "102": "General Initialization Failure", "103": "Already Initialized",
    "104": "Content Instance Terminated", "111": "General Termination Failure", "112": "Termination Before Initialization",
    "113": "Termination After Termination", "122": "Retrieve Data Before Initialization", "123": "Retrieve Data After Termination",
    "132": "Store Data Before Initialization", "133": "Store Data After Termination", "142": "Commit Before Initialization",
    "143": "Commit After Termination", "201": "General Argument Error", "301": "General Get Failure", "351": "General Set Failure",
    "391": "General Commit Failure", "401": "Undefined Data Model Element", "402": "Unimplemented Data Model Element",
    "403": "Data Model Element Value Not Initialized", "404": "Data Model Element Is Read Only", "405": "Data Model Element Is Write Only",
    "406": "Data Type Mismatch", "407": "Data Model Element Value Out Of Range", "408": "Data Model Dependency Not Established" };
  function fail(code, why) { lastError = code; diagnostic = why || ""; return is12 ? "false" : "false"; }
  function ok(value) { lastError = "0"; diagnostic = ""; return value; }

  function save(event, sync) {
    if (timer) { clearTimeout(timer); timer = null; }
    dirty = false;
    return send("/cmi", { event: event, cmi: data }, sync);
  }
  function saveSoon() {
    dirty = true;
    if (!timer) { timer = setTimeout(function () { timer = null; if (dirty && state === 1) { save("commit", false); } }, 800); }
  }

  // The portal's sandbox allows no modal dialog: alert(), confirm() and prompt() of the course
  // would be ignored (confirm answering false, so "Resume where you left off?" would start over).
  // Once the SCO initializes, its windows get non-blocking stand-ins: the message shows over the
  // top of the player for a few seconds (clicks pass through it); confirm() answers OK, prompt()
  // its default.
  var noteTimer = null;
  function note(message) {
    var box = byId("note");
    box.innerHTML = "";
    box.appendChild(document.createTextNode(String(message === undefined ? "" : message)));
    box.style.display = "block";
    if (noteTimer) { clearTimeout(noteTimer); }
    noteTimer = setTimeout(function () { box.style.display = "none"; }, 6000);
  }
  function replaceDialogs(win, depth) {
    try {
      win.alert = function (m) { note(m); };
      win.confirm = function (m) { note(m); return true; };
      win.prompt = function (m, d) { note(m); return d === undefined ? "" : String(d); };
      for (var i = 0; depth < 4 && i < win.frames.length; i++) { replaceDialogs(win.frames[i], depth + 1); }
    } catch (e) { /* a frame of another origin: not the course's */ }
  }

  function initialize(arg) {
    if (arg !== "" && arg !== undefined && arg !== null) { return fail("201", "the argument must be the empty string"); }
    if (state === 1) { return fail(is12 ? "101" : "103", "already initialized"); }
    if (state === 2) { return fail(is12 ? "101" : "104", "already terminated"); }
    replaceDialogs(byId("contenu").contentWindow, 0);
    state = 1;
    save("initialize", false);
    return ok("true");
  }
  function terminate(arg) {
    if (arg !== "" && arg !== undefined && arg !== null) { return fail("201", "the argument must be the empty string"); }
    if (state === 0) { return fail(is12 ? "301" : "112", "not initialized"); }
    if (state === 2) { return fail(is12 ? "101" : "113", "already terminated"); }
    state = 2;
    if (!save("finish", true)) { return fail(is12 ? "101" : "111", "the box did not record the session"); }
    if (!is12) { navigationRequest(data["adl.nav.request"]); }
    return ok("true");
  }
  function commit(arg) {
    if (arg !== "" && arg !== undefined && arg !== null) { return fail("201", "the argument must be the empty string"); }
    if (state === 0) { return fail(is12 ? "301" : "142", "not initialized"); }
    if (state === 2) { return fail(is12 ? "101" : "143", "already terminated"); }
    if (!save("commit", true)) { return fail(is12 ? "101" : "391", "the box did not record the data"); }
    return ok("true");
  }
  function getValue(element) {
    element = String(element === undefined || element === null ? "" : element);
    if (state === 0) { fail(is12 ? "301" : "122", "not initialized"); return ""; }
    if (state === 2 && !is12) { fail("123", "terminated"); return ""; }
    if (element === "") { fail(is12 ? "201" : "301", "no element"); return ""; }
    var countMatch = /^(.*)\._count$/.exec(element);
    if (countMatch) {
      if (!lookup(element)) { fail(is12 ? "203" : "401", "not an array"); return ""; }
      return ok(String(count(countMatch[1] + ".")));
    }
    if (/\._children$/.test(element)) {
      var generic = element.replace(/\.\d+\./g, ".n.");
      if (CHILDREN.hasOwnProperty(generic)) { return ok(CHILDREN[generic]); }
      fail(is12 ? "202" : "301", "no children"); return "";
    }
    var entry = lookup(element);
    if (!entry) { fail(is12 ? "201" : "401", "unknown element"); return ""; }
    if (entry[1] === "w") { fail(is12 ? "404" : "405", "write only"); return ""; }
    if (!is12 && element.indexOf("adl.nav.request_valid.") === 0) { return ok(navigationValid(element)); }
    // SCORM 2004 RTE 4.2.4.1 / 4.2.22.1: the LMS evaluates completion and success from the
    // thresholds of the manifest when the SCO reports a progress measure or a scaled score.
    if (!is12 && element === "cmi.completion_status" && data.hasOwnProperty("cmi.completion_threshold") && data.hasOwnProperty("cmi.progress_measure")) {
      return ok(parseFloat(data["cmi.progress_measure"]) >= parseFloat(data["cmi.completion_threshold"]) ? "completed" : "incomplete");
    }
    if (!is12 && element === "cmi.success_status" && data.hasOwnProperty("cmi.scaled_passing_score") && data.hasOwnProperty("cmi.score.scaled")) {
      return ok(parseFloat(data["cmi.score.scaled"]) >= parseFloat(data["cmi.scaled_passing_score"]) ? "passed" : "failed");
    }
    if (!data.hasOwnProperty(element)) {
      if (!is12 && entry[1] === "rw") { fail("403", "not initialized"); return ""; }
      return ok("");
    }
    return ok(String(data[element]));
  }
  function setValue(element, value) {
    element = String(element === undefined || element === null ? "" : element);
    value = String(value === undefined || value === null ? "" : value);
    if (state === 0) { return fail(is12 ? "301" : "132", "not initialized"); }
    if (state === 2) { return fail(is12 ? "101" : "133", "terminated"); }
    if (/\._(count|children|version)$/.test(element)) { return fail(is12 ? "402" : "404", "keyword"); }
    var entry = lookup(element);
    if (!entry) { return fail(is12 ? "201" : "401", "unknown element"); }
    if (entry[1] === "r") { return fail(is12 ? "403" : "404", "read only"); }
    var check = entry[2];
    if (check) {
      var problem = typeof check === "function" ? check(value) : (check.test(value) ? "" : "type");
      if (problem === "range") { return fail(is12 ? "405" : "407", "out of range"); }
      if (problem) { return fail(is12 ? "405" : "406", "wrong type"); }
    }
    // Arrays grow one at a time: index n may be set only when 0…n-1 exist.
    var arrays = element.match(/^(.*?)\.(\d+)\./);
    if (arrays) {
      var index = parseInt(arrays[2], 10);
      if (index > count(arrays[1] + ".")) { return fail(is12 ? "201" : "351", "index out of order"); }
    }
    data[element] = value;
    saveSoon();
    return ok("true");
  }
  function errorString(code) {
    var table = is12 ? ERRORS12 : ERRORS2004;
    return table.hasOwnProperty(String(code)) ? table[String(code)] : "";
  }
  function getDiagnostic(code) { return diagnostic || errorString(code === undefined || code === "" ? lastError : code); }

  if (is12) {
    window.API = {
      LMSInitialize: initialize, LMSFinish: terminate, LMSGetValue: getValue, LMSSetValue: setValue, LMSCommit: commit,
      LMSGetLastError: function () { return lastError; }, LMSGetErrorString: errorString, LMSGetDiagnostic: getDiagnostic
    };
  } else {
    window.API_1484_11 = {
      Initialize: initialize, Terminate: terminate, GetValue: getValue, SetValue: setValue, Commit: commit,
      GetLastError: function () { return lastError; }, GetErrorString: errorString, GetDiagnostic: getDiagnostic
    };
  }
  // Before another SCO opens: unload this one (its unload handler usually terminates), then
  // keep whatever it did not commit.
  beforeLeaving = function (done) {
    if (state !== 1) { done(); return; }
    var frame = byId("contenu"), finished = false;
    function next() {
      if (finished) { return; }
      finished = true;
      if (state === 1) { save("commit", true); }
      done();
    }
    frame.onload = next;
    setTimeout(next, 2000);
    frame.src = "about:blank";
  };
  delete data["adl.nav.request"];
  // The tab closes before the SCO finished: keep what it wrote (the box resumes it next time).
  onLeave(function () {
    leaving = true;
    if (state === 1 && dirty) { save("commit", true); }
  });
  byId("contenu").src = content;
})();
</script>
</body>
</html>
"""#
}
