import Hummingbird
import RelaisCore
import RelaisStore

/// The first-name form a launch from the catalogue asks for, until sign-in and séances exist:
/// French first, no script, no external asset. The first name stays on the box.
enum LearnerFormPage {
    static func response(entry: CatalogEntry, launchURL: String, csrf: String, language: PortalLanguage, firstName: String?, problem: Bool = false) -> Response {
        let title = entry.manifest.title.fr
        let html = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(htmlEscaped(title)) — Relais</title>
            <style>\(CataloguePage.style)
            form.prenom label { display: block; margin: 1em 0 .3em; font-weight: bold; }
            form.prenom input { font-size: 1.3em; padding: .3em; max-width: 20em; width: 90%; }
            form.prenom button { font-size: 1.2em; margin-top: 1em; padding: .4em 1.2em; }
            </style></head>
            <body>
            <header><h1>\(htmlEscaped(title))</h1></header>
            <main>
            <form class="prenom" method="post" action="\(htmlEscaped(launchURL))">
            <input type="hidden" name="csrf" value="\(htmlEscaped(csrf))">
            \(problem ? "<p class=\"refusal\" role=\"alert\">\(language.pick("Écris ton prénom pour commencer.", "Type your first name to start."))</p>" : "")
            <label for="prenom">\(language.pick("Quel est ton prénom ?", "What is your first name?"))</label>
            <input id="prenom" name="prenom" type="text" required maxlength="60" autocomplete="given-name" autofocus value="\(htmlEscaped(firstName ?? ""))">
            <p class="meta">\(language.pick(
                "Deux élèves de la classe ont le même prénom ? Ajoute l'initiale de ton nom, par exemple « Lucas B. », pour retrouver ta progression.",
                "Two pupils in the class share a first name? Add your surname's initial, e.g. “Lucas B.”, to find your own progress."))</p>
            <button type="submit">\(language.pick("Commencer", "Start"))</button>
            </form>
            <p class="meta">\(language.pick(
                "Ton prénom reste sur la box de l'école : il n'est jamais envoyé ailleurs.",
                "Your first name stays on the school's box: it is never sent anywhere else."))</p>
            <p><a href="/catalogue\(language == .en ? "?lang=en" : "")">\(language.pick("Retour au catalogue", "Back to the catalogue"))</a></p>
            </main>
            </body>
            </html>

            """
        return Response(
            status: problem ? .badRequest : .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentLanguage: language.rawValue],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
