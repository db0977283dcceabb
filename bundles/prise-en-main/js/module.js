/*
 * Prendre en main Relais — navigation, quiz et suivi SCORM 1.2.
 * Données SCORM utilisées :
 *   cmi.core.lesson_location  numéro de l'étape affichée (reprise)
 *   cmi.suspend_data          étapes vues et réponses du quiz, en JSON court (reprise)
 *   cmi.core.lesson_status    incomplete → completed (tout le contenu vu) → passed / failed (quiz)
 *   cmi.core.score.raw/min/max  score du quiz en pourcentage (0 à 100)
 * JavaScript ES5.
 */
(function () {
  'use strict';

  var NB_ETAPES = 7;          // 5 étapes de contenu, le quiz, le résultat
  var ETAPE_QUIZ = 6;
  var ETAPE_RESULTAT = 7;
  var BONNES = [1, 2, 0];     // indice de la bonne réponse de chaque question
  var EXPLICATIONS = [
    'Relais garde une copie des ressources sous licence et les sert sur le réseau de l\'école, même sans internet.',
    'L\'élève tape le code de la séance (ou scanne le QR code), puis choisit son prénom : ni compte ni mot de passe.',
    'Le code de passation ne donne accès qu\'à la séance préparée : la liste de la classe, les activités et la progression.'
  ];
  var SEUIL_DEFAUT = 60;      // même valeur que adlcp:masteryscore dans imsmanifest.xml

  var etat = {
    etape: 1,
    vues: [],               // vues[i] = 1 si l'étape i+1 a été affichée
    reponses: [-1, -1, -1],
    score: null,            // pourcentage, ou null tant que le quiz n'est pas validé
    statut: 'not attempted',
    seuil: SEUIL_DEFAUT,
    revision: false,        // lesson_mode « browse » ou « review » : on ne change ni statut ni score
    debut: new Date().getTime()
  };

  function $(id) { return document.getElementById(id); }
  function ecrireTexte(el, texte) { el.innerHTML = ''; el.appendChild(document.createTextNode(texte)); }
  function afficher(el, oui) {
    el.className = (' ' + el.className + ' ').replace(' cache ', ' ').replace(/^\s+|\s+$/g, '') + (oui ? '' : ' cache');
  }

  /* ---------- Lien avec la plateforme ---------- */

  function dureeSCORM(ms) { // CMITimespan : HHHH:MM:SS.SS
    var s = Math.max(0, ms) / 1000;
    var h = Math.floor(s / 3600); s -= h * 3600;
    var m = Math.floor(s / 60); s -= m * 60;
    function deux(n) { return (n < 10 ? '0' : '') + n; }
    var sec = s.toFixed(2);
    if (s < 10) { sec = '0' + sec; }
    var heures = String(h);
    while (heures.length < 4) { heures = '0' + heures; }
    return heures + ':' + deux(m) + ':' + sec;
  }

  function sauvegarder() {
    if (!Scorm12.actif()) { return; }
    Scorm12.ecrire('cmi.core.lesson_location', String(etat.etape));
    Scorm12.ecrire('cmi.suspend_data', JSON.stringify({ v: etat.vues, r: etat.reponses, s: etat.score }));
    Scorm12.enregistrer();
  }

  function changerStatut(statut) {
    if (etat.revision) { return; }
    etat.statut = statut;
    Scorm12.ecrire('cmi.core.lesson_status', statut);
  }

  function reprendre() {
    var connecte = Scorm12.initialiser();
    if (!connecte) {
      var avis = $('avis');
      ecrireTexte(avis, 'Module ouvert hors plateforme : il fonctionne normalement, mais votre progression et votre score ne seront pas enregistrés.');
      afficher(avis, true);
      return;
    }
    var mode = Scorm12.lire('cmi.core.lesson_mode');
    etat.revision = (mode === 'browse' || mode === 'review');
    var seuil = parseFloat(Scorm12.lire('cmi.student_data.mastery_score'));
    if (!isNaN(seuil) && seuil >= 0 && seuil <= 100) { etat.seuil = seuil; }

    etat.statut = Scorm12.lire('cmi.core.lesson_status') || 'not attempted';
    var entree = Scorm12.lire('cmi.core.entry');
    var donnees = Scorm12.lire('cmi.suspend_data');
    var lieu = parseInt(Scorm12.lire('cmi.core.lesson_location'), 10);
    if (entree === 'resume' || donnees !== '') {
      try {
        var d = JSON.parse(donnees);
        if (d && d.v && d.v.length) { etat.vues = d.v; }
        if (d && d.r && d.r.length === 3) { etat.reponses = d.r; }
        if (d && typeof d.s === 'number') { etat.score = d.s; }
      } catch (e) { /* données absentes ou illisibles : on repart du début */ }
      if (lieu >= 1 && lieu <= NB_ETAPES) { etat.etape = lieu; }
      if (etat.etape === ETAPE_RESULTAT && etat.score === null) { etat.etape = ETAPE_QUIZ; }
    }
    if (etat.statut === 'not attempted') { changerStatut('incomplete'); }
    Scorm12.ecrire('cmi.core.score.min', '0');
    Scorm12.ecrire('cmi.core.score.max', '100');
    if (etat.etape > 1) {
      var avisReprise = $('avis');
      ecrireTexte(avisReprise, 'Bon retour ! Vous reprenez à l\'étape ' + etat.etape + '.');
      afficher(avisReprise, true);
    }
  }

  var fini = false;
  function quitter() {
    if (fini) { return; }
    fini = true;
    if (!Scorm12.actif()) { return; }
    Scorm12.ecrire('cmi.core.session_time', dureeSCORM(new Date().getTime() - etat.debut));
    // « suspend » permet de reprendre ; une fois réussi, plus besoin.
    Scorm12.ecrire('cmi.core.exit', etat.statut === 'passed' ? '' : 'suspend');
    sauvegarder();
    Scorm12.terminer();
  }

  /* ---------- Navigation ---------- */

  function toutVu() {
    for (var i = 0; i < ETAPE_QUIZ - 1; i++) { if (etat.vues[i] !== 1) { return false; } }
    return true;
  }

  function aller(n) {
    if (n < 1 || n > NB_ETAPES) { return; }
    if (n === ETAPE_RESULTAT && etat.score === null) { n = ETAPE_QUIZ; }
    etat.etape = n;
    for (var i = 1; i <= NB_ETAPES; i++) { afficher($('etape-' + i), i === n); }
    etat.vues[n - 1] = 1;
    for (var j = 0; j < NB_ETAPES; j++) { if (etat.vues[j] !== 1) { etat.vues[j] = etat.vues[j] || 0; } }
    ecrireTexte($('avancement'), 'Étape ' + n + ' sur ' + NB_ETAPES);
    $('jauge-remplie').style.width = Math.round(100 * n / NB_ETAPES) + '%';
    $('precedent').disabled = (n === 1);
    $('suivant').disabled = (n >= ETAPE_QUIZ);
    if (n === ETAPE_QUIZ) { remplirQuiz(); }
    if (n === ETAPE_RESULTAT) { montrerResultat(); }
    if (toutVu() && (etat.statut === 'incomplete' || etat.statut === 'not attempted' || etat.statut === 'browsed')) {
      changerStatut('completed');
    }
    sauvegarder();
    try { window.scrollTo(0, 0); } catch (e) { /* ignorée */ }
  }

  /* ---------- Quiz ---------- */

  function remplirQuiz() {
    for (var q = 0; q < 3; q++) {
      var boutons = document.getElementsByName('q' + (q + 1));
      for (var i = 0; i < boutons.length; i++) {
        boutons[i].checked = (parseInt(boutons[i].value, 10) === etat.reponses[q]);
      }
    }
  }

  function validerQuiz() {
    var reponses = [], justes = 0;
    for (var q = 0; q < 3; q++) {
      var choisie = -1;
      var boutons = document.getElementsByName('q' + (q + 1));
      for (var i = 0; i < boutons.length; i++) {
        if (boutons[i].checked) { choisie = parseInt(boutons[i].value, 10); }
      }
      if (choisie < 0) {
        ecrireTexte($('quiz-message'), 'Répondez à la question ' + (q + 1) + ' avant de valider.');
        return false;
      }
      reponses.push(choisie);
      if (choisie === BONNES[q]) { justes++; }
    }
    ecrireTexte($('quiz-message'), '');
    etat.reponses = reponses;
    etat.score = Math.round(100 * justes / 3);
    if (!etat.revision) {
      Scorm12.ecrire('cmi.core.score.raw', String(etat.score));
      changerStatut(etat.score >= etat.seuil ? 'passed' : 'failed');
    }
    aller(ETAPE_RESULTAT);
    return false;
  }

  function montrerResultat() {
    var justes = 0, q;
    for (q = 0; q < 3; q++) { if (etat.reponses[q] === BONNES[q]) { justes++; } }
    var reussi = etat.score >= etat.seuil;
    var score = $('score');
    ecrireTexte(score, justes + ' bonne' + (justes > 1 ? 's' : '') + ' réponse' + (justes > 1 ? 's' : '') + ' sur 3');
    score.className = 'score ' + (reussi ? 'reussi' : 'echec');
    ecrireTexte($('verdict'), reussi
      ? 'Module réussi. Vous pouvez maintenant utiliser les ressources qui demandent cette formation.'
      : 'Pas encore : relisez les étapes 2 à 5, puis refaites le quiz.');
    var zone = $('corrections');
    zone.innerHTML = '';
    for (q = 0; q < 3; q++) {
      var p = document.createElement('p');
      var ok = etat.reponses[q] === BONNES[q];
      p.className = 'correction ' + (ok ? 'juste' : 'faux');
      p.appendChild(document.createTextNode('Question ' + (q + 1) + (ok ? ' : juste. ' : ' : à revoir. ') + EXPLICATIONS[q]));
      zone.appendChild(p);
    }
  }

  /* ---------- Démarrage ---------- */

  function demarrer() {
    reprendre();
    $('precedent').onclick = function () { aller(etat.etape - 1); };
    $('suivant').onclick = function () { aller(etat.etape + 1); };
    $('quiz').onsubmit = validerQuiz;
    $('recommencer').onclick = function () {
      etat.reponses = [-1, -1, -1];
      aller(ETAPE_QUIZ);
    };
    $('terminer').onclick = function () {
      quitter();
      afficher($('fin'), true);
      $('terminer').disabled = true;
      $('recommencer').disabled = true;
      $('precedent').disabled = true;
    };
    window.onbeforeunload = function () { quitter(); };
    window.onunload = function () { quitter(); };
    aller(etat.etape);
  }

  demarrer();
})();
