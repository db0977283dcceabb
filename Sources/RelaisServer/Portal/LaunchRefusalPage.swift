import Hummingbird
import RelaisCore

/// The page a device gets when a bundle cannot be opened: the reason and what to do, in French
/// (English below, or first with `?lang=en`), with a way back to the catalogue. No script, no
/// external asset.
enum LaunchRefusalPage {
    static func response(status: HTTPResponse.Status, language: PortalLanguage, french: String, english: String) -> Response {
        let (first, second) = language == .fr ? (french, english) : (english, french)
        let html = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(language.pick("Ressource indisponible", "Resource unavailable")) — Relais</title>
            <style>\(CataloguePage.style)</style></head>
            <body>
            <header><h1>\(language.pick("Ressource indisponible", "Resource unavailable"))</h1></header>
            <main>
            <p class="refusal" role="alert">\(htmlEscaped(first))</p>
            <p class="meta" lang="\(language == .fr ? "en" : "fr")">\(htmlEscaped(second))</p>
            <p><a href="/catalogue\(language == .en ? "?lang=en" : "")">\(language.pick("Retour au catalogue", "Back to the catalogue"))</a></p>
            </main>
            </body>
            </html>

            """
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentLanguage: language.rawValue],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
