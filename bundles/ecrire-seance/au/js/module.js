/*
 * Préparer une séance prête — navigation, quiz et lien cmi5 (voir cmi5.js). JavaScript ES5.
 * Ouvert sans paramètres de lancement cmi5, le module fonctionne seul et l'indique.
 */
(function () {
  'use strict';

  var NB_ETAPES = 6;
  var ETAPE_QUIZ = 5;
  var ETAPE_RESULTAT = 6;
  var BONNES = [1, 2, 0, 1, 2];
  var EXPLICATIONS = [
    'Un objectif dit ce que les élèves sauront faire, pas ce qu\'ils auront rempli.',
    'Écrites mot pour mot, les consignes évitent au remplaçant de deviner ce que vous attendiez.',
    'Une séance prête a toujours un plan B sans écran, imprimé à l\'avance.',
    'Une activité hors licence ce jour-là ne s\'ouvrira pas : vérifiez la date de fin dans le catalogue.',
    'Le code de passation ne sert qu\'une fois et n\'ouvre que la séance préparée.'
  ];

  var etat = {
    etape: 1,
    vues: [0, 0, 0, 0, 0, 0],
    reponses: [-1, -1, -1, -1, -1],
    justes: null,
    seuil: 0.8,            // remplacé par le masteryScore de la plateforme s'il existe
    retour: null,
    connecte: false
  };

  function $(id) { return document.getElementById(id); }
  function texte(el, t) { el.innerHTML = ''; el.appendChild(document.createTextNode(t)); }
  function afficher(el, oui) {
    el.className = (' ' + el.className + ' ').replace(' cache ', ' ').replace(/^\s+|\s+$/g, '') + (oui ? '' : ' cache');
  }
  function avis(message, ok) {
    var el = $('avis');
    texte(el, message);
    el.className = 'avis' + (ok ? ' ok' : '');
  }

  /* ---------- Navigation ---------- */

  function aller(n) {
    if (n < 1 || n > NB_ETAPES) { return; }
    if (n === ETAPE_RESULTAT && etat.justes === null) { n = ETAPE_QUIZ; }
    etat.etape = n;
    etat.vues[n - 1] = 1;
    for (var i = 1; i <= NB_ETAPES; i++) { afficher($('etape-' + i), i === n); }
    var puces = $('sommaire').getElementsByTagName('li');
    for (var j = 0; j < puces.length; j++) {
      var k = parseInt(puces[j].getAttribute('data-etape'), 10);
      puces[j].className = (k === n) ? 'actuel' : (etat.vues[k - 1] ? 'vu' : '');
    }
    $('precedent').disabled = (n === 1);
    $('suivant').disabled = (n >= ETAPE_QUIZ);
    if (n === ETAPE_QUIZ) { remplirQuiz(); }
    if (n === ETAPE_RESULTAT) { montrerResultat(); }
    if (etat.connecte) { Cmi5.sauver({ etape: n, vues: etat.vues, reponses: etat.reponses, justes: etat.justes }); }
    try { window.scrollTo(0, 0); } catch (e) { /* ignorée */ }
  }

  /* ---------- Quiz ---------- */

  function remplirQuiz() {
    for (var q = 0; q < BONNES.length; q++) {
      var boutons = document.getElementsByName('q' + (q + 1));
      for (var i = 0; i < boutons.length; i++) {
        boutons[i].checked = (parseInt(boutons[i].value, 10) === etat.reponses[q]);
      }
    }
  }

  function validerQuiz() {
    var reponses = [], justes = 0;
    for (var q = 0; q < BONNES.length; q++) {
      var choisie = -1, boutons = document.getElementsByName('q' + (q + 1));
      for (var i = 0; i < boutons.length; i++) { if (boutons[i].checked) { choisie = parseInt(boutons[i].value, 10); } }
      if (choisie < 0) {
        texte($('quiz-message'), 'Répondez à la question ' + (q + 1) + ' avant de valider.');
        return false;
      }
      reponses.push(choisie);
      if (choisie === BONNES[q]) { justes++; }
    }
    texte($('quiz-message'), '');
    etat.reponses = reponses;
    etat.justes = justes;
    var scaled = Math.round(10000 * justes / BONNES.length) / 10000;
    if (etat.connecte) {
      // Tout le contenu a été parcouru et le quiz passé : le module est « completed ».
      Cmi5.terminerContenu();
      Cmi5.juger(scaled, scaled >= etat.seuil, justes, BONNES.length);
    }
    aller(ETAPE_RESULTAT);
    return false;
  }

  function montrerResultat() {
    var justes = etat.justes, n = BONNES.length;
    var reussi = (justes / n) >= etat.seuil;
    var score = $('score');
    texte(score, justes + ' bonne' + (justes > 1 ? 's' : '') + ' réponse' + (justes > 1 ? 's' : '') + ' sur ' + n);
    score.className = 'score ' + (reussi ? 'reussi' : 'echec');
    texte($('verdict'), reussi
      ? 'Module réussi. Vous êtes prêt à écrire votre première séance prête.'
      : 'Il faut au moins ' + Math.ceil(etat.seuil * n) + ' bonnes réponses. Relisez les parties 2 à 4, puis refaites le quiz.');
    var zone = $('corrections');
    zone.innerHTML = '';
    for (var q = 0; q < n; q++) {
      var ok = etat.reponses[q] === BONNES[q];
      var p = document.createElement('p');
      p.className = 'correction ' + (ok ? 'juste' : 'faux');
      p.appendChild(document.createTextNode('Question ' + (q + 1) + (ok ? ' : juste. ' : ' : à revoir. ') + EXPLICATIONS[q]));
      zone.appendChild(p);
    }
  }

  /* ---------- Fin de session ---------- */

  function terminer() {
    $('terminer').disabled = true;
    $('recommencer').disabled = true;
    $('precedent').disabled = true;
    afficher($('fin'), true);
    if (!etat.connecte) { return; }
    Cmi5.terminer(function () {
      if (etat.retour) {
        var lien = $('retour');
        lien.href = etat.retour;
        afficher(lien, true);
        window.setTimeout(function () { window.location.href = etat.retour; }, 1500);
      }
    });
  }

  function quitterPage() {
    if (etat.connecte && Cmi5.actif()) { Cmi5.terminer(null, true); }
  }

  /* ---------- Démarrage ---------- */

  function brancher() {
    $('precedent').onclick = function () { aller(etat.etape - 1); };
    $('suivant').onclick = function () { aller(etat.etape + 1); };
    $('quiz').onsubmit = validerQuiz;
    $('recommencer').onclick = function () { etat.reponses = [-1, -1, -1, -1, -1]; aller(ETAPE_QUIZ); };
    $('terminer').onclick = terminer;
    if (window.addEventListener) { window.addEventListener('pagehide', quitterPage, false); }
    window.onbeforeunload = function () { quitterPage(); };
  }

  function reprendre(progression) {
    if (!progression) { return; }
    if (progression.vues && progression.vues.length === NB_ETAPES) { etat.vues = progression.vues; }
    if (progression.reponses && progression.reponses.length === BONNES.length) { etat.reponses = progression.reponses; }
    if (typeof progression.justes === 'number') { etat.justes = progression.justes; }
    if (progression.etape >= 1 && progression.etape <= NB_ETAPES) { etat.etape = progression.etape; }
  }

  function demarrer() {
    brancher();
    if (!Cmi5.parametres()) {
      avis('Module ouvert hors plateforme : tout fonctionne, mais votre progression et votre résultat ne seront pas enregistrés.');
      aller(1);
      return;
    }
    avis('Connexion à la plateforme…', true);
    Cmi5.surErreur = function (message) { avis(message + ' Votre progression risque de ne pas être enregistrée.'); };
    Cmi5.demarrer(function (erreur, infos) {
      if (erreur === 'session-terminee') {
        avis('Cette session est terminée : pour que votre progression soit enregistrée, relancez le module depuis la plateforme.');
        aller(1);
        return;
      }
      if (erreur) {
        avis('La plateforme n\'a pas répondu (' + erreur + ') : le module reste utilisable, mais votre progression ne sera pas enregistrée.');
        aller(1);
        return;
      }
      etat.connecte = true;
      if (infos.seuil !== null) { etat.seuil = infos.seuil; }
      etat.retour = infos.retour;
      reprendre(infos.progression);
      if (infos.mode !== 'Normal') {
        avis('Mode consultation : vous pouvez tout relire, le résultat du quiz ne sera pas enregistré.', true);
      } else if (etat.etape > 1) {
        avis('Bon retour ! Vous reprenez à la partie ' + etat.etape + '.', true);
      } else {
        afficher($('avis'), false);
      }
      aller(etat.etape);
    });
  }

  demarrer();
})();
