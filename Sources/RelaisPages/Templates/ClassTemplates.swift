extension Templates {
    static let adminClass = """
        {{<layout}}{{$main}}
        <p><a href="{{page.backURL}}">{{t.back}}</a></p>
        <h1>{{page.heading}}</h1>
        <p class="meta">{{page.details}}</p>
        {{#page.notice}}<p class="notice" role="status">{{.}}</p>{{/page.notice}}
        <section aria-labelledby="eleves">
        <h2 id="eleves">{{t.pupilsTitle}}</h2>
        {{#page.hasPupils}}
        <div class="scroll"><table>
        <thead><tr><th scope="col">{{t.firstName}}</th><th scope="col">{{t.initial}}</th><th scope="col">{{t.actions}}</th></tr></thead>
        <tbody>
        {{#page.pupils}}
        <tr><th scope="row">{{firstName}}</th><td>{{initial}}</td><td><form class="inline" method="post" action="{{removeAction}}">{{>csrf}}<button type="submit" class="secondary">{{t.remove}}<span class="sr"> — {{firstName}} {{initial}}.</span></button></form></td></tr>
        {{/page.pupils}}
        </tbody></table></div>
        {{/page.hasPupils}}
        {{^page.hasPupils}}<p class="empty">{{t.noPupils}}</p>{{/page.hasPupils}}
        <form method="post" action="{{page.addAction}}">
        <fieldset>
        <legend>{{t.addTitle}}</legend>
        {{>csrf}}
        {{#page.pupilProblems.any}}<div class="alert" role="alert"><p>{{t.problemsTitle}}</p><ul>{{#page.pupilProblems.items}}<li>{{.}}</li>{{/page.pupilProblems.items}}</ul></div>{{/page.pupilProblems.any}}
        <label for="eleve-prenom">{{t.firstName}}</label>
        <input id="eleve-prenom" name="prenom" type="text" required maxlength="60" autocomplete="off" value="{{page.firstName}}">
        <label for="eleve-initiale">{{t.initial}}</label>
        <input id="eleve-initiale" name="initiale" type="text" required maxlength="2" size="3" autocomplete="off" value="{{page.initial}}" aria-describedby="eleve-initiale-aide">
        <p class="help" id="eleve-initiale-aide">{{t.initialHelp}}</p>
        <p class="actions"><button type="submit">{{t.add}}</button></p>
        </fieldset>
        </form>
        <form method="post" action="{{page.importAction}}" enctype="multipart/form-data">
        <fieldset>
        <legend>{{t.importTitle}}</legend>
        {{>csrf}}
        {{#page.importProblems.any}}<div class="alert" role="alert"><ul>{{#page.importProblems.items}}<li>{{.}}</li>{{/page.importProblems.items}}</ul></div>{{/page.importProblems.any}}
        <label for="eleves-csv">{{t.csvFile}}</label>
        <input id="eleves-csv" name="fichier" type="file" required accept=".csv,text/csv" aria-describedby="eleves-csv-aide">
        <div id="eleves-csv-aide"><p class="help">{{t.csvHelp}}</p><p class="help">{{t.csvFormatHelp}}</p></div>
        <p class="actions"><button type="submit" class="secondary">{{t.preview}}</button></p>
        </fieldset>
        </form>
        </section>
        <section aria-labelledby="supprimer">
        <h2 id="supprimer">{{t.deleteTitle}}</h2>
        <form method="post" action="{{page.deleteAction}}">
        {{>csrf}}
        <p class="alert">{{t.deleteWarning}}</p>
        <p class="actions"><button type="submit" class="danger">{{t.delete}}</button></p>
        </form>
        </section>
        {{/main}}{{/layout}}
        """

    static let resetCode = """
        {{<layout}}{{$main}}
        <h1>{{t.title}}</h1>
        <p>{{page.intro}}</p>
        <p>{{t.loginLabel}} <strong>{{page.login}}</strong></p>
        <p>{{t.codeLabel}}<br><span class="code">{{page.code}}</span></p>
        <p><strong>{{page.validity}}</strong></p>
        <p class="notice" role="status">{{t.onceOnly}}</p>
        <h2>{{t.stepsTitle}}</h2>
        <ol>{{#page.steps}}<li>{{.}}</li>{{/page.steps}}</ol>
        <p><a class="button secondary" href="{{page.backURL}}">{{t.back}}</a></p>
        {{/main}}{{/layout}}
        """

    static let teacherHome = """
        {{<layout}}{{$main}}
        <h1>{{t.title}}</h1>
        <section aria-labelledby="mes-seances">
        <h2 id="mes-seances">{{t.seancesTitle}}</h2>
        <p><a class="button" href="{{page.newSeanceURL}}">{{t.newSeance}}</a></p>
        {{#page.hasSeances}}
        <div class="scroll"><table>
        <thead><tr>{{#t.seanceColumns}}<th scope="col">{{.}}</th>{{/t.seanceColumns}}</tr></thead>
        <tbody>
        {{#page.seances}}<tr><th scope="row"><a href="{{url}}">{{title}}</a></th><td>{{className}}</td><td>{{slot}}</td><td>{{count}}</td><td class="{{stateClass}}">{{state}}</td></tr>
        {{/page.seances}}
        </tbody></table></div>
        {{/page.hasSeances}}
        {{^page.hasSeances}}<p class="empty">{{t.noSeances}}</p>{{/page.hasSeances}}
        </section>
        {{#page.canOpenAccess}}
        <section aria-labelledby="acces-libre">
        <h2 id="acces-libre">{{t.openAccessTitle}}</h2>
        <form method="post" action="{{page.openAccessAction}}">
        {{>csrf}}
        <p class="help">{{t.openAccessHelp}}</p>
        <label for="libre-classe">{{t.openAccessClass}}</label>
        <select id="libre-classe" name="classe" required>{{#page.openAccessClasses}}<option value="{{id}}">{{name}}</option>{{/page.openAccessClasses}}</select>
        <fieldset><legend>{{t.openAccessBundles}}</legend>
        {{#page.openAccessBundles}}<p class="case"><input type="checkbox" name="ressources[]" value="{{id}}" id="libre-{{id}}"><label for="libre-{{id}}">{{name}}</label></p>{{/page.openAccessBundles}}
        </fieldset>
        <p class="actions"><button type="submit" class="secondary">{{t.openAccessButton}}</button></p>
        </form>
        </section>
        {{/page.canOpenAccess}}
        <section aria-labelledby="mes-classes">
        <h2 id="mes-classes">{{t.classesTitle}}</h2>
        {{#page.classes}}
        <details>
        <summary><strong>{{name}}</strong> · {{level}} · {{count}}</summary>
        <ul class="pupils">{{#pupils}}<li>{{.}}</li>{{/pupils}}</ul>
        {{^pupils}}<p class="help">{{t.noPupils}}</p>{{/pupils}}
        </details>
        {{/page.classes}}
        {{^page.hasClasses}}<p class="empty">{{t.noClasses}}</p>{{/page.hasClasses}}
        </section>
        <section aria-labelledby="mes-formations">
        <h2 id="mes-formations">{{t.trainingsTitle}}</h2>
        <p class="help">{{t.trainingsIntro}}</p>
        {{#page.hasTrainings}}
        <div class="scroll"><table>
        <thead><tr><th scope="col">{{t.moduleHeader}}</th><th scope="col">{{t.stateHeader}}</th><th scope="col">{{t.actionHeader}}</th></tr></thead>
        <tbody>
        {{#page.trainings}}<tr data-training="{{id}}"><th scope="row">{{title}}</th><td{{#done}} class="ok"{{/done}}>{{state}}</td><td><a class="button secondary" href="{{openURL}}">{{openLabel}}<span class="sr"> : {{title}}</span></a></td></tr>
        {{/page.trainings}}
        </tbody>
        </table></div>
        {{/page.hasTrainings}}
        {{^page.hasTrainings}}<p class="empty">{{t.noTrainings}}</p>{{/page.hasTrainings}}
        </section>
        <section aria-labelledby="catalogue">
        <h2 id="catalogue">{{t.catalogueTitle}}</h2>
        {{#page.hasCards}}<ul class="cards">{{#page.cards}}{{>catalogueCard}}{{/page.cards}}</ul>{{/page.hasCards}}
        {{^page.hasCards}}<p class="empty">{{t.emptyCatalogue}}</p>{{/page.hasCards}}
        </section>
        {{/main}}{{/layout}}
        """
}
