/// Every template of the portal, by name, compiled into the binary. Pages are written as
/// `{{<layout}}{{$main}}…{{/main}}{{/layout}}`; `{{x}}` escapes for HTML, and the unescaped forms
/// (triple braces, the ampersand tag), pragmas and new delimiters are never used (a test scans for
/// them in every file of this folder).
enum Templates {
    static let all: [(name: String, text: String)] = [
        ("layout", layout),
        ("csrf", csrf),
        ("catalogueCard", catalogueCard),
        ("catalogueFilterForm", catalogueFilterForm),
        (CataloguePage.templateName, catalogue),
        (LaunchRefusalPage.templateName, launchRefusal),
        (LearnerFormPage.templateName, learnerForm),
        (PlayerPage.templateName, player),
        (SignInPage.templateName, signIn),
        (AdminSetupPage.templateName, adminSetup),
        (AdminHomePage.templateName, adminHome),
        (ImportPreviewPage.templateName, importPreview),
        (AdminClassPage.templateName, adminClass),
        (ResetCodePage.templateName, resetCode),
        (TeacherHomePage.templateName, teacherHome),
        (MessagePage.templateName, message),
        (ConfirmPage.templateName, confirm),
        ("progressTable", progressTable),
        ("seanceFields", seanceFields),
        (PupilHomePage.templateName, pupilHome),
        (PupilNamesPage.templateName, pupilNames),
        (PupilActivitiesPage.templateName, pupilActivities),
        (SeanceNewPage.templateName, seanceNew),
        (SeancePage.templateName, seance),
        (HandoverSheetPage.templateName, handoverSheet),
        (SubstituteCodePage.templateName, substituteCode),
        (SubstituteSeancePage.templateName, substituteSeance),
        (ProjectorPage.templateName, projector),
        (ProgressFragmentPage.templateName, progressFragment),
    ]

    /// The one layout: language, viewport, stylesheet, skip link, header with the school and the
    /// sign-in state, the main landmark (the page's `main` block), the footer's language switch.
    static let layout = """
        <!DOCTYPE html>
        <html lang="{{layout.lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{layout.title}} — {{layout.schoolName}}</title>
        <link rel="stylesheet" href="{{layout.cssURL}}">
        </head>
        <body{{#layout.bodyClass}} class="{{layout.bodyClass}}"{{/layout.bodyClass}}>
        <a class="skip" href="#contenu">{{layout.t.skip}}</a>
        <header class="top">
        <p class="brand"><a href="{{layout.homeURL}}">Relais · {{layout.schoolName}}</a></p>
        <div class="who">
        {{#layout.person}}
        <form class="inline" method="post" action="{{layout.signOutURL}}">
        <span>{{layout.t.signedInAs}} {{name}} ({{roleName}})</span>
        {{>csrf}}
        <button type="submit" class="link">{{layout.t.signOut}}</button>
        </form>
        {{/layout.person}}
        {{^layout.person}}
        <a href="{{layout.signInURL}}">{{layout.t.signIn}}</a>
        {{/layout.person}}
        </div>
        </header>
        <main id="contenu" tabindex="-1">
        {{$main}}{{/main}}
        </main>
        <footer>
        <a href="{{layout.switchURL}}" hreflang="{{layout.otherLang}}" lang="{{layout.otherLang}}">{{layout.t.switchLanguage}}</a>
        · Relais {{layout.version}}
        </footer>
        </body>
        </html>

        """

    /// The session's anti-forgery token, in every POST form.
    static let csrf = """
        {{#layout.csrf}}<input type="hidden" name="csrf" value="{{layout.csrf}}">{{/layout.csrf}}
        """
}
