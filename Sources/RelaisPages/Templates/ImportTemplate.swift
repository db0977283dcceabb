extension Templates {
    static let importPreview = """
        {{<layout}}{{$main}}
        <h1>{{page.heading}}</h1>
        <p class="meta">{{t.file}} {{page.fileName}}</p>
        {{#page.hasProblems}}
        <div class="alert" role="alert">
        <p>{{t.problemsTitle}}</p>
        <ul>{{#page.problems}}<li>{{.}}</li>{{/page.problems}}</ul>
        <p>{{t.problemsHelp}}</p>
        </div>
        {{/page.hasProblems}}
        {{^page.hasProblems}}
        <p>{{page.summary}}</p>
        <div class="scroll"><table>
        <thead><tr><th scope="col">{{t.line}}</th>{{#page.columns}}<th scope="col">{{.}}</th>{{/page.columns}}<th scope="col">{{t.status}}</th></tr></thead>
        <tbody>
        {{#page.rows}}
        <tr><th scope="row">{{line}}</th>{{#cells}}<td>{{.}}</td>{{/cells}}<td>{{#existing}}<span class="meta">{{status}}</span>{{/existing}}{{^existing}}<strong>{{status}}</strong>{{/existing}}</td></tr>
        {{/page.rows}}
        </tbody></table></div>
        {{/page.hasProblems}}
        <div class="actions">
        {{#page.canConfirm}}
        <form class="inline" method="post" action="{{page.confirmAction}}">
        {{>csrf}}
        <input type="hidden" name="token" value="{{page.token}}">
        <button type="submit">{{t.confirm}}</button>
        </form>
        {{/page.canConfirm}}
        <a class="button secondary" href="{{page.cancelURL}}">{{t.cancel}}</a>
        </div>
        {{/main}}{{/layout}}
        """
}
