/*
 * Unité d'apprentissage (AU) cmi5 minimale, en JavaScript ES5 et XMLHttpRequest.
 *
 * Déroulement (spécification cmi5, AU) :
 *  1. lire endpoint, fetch, actor, registration et activityId dans l'URL de lancement ;
 *  2. POST sur l'URL « fetch » pour obtenir le jeton d'autorisation (une seule fois par lancement) ;
 *  3. GET du document d'état « LMS.LaunchData » (contextTemplate, launchMode, masteryScore, returnURL…) ;
 *  4. envoyer « initialized », puis selon le parcours « completed », « passed » ou « failed »
 *     (avec le score) et enfin « terminated », toujours avec le contextTemplate de la plateforme.
 * En-têtes : Authorization: Basic <jeton>, X-Experience-API-Version: 1.0.3.
 * Sans paramètres de lancement, Cmi5.parametres() renvoie null et le module fonctionne seul.
 */
var Cmi5 = (function () {
  'use strict';

  var VERBES = {
    initialized: 'http://adlnet.gov/expapi/verbs/initialized',
    completed: 'http://adlnet.gov/expapi/verbs/completed',
    passed: 'http://adlnet.gov/expapi/verbs/passed',
    failed: 'http://adlnet.gov/expapi/verbs/failed',
    terminated: 'http://adlnet.gov/expapi/verbs/terminated'
  };
  var CATEGORIE_CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
  var CATEGORIE_MOVEON = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
  var EXTENSION_MAITRISE = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';
  var ETAT_PROGRESSION = 'fr.relais.demo.ecrire-seance.progression'; // document d'état propre à l'AU

  var p = null;             // paramètres de lancement
  var jeton = null;         // jeton « Basic » obtenu par l'URL fetch
  var donnees = null;       // document LMS.LaunchData
  var progression = {};     // document d'état de l'AU (reprise, verbes déjà envoyés dans l'inscription)
  var debut = new Date().getTime();
  var actif = false;        // vrai entre « initialized » et « terminated »
  var envoyes = {};         // verbes déjà envoyés pendant cette session
  var jugementEnAttente = null; // échec au quiz pas encore transmis (un seul passed/failed par session)
  var file = [];            // déclarations à envoyer, dans l'ordre
  var envoiEnCours = false;

  /* ---------- Outils ---------- */

  function decoder(texte) {
    try { return decodeURIComponent(texte.replace(/\+/g, ' ')); } catch (e) { return texte; }
  }

  function lireParametres() {
    var requete = window.location.search.replace(/^\?/, '');
    if (!requete) { return null; }
    var r = {}, morceaux = requete.split('&');
    for (var i = 0; i < morceaux.length; i++) {
      var egal = morceaux[i].indexOf('=');
      if (egal > 0) { r[decoder(morceaux[i].substring(0, egal))] = decoder(morceaux[i].substring(egal + 1)); }
    }
    if (!r.endpoint || !r.fetch || !r.actor || !r.registration || !r.activityId) { return null; }
    try { r.actor = JSON.parse(r.actor); } catch (e) { return null; }
    if (r.endpoint.charAt(r.endpoint.length - 1) !== '/') { r.endpoint += '/'; }
    return r;
  }

  function uuid() {
    var octets = [], i;
    var c = window.crypto || window.msCrypto;
    if (c && c.getRandomValues && window.Uint8Array) {
      var tableau = new Uint8Array(16);
      c.getRandomValues(tableau);
      for (i = 0; i < 16; i++) { octets.push(tableau[i]); }
    } else {
      for (i = 0; i < 16; i++) { octets.push(Math.floor(Math.random() * 256)); }
    }
    octets[6] = (octets[6] & 0x0f) | 0x40; // version 4
    octets[8] = (octets[8] & 0x3f) | 0x80; // variante RFC 4122
    var hex = '';
    for (i = 0; i < 16; i++) {
      hex += (octets[i] < 16 ? '0' : '') + octets[i].toString(16);
      if (i === 3 || i === 5 || i === 7 || i === 9) { hex += '-'; }
    }
    return hex;
  }

  function duree() { // durée ISO 8601 depuis le début de la session, ex. « PT83.25S »
    return 'PT' + (Math.max(0, new Date().getTime() - debut) / 1000).toFixed(2) + 'S';
  }

  function copie(objet) { return JSON.parse(JSON.stringify(objet || {})); }

  function entetes() {
    return {
      'Authorization': 'Basic ' + jeton,
      'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'application/json'
    };
  }

  // Requête XMLHttpRequest ; rappel(statut, texte). Statut 0 : pas de réponse.
  function requete(methode, url, corps, enTetes, rappel, synchrone) {
    var x;
    try {
      x = new XMLHttpRequest();
      x.open(methode, url, !synchrone);
      for (var nom in enTetes) {
        if (enTetes.hasOwnProperty(nom)) { x.setRequestHeader(nom, enTetes[nom]); }
      }
    } catch (e) { rappel(0, ''); return; }
    if (!synchrone) {
      x.onreadystatechange = function () {
        if (x.readyState === 4) { rappel(x.status, x.responseText); }
      };
    }
    try { x.send(corps == null ? null : corps); } catch (e2) { if (synchrone) { rappel(0, ''); } return; }
    if (synchrone) { rappel(x.status, x.responseText); }
  }

  function urlEtat(stateId) {
    return p.endpoint + 'activities/state?stateId=' + encodeURIComponent(stateId) +
      '&activityId=' + encodeURIComponent(p.activityId) +
      '&agent=' + encodeURIComponent(JSON.stringify(p.actor)) +
      '&registration=' + encodeURIComponent(p.registration);
  }

  /* ---------- Déclarations xAPI ---------- */

  function ajouterCategorie(liste, id) {
    for (var i = 0; i < liste.length; i++) { if (liste[i] && liste[i].id === id) { return; } }
    liste.push({ objectType: 'Activity', id: id });
  }

  function declaration(verbe, resultat, avecMaitrise) {
    // Le contexte part du contextTemplate de la plateforme : on ajoute, on n'écrase rien.
    var contexte = copie(donnees.contextTemplate);
    contexte.registration = p.registration;
    contexte.contextActivities = contexte.contextActivities || {};
    var categories = contexte.contextActivities.category || [];
    if (!(categories instanceof Array)) { categories = [categories]; }
    ajouterCategorie(categories, CATEGORIE_CMI5);
    if (resultat && (resultat.success !== undefined || resultat.completion !== undefined)) {
      ajouterCategorie(categories, CATEGORIE_MOVEON);
    }
    contexte.contextActivities.category = categories;
    if (avecMaitrise && typeof donnees.masteryScore === 'number') {
      contexte.extensions = contexte.extensions || {};
      contexte.extensions[EXTENSION_MAITRISE] = donnees.masteryScore;
    }
    var d = {
      id: uuid(),
      timestamp: new Date().toISOString(),
      actor: p.actor,
      verb: { id: VERBES[verbe], display: { 'en-US': verbe } },
      object: { objectType: 'Activity', id: p.activityId },
      context: contexte
    };
    if (resultat) { d.result = resultat; }
    return d;
  }

  function envoyer(verbe, resultat, avecMaitrise) {
    envoyes[verbe] = true;
    file.push(declaration(verbe, resultat, avecMaitrise));
    vider();
  }

  function vider() {
    if (envoiEnCours || file.length === 0) { return; }
    envoiEnCours = true;
    var d = file[0], essais = 0;
    function essayer() {
      essais++;
      requete('PUT', p.endpoint + 'statements?statementId=' + encodeURIComponent(d.id), JSON.stringify(d), entetes(),
        function (statut) {
          if ((statut === 0 || statut >= 500) && essais < 3) { window.setTimeout(essayer, 1000 * essais); return; }
          if (statut < 200 || statut >= 300) { signaler('La plateforme a refusé une déclaration (' + statut + ').'); }
          file.shift();
          envoiEnCours = false;
          if (file.length === 0 && Cmi5.quandVide) { var f = Cmi5.quandVide; Cmi5.quandVide = null; f(); }
          vider();
        });
    }
    essayer();
  }

  // À la fermeture de la page : tout ce qui reste part d'un coup (fetch keepalive, sinon XHR synchrone).
  function viderEnUrgence() {
    // La déclaration déjà en route (file[0]) est partie : la renvoyer ferait échouer tout le lot (409).
    var reste = envoiEnCours ? file.slice(1) : file;
    file = [];
    if (reste.length === 0) { return; }
    var corps = JSON.stringify(reste);
    var h = entetes();
    if (window.fetch) {
      try { window.fetch(p.endpoint + 'statements', { method: 'POST', headers: h, body: corps, keepalive: true }); return; } catch (e) { /* repli */ }
    }
    requete('POST', p.endpoint + 'statements', corps, h, function () {}, true);
  }

  function signaler(message) {
    if (Cmi5.surErreur) { Cmi5.surErreur(message); }
    if (window.console) { window.console.warn('cmi5 : ' + message); }
  }

  // Drapeaux de session gardés dans sessionStorage : un rechargement de la page ne doit ni renvoyer
  // « initialized », ni envoyer quoi que ce soit après « terminated » (la session est close).
  function drapeau(nom, valeur) {
    var cle = 'cmi5.' + nom + '.' + p.fetch;
    try {
      if (valeur === undefined) { return window.sessionStorage.getItem(cle); }
      window.sessionStorage.setItem(cle, valeur);
    } catch (e) { /* stockage indisponible */ }
    return null;
  }

  function modeNormal() { return donnees && donnees.launchMode === 'Normal'; }

  function sauverProgression(synchrone) {
    if (!actif || !modeNormal()) { return; }
    requete('PUT', urlEtat(ETAT_PROGRESSION), JSON.stringify(progression), entetes(), function () {}, synchrone);
  }

  /* ---------- Interface publique ---------- */

  return {
    surErreur: null,
    quandVide: null,

    parametres: function () { return lireParametres(); },
    actif: function () { return actif; },

    /**
     * Lance la session. rappel(erreur, infos) ; infos : { mode, seuil, retour, progression }.
     * erreur : 'sans-lancement' (pas de paramètres cmi5), 'session-terminee' (page rechargée après
     * « terminated ») ou un message lisible.
     */
    demarrer: function (rappel) {
      p = lireParametres();
      if (!p) { rappel('sans-lancement'); return; }
      if (drapeau('termine')) { rappel('session-terminee'); return; }
      var garde = drapeau('jeton');

      function apresJeton() {
        requete('GET', urlEtat('LMS.LaunchData'), null, entetes(), function (statut, texte) {
          if (statut !== 200) { rappel('LMS.LaunchData illisible (' + statut + ')'); return; }
          try { donnees = JSON.parse(texte); } catch (e) { rappel('LMS.LaunchData n\'est pas du JSON'); return; }
          if (!donnees || !donnees.contextTemplate) { rappel('LMS.LaunchData sans contextTemplate'); return; }
          requete('GET', urlEtat(ETAT_PROGRESSION), null, entetes(), function (statut2, texte2) {
            if (statut2 === 200) { try { progression = JSON.parse(texte2) || {}; } catch (e) { progression = {}; } }
            actif = true;
            var depuis = parseInt(drapeau('debut'), 10);
            if (depuis > 0) {
              debut = depuis;           // page rechargée : même session, « initialized » déjà envoyé
              envoyes.initialized = true;
            } else {
              debut = new Date().getTime();
              drapeau('debut', String(debut));
              envoyer('initialized');
            }
            rappel(null, {
              mode: donnees.launchMode || 'Normal',
              seuil: typeof donnees.masteryScore === 'number' ? donnees.masteryScore : null,
              retour: donnees.returnURL || null,
              progression: progression
            });
          });
        });
      }

      if (garde) { jeton = garde; apresJeton(); return; } // page rechargée : l'URL fetch a déjà servi
      requete('POST', p.fetch, null, {}, function (statut, texte) {
        var r = null;
        try { r = JSON.parse(texte); } catch (e) { r = null; }
        if (statut !== 200 || !r || !r['auth-token']) {
          rappel('jeton refusé' + (r && r['error-text'] ? ' : ' + r['error-text'] : ' (' + statut + ')'));
          return;
        }
        jeton = r['auth-token'];
        drapeau('jeton', jeton);
        apresJeton();
      });
    },

    /** Mémorise l'avancement du module (étape, réponses…) dans le document d'état de l'AU. */
    sauver: function (champs) {
      for (var k in champs) { if (champs.hasOwnProperty(k)) { progression[k] = champs[k]; } }
      sauverProgression(false);
    },

    /** « completed » : une seule fois par inscription, seulement en mode Normal. */
    terminerContenu: function () {
      if (!actif || !modeNormal() || progression.complete || envoyes.completed) { return; }
      progression.complete = true;
      envoyer('completed', { completion: true, duration: duree() });
      sauverProgression(false);
    },

    /**
     * Résultat du quiz (score entre 0 et 1). « passed » part tout de suite (une fois par inscription) ;
     * un échec est gardé jusqu'à la fin de la session, car une session n'admet qu'un seul passed/failed
     * et l'apprenant peut encore refaire le quiz.
     */
    juger: function (scaled, reussi, nbJustes, nbQuestions) {
      if (!actif || !modeNormal() || progression.reussi || envoyes.passed || envoyes.failed) { return; }
      var resultat = {
        score: { scaled: scaled, raw: nbJustes, min: 0, max: nbQuestions },
        success: reussi,
        duration: duree()
      };
      if (reussi) {
        jugementEnAttente = null;
        progression.reussi = true;
        envoyer('passed', resultat, true);
        sauverProgression(false);
      } else {
        jugementEnAttente = resultat;
      }
    },

    /** « terminated » : dernière déclaration de la session. rappel() quand tout est parti. */
    terminer: function (rappel, urgence) {
      if (!actif) { if (rappel) { rappel(); } return; }
      if (jugementEnAttente && !envoyes.passed && !envoyes.failed) {
        envoyer('failed', jugementEnAttente, true);
        jugementEnAttente = null;
      }
      sauverProgression(!!urgence);
      var fin = declaration('terminated', { duration: duree() });
      actif = false;
      envoyes.terminated = true;
      drapeau('termine', '1');
      if (urgence) {
        file.push(fin);
        viderEnUrgence();
        if (rappel) { rappel(); }
        return;
      }
      Cmi5.quandVide = rappel || null;
      file.push(fin);
      vider();
    }
  };
})();
