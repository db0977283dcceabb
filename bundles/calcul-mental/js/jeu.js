/*
 * Calcul mental — jeu de la démo Relais.
 * JavaScript ES5 simple (var, function), sans module ni bibliothèque : fonctionne hors ligne
 * et sur les vieux navigateurs des tablettes et PC de l'école.
 */
(function () {
  'use strict';

  var NB_CALCULS = 10;

  var etat = {
    niveau: 'cycle2',
    operation: 'addition',
    questions: [],
    index: 0,
    score: 0,
    serie: 0,        // bonnes réponses d'affilée
    meilleureSerie: 0,
    erreurs: [],
    attente: false   // vrai pendant l'affichage de la correction
  };

  function $(id) { return document.getElementById(id); }

  function hasard(min, max) { // entier entre min et max inclus
    return min + Math.floor(Math.random() * (max - min + 1));
  }

  function ajouterClasse(el, nom) {
    if ((' ' + el.className + ' ').indexOf(' ' + nom + ' ') < 0) {
      el.className = (el.className ? el.className + ' ' : '') + nom;
    }
  }
  function retirerClasse(el, nom) {
    el.className = (' ' + el.className + ' ').replace(' ' + nom + ' ', ' ').replace(/^\s+|\s+$/g, '');
  }
  function ecrire(el, texte) {
    el.innerHTML = '';
    el.appendChild(document.createTextNode(texte));
  }
  function montrer(idEcran) {
    var ecrans = ['ecran-choix', 'ecran-jeu', 'ecran-bilan'];
    for (var i = 0; i < ecrans.length; i++) {
      if (ecrans[i] === idEcran) { retirerClasse($(ecrans[i]), 'cache'); } else { ajouterClasse($(ecrans[i]), 'cache'); }
    }
  }

  /* ---------- Fabrication des calculs ---------- */

  function addition(niveau) {
    var a, b;
    if (niveau === 'cycle2') {
      if (Math.random() < 0.6) {          // résultat jusqu'à 20
        a = hasard(1, 15); b = hasard(1, 20 - a);
      } else {                            // dizaines + unités, sans retenue
        a = hasard(1, 8) * 10 + hasard(0, 5); b = hasard(1, 9 - (a % 10));
      }
    } else {
      if (Math.random() < 0.7) {          // deux nombres à deux chiffres, résultat jusqu'à 100
        a = hasard(12, 78); b = hasard(11, 99 - a);
      } else {                            // compléments à 100
        a = hasard(1, 9) * 10 + hasard(0, 9); b = 100 - a;
      }
    }
    return { texte: a + ' + ' + b, reponse: a + b };
  }

  function multiplication(niveau) {
    var a, b;
    if (niveau === 'cycle2') {
      var tables = [2, 3, 4, 5, 10];
      a = tables[hasard(0, tables.length - 1)]; b = hasard(1, 10);
    } else {
      if (Math.random() < 0.8) {          // tables de 2 à 9
        a = hasard(2, 9); b = hasard(2, 10);
      } else {                            // multiplier par 10 ou par 100
        a = hasard(2, 99); b = Math.random() < 0.5 ? 10 : 100;
      }
    }
    if (Math.random() < 0.5) { var t = a; a = b; b = t; }
    return { texte: a + ' \u00d7 ' + b, reponse: a * b };
  }

  function fabriquerSerie() {
    var liste = [], vus = {}, essais = 0, q, op;
    while (liste.length < NB_CALCULS && essais < 500) {
      essais++;
      op = etat.operation;
      if (op === 'melange') { op = Math.random() < 0.5 ? 'addition' : 'multiplication'; }
      q = op === 'addition' ? addition(etat.niveau) : multiplication(etat.niveau);
      if (!vus[q.texte]) { vus[q.texte] = true; liste.push(q); }
    }
    return liste;
  }

  /* ---------- Déroulement ---------- */

  function commencer() {
    etat.questions = fabriquerSerie();
    etat.index = 0;
    etat.score = 0;
    etat.serie = 0;
    etat.meilleureSerie = 0;
    etat.erreurs = [];
    montrer('ecran-jeu');
    afficherQuestion();
  }

  function afficherQuestion() {
    var q = etat.questions[etat.index];
    etat.attente = false;
    ecrire($('numero'), 'Calcul ' + (etat.index + 1) + ' sur ' + NB_CALCULS);
    ecrire($('points'), 'Score : ' + etat.score);
    ecrire($('calcul'), q.texte + ' = ?');
    ecrire($('message'), '\u00a0');
    $('message').className = '';
    $('reponse').value = '';
    $('valider').disabled = false;
    try { $('reponse').focus(); } catch (e) { /* certains navigateurs refusent */ }
  }

  function valider() {
    if (etat.attente) { return; }
    var saisie = $('reponse').value.replace(/\s+/g, '');
    if (saisie === '' || !/^[0-9]+$/.test(saisie)) {
      $('message').className = 'faux';
      ecrire($('message'), 'Écris un nombre avec les chiffres, puis valide.');
      return;
    }
    var q = etat.questions[etat.index];
    var donne = parseInt(saisie, 10);
    etat.attente = true;
    $('valider').disabled = true;
    if (donne === q.reponse) {
      etat.score++;
      etat.serie++;
      if (etat.serie > etat.meilleureSerie) { etat.meilleureSerie = etat.serie; }
      $('message').className = 'juste';
      ecrire($('message'), etat.serie >= 3 ? 'Juste ! ' + etat.serie + ' bonnes réponses d\'affilée !' : 'Juste, bravo !');
      ecrire($('calcul'), q.texte + ' = ' + q.reponse);
    } else {
      etat.serie = 0;
      etat.erreurs.push({ texte: q.texte, donne: donne, reponse: q.reponse });
      $('message').className = 'faux';
      ecrire($('message'), 'Pas tout à fait : ' + q.texte + ' = ' + q.reponse + '.');
    }
    ecrire($('points'), 'Score : ' + etat.score);
    window.setTimeout(suivant, donne === q.reponse ? 900 : 2200);
  }

  function suivant() {
    etat.index++;
    if (etat.index < NB_CALCULS) { afficherQuestion(); } else { bilan(); }
  }

  function bilan() {
    montrer('ecran-bilan');
    ecrire($('resultat'), etat.score + ' / ' + NB_CALCULS);
    var mot;
    if (etat.score === NB_CALCULS) { mot = 'Parfait : aucune erreur !'; }
    else if (etat.score >= 8) { mot = 'Très bien ! Encore un petit effort pour le sans-faute.'; }
    else if (etat.score >= 5) { mot = 'C\'est bien. Regarde tes erreurs et refais une série.'; }
    else { mot = 'Continue de t\'entraîner : relis les corrections ci-dessous, puis rejoue.'; }
    if (etat.meilleureSerie >= 3) { mot += ' Meilleure série : ' + etat.meilleureSerie + ' réponses justes d\'affilée.'; }
    ecrire($('appreciation'), mot);

    var zone = $('erreurs');
    zone.innerHTML = '';
    if (etat.erreurs.length === 0) { return; }
    var table = document.createElement('table');
    var tete = table.insertRow(-1);
    var titres = ['Calcul', 'Ta réponse', 'La bonne réponse'];
    for (var i = 0; i < titres.length; i++) {
      var th = document.createElement('th');
      th.appendChild(document.createTextNode(titres[i]));
      tete.appendChild(th);
    }
    for (var j = 0; j < etat.erreurs.length; j++) {
      var e = etat.erreurs[j];
      var ligne = table.insertRow(-1);
      ligne.insertCell(-1).appendChild(document.createTextNode(e.texte));
      var c = ligne.insertCell(-1);
      c.className = 'barre-faux';
      c.appendChild(document.createTextNode(String(e.donne)));
      ligne.insertCell(-1).appendChild(document.createTextNode(String(e.reponse)));
    }
    zone.appendChild(table);
  }

  /* ---------- Réglages ---------- */

  function choisir(bouton) {
    var groupe = bouton.getAttribute('data-groupe');
    var boutons = document.getElementsByTagName('button');
    for (var i = 0; i < boutons.length; i++) {
      if (boutons[i].getAttribute('data-groupe') === groupe) { retirerClasse(boutons[i], 'actif'); }
    }
    ajouterClasse(bouton, 'actif');
    etat[groupe] = bouton.getAttribute('data-valeur');
    memoriser();
  }

  // Mémorise les derniers réglages si le navigateur le permet (le lecteur sandboxé peut l'interdire).
  function memoriser() {
    try { window.localStorage.setItem('calcul-mental.reglages', etat.niveau + '|' + etat.operation); } catch (e) { /* sans importance */ }
  }
  function relire() {
    try {
      var v = window.localStorage.getItem('calcul-mental.reglages');
      if (v) {
        var p = v.split('|');
        if (p[0] === 'cycle2' || p[0] === 'cycle3') { etat.niveau = p[0]; }
        if (p[1] === 'addition' || p[1] === 'multiplication' || p[1] === 'melange') { etat.operation = p[1]; }
      }
    } catch (e) { /* sans importance */ }
  }

  function marquerReglages() {
    var boutons = document.getElementsByTagName('button');
    for (var i = 0; i < boutons.length; i++) {
      var g = boutons[i].getAttribute('data-groupe');
      if (g && etat[g] === boutons[i].getAttribute('data-valeur')) { ajouterClasse(boutons[i], 'actif'); }
    }
  }

  /* ---------- Clavier ---------- */

  function touche(valeur) {
    if (etat.attente) { return; }
    var champ = $('reponse');
    if (valeur === 'effacer') { champ.value = champ.value.substring(0, champ.value.length - 1); }
    else if (valeur === 'valider') { valider(); }
    else if (champ.value.length < 4) { champ.value += valeur; }
  }

  function demarrer() {
    relire();
    marquerReglages();
    var boutons = document.getElementsByTagName('button');
    for (var i = 0; i < boutons.length; i++) {
      (function (b) {
        if (b.getAttribute('data-groupe')) {
          b.onclick = function () { choisir(b); };
        } else if (b.getAttribute('data-touche')) {
          b.onclick = function () { touche(b.getAttribute('data-touche')); };
        }
      })(boutons[i]);
    }
    $('commencer').onclick = commencer;
    $('rejouer').onclick = commencer;
    $('reglages').onclick = function () { montrer('ecran-choix'); };
    $('formulaire').onsubmit = function () { valider(); return false; };
  }

  demarrer();
})();
