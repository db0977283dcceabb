extension Templates {
    static let launchRefusal = """
        {{<layout}}{{$main}}
        <h1>{{t.title}}</h1>
        <p class="alert" role="alert">{{page.first}}</p>
        <p class="meta" lang="{{page.secondLang}}">{{page.second}}</p>
        <p><a class="button secondary" href="{{page.backURL}}">{{t.back}}</a></p>
        {{/main}}{{/layout}}
        """

    static let learnerForm = """
        {{<layout}}{{$main}}
        <h1>{{page.title}}</h1>
        <form class="big" method="post" action="{{page.actionURL}}">
        {{>csrf}}
        {{#page.problem}}<p class="alert" role="alert">{{t.problem}}</p>{{/page.problem}}
        <label for="prenom">{{t.label}}</label>
        <input id="prenom" name="prenom" type="text" required maxlength="60" autocomplete="given-name" autofocus value="{{page.firstName}}" aria-describedby="prenom-aide">
        <p class="help" id="prenom-aide">{{t.help}}</p>
        <p class="actions"><button type="submit">{{t.start}}</button></p>
        </form>
        <p class="meta">{{t.privacy}}</p>
        <p><a href="{{page.backURL}}">{{t.back}}</a></p>
        {{/main}}{{/layout}}
        """

    /// The frame's attributes are written out here, not taken from data: a test checks them.
    static let player = """
        {{<layout}}{{$main}}
        <div class="bar">
        <h1>{{page.title}}</h1>
        <a href="{{page.backURL}}">{{t.back}}</a>
        </div>
        <iframe class="frame" id="lecteur" name="lecteur" src="{{page.frameURL}}" title="{{t.frameLabel}} {{page.title}}" sandbox="allow-scripts allow-same-origin allow-forms" allow="fullscreen; autoplay" referrerpolicy="no-referrer"></iframe>
        {{/main}}{{/layout}}
        """

    static let message = """
        {{<layout}}{{$main}}
        <h1>{{page.heading}}</h1>
        <p class="alert" role="alert">{{page.text}}</p>
        <p><a class="button secondary" href="{{page.backURL}}">{{t.back}}</a></p>
        {{/main}}{{/layout}}
        """

    static let confirm = """
        {{<layout}}{{$main}}
        <h1>{{page.heading}}</h1>
        <p class="alert">{{page.text}}</p>
        <form method="post" action="{{page.actionURL}}">
        {{>csrf}}
        <input type="hidden" name="confirmer" value="oui">
        <p class="actions"><button type="submit" class="danger">{{page.confirm}}</button> <a class="button secondary" href="{{page.backURL}}">{{t.cancel}}</a></p>
        </form>
        {{/main}}{{/layout}}
        """
}
