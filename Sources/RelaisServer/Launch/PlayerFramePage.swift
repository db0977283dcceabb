import Hummingbird
import RelaisCore

/// The portal page of a launch: a title bar with the way back, and the player (or cmi5 AU) of
/// the bundle's own origin in a sandboxed frame — scripts, forms and its own origin; never
/// popups, top navigation, modals or downloads.
enum PlayerFramePage {
    static let sandbox = "allow-scripts allow-same-origin allow-forms"

    static func response(title: String, frameURL: String, frameOrigin: String, language: PortalLanguage) -> Response {
        let html = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(htmlEscaped(title)) — Relais</title>
            <style>
            html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; font-family: sans-serif; }
            #barre { height: 40px; line-height: 40px; padding: 0 12px; background: #1d4e89; color: #fff; font-size: 16px; overflow: hidden; white-space: nowrap; }
            #barre a { color: #fff; float: right; padding: 0 8px; }
            #barre a:focus { outline: 3px solid #ffbf47; }
            iframe { position: absolute; top: 40px; left: 0; width: 100%; height: calc(100% - 40px); border: 0; }
            </style></head>
            <body>
            <div id="barre"><a href="/catalogue\(language == .en ? "?lang=en" : "")">\(language.pick("Retour", "Back"))</a><span>\(htmlEscaped(title))</span></div>
            <iframe id="lecteur" title="\(htmlEscaped(title))" src="\(htmlEscaped(frameURL))" sandbox="\(sandbox)" allow="fullscreen; autoplay" referrerpolicy="no-referrer"></iframe>
            </body>
            </html>

            """
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentLanguage: language.rawValue,
                .contentSecurityPolicy: "default-src 'self'; style-src 'unsafe-inline'; frame-src \(frameOrigin); frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
