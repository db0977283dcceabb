import RelaisCore
import Testing

@testable import RelaisPages

/// What each page must say and do.
@Suite struct PageTests {
    let layout = Layout(schoolName: "École Jean Moulin", person: nil, csrf: "T", path: "/", language: .fr)

    @Test func playerFrameIsSandboxedExactly() {
        let page = PlayerPage(
            layout: layout, activityTitle: Bilingual(fr: "Golf", en: "Golf"), frameURL: "http://relais.local:20001/_relais/lecteur.html?l=1&x=2",
            backURL: "/catalogue")
        for language in Language.allCases {
            let html = Pages.render(page, language: language)
            let frames = HTML.tags("iframe", in: html)
            #expect(frames.count == 1)
            let frame = frames[0]
            #expect(HTML.attribute("sandbox", of: frame) == "allow-scripts allow-same-origin allow-forms")
            #expect(HTML.attribute("sandbox", of: frame) == PlayerPage.sandbox)
            #expect(HTML.attribute("allow", of: frame) == "fullscreen; autoplay")
            #expect(HTML.attribute("referrerpolicy", of: frame) == "no-referrer")
            #expect(HTML.attribute("src", of: frame) == "http://relais.local:20001/_relais/lecteur.html?l=1&amp;x=2")
            #expect(HTML.attribute("title", of: frame)?.contains("Golf") == true)
            for token in ["allow-popups", "allow-top-navigation", "allow-modals", "allow-downloads", "allow-presentation"] {
                #expect(!html.contains(token))
            }
            #expect(html.contains("<body class=\"player\">"))
            #expect(html.contains(language == .fr ? ">Retour</a>" : ">Back</a>"))
        }
    }

    @Test func catalogueShowsEveryBundleWithItsStateAndOpenLink() {
        let items = [
            Fixtures.item("calcul"),
            CatalogueItem(
                id: "form", title: Bilingual(fr: "Se former", en: nil), description: Bilingual(fr: "Module"), kind: .training, standard: .cmi5,
                publisher: "Canopé", levels: [], version: "2.0.0", contentBytes: 10, licensed: false,
                licenceNote: Bilingual(fr: "La licence a expiré.", en: "The licence has expired."), openURL: "/lancer/form"),
        ]
        let form = CatalogueFilterForm(
            action: "/catalogue", filter: CatalogueFilter(audience: .enseignant),
            options: CatalogueFilter.Options(cycles: [.cycle3], disciplines: [], kinds: [.solution, .training], standards: [.scorm12]))
        let fr = Pages.render(CataloguePage(layout: layout, items: items, filterForm: form))
        #expect(fr.contains("<section id=\"solutions\">") && fr.contains("<section id=\"formations\">"))
        #expect(fr.contains("Solutions pédagogiques (1)") && fr.contains("Modules de formation (1)"))
        #expect(fr.contains("Module de formation · cmi5 · Canopé"))
        #expect(fr.contains("<span class=\"badge ko\">Indisponible</span>"))
        #expect(fr.contains("<span class=\"badge ok\">Disponible</span>"))
        #expect(fr.contains("<p class=\"ko\">La licence a expiré.</p>"))
        #expect(fr.contains("<a class=\"button\" href=\"/lancer/form\">Ouvrir</a>"))
        #expect(fr.contains("<option value=\"ENSEIGNANT\" selected>Enseignants</option>"))
        #expect(fr.contains("Cycle 3, Cycle 4"))
        let en = Pages.render(CataloguePage(layout: layout, items: items, filterForm: CatalogueFilterForm(action: "/catalogue", filter: .init(), options: form.options)), language: .en)
        #expect(en.contains("<h3>Se former</h3>"), "English falls back to the French title")
        #expect(en.contains("<a class=\"button\" href=\"/lancer/form?lang=en\">Open</a>"))
        #expect(en.contains("<input type=\"hidden\" name=\"lang\" value=\"en\">"))
        #expect(en.contains("<option value=\"\" selected>Every audience</option>"))
        let empty = Pages.render(CataloguePage(layout: layout, items: []))
        #expect(empty.contains("Aucune ressource n&#39;est encore installée"))
    }

    @Test func refusalSaysWhyInBothLanguages() {
        let page = LaunchRefusalPage(layout: layout, status: 403, french: "La licence a expiré.", english: "The licence has expired.")
        let fr = Pages.render(page)
        #expect(fr.contains("<p class=\"alert\" role=\"alert\">La licence a expiré.</p>"))
        #expect(fr.contains("<p class=\"meta\" lang=\"en\">The licence has expired.</p>"))
        let en = Pages.render(page, language: .en)
        #expect(en.contains("<p class=\"alert\" role=\"alert\">The licence has expired.</p>"))
        #expect(en.contains("<p class=\"meta\" lang=\"fr\">La licence a expiré.</p>"))
        #expect(en.contains("href=\"/catalogue?lang=en\""))
    }

    @Test func learnerFormIsAPrefilledPost() {
        let html = Pages.render(LearnerFormPage(layout: layout, bundleTitle: Bilingual(fr: "Calcul"), actionURL: "/lancer/calcul", firstName: "Lina", problem: true))
        #expect(html.contains("<form class=\"big\" method=\"post\" action=\"/lancer/calcul\">"))
        #expect(html.contains("value=\"Lina\""))
        #expect(html.contains("role=\"alert\">Écris ton prénom pour commencer.</p>"))
        #expect(!Pages.render(LearnerFormPage(layout: layout, bundleTitle: Bilingual(fr: "Calcul"), actionURL: "/lancer/calcul")).contains("role=\"alert\""))
    }

    @Test func signInIsGenericThrottledAndOffersTheResetCode() {
        let failed = Pages.render(SignInPage(layout: layout, login: "adiallo", failed: true))
        #expect(failed.contains("<p class=\"alert\" role=\"alert\">Identifiant ou mot de passe incorrect.</p>"))
        #expect(failed.contains("autocomplete=\"username\""))
        #expect(failed.contains("autocomplete=\"current-password\""))
        #expect(failed.contains("autocomplete=\"new-password\""))
        #expect(failed.contains("value=\"adiallo\""))
        #expect(failed.contains("Mot de passe oublié ? Demandez un code à l&#39;administrateur de l&#39;établissement."))
        #expect(failed.contains("action=\"/connexion\"") && failed.contains("action=\"/connexion/nouveau-mot-de-passe\""))
        let throttled = Pages.render(SignInPage(layout: layout, failed: true, throttledMinutes: 7))
        #expect(throttled.contains("Réessayez dans 7 minutes."))
        #expect(!throttled.contains("Identifiant ou mot de passe incorrect."))
        let english = Pages.render(SignInPage(layout: layout, throttledMinutes: 1), language: .en)
        #expect(english.contains("Try again in 1 minute."))
        let reset = Pages.render(SignInPage(layout: layout, resetProblem: .passwordTooShort(minimum: 12)))
        #expect(reset.contains("au moins 12 caractères"))
        let clean = Pages.render(SignInPage(layout: layout))
        #expect(!clean.contains("role=\"alert\""))
    }

    @Test func adminSetupListsItsProblems() {
        let html = Pages.render(AdminSetupPage(layout: layout, lastName: "Martin", problems: [.invalidCode, .missingFirstName]))
        #expect(html.contains("<div class=\"alert\" role=\"alert\">"))
        #expect(html.contains("<li>Le code d&#39;installation est incorrect ou a déjà servi.</li><li>Indiquez le prénom.</li>"))
        #expect(html.contains("value=\"Martin\""))
        #expect(html.contains("action=\"/admin/installation\""))
        #expect(!Pages.render(AdminSetupPage(layout: layout)).contains("role=\"alert\""))
    }

    @Test func adminHomeHasStaffAndClassesWithPostActions() {
        let page = AdminHomePage(
            layout: layout,
            staff: [
                StaffMember(id: "3", lastName: "Diallo", firstName: "Awa", login: "adiallo", role: .enseignant),
                StaffMember(id: "4", lastName: "Robert", firstName: "Marc", login: "mrobert", role: .enseignant, active: false),
            ],
            classes: [ClassSummary(id: "7", name: "CM2 B", level: "CM2", cycle: .cycle3, teachers: ["Awa Diallo"], pupilCount: 25)],
            teachers: [TeacherChoice(id: "3", name: "Awa Diallo")], classDraft: .init(teacherIDs: ["3"]))
        let html = Pages.render(page)
        #expect(html.contains("<th scope=\"col\">Identifiant</th>"))
        #expect(html.contains("<tr><th scope=\"row\">Diallo Awa</th><td>adiallo</td><td>enseignant</td><td>Actif</td>"))
        #expect(html.contains("action=\"/admin/personnel/3/code\""))
        #expect(html.contains("action=\"/admin/personnel/3/desactiver\""))
        #expect(!html.contains("/admin/personnel/4/"), "a disabled account has no action")
        #expect(html.contains(">Réinitialiser le mot de passe<span class=\"sr\"> — Diallo Awa</span></button>"))
        #expect(html.contains(">Désactiver<span class=\"sr\"> — Diallo Awa</span></button>"))
        #expect(html.contains("<a class=\"button secondary\" href=\"/admin/classes/7\">"))
        #expect(html.contains("<td>Cycle 3</td><td>Awa Diallo</td><td>25</td>"))
        #expect(html.contains("nom;prénom;rôle;email"))
        #expect(html.contains("name=\"enseignants[]\" value=\"3\" checked"))
        #expect(html.contains("<option value=\"enseignant\" selected>enseignant</option>"))
    }

    @Test func importPreviewConfirmsOnlyAValidFile() {
        let rows = [ImportPreviewPage.Row(line: 2, cells: ["Lina", "B", "CM2 B"], existing: false), .init(line: 3, cells: ["Lucas", "M", "CM2 B"], existing: true)]
        let ok = Pages.render(ImportPreviewPage(layout: layout, kind: .pupils(className: "CM2 B"), fileName: "cm2.csv", rows: rows, problems: [], token: "opaque-1", cancelURL: "/admin/classes/7"))
        #expect(ok.contains("<th scope=\"col\">Ligne</th><th scope=\"col\">prénom</th><th scope=\"col\">initiale</th><th scope=\"col\">classe</th><th scope=\"col\">État</th>"))
        #expect(ok.contains("<tr><th scope=\"row\">2</th><td>Lina</td><td>B</td><td>CM2 B</td><td><strong>nouveau</strong></td></tr>"))
        #expect(ok.contains("<span class=\"meta\">déjà présent</span>"))
        #expect(ok.contains("2 lignes : 1 nouvelle, 1 déjà présente."))
        #expect(ok.contains("<input type=\"hidden\" name=\"token\" value=\"opaque-1\">"))
        #expect(ok.contains(">Confirmer l&#39;import</button>"))
        #expect(ok.contains("href=\"/admin/classes/7\">Annuler</a>"))
        let bad = Pages.render(ImportPreviewPage(
            layout: layout, kind: .staff, fileName: "p.csv", rows: [],
            problems: [
                .init(line: 7, column: "prénom", french: "la valeur est vide.", english: "the value is empty."),
                .init(line: 9, column: "rôle", french: "« prof » n'est pas un rôle (admin ou enseignant).", english: "“prof” is not a role."),
            ],
            token: "opaque-2"))
        #expect(bad.contains("<li>Ligne 7, colonne « prénom » : la valeur est vide.</li>"))
        #expect(bad.contains("<li>Ligne 9, colonne « rôle » : « prof » n&#39;est pas un rôle (admin ou enseignant).</li>"))
        #expect(bad.contains("role=\"alert\""))
        #expect(!bad.contains("Confirmer l&#39;import"))
        #expect(!bad.contains("opaque-2"))
        #expect(bad.contains(">Annuler</a>"))
        let english = Pages.render(ImportPreviewPage(layout: layout, kind: .staff, fileName: "p.csv", rows: [], problems: [.init(line: 7, column: "prénom", french: "la valeur est vide.", english: "the value is empty.")], token: "t"), language: .en)
        #expect(english.contains("Line 7, column “prénom”: the value is empty."))
    }

    @Test func classPageRemovesAddsImportsAndWarnsBeforeDeleting() {
        let html = Pages.render(AdminClassPage(
            layout: layout, schoolClass: ClassSummary(id: "7", name: "CM2 B", level: "CM2", cycle: .cycle3, teachers: ["Awa Diallo"], pupilCount: 1),
            pupils: [ClassPupil(id: "12", firstName: "Lina", initial: "B")]))
        #expect(html.contains("<h1>Classe CM2 B</h1>"))
        #expect(html.contains("<tr><th scope=\"row\">Lina</th><td>B</td>"))
        #expect(html.contains("action=\"/admin/classes/7/eleves/12/retirer\""))
        #expect(html.contains(">Retirer<span class=\"sr\"> — Lina B.</span></button>"), "the button names the pupil for screen readers")
        #expect(html.contains("action=\"/admin/classes/7/eleves\""))
        #expect(html.contains("action=\"/admin/classes/7/eleves/import\" enctype=\"multipart/form-data\""))
        #expect(html.contains("prénom;initiale;classe"))
        #expect(html.contains("action=\"/admin/classes/7/supprimer\""))
        #expect(html.contains("supprime aussi ses élèves et toutes leurs données"))
    }

    @Test func resetCodeIsLargeAndSaysHowLongItLasts() {
        let html = Pages.render(ResetCodePage(layout: layout, personName: "Awa Diallo", login: "adiallo", code: "K7M-4PX-9ZT", validHours: 24))
        #expect(html.contains("<span class=\"code\">K7M-4PX-9ZT</span>"))
        #expect(html.contains("Valable 24 heures, une seule fois."))
        #expect(html.contains("Awa Diallo"))
        #expect(Assets.css.contains(".code{font-family:"))
        #expect(Assets.css.contains("monospace"))
    }

    @Test func teacherHomeFoldsPupilsAndShowsTheCatalogue() {
        let html = Pages.render(TeacherHomePage(
            layout: layout, classes: [.init(name: "CM2 B", level: "CM2", pupils: [ClassPupil(id: "1", firstName: "Lina", initial: "B")])],
            catalogue: [Fixtures.item("calcul")]))
        #expect(html.contains("<summary><strong>CM2 B</strong> · CM2 · 1 élève</summary>"))
        #expect(html.contains("<li>Lina B.</li>"))
        #expect(html.contains("<h2 id=\"mes-classes\">Mes classes</h2>"))
        #expect(html.contains(">Ouvrir</a>"))
        let none = Pages.render(TeacherHomePage(layout: layout, classes: [], catalogue: []))
        #expect(none.contains("Aucune classe ne vous est encore attribuée"))
    }

    @Test func messagesHaveTheirStatusAndWords() {
        let expired = MessagePage(layout: layout, kind: .expiredForm)
        #expect(expired.kind.status == 400)
        #expect(Pages.render(expired).contains("<p class=\"alert\" role=\"alert\">Cette page a expiré, rechargez-la et recommencez.</p>"))
        #expect(MessagePage(layout: layout, kind: .forbidden).kind.status == 403)
        #expect(MessagePage(layout: layout, kind: .notFound).kind.status == 404)
        let throttled = MessagePage(layout: layout, kind: .throttled(minutes: 15))
        #expect(throttled.kind.status == 429)
        #expect(Pages.render(throttled).contains("Réessayez dans 15 minutes."))
        #expect(Pages.render(throttled, language: .en).contains("Try again in 15 minutes."))
    }

    @Test func languageSwitchKeepsThePageAndItsQuery() {
        #expect(URLs.switching("/catalogue?public=ELEVE&lang=en", to: .fr) == "/catalogue?public=ELEVE&lang=fr")
        #expect(URLs.switching("/admin", to: .en) == "/admin?lang=en")
        #expect(URLs.switching("javascript:alert(1)", to: .en) == "/?lang=en")
        #expect(URLs.switching("//evil.example", to: .en) == "/?lang=en")
        #expect(URLs.localized("/lancer/x?y=1", .en) == "/lancer/x?y=1&lang=en")
        #expect(URLs.localized("/lancer/x", .fr) == "/lancer/x")
    }
}

@Suite struct SeancePickerTests {
    /// A course's SCOs are folded under it, each with its own « Ajouter ».
    @Test func aCoursesPartsAreFoldedUnderIt() {
        let l = Layout(schoolName: "École", csrf: "T", path: "/enseignant/seances/s1", language: .fr)
        let page = SeancePage(
            layout: l, id: "s1", state: .brouillon, libre: false, className: "CM2",
            fields: SeanceFormFields(title: "Golf", classId: "7", classes: [.init(id: "7", name: "CM2")]), activities: [],
            candidates: [
                .init(bundleId: "golf", itemId: nil, title: "Golf", detail: "SCORM 2004"),
                .init(bundleId: "golf", itemId: "sco-1", title: "Règles", detail: "une partie", isPart: true),
                .init(bundleId: "golf", itemId: "sco-2", title: "Étiquette", detail: "une partie", isPart: true),
                .init(bundleId: "calcul", itemId: nil, title: "Calcul", detail: "HTML5"),
            ])
        let html = Pages.render(page)
        #expect(html.contains("<summary>ou seulement une de ses 2 parties</summary>"))
        #expect(HTML.matches("name=\"element\" value=\"sco-[12]\"", in: html).count == 2)
        #expect(HTML.postForms(in: html).filter { $0.contains("name=\"ressource\"") }.count == 4)
    }
}

@Suite struct SlotTextTests {
    @Test func aDateThatDoesNotExistIsRefusedNotMoved() {
        #expect(SlotText.parse(date: "2030-02-31", time: "10:00") == nil)
        #expect(SlotText.parse(date: "2030-02-28", time: "24:00") == nil)
        #expect(SlotText.parse(date: "2030-02-28", time: "10:00") != nil)
        let start = SlotText.parse(date: "2030-01-10", time: "10:05")
        #expect(SlotText.formValues(start) == ("2030-01-10", "10:05"))
    }
}
