import Foundation
import RelaisCore
import Testing

@testable import RelaisPages

@Suite struct TemplateTests {
    @Test func everyTemplateParsesAtStartup() throws {
        let renderer = try PageRenderer()
        for (name, _) in Templates.all {
            #expect(renderer.library.getTemplate(named: name) != nil, "\(name)")
        }
        #expect(Set(Templates.all.map(\.name)).count == Templates.all.count, "two templates share a name")
    }

    @Test func aTemplateThatDoesNotParseStopsTheStartNamingIt() {
        #expect {
            _ = try PageRenderer(templates: Templates.all + [("broken", "<p>{{#page.x}}</p>")])
        } throws: { error in
            (error as? PageTemplateError)?.template == "broken"
        }
    }

    @Test func everyPageHasItsTemplate() {
        let names = Set(Templates.all.map(\.name))
        for page in Fixtures.pages("x") {
            #expect(names.contains(type(of: page).templateName), "\(type(of: page))")
        }
    }

    /// `{{{x}}}` and `{{&x}}` print unescaped; a `CONTENT_TYPE` pragma or new delimiters could
    /// turn escaping off or hide them. None of them, in the registered templates or in any file
    /// of Templates/.
    @Test func noTemplateEverPrintsUnescaped() throws {
        let forbidden = ["{{{", "{{&", "{{ &", "{{%", "{{=", "{{ {"]
        for (name, text) in Templates.all {
            for token in forbidden {
                #expect(!text.contains(token), "template \(name) contains \(token)")
            }
        }
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/RelaisPages/Templates").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count >= 5)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for token in forbidden {
                #expect(!text.contains(token), "\(file) contains \(token)")
            }
        }
    }

    /// Words come from the texts: a template holds markup, `{{…}}` and punctuation only.
    @Test func templatesHoldNoWords() {
        for (name, text) in Templates.all {
            var stripped = text.replacing(try! Regex("\\{\\{[^}]*\\}\\}"), with: " ")
            stripped = stripped.replacing(try! Regex("<[^>]*>"), with: " ")
            let words = stripped.split(whereSeparator: { !$0.isLetter }).map(String.init).filter { $0.count > 1 }
            #expect(words.allSatisfy { $0 == "Relais" || $0 == "DOCTYPE" || $0 == "html" }, "\(name): \(words)")
        }
    }
}

@Suite struct LayoutTests {
    @Test(arguments: Language.allCases)
    func everyPageRendersInBothLanguagesWithTheLayout(language: Language) {
        for page in Fixtures.ordinaryPages(language: language) {
            let html = Pages.render(page, language: language)
            let name = "\(type(of: page)) \(language)"
            #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"\(language.rawValue)\">"), "\(name)")
            #expect(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"), "\(name)")
            #expect(html.contains("<link rel=\"stylesheet\" href=\"\(Assets.cssURL)\">"), "\(name)")
            #expect(html.contains("<a class=\"skip\" href=\"#contenu\">"), "\(name)")
            #expect(html.contains("<header class=\"top\">"), "\(name)")
            #expect(html.contains("<main id=\"contenu\" tabindex=\"-1\">"), "\(name)")
            #expect(html.contains("<footer>"), "\(name)")
            #expect(HTML.matches("<h1\\b", in: html).count == 1, "\(name): one h1")
            #expect(html.contains("École Jean Moulin"), "\(name)")
            let title = HTML.matches("<title>[^<]+</title>", in: html)
            #expect(title.count == 1, "\(name)")
            // The language switch: the same page and query, in the other language.
            let other = language.other.rawValue
            #expect(html.contains("<a href=\"/catalogue?public=ELEVE&amp;lang=\(other)\" hreflang=\"\(other)\" lang=\"\(other)\">"), "\(name)")
            // No element left without its text.
            let empty = HTML.matches("<(p|h1|h2|h3|li|button|label|option|a|th|legend|summary|title|strong|span)\\b[^>]*>\\s*</\\1>", in: html)
            #expect(empty.isEmpty, "\(name): \(empty)")
            for cell in HTML.tags("th", in: html) {
                #expect(cell.contains(" scope=\"col\"") || cell.contains(" scope=\"row\""), "\(name): \(cell)")
            }
            // A misspelt field renders as nothing: no link, action, frame, label or id is left empty.
            let blank = HTML.matches("\\s(href|action|src|for|id|name|title|lang|hreflang)=\"\"", in: html)
            #expect(blank.isEmpty, "\(name): \(blank)")
        }
    }

    @Test func frenchAndEnglishDiffer() {
        let french = Fixtures.ordinaryPages(language: .fr)
        for page in french {
            let fr = Pages.render(page, language: .fr)
            let en = Pages.render(page, language: .en)
            #expect(fr != en, "\(type(of: page))")
            // Once the data and the markup are gone, what is left differs too.
            #expect(words(fr) != words(en), "\(type(of: page))")
        }
    }

    private func words(_ html: String) -> String {
        html.replacing(try! Regex("<[^>]*>"), with: " ").replacing("École Jean Moulin", with: "")
    }

    @Test func everyTextIsGivenInBothLanguages() {
        for (name, fr, en) in Fixtures.texts {
            let frenchTexts = Fixtures.strings(in: fr)
            let englishTexts = Fixtures.strings(in: en)
            #expect(!frenchTexts.isEmpty, "\(name)")
            #expect(frenchTexts.map(\.path) == englishTexts.map(\.path), "\(name)")
            for (path, text) in frenchTexts + englishTexts {
                #expect(!text.trimmingCharacters(in: .whitespaces).isEmpty, "\(name)\(path) is empty")
            }
            #expect(frenchTexts.map(\.value) != englishTexts.map(\.value), "\(name): French and English are the same")
        }
    }

    /// Texts are escaped like data: an apostrophe is `&#39;`, and no text holds markup.
    @Test func textsAreEscapedToo() {
        let html = Pages.render(SignInPage(layout: Layout(schoolName: "É", path: "/", language: .fr)))
        #expect(html.contains("à l&#39;administrateur de l&#39;établissement."))
        for (name, fr, en) in Fixtures.texts {
            for (path, text) in Fixtures.strings(in: fr) + Fixtures.strings(in: en) {
                #expect(!text.contains("<") && !text.contains(">"), "\(name)\(path) holds markup")
            }
        }
    }

    @Test func signedInHeaderHasAPostSignOutAndSignedOutHasALink() {
        let signedIn = Pages.render(Fixtures.ordinaryPages()[0])
        #expect(signedIn.contains("Connecté : Awa Diallo (enseignant)"))
        #expect(signedIn.contains("<form class=\"inline\" method=\"post\" action=\"/deconnexion\">"))
        #expect(signedIn.contains("Se déconnecter"))
        let out = Pages.render(CataloguePage(layout: Layout(schoolName: "École", path: "/", language: .en), items: []))
        #expect(out.contains("<a href=\"/connexion?lang=en\">Sign in</a>"))
        #expect(!out.contains("/deconnexion"))
        #expect(!out.contains("name=\"csrf\""))
    }

    @Test func theStylesheetSuitsOldTablets() {
        let css = Assets.css
        #expect(!css.contains("var(--"))
        #expect(!css.contains("display:grid"))
        #expect(css.contains(":focus{outline:3px solid"))
        #expect(css.contains("min-height:44px"))
        #expect(!css.contains("outline:none") && !css.contains("outline:0"))
        #expect(Assets.cssURL.hasPrefix("/static/relais.css?v="))
        #expect(Assets.cssURL.count > "/static/relais.css?v=".count)
    }
}

@Suite struct EscapingTests {
    static let payloads = ["<img src=x onerror=alert(1)>", "\"'><script>alert(1)</script>"]

    /// The fixtures really set every string of every model: a field added later and left out of
    /// the fixtures fails here, before it can escape the XSS check.
    @Test func fixturesSetEveryString() {
        for page in Fixtures.pages("PAYLOAD", csrf: "PAYLOAD") {
            let strings = Fixtures.strings(in: page)
            #expect(strings.count >= 3, "\(type(of: page))")
            for (path, value) in strings {
                #expect(value == "PAYLOAD", "\(type(of: page))\(path) is not set by the fixture")
            }
        }
    }

    @Test(arguments: payloads)
    func dataNeverBecomesMarkup(payload: String) {
        for page in Fixtures.pages(payload, csrf: payload) {
            for language in Language.allCases {
                let html = Pages.render(page, language: language)
                let name = "\(type(of: page)) \(language)"
                // Our own images (QR codes, charts) are `<img class=…` with a data URL made by the server.
                #expect(!html.contains("<img src=x"), "\(name)")
                // The one script of the portal is the live table's, from our own path.
                #expect(!html.replacingOccurrences(of: "<script src=\"\(Assets.progressScriptPath)\" defer></script>", with: "").contains("<script"), "\(name)")
                #expect(!html.contains("\"'>"), "\(name): an attribute was closed by data")
                #expect(html.contains("&lt;img src=x") || html.contains("&quot;&#39;&gt;&lt;script&gt;"), "\(name): the data is shown, escaped")
                // Every tag is one of ours: no attribute outside its quotes came from data.
                for tag in HTML.matches("<[a-z][^>]*>", in: html) {
                    let outsideQuotes = tag.replacing(try! Regex("\"[^\"]*\""), with: "")
                    #expect(!outsideQuotes.contains("onerror") && !outsideQuotes.contains("'"), "\(name): \(tag)")
                }
            }
        }
    }

    @Test func linksFromDataAreNeverScripts() {
        for evil in ["javascript:alert(1)", "//evil.example/x", " javascript:alert(1)", "data:text/html,x"] {
            for page in Fixtures.pages(evil) {
                let html = Pages.render(page)
                for attribute in HTML.matches("\\s(href|src|action)=\"[^\"]*\"", in: html) {
                    let value = attribute.split(separator: "\"", maxSplits: 1)[1].dropLast()
                    #expect(
                        value.hasPrefix("#") || value.hasPrefix("/") && !value.hasPrefix("//") || value.hasPrefix("?") || value.hasPrefix("data:image/svg+xml;base64,"),
                        "\(type(of: page)): \(attribute)")
                    #expect(!value.lowercased().contains("javascript:") && !value.hasPrefix("data:text"), "\(type(of: page)): \(attribute)")
                }
            }
        }
    }

    @Test func identifiersInPathsArePercentEncoded() {
        #expect(PortalPaths.adminClass("a/../b c") == "/admin/classes/a%2F..%2Fb%20c")
        #expect(PortalPaths.classPupilRemove("7", "x?y") == "/admin/classes/7/eleves/x%3Fy/retirer")
    }
}

@Suite struct FormTests {
    /// Every field a person fills in has its `<label for>`; ids are unique in a page.
    @Test(arguments: Language.allCases)
    func everyFieldHasALabel(language: Language) {
        for page in Fixtures.pages("x") + Fixtures.ordinaryPages(language: language) {
            let html = Pages.render(page, language: language)
            let name = "\(type(of: page))"
            let ids = HTML.matches("\\sid=\"[^\"]*\"", in: html)
            #expect(Set(ids).count == ids.count, "\(name): duplicate ids \(ids)")
            let fields = HTML.tags("input", in: html) + HTML.tags("select", in: html) + HTML.tags("textarea", in: html)
            for field in fields {
                let type = HTML.attribute("type", of: field)
                if type == "hidden" || type == "submit" || type == "button" { continue }
                guard let id = HTML.attribute("id", of: field) else {
                    Issue.record("\(name): a field without id: \(field)")
                    continue
                }
                let labels = HTML.matches("<label\\b[^>]*\\sfor=\"\(NSRegularExpression.escapedPattern(for: id))\"[^>]*>[^<]*[^<\\s]", in: html)
                    + HTML.matches("<label\\b[^>]*\\sfor=\"\(NSRegularExpression.escapedPattern(for: id))\"[^>]*><input[^>]*>[^<]*[^<\\s]", in: html)
                #expect(labels.count == 1, "\(name): field \(id) has \(labels.count) labels with text")
            }
        }
    }

    @Test func everyPostFormCarriesTheCSRFToken() {
        var forms = 0
        for page in Fixtures.pages("x", csrf: "TOKEN-123") + Fixtures.ordinaryPages(csrf: "TOKEN-123") {
            let html = Pages.render(page)
            for form in HTML.postForms(in: html) {
                forms += 1
                #expect(form.contains("<input type=\"hidden\" name=\"csrf\" value=\"TOKEN-123\">"), "\(type(of: page)): \(form.prefix(120))")
            }
            #expect(HTML.postForms(in: html).count == HTML.matches("<form\\b[^>]*method=\"post\"", in: html).count)
        }
        #expect(forms > 20)
    }

    @Test func withoutATokenNoCSRFFieldIsInvented() {
        for page in Fixtures.pages("x", csrf: nil) {
            #expect(!Pages.render(page).contains("name=\"csrf\""), "\(type(of: page))")
        }
    }

    @Test func formsThatChangeThingsArePosts() {
        for page in Fixtures.pages("x") {
            let html = Pages.render(page)
            for form in HTML.tags("form", in: html) where !form.contains("method=\"post\"") {
                // The catalogue's filter form is the one GET form (its action a portal path, or `#`
                // when the fixture's hostile string stands for it).
                #expect(
                    form.hasPrefix("<form method=\"get\" action=\"/") && form.hasSuffix(" class=\"filters\">")
                        || form == "<form method=\"get\" action=\"#\" class=\"filters\">", "\(type(of: page)): \(form)")
            }
        }
    }

    @Test func uploadsAreMultipartCSV() {
        let pages = Fixtures.ordinaryPages()
        for page in [pages[6], pages[8]] {
            let html = Pages.render(page)
            let uploads = HTML.matches("<form\\b[^>]*enctype=\"multipart/form-data\"[^>]*>.*?</form>", in: html)
            #expect(uploads.count == 1, "\(type(of: page))")
            #expect(uploads.first?.contains("type=\"file\"") == true)
            #expect(uploads.first?.contains("accept=\".csv,text/csv\"") == true)
        }
    }
}
