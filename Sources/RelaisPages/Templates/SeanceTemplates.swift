extension Templates {
    /// The progress table (pushed as the context: `{{#page.progress}}{{>progressTable}}{{/page.progress}}`).
    static let progressTable = """
        <p class="meta">{{joinedCount}}</p>
        {{#hasRows}}
        <div class="scroll"><table class="progression">
        <thead><tr><th scope="col">{{t.pupil}}</th><th scope="col">{{t.joined}}</th>{{#headers}}<th scope="col"><span class="sr">{{t.activityWord}} </span>{{number}}. {{title}}</th>{{/headers}}</tr></thead>
        <tbody>
        {{#rows}}<tr><th scope="row">{{name}}</th><td>{{joined}}</td>{{#cells}}<td class="{{cssClass}}"><span aria-hidden="true">{{text}}</span><span class="sr">{{label}}</span></td>{{/cells}}</tr>
        {{/rows}}
        </tbody></table></div>
        {{/hasRows}}
        {{^hasRows}}<p class="empty">{{t.noPupils}}</p>{{/hasRows}}
        """

    static let pupilHome = """
        {{<layout}}{{$main}}
        <h1>{{t.homeTitle}}</h1>
        <form method="post" action="{{page.action}}" class="grand">
        {{>csrf}}
        {{#page.problem}}<p class="alert" role="alert" id="code-probleme">{{.}}</p>{{/page.problem}}
        <label for="code">{{t.codeLabel}}</label>
        <input id="code" name="code" type="text" inputmode="text" autocapitalize="characters" autocomplete="off" spellcheck="false" maxlength="12" required value="{{page.typed}}" aria-describedby="code-aide{{#page.problem}} code-probleme{{/page.problem}}" class="code-saisie">
        <p class="help" id="code-aide">{{t.codeHelp}}</p>
        <p class="actions"><button type="submit">{{t.join}}</button></p>
        </form>
        <nav aria-label="{{t.others}}" class="autres">
        <ul><li><a href="{{page.substituteURL}}">{{t.substitute}}</a></li><li><a href="{{page.staffURL}}">{{t.staff}}</a></li><li><a href="{{page.catalogueURL}}">{{t.catalogue}}</a></li></ul>
        </nav>
        {{/main}}{{/layout}}
        """

    static let pupilNames = """
        {{<layout}}{{$main}}
        <h1>{{t.namesTitle}}</h1>
        <p class="meta">{{page.heading}} · {{page.className}}</p>
        {{#page.hasNames}}
        <form method="post" action="{{page.action}}">
        {{>csrf}}
        <fieldset><legend>{{t.pickName}}</legend>
        <ul class="noms">{{#page.names}}<li><button type="submit" name="eleve" value="{{id}}">{{displayName}}{{#joined}}<span class="deja"> ({{t.alreadyIn}})</span>{{/joined}}</button></li>{{/page.names}}</ul>
        </fieldset>
        </form>
        {{/page.hasNames}}
        {{^page.hasNames}}<p class="empty">{{t.noNames}}</p>{{/page.hasNames}}
        <p><a href="{{page.backURL}}">{{t.wrongSeance}}</a></p>
        {{/main}}{{/layout}}
        """

    static let pupilActivities = """
        {{<layout}}{{$main}}
        <p class="bonjour">{{page.hello}}</p>
        <h1>{{page.heading}}</h1>
        {{#page.notice}}<p class="alert" role="alert">{{.}}</p>{{/page.notice}}
        <ol class="activites">
        {{#page.activities}}
        <li><form method="post" action="{{action}}">{{>csrf}}
        <h2>{{t.activityWord}} {{number}} : {{title}}</h2>
        <p class="{{stateClass}}">{{state}}</p>
        {{#problem}}<p class="alert">{{.}}</p>{{/problem}}
        {{^problem}}<button type="submit">{{openLabel}}<span class="sr"> — {{title}}</span></button>{{/problem}}
        </form></li>
        {{/page.activities}}
        </ol>
        <form method="post" action="{{page.leaveAction}}" class="inline">{{>csrf}}<button type="submit" class="secondary">{{t.notMe}}</button></form>
        {{/main}}{{/layout}}
        """

    /// The fields shared by the new-séance form and the séance page (context: the fields view).
    static let seanceFields = """
        <label for="seance-titre">{{t.titleLabel}}</label>
        <input id="seance-titre" name="titre" type="text" required maxlength="120" value="{{title}}" aria-describedby="seance-titre-aide">
        <p class="help" id="seance-titre-aide">{{t.titleHelp}}</p>
        <label for="seance-classe">{{t.classLabel}}</label>
        {{#hasClasses}}<select id="seance-classe" name="classe" required>{{#classes}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/classes}}</select>{{/hasClasses}}
        {{^hasClasses}}<p class="alert">{{t.noClass}}</p>{{/hasClasses}}
        <fieldset><legend>{{t.slotLegend}}</legend>
        <p class="help" id="seance-creneau-aide">{{t.slotHelp}}</p>
        <label for="seance-date">{{t.dateLabel}}</label>
        <input id="seance-date" name="date" type="date" value="{{date}}" aria-describedby="seance-creneau-aide">
        <label for="seance-debut">{{t.startLabel}}</label>
        <input id="seance-debut" name="debut" type="time" value="{{start}}">
        <label for="seance-fin">{{t.endLabel}}</label>
        <input id="seance-fin" name="fin" type="time" value="{{end}}">
        </fieldset>
        <label for="seance-consignes">{{t.instructionsLabel}}</label>
        <textarea id="seance-consignes" name="consignes" rows="5" maxlength="4000" aria-describedby="seance-consignes-aide">{{instructions}}</textarea>
        <p class="help" id="seance-consignes-aide">{{t.instructionsHelp}}</p>
        <label for="seance-planb">{{t.planBLabel}}</label>
        <textarea id="seance-planb" name="planb" rows="3" maxlength="4000" aria-describedby="seance-planb-aide">{{planB}}</textarea>
        <p class="help" id="seance-planb-aide">{{t.planBHelp}}</p>
        """

    static let seanceNew = """
        {{<layout}}{{$main}}
        <p><a href="{{page.backURL}}">{{t.back}}</a></p>
        <h1>{{t.newTitle}}</h1>
        <form method="post" action="{{page.action}}">
        {{>csrf}}
        {{#page.hasProblems}}<div class="alert" role="alert"><p>{{t.problemsTitle}}</p><ul>{{#page.problems}}<li>{{.}}</li>{{/page.problems}}</ul></div>{{/page.hasProblems}}
        {{#page.fields}}{{>seanceFields}}{{/page.fields}}
        <p class="actions"><button type="submit">{{t.create}}</button></p>
        </form>
        {{/main}}{{/layout}}
        """

    static let seance = """
        {{<layout}}{{$main}}
        <p><a href="{{page.backURL}}">{{t.back}}</a></p>
        <h1>{{page.heading}}</h1>
        <p class="meta">{{t.classWord}} {{page.className}}{{#page.slot}} · {{.}}{{/page.slot}} · {{t.stateLabel}} <strong class="{{page.stateClass}}">{{page.state}}</strong></p>
        {{#page.notice}}<p class="notice" role="status">{{.}}</p>{{/page.notice}}
        {{#page.hasProblems}}<div class="alert" role="alert"><p>{{t.problemsTitle}}</p><ul>{{#page.problems}}<li>{{.}}</li>{{/page.problems}}</ul></div>{{/page.hasProblems}}
        {{#page.runURL}}<p><a class="button" href="{{.}}">{{t.run}}</a> <span class="help">{{t.runHelp}}</span></p>{{/page.runURL}}
        {{#page.progress}}
        <section aria-labelledby="rapport">
        <h2 id="rapport">{{t.reportTitle}}</h2>
        <p class="help">{{t.reportHelp}}</p>
        {{>progressTable}}
        {{#page.csvURL}}<p><a class="button secondary" href="{{.}}" download>{{t.csv}}</a></p>{{/page.csvURL}}
        <h3>{{t.chartsTitle}}</h3>
        <ul class="graphiques">{{#page.charts}}<li><figure><img src="{{imageURL}}" alt="{{description}}"><figcaption>{{title}}</figcaption></figure></li>{{/page.charts}}</ul>
        </section>
        {{/page.progress}}
        <section aria-labelledby="activites">
        <h2 id="activites">{{t.activitiesTitle}}</h2>
        {{#page.hasActivities}}
        <ol class="activites-seance">
        {{#page.activities}}
        <li><strong>{{title}}</strong> <span class="meta">{{detail}}</span>{{#problem}}<p class="alert">{{.}}</p>{{/problem}}
        {{#page.editable}}
        <span class="boutons">
        {{#upAction}}<form class="inline" method="post" action="{{.}}">{{>csrf}}<button type="submit" class="secondary">{{t.up}}<span class="sr"> — {{title}}</span></button></form>{{/upAction}}
        {{#downAction}}<form class="inline" method="post" action="{{.}}">{{>csrf}}<button type="submit" class="secondary">{{t.down}}<span class="sr"> — {{title}}</span></button></form>{{/downAction}}
        <form class="inline" method="post" action="{{removeAction}}">{{>csrf}}<button type="submit" class="secondary">{{t.remove}}<span class="sr"> — {{title}}</span></button></form>
        </span>
        {{/page.editable}}
        </li>
        {{/page.activities}}
        </ol>
        {{/page.hasActivities}}
        {{^page.hasActivities}}<p class="empty">{{t.noActivities}}</p>{{/page.hasActivities}}
        {{#page.editable}}
        <h3>{{t.addTitle}}</h3>
        {{#page.filterForm}}{{>catalogueFilterForm}}{{/page.filterForm}}
        <p class="help">{{t.candidatesHelp}}</p>
        {{#page.hasCandidates}}
        <ul class="candidats">
        {{#page.candidates}}
        <li><form class="inline" method="post" action="{{page.addAction}}">{{>csrf}}<input type="hidden" name="ressource" value="{{bundleId}}"><input type="hidden" name="element" value="{{itemId}}">
        <button type="submit" class="secondary">{{t.add}}<span class="sr"> — {{title}}</span></button></form>
        <strong>{{title}}</strong> <span class="meta">{{detail}}</span>
        {{#advice}}<p class="conseil">{{.}}{{#adviceURL}} — <a href="{{.}}">{{t.openTraining}}</a>{{/adviceURL}}</p>{{/advice}}
        {{#hasParts}}<details><summary>{{partsSummary}}</summary><ul class="parties">
        {{#parts}}<li><form class="inline" method="post" action="{{page.addAction}}">{{>csrf}}<input type="hidden" name="ressource" value="{{bundleId}}"><input type="hidden" name="element" value="{{itemId}}">
        <button type="submit" class="secondary">{{t.add}}<span class="sr"> — {{title}}</span></button></form> {{title}}</li>
        {{/parts}}</ul></details>{{/hasParts}}
        </li>
        {{/page.candidates}}
        </ul>
        {{/page.hasCandidates}}
        {{^page.hasCandidates}}<p class="empty">{{t.noCandidates}}</p>{{/page.hasCandidates}}
        {{/page.editable}}
        </section>
        {{^page.editable}}
        <section aria-labelledby="consignes"><h2 id="consignes">{{t.instructionsTitle}}</h2><p class="texte">{{page.instructions}}</p>
        {{#page.planB}}<h3>{{t.planBTitle}}</h3><p class="texte">{{page.planB}}</p>{{/page.planB}}</section>
        {{/page.editable}}
        {{#page.editable}}
        <section aria-labelledby="remise">
        <h2 id="remise">{{t.handoverTitle}}</h2>
        <p class="help">{{t.handoverHelp}}</p>
        {{#page.handoverText}}<p class="notice" role="status">{{.}}</p>{{/page.handoverText}}
        {{#page.canHandOver}}<form class="inline" method="post" action="{{page.handoverAction}}">{{>csrf}}<button type="submit">{{#page.handoverText}}{{t.handOverAgain}}{{/page.handoverText}}{{^page.handoverText}}{{t.handOver}}{{/page.handoverText}}</button></form>{{/page.canHandOver}}
        {{^page.canHandOver}}{{^page.hasActivities}}<p class="help">{{t.needActivity}}</p>{{/page.hasActivities}}{{/page.canHandOver}}
        {{#page.revokeAction}}<form class="inline" method="post" action="{{.}}">{{>csrf}}<button type="submit" class="secondary">{{t.revoke}}</button></form>{{/page.revokeAction}}
        </section>
        <section aria-labelledby="details">
        <h2 id="details">{{t.detailsTitle}}</h2>
        <form method="post" action="{{page.updateAction}}">
        {{>csrf}}
        {{#page.fields}}{{>seanceFields}}{{/page.fields}}
        <p class="actions"><button type="submit">{{t.save}}</button></p>
        </form>
        </section>
        {{/page.editable}}
        <section aria-labelledby="autres">
        <h2 id="autres">{{t.otherTitle}}</h2>
        <form class="inline" method="post" action="{{page.copyAction}}">{{>csrf}}<button type="submit" class="secondary">{{t.copy}}</button></form>
        <form method="post" action="{{page.deleteAction}}" class="fin">{{>csrf}}<p class="help">{{t.deleteWarning}}</p>
        <p><input type="checkbox" id="suppression-confirmer" name="confirmer" value="oui" required> <label class="case" for="suppression-confirmer">{{t.deleteConfirm}}</label></p>
        <button type="submit" class="danger">{{t.delete}}</button></form>
        </section>
        {{/main}}{{/layout}}
        """

    static let handoverSheet = """
        {{<layout}}{{$main}}
        <h1>{{t.sheetTitle}} — {{page.heading}}</h1>
        <p class="meta">{{t.classWord}} {{page.className}}{{#page.slot}} · {{.}}{{/page.slot}}</p>
        <p class="notice" role="status">{{t.onceOnly}}</p>
        <div class="remise">
        <p>{{t.codeLabel}}<br><span class="code">{{page.code}}</span></p>
        <p><img class="qr" src="{{page.qrImageURL}}" alt="{{page.qrAlt}}" width="240" height="240"></p>
        </div>
        <p><strong>{{page.validity}}</strong></p>
        <ol>{{#t.sheetSteps}}<li>{{.}}</li>{{/t.sheetSteps}}</ol>
        <p class="adresse">{{page.substituteURL}}</p>
        <p class="help nonimprime">{{t.print}}</p>
        <p class="nonimprime"><a class="button secondary" href="{{page.backURL}}">{{t.back}}</a></p>
        {{/main}}{{/layout}}
        """

    static let substituteCode = """
        {{<layout}}{{$main}}
        <h1>{{t.codeTitle}}</h1>
        <form method="post" action="{{page.action}}" class="grand">
        {{>csrf}}
        {{#page.problem}}<p class="alert" role="alert" id="remise-probleme">{{.}}</p>{{/page.problem}}
        <label for="remise-code">{{t.codeLabel}}</label>
        <input id="remise-code" name="code" type="text" autocapitalize="characters" autocomplete="off" spellcheck="false" maxlength="12" required value="{{page.typed}}" aria-describedby="remise-aide{{#page.problem}} remise-probleme{{/page.problem}}" class="code-saisie">
        <p class="help" id="remise-aide">{{t.codeHelp}}</p>
        <p class="actions"><button type="submit">{{t.open}}</button></p>
        </form>
        {{/main}}{{/layout}}
        """

    static let substituteSeance = """
        {{<layout}}{{$main}}
        <h1>{{page.heading}}</h1>
        <p class="meta">{{page.className}}{{#page.slot}} · {{.}}{{/page.slot}} · <strong class="{{page.stateClass}}">{{page.state}}</strong></p>
        {{#page.notice}}<p class="alert" role="alert">{{.}}</p>{{/page.notice}}
        {{#page.canStart}}
        <form method="post" action="{{page.startAction}}">{{>csrf}}<p class="help">{{t.startHelp}}</p><button type="submit">{{t.start}}</button></form>
        {{/page.canStart}}
        {{#page.running}}
        <section aria-labelledby="code-eleves" class="rejoindre">
        <h2 id="code-eleves">{{t.joinTitle}}</h2>
        <div class="cote"><p class="code" id="code-seance">{{page.joinCode}}</p>
        {{#page.joinQRImageURL}}<img class="qr" src="{{.}}" alt="{{page.qrAlt}}" width="200" height="200">{{/page.joinQRImageURL}}</div>
        <p>{{t.joinHelp}} <strong>{{page.joinURL}}</strong></p>
        <p><a class="button secondary" href="{{page.projectorURL}}">{{t.projector}}</a></p>
        </section>
        {{/page.running}}
        {{#page.ended}}<p class="notice" role="status">{{t.endedText}}</p>{{/page.ended}}
        <section aria-labelledby="suivi">
        <h2 id="suivi">{{#page.ended}}{{t.resultsTitle}}{{/page.ended}}{{^page.ended}}{{t.progressTitle}}{{/page.ended}}</h2>
        {{#page.running}}<p class="help">{{t.progressHelp}} <a href="{{page.progressURL}}" id="suivi-lien">{{t.refresh}}</a></p>{{/page.running}}
        <div id="suivi-tableau" aria-live="polite" data-url="{{page.progressURL}}">
        {{#page.progress}}{{>progressTable}}{{/page.progress}}
        </div>
        </section>
        {{#page.running}}
        <form method="post" action="{{page.endAction}}" class="fin">{{>csrf}}<p class="help">{{t.endHelp}}</p>
        <p><input type="checkbox" id="fin-confirmer" name="confirmer" value="oui" required> <label class="case" for="fin-confirmer">{{t.endConfirm}}</label></p>
        <button type="submit" class="danger">{{t.end}}</button></form>
        {{/page.running}}
        <section aria-labelledby="consignes">
        <h2 id="consignes">{{t.instructionsTitle}}</h2>
        {{#page.hasInstructions}}<p class="texte">{{page.instructions}}</p>{{/page.hasInstructions}}
        {{#page.hasPlanB}}<h3>{{t.planBTitle}}</h3><p class="texte">{{page.planB}}</p>{{/page.hasPlanB}}
        <h3>{{t.activitiesTitle}}</h3>
        <ol>{{#page.activities}}<li>{{.}}</li>{{/page.activities}}</ol>
        <h3>{{t.classTitle}} ({{page.pupilCount}})</h3>
        <ul class="pupils">{{#page.pupils}}<li>{{.}}</li>{{/page.pupils}}</ul>
        </section>
        {{#page.accessUntil}}<p class="help">{{.}}</p>{{/page.accessUntil}}
        {{#page.running}}<script src="{{page.scriptURL}}" defer></script>{{/page.running}}
        {{/main}}{{/layout}}
        """

    static let projector = """
        {{<layout}}{{$main}}
        <h1>{{page.heading}}</h1>
        <p class="consigne-projection">{{t.projectorIntro}}</p>
        <p class="adresse-projection">{{page.homeURL}}</p>
        <div class="cote"><p class="code code-projection">{{page.code}}</p>
        <img class="qr" src="{{page.qrImageURL}}" alt="{{page.qrAlt}}" width="240" height="240"></div>
        <p><a href="{{page.backURL}}">{{t.back}}</a></p>
        {{/main}}{{/layout}}
        """

    static let progressFragment = """
        {{#page.progress}}{{>progressTable}}{{/page.progress}}
        """
}
