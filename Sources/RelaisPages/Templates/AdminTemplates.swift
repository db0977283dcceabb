extension Templates {
    static let adminHome = """
        {{<layout}}{{$main}}
        <h1>{{t.title}}</h1>
        {{#page.notice}}<p class="notice" role="status">{{.}}</p>{{/page.notice}}
        <p><a href="{{page.seancesURL}}">{{t.seancesLink}}</a></p>
        {{#page.state}}
        <section class="etat" aria-labelledby="etat-box">
        <h2 id="etat-box">{{st.title}}</h2>
        <p class="help">{{st.intro}}</p>
        {{#hasWarnings}}
        <div class="alert" aria-labelledby="etat-alertes">
        <h3 id="etat-alertes">{{st.warningsTitle}} ({{warningCount}})</h3>
        <ul>{{#warnings}}<li><strong>{{st.attention}}</strong> {{.}}</li>{{/warnings}}</ul>
        </div>
        {{/hasWarnings}}
        {{^hasWarnings}}<p class="notice">{{st.allGood}}</p>{{/hasWarnings}}
        <div class="scroll"><table>
        <caption class="sr">{{st.title}}</caption>
        <thead><tr><th scope="col">{{st.fact}}</th><th scope="col">{{st.value}}</th></tr></thead>
        <tbody>
        {{#rows}}<tr><th scope="row">{{label}}</th><td>{{value}}{{#warn}} <strong class="warn">⚠ {{st.toCheck}}</strong>{{/warn}}</td></tr>
        {{/rows}}
        </tbody></table></div>
        {{#hasLicences}}
        <h3 id="etat-licences">{{st.licencesTitle}}</h3>
        <div class="scroll"><table aria-labelledby="etat-licences">
        <thead><tr><th scope="col">{{st.resource}}</th><th scope="col">{{st.abonnement}}</th><th scope="col">{{st.end}}</th><th scope="col">{{st.left}}</th></tr></thead>
        <tbody>
        {{#licences}}<tr><th scope="row">{{title}}</th><td>{{idAbonnement}}</td><td>{{end}}</td><td><strong class="warn">⚠ {{daysLeft}}</strong></td></tr>
        {{/licences}}
        </tbody></table></div>
        {{/hasLicences}}
        <h3 id="etat-acces">{{st.reachTitle}}</h3>
        <p>{{st.reachHelp}}</p>
        <ul aria-labelledby="etat-acces">{{#urls}}<li><code>{{.}}</code></li>{{/urls}}</ul>
        </section>
        {{/page.state}}
        <section aria-labelledby="personnels">
        <h2 id="personnels">{{t.staffTitle}}</h2>
        {{#page.hasStaff}}
        <div class="scroll"><table>
        <thead><tr><th scope="col">{{t.name}}</th><th scope="col">{{t.login}}</th><th scope="col">{{t.role}}</th><th scope="col">{{t.state}}</th><th scope="col">{{t.actions}}</th></tr></thead>
        <tbody>
        {{#page.staff}}
        <tr><th scope="row">{{name}}</th><td>{{login}}</td><td>{{roleName}}</td><td>{{stateName}}</td><td>
        {{#active}}
        <form class="inline" method="post" action="{{resetAction}}">{{>csrf}}<button type="submit" class="secondary">{{t.resetPassword}}<span class="sr"> — {{name}}</span></button></form>
        <form class="inline" method="post" action="{{disableAction}}">{{>csrf}}<button type="submit" class="danger">{{t.disable}}<span class="sr"> — {{name}}</span></button></form>
        {{/active}}
        </td></tr>
        {{/page.staff}}
        </tbody></table></div>
        {{/page.hasStaff}}
        {{^page.hasStaff}}<p class="empty">{{t.noStaff}}</p>{{/page.hasStaff}}
        <form method="post" action="{{page.staffAction}}">
        <fieldset>
        <legend>{{t.addStaffTitle}}</legend>
        {{>csrf}}
        {{#page.staffProblems.any}}<div class="alert" role="alert"><p>{{t.problemsTitle}}</p><ul>{{#page.staffProblems.items}}<li>{{.}}</li>{{/page.staffProblems.items}}</ul></div>{{/page.staffProblems.any}}
        <label for="personnel-nom">{{t.lastName}}</label>
        <input id="personnel-nom" name="nom" type="text" required maxlength="100" autocomplete="off" value="{{page.draft.lastName}}">
        <label for="personnel-prenom">{{t.firstName}}</label>
        <input id="personnel-prenom" name="prenom" type="text" required maxlength="100" autocomplete="off" value="{{page.draft.firstName}}">
        <label for="personnel-role">{{t.role}}</label>
        <select id="personnel-role" name="role">
        {{#page.roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>
        {{/page.roles}}
        </select>
        <label for="personnel-email">{{t.email}}</label>
        <input id="personnel-email" name="email" type="email" maxlength="200" autocomplete="off" value="{{page.draft.email}}" aria-describedby="personnel-email-aide">
        <p class="help" id="personnel-email-aide">{{t.emailHelp}}</p>
        <p class="actions"><button type="submit">{{t.addStaff}}</button></p>
        </fieldset>
        </form>
        <form method="post" action="{{page.staffImportAction}}" enctype="multipart/form-data">
        <fieldset>
        <legend>{{t.importStaffTitle}}</legend>
        {{>csrf}}
        {{#page.staffImportProblems.any}}<div class="alert" role="alert"><ul>{{#page.staffImportProblems.items}}<li>{{.}}</li>{{/page.staffImportProblems.items}}</ul></div>{{/page.staffImportProblems.any}}
        <label for="personnel-csv">{{t.csvFile}}</label>
        <input id="personnel-csv" name="fichier" type="file" required accept=".csv,text/csv" aria-describedby="personnel-csv-aide">
        <div id="personnel-csv-aide"><p class="help">{{t.staffCSVHelp}}</p><p class="help">{{t.csvFormatHelp}}</p></div>
        <p class="actions"><button type="submit" class="secondary">{{t.preview}}</button></p>
        </fieldset>
        </form>
        </section>
        <section aria-labelledby="classes">
        <h2 id="classes">{{t.classesTitle}}</h2>
        {{#page.hasClasses}}
        <div class="scroll"><table>
        <thead><tr><th scope="col">{{t.className}}</th><th scope="col">{{t.level}}</th><th scope="col">{{t.cycle}}</th><th scope="col">{{t.teachers}}</th><th scope="col">{{t.pupilCount}}</th><th scope="col">{{t.actions}}</th></tr></thead>
        <tbody>
        {{#page.classes}}
        <tr><th scope="row">{{name}}</th><td>{{level}}</td><td>{{cycle}}</td><td>{{teachers}}</td><td>{{pupilCount}}</td><td><a class="button secondary" href="{{url}}">{{t.open}}</a></td></tr>
        {{/page.classes}}
        </tbody></table></div>
        {{/page.hasClasses}}
        {{^page.hasClasses}}<p class="empty">{{t.noClasses}}</p>{{/page.hasClasses}}
        <form method="post" action="{{page.classAction}}">
        <fieldset>
        <legend>{{t.addClassTitle}}</legend>
        {{>csrf}}
        {{#page.classProblems.any}}<div class="alert" role="alert"><p>{{t.problemsTitle}}</p><ul>{{#page.classProblems.items}}<li>{{.}}</li>{{/page.classProblems.items}}</ul></div>{{/page.classProblems.any}}
        <label for="classe-nom">{{t.className}}</label>
        <input id="classe-nom" name="nom" type="text" required maxlength="60" autocomplete="off" value="{{page.classDraft.name}}">
        <label for="classe-niveau">{{t.level}}</label>
        <input id="classe-niveau" name="niveau" type="text" required maxlength="20" autocomplete="off" value="{{page.classDraft.level}}" aria-describedby="classe-niveau-aide">
        <p class="help" id="classe-niveau-aide">{{t.levelHelp}}</p>
        <label for="classe-cycle">{{t.cycle}}</label>
        <select id="classe-cycle" name="cycle">
        <option value=""{{#page.noCycle}} selected{{/page.noCycle}}>{{t.noCycle}}</option>
        {{#page.cycles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{name}}</option>
        {{/page.cycles}}
        </select>
        <fieldset>
        <legend>{{t.teachers}}</legend>
        {{#page.teachers}}<label class="check" for="{{inputID}}"><input id="{{inputID}}" type="checkbox" name="enseignants[]" value="{{value}}"{{#checked}} checked{{/checked}}>{{name}}</label>
        {{/page.teachers}}
        {{^page.hasTeachers}}<p class="help">{{t.noTeachers}}</p>{{/page.hasTeachers}}
        </fieldset>
        <p class="actions"><button type="submit">{{t.addClass}}</button></p>
        </fieldset>
        </form>
        </section>
        {{/main}}{{/layout}}
        """
}
