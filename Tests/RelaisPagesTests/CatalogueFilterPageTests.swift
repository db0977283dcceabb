import RelaisCore
import Testing

@testable import RelaisPages

@Suite struct CatalogueFilterPageTests {
    let layout = Layout(schoolName: "École Jean Moulin", person: Layout.Person(name: "Awa Diallo", role: .enseignant), path: "/catalogue", language: .fr)
    let options = CatalogueFilter.Options(
        cycles: [.cycle2, .cycle3], disciplines: ["formation numérique", "mathématiques"], kinds: [.solution, .training], standards: [.html5, .scorm12])

    func item(_ id: String, _ title: String, kind: BundleManifest.Kind = .solution, advice: [CatalogueItem.TrainingAdvice] = []) -> CatalogueItem {
        CatalogueItem(
            id: id, title: Bilingual(fr: title), description: Bilingual(fr: "…"), kind: kind, standard: .html5, publisher: "Relais (démo)",
            levels: [.cycle3], version: "1.0.0", contentBytes: 10, licensed: true, openURL: "/lancer/\(id)", trainingAdvice: advice)
    }

    @Test func theFormKeepsTheChosenValuesWithLabelsAndNoScript() {
        let filter = CatalogueFilter(query: ["cycle": "cycle3", "discipline": "Mathematiques", "type": "solution", "licence": "valide", "q": "fraction"])
        let page = CataloguePage(
            layout: layout, items: [item("a", "Les fractions")], total: 7,
            filterForm: CatalogueFilterForm(action: "/catalogue", filter: filter, options: options))
        let html = Pages.render(page)
        #expect(html.contains("<form method=\"get\" action=\"/catalogue\" class=\"filters\">"))
        for (id, label) in [("filtre-cycle", "Niveau"), ("filtre-discipline", "Discipline"), ("filtre-type", "Type"), ("filtre-standard", "Format"),
                            ("filtre-licence", "Licence"), ("filtre-public", "Public"), ("filtre-q", "Rechercher")] {
            #expect(html.contains("<label for=\"\(id)\">\(label)</label>"), "\(id)")
        }
        #expect(html.contains("<option value=\"cycle3\" selected>Cycle 3</option>"))
        #expect(html.contains("<option value=\"cycle2\">Cycle 2</option>"))
        #expect(html.contains("<option value=\"mathématiques\" selected>mathématiques</option>"), "the catalogue's spelling is selected")
        #expect(html.contains("<option value=\"solution\" selected>Solutions</option>"))
        #expect(html.contains("<option value=\"training\">Modules de formation</option>"))
        #expect(html.contains("<option value=\"valide\" selected>Utilisable</option>"))
        #expect(html.contains("<option value=\"\" selected>Tous les publics</option>"))
        #expect(html.contains("<input type=\"search\" id=\"filtre-q\" name=\"q\" value=\"fraction\""))
        #expect(html.contains("<p class=\"count\" role=\"status\">1 ressource sur 7</p>"))
        #expect(html.contains("<a class=\"button secondary\" href=\"/catalogue\">Effacer les filtres</a>"))
        #expect(!html.contains("<script"))
    }

    @Test func countsInBothLanguagesAndKeepsEnglishThroughTheForm() {
        let form = CatalogueFilterForm(action: "/catalogue", filter: CatalogueFilter(search: "x"), options: options)
        let items = [item("a", "A"), item("b", "B"), item("c", "C")]
        let fr = Pages.render(CataloguePage(layout: layout, items: items, total: 7, filterForm: form))
        #expect(fr.contains("3 ressources sur 7"))
        let en = Pages.render(CataloguePage(layout: layout, items: items, total: 7, filterForm: form), language: .en)
        #expect(en.contains("3 of 7 resources"))
        #expect(en.contains("<input type=\"hidden\" name=\"lang\" value=\"en\">"))
        #expect(en.contains("href=\"/catalogue?lang=en\">Clear the filters</a>"))
        #expect(en.contains("<label for=\"filtre-cycle\">Level</label>"))
    }

    @Test func anEmptyResultSaysSoAndOffersToClear() {
        let form = CatalogueFilterForm(action: "/catalogue", filter: CatalogueFilter(search: "zèbre"), options: options)
        let html = Pages.render(CataloguePage(layout: layout, items: [], total: 4, filterForm: form))
        #expect(html.contains("<p class=\"empty\">Aucune ressource ne correspond à ces filtres. <a href=\"/catalogue\">Effacer les filtres</a></p>"))
        #expect(html.contains("0 ressource sur 4"))
        #expect(!html.contains("Aucune ressource n&#39;est encore installée"))
        let nothing = Pages.render(CataloguePage(layout: layout, items: [], total: 0, filterForm: form))
        #expect(nothing.contains("Aucune ressource n&#39;est encore installée"))
        #expect(!nothing.contains("ne correspond"))
    }

    @Test func anotherPageCanEmbedTheFormWithItsOwnActionAndHiddenFields() {
        let form = CatalogueFilterForm(
            action: "/enseignant/seances/42?x=1", filter: CatalogueFilter(cycle: .cycle2), options: options,
            hidden: [.init(name: "etape", value: "activités")], showsAudience: false)
        let view = form.makeView(.fr)
        #expect(view.action == "/enseignant/seances/42", "a GET form drops the action's query: keep it in hidden fields")
        #expect(view.selects.map(\.name) == ["cycle", "discipline", "type", "standard", "licence"])
        #expect(view.clearURL == "/enseignant/seances/42?etape=activit%C3%A9s")
        #expect(view.hidden.map(\.name) == ["etape"])
        #expect(form.makeView(.en).hidden.map(\.name) == ["etape", "lang"])
    }

    @Test func aChosenValueTheCatalogueNoLongerHoldsStaysSelected() {
        let form = CatalogueFilterForm(action: "/catalogue", filter: CatalogueFilter(cycle: .lycee, discipline: "Latin"), options: options)
        let html = Pages.render(CataloguePage(layout: layout, items: [], total: 2, filterForm: form))
        #expect(html.contains("<option value=\"lycee\" selected>Lycée</option>"))
        #expect(html.contains("<option value=\"Latin\" selected>Latin</option>"))
    }

    @Test func aCardAdvisesTheTrainingNotYetCompleted() {
        let advised = item(
            "calcul", "Calcul mental", advice: [.init(title: Bilingual(fr: "Prise en main", en: "Getting started"), openURL: "/lancer/prise-en-main")])
        let html = Pages.render(CataloguePage(layout: layout, items: [advised, item("fiche", "Fiche")]))
        #expect(html.contains("<p class=\"advice\">Formation conseillée avant usage : <a href=\"/lancer/prise-en-main\">Prise en main</a></p>"))
        #expect(html.components(separatedBy: "class=\"advice\"").count == 2, "only the solution that advises one")
        let en = Pages.render(CataloguePage(layout: layout, items: [advised]), language: .en)
        #expect(en.contains("Training advised before use: <a href=\"/lancer/prise-en-main?lang=en\">Getting started</a>"))
    }

    @Test func theTeacherSeesTheirTrainingModulesWithTheirState() {
        let page = TeacherHomePage(
            layout: layout, classes: [], catalogue: [],
            trainings: [
                .init(id: "a", title: Bilingual(fr: "Prise en main"), state: .notStarted, openURL: "/lancer/a"),
                .init(id: "b", title: Bilingual(fr: "Écrire une séance"), state: .started, openURL: "/lancer/b"),
                .init(id: "c", title: Bilingual(fr: "Le RGPD"), state: .completed(at: 1_780_000_000), openURL: "/lancer/c"),
            ])
        let html = Pages.render(page)
        #expect(html.contains("<h2 id=\"mes-formations\">Mes modules de formation</h2>"))
        #expect(html.contains("<tr data-training=\"a\"><th scope=\"row\">Prise en main</th><td>Non commencé</td><td><a class=\"button secondary\" href=\"/lancer/a\">Commencer<span class=\"sr\"> : Prise en main</span></a></td></tr>"))
        #expect(html.contains("<td>Commencé</td><td><a class=\"button secondary\" href=\"/lancer/b\">Reprendre"))
        #expect(html.contains("<td class=\"ok\">Terminé le 28/05/2026</td>"))
        let en = Pages.render(page, language: .en)
        #expect(en.contains("Completed on 2026-05-28"))
        let none = Pages.render(TeacherHomePage(layout: layout, classes: [], catalogue: []))
        #expect(none.contains("Aucun module de formation n&#39;est installé."))
    }
}

/// A page of another engineer's (the séance's activity picker) embedding the filter form the
/// documented way: `form.view(in:)` in its data, the `catalogueFilterForm` partial in its template.
struct EmbeddingPage: PageModel {
    static let templateName = "embeddingTest"
    static let template = "{{<layout}}{{$main}}<h1>{{t}}</h1>{{#page.form}}{{>catalogueFilterForm}}{{/page.form}}{{/main}}{{/layout}}"
    var layout: Layout
    var form: CatalogueFilterForm

    struct View {
        let form: Any
    }

    func view(in language: Language) -> PageView {
        PageView(title: "Séance", texts: "Séance", data: View(form: form.view(in: language)))
    }
}

@Suite struct CatalogueFilterEmbeddingTests {
    @Test func anotherPagesTemplateRendersTheSameFormThroughThePartial() throws {
        let renderer = try PageRenderer(templates: Templates.all + [(EmbeddingPage.templateName, EmbeddingPage.template)])
        let form = CatalogueFilterForm(
            action: "/enseignant/seances/42/activites", filter: CatalogueFilter(audience: .eleve, search: "<b>fraction</b>"),
            options: CatalogueFilter.Options(cycles: [.cycle3], disciplines: ["mathématiques"], kinds: [.solution, .training], standards: [.html5]),
            hidden: [.init(name: "public", value: "ELEVE")], showsAudience: false)
        let html = renderer.render(EmbeddingPage(layout: Layout(schoolName: "École", path: "/", language: .fr), form: form))
        #expect(html.contains("<form method=\"get\" action=\"/enseignant/seances/42/activites\" class=\"filters\">"))
        #expect(html.contains("<label for=\"filtre-cycle\">Niveau</label>"))
        #expect(!html.contains("filtre-public"), "the picker fixes the public")
        #expect(html.contains("<input type=\"hidden\" name=\"public\" value=\"ELEVE\">"))
        #expect(html.contains("value=\"&lt;b&gt;fraction&lt;/b&gt;\""), "escaped like everything else")
        #expect(html.contains("href=\"/enseignant/seances/42/activites?public=ELEVE\">Effacer les filtres</a>"))
    }
}
