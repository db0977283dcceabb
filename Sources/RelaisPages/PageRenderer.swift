import Mustache

/// What a page gives its template: its title (for `<title>` and the header), its texts in one
/// language (`{{t.…}}` in the template) and its data (`{{page.…}}`), strings left as they are:
/// the template escapes every one.
public struct PageView {
    let title: String
    let texts: Any
    let data: Any
    let bodyClass: String?

    public init(title: String, texts: Any, data: Any, bodyClass: String? = nil) {
        self.title = title
        self.texts = texts
        self.data = data
        self.bodyClass = bodyClass
    }
}

/// A page's view model: plain data, the layout, and the template that shows it.
public protocol PageModel: Sendable {
    /// The name of the page's template in `Templates.all`.
    static var templateName: String { get }
    var layout: Layout { get }
    /// The page in one language, ready for its template.
    func view(in language: Language) -> PageView
}

/// A template that did not parse: a startup error naming the template.
public struct PageTemplateError: Error, CustomStringConvertible {
    public let template: String
    public let underlying: Error
    public var description: String { "template \(template) does not parse: \(underlying)" }
}

/// Every template of the portal compiled once into one Mustache library; renders any page.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Parses every template of `Templates.all`; throws `PageTemplateError` naming the first one
    /// that does not parse (call it at startup: a broken template stops `relais serve` at once).
    public init() throws {
        try self.init(templates: Templates.all)
    }

    init(templates: [(name: String, text: String)]) throws {
        var library = MustacheLibrary()
        for (name, text) in templates {
            do {
                try library.register(text, named: name)
            } catch {
                throw PageTemplateError(template: name, underlying: error)
            }
        }
        self.library = library
    }

    /// The whole HTML document of a page, in the language of its layout.
    public func render<P: PageModel>(_ page: P) -> String {
        render(page, language: page.layout.language)
    }

    /// The whole HTML document of a page in a given language (the layout's is ignored).
    public func render<P: PageModel>(_ page: P, language: Language) -> String {
        var layout = page.layout
        layout.language = language
        let view = page.view(in: language)
        let frame = Frame(layout: LayoutView(layout, title: view.title, bodyClass: view.bodyClass), t: view.texts, page: view.data)
        guard let html = library.render(frame, withTemplate: P.templateName) else {
            preconditionFailure("no template named \(P.templateName)")
        }
        return html
    }
}

/// What every template sees at its root.
struct Frame {
    let layout: LayoutView
    let t: Any
    let page: Any
}

/// The one renderer of the process, its templates parsed on first use.
public enum Pages {
    public static let renderer: PageRenderer = {
        do {
            return try PageRenderer()
        } catch {
            fatalError("\(error)")
        }
    }()

    /// The whole HTML document of a page, in the language of its layout.
    public static func render<P: PageModel>(_ page: P) -> String {
        renderer.render(page)
    }

    /// The whole HTML document of a page in a given language.
    public static func render<P: PageModel>(_ page: P, language: Language) -> String {
        renderer.render(page, language: language)
    }
}
