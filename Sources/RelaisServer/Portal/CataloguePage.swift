import RelaisCore
import RelaisStore

/// The catalogue page: every installed bundle with an « Ouvrir » link, server-rendered HTML with
/// inline CSS and no script, so it works on old tablets and without any external asset.
struct CataloguePage {
    let box: BoxRecord
    let entries: [CatalogEntry]
    let language: PortalLanguage
    let launchURL: LaunchURL

    func render() -> String {
        let l = language
        let solutions = entries.filter { $0.manifest.kind == .solution }
        let trainings = entries.filter { $0.manifest.kind == .training }
        var html = """
            <!DOCTYPE html>
            <html lang="\(l.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(l.pick("Catalogue", "Catalogue")) — Relais \(htmlEscaped(box.name))</title>
            <style>\(CataloguePage.style)</style>
            </head>
            <body>
            <header><h1>Relais · \(htmlEscaped(box.name))</h1>
            <p class="uai">UAI \(htmlEscaped(box.uai)) · <a href="?lang=\(l == .fr ? "en" : "fr")" hreflang="\(l == .fr ? "en" : "fr")">\(l.pick("English", "Français"))</a></p>
            </header>
            <main>

            """
        if entries.isEmpty {
            html += "<p class=\"empty\">\(l.pick("Aucune ressource n'est encore installée. L'administrateur peut en importer avec « relais import ».", "No resource is installed yet. The admin can import some with “relais import”."))</p>\n"
        }
        html += section(l.pick("Solutions pédagogiques", "Teaching solutions"), solutions, id: "solutions")
        html += section(l.pick("Modules de formation", "Training modules"), trainings, id: "formations")
        html += "</main>\n<footer>Relais \(RelaisVersion.current)</footer>\n</body>\n</html>\n"
        return html
    }

    private func section(_ title: String, _ items: [CatalogEntry], id: String) -> String {
        guard !items.isEmpty else { return "" }
        return "<section id=\"\(id)\"><h2>\(htmlEscaped(title)) (\(items.count))</h2>\n<ul class=\"cards\">\n"
            + items.map(card).joined() + "</ul></section>\n"
    }

    private func card(_ entry: CatalogEntry) -> String {
        let m = entry.manifest
        let l = language
        let title = l == .en ? (m.title.en ?? m.title.fr) : m.title.fr
        let description = l == .en ? (m.description.en ?? m.description.fr) : m.description.fr
        let levels = m.levels.map(levelName).joined(separator: ", ")
        let duration = m.durationMinutes.map { " · \($0) min" } ?? ""
        let explanation = l == .fr
            ? entry.licence.frenchExplanation(resource: entry.resourceName)
            : entry.licence.englishExplanation(resource: entry.resourceName)
        let licence = entry.licensed
            ? "<span class=\"ok\">\(l.pick("Disponible", "Available"))</span>"
            : "<span class=\"ko\">\(l.pick("Indisponible", "Unavailable"))</span>"
        let note = entry.origin == .repository ? "<p class=\"licence \(entry.licensed ? "ok" : "ko")\">\(htmlEscaped(explanation))</p>" : ""
        // Every card links to the launch address: for a bundle that cannot be opened, it
        // explains why and what to do instead of a dead button.
        let open = "<a class=\"open\" href=\"\(htmlEscaped(launchURL.launch(m.id)))\(l == .en ? "?lang=en" : "")\" target=\"_blank\" rel=\"noopener\">\(l.pick("Ouvrir", "Open"))</a>"
        return """
            <li class="card" data-bundle="\(htmlEscaped(m.id))">
            <h3>\(htmlEscaped(title))</h3>
            <p class="meta">\(htmlEscaped(standardName(m.standard))) · \(htmlEscaped(m.publisher))\(duration)</p>
            <p>\(htmlEscaped(description))</p>
            <p class="meta">\(htmlEscaped(levels)) · v\(htmlEscaped(m.version)) · \(ByteCount.format(entry.contentBytes)) · \(licence)</p>
            \(note)
            \(open)
            </li>

            """
    }

    private func levelName(_ level: BundleManifest.Level) -> String {
        switch level {
        case .cycle1: return language.pick("Cycle 1", "Cycle 1 (ages 3–6)")
        case .cycle2: return language.pick("Cycle 2", "Cycle 2 (ages 6–9)")
        case .cycle3: return language.pick("Cycle 3", "Cycle 3 (ages 9–12)")
        case .cycle4: return language.pick("Cycle 4", "Cycle 4 (ages 12–15)")
        case .lycee: return language.pick("Lycée", "Upper secondary")
        }
    }

    private func standardName(_ standard: BundleManifest.Standard) -> String {
        switch standard {
        case .html5: return language.pick("Application HTML5", "HTML5 app")
        case .scorm12: return "SCORM 1.2"
        case .scorm2004: return "SCORM 2004"
        case .cmi5: return "cmi5"
        case .video: return language.pick("Vidéo", "Video")
        case .pdf: return language.pick("Document PDF", "PDF document")
        }
    }

    static let style = """
        body{font-family:Arial,Helvetica,sans-serif;margin:0;background:#f4f6f9;color:#1b1b35}
        header{background:#000091;color:#fff;padding:12px 20px}header h1{margin:0;font-size:1.5em}
        header a{color:#fff}.uai{margin:4px 0 0;font-size:.9em}
        main{padding:10px 20px}h2{font-size:1.2em;margin:18px 0 8px}
        .cards{list-style:none;margin:0;padding:0}
        .card{display:inline-block;vertical-align:top;width:280px;margin:0 12px 12px 0;padding:12px;background:#fff;border:1px solid #ccd;border-radius:6px}
        .card h3{margin:0 0 6px;font-size:1.05em}.card p{margin:4px 0;font-size:.92em}.meta{color:#555}
        .ok{color:#18753c;font-weight:bold}.ko{color:#ce0500;font-weight:bold}.licence{font-weight:normal}
        .open{display:inline-block;margin-top:6px;padding:8px 16px;background:#000091;color:#fff;text-decoration:none;border-radius:4px;font-weight:bold}
        .empty{padding:20px;background:#fff;border:1px dashed #99a}footer{padding:10px 20px;color:#777;font-size:.8em}
        """
}
