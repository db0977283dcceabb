extension Templates {
    static let signIn = """
        {{<layout}}{{$main}}
        <h1>{{t.title}}</h1>
        {{#page.changed}}<p class="notice" role="status">{{t.changed}}</p>{{/page.changed}}
        <form method="post" action="{{page.action}}">
        {{>csrf}}
        {{#page.problem}}<p class="alert" role="alert">{{.}}</p>{{/page.problem}}
        <label for="login">{{t.login}}</label>
        <input id="login" name="login" type="text" required autocomplete="username" autocapitalize="none" spellcheck="false" value="{{page.login}}">
        <label for="password">{{t.password}}</label>
        <input id="password" name="password" type="password" required autocomplete="current-password">
        <p class="actions"><button type="submit">{{t.submit}}</button></p>
        </form>
        <p class="help">{{t.forgotten}}</p>
        <section aria-labelledby="reset-title">
        <h2 id="reset-title">{{t.resetTitle}}</h2>
        <p class="help">{{t.resetIntro}}</p>
        <form method="post" action="{{page.resetAction}}">
        {{>csrf}}
        {{#page.resetProblem}}<p class="alert" role="alert">{{.}}</p>{{/page.resetProblem}}
        <label for="reset-login">{{t.login}}</label>
        <input id="reset-login" name="login" type="text" required autocomplete="username" autocapitalize="none" spellcheck="false" value="{{page.resetLogin}}">
        <label for="reset-code">{{t.code}}</label>
        <input id="reset-code" name="code" type="text" required autocomplete="one-time-code" autocapitalize="characters" spellcheck="false">
        <label for="reset-password">{{t.newPassword}}</label>
        <input id="reset-password" name="password" type="password" required minlength="{{page.minimum}}" autocomplete="new-password" aria-describedby="reset-password-aide">
        <p class="help" id="reset-password-aide">{{page.passwordHelp}}</p>
        <label for="reset-confirm">{{t.confirm}}</label>
        <input id="reset-confirm" name="confirm" type="password" required minlength="{{page.minimum}}" autocomplete="new-password">
        <p class="actions"><button type="submit" class="secondary">{{t.resetSubmit}}</button></p>
        </form>
        </section>
        {{/main}}{{/layout}}
        """

    static let adminSetup = """
        {{<layout}}{{$main}}
        <h1>{{t.title}}</h1>
        <p>{{t.intro}}</p>
        <form method="post" action="{{page.action}}">
        {{>csrf}}
        {{#page.hasProblems}}
        <div class="alert" role="alert"><p>{{t.problemsTitle}}</p><ul>{{#page.problems}}<li>{{.}}</li>{{/page.problems}}</ul></div>
        {{/page.hasProblems}}
        <label for="setup-code">{{t.code}}</label>
        <input id="setup-code" name="code" type="text" required autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby="setup-code-aide">
        <p class="help" id="setup-code-aide">{{t.codeHelp}}</p>
        <label for="setup-nom">{{t.lastName}}</label>
        <input id="setup-nom" name="nom" type="text" required maxlength="100" autocomplete="family-name" value="{{page.lastName}}">
        <label for="setup-prenom">{{t.firstName}}</label>
        <input id="setup-prenom" name="prenom" type="text" required maxlength="100" autocomplete="given-name" value="{{page.firstName}}">
        <label for="setup-password">{{t.password}}</label>
        <input id="setup-password" name="password" type="password" required minlength="{{page.minimum}}" autocomplete="new-password" aria-describedby="setup-password-aide">
        <p class="help" id="setup-password-aide">{{page.passwordHelp}}</p>
        <label for="setup-confirm">{{t.confirm}}</label>
        <input id="setup-confirm" name="confirm" type="password" required minlength="{{page.minimum}}" autocomplete="new-password">
        <p class="actions"><button type="submit">{{t.submit}}</button></p>
        </form>
        {{/main}}{{/layout}}
        """
}
