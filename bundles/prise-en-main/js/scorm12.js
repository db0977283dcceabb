/*
 * Accès à l'API d'exécution SCORM 1.2 (window.API fournie par la plateforme).
 * Recherche classique : la fenêtre courante, puis ses parents (7 niveaux au plus),
 * puis la fenêtre qui l'a ouverte et ses parents. JavaScript ES5.
 * Si aucune API n'est trouvée, toutes les fonctions répondent sans erreur (mode hors plateforme).
 */
var Scorm12 = (function () {
  'use strict';

  var api = null;
  var connecte = false;
  var termine = false;

  function lireAPI(fenetre) {
    // Une fenêtre d'une autre origine lève une exception quand on la lit.
    try { return fenetre.API || null; } catch (e) { return null; }
  }

  function parentDe(fenetre) {
    try { return fenetre.parent; } catch (e) { return null; }
  }

  function findAPI(win) {
    var essais = 0;
    while (win && lireAPI(win) == null && parentDe(win) != null && parentDe(win) != win) {
      essais++;
      if (essais > 7) { return null; }
      win = parentDe(win);
    }
    return win ? lireAPI(win) : null;
  }

  function getAPI() {
    var trouve = findAPI(window);
    var ouvreur = null;
    try { ouvreur = window.opener; } catch (e) { ouvreur = null; }
    if (trouve == null && ouvreur != null && typeof ouvreur != 'undefined') {
      trouve = findAPI(ouvreur);
    }
    return trouve;
  }

  function vrai(valeur) { return valeur === true || valeur === 'true'; }

  function derniereErreur() {
    if (!api) { return ''; }
    try {
      var code = api.LMSGetLastError();
      if (code && code !== '0' && code !== 0) {
        return code + ' ' + api.LMSGetErrorString(code);
      }
    } catch (e) { /* ignorée */ }
    return '';
  }

  return {
    /** Cherche l'API et appelle LMSInitialize. Renvoie true si la plateforme répond. */
    initialiser: function () {
      if (connecte) { return true; }
      api = getAPI();
      if (!api) { return false; }
      try { connecte = vrai(api.LMSInitialize('')); } catch (e) { connecte = false; }
      if (!connecte && window.console) { window.console.warn('LMSInitialize a échoué : ' + derniereErreur()); }
      return connecte;
    },
    actif: function () { return connecte && !termine; },
    lire: function (element) {
      if (!connecte || termine) { return ''; }
      try { var v = api.LMSGetValue(element); return v == null ? '' : String(v); } catch (e) { return ''; }
    },
    ecrire: function (element, valeur) {
      if (!connecte || termine) { return false; }
      var ok = false;
      try { ok = vrai(api.LMSSetValue(element, String(valeur))); } catch (e) { ok = false; }
      if (!ok && window.console) { window.console.warn('LMSSetValue(' + element + ') : ' + derniereErreur()); }
      return ok;
    },
    enregistrer: function () {
      if (!connecte || termine) { return false; }
      try { return vrai(api.LMSCommit('')); } catch (e) { return false; }
    },
    terminer: function () {
      if (!connecte || termine) { return false; }
      termine = true;
      try { return vrai(api.LMSFinish('')); } catch (e) { return false; }
    }
  };
})();
