/// A SCORM package's `imsmanifest.xml` (SCORM 1.2 or 2004): identity, organizations, resources and
/// the launch of its first SCO or asset.
public struct ScormManifest: Sendable, Equatable {
    /// The manifest file name, at the package root.
    public static let fileName = "imsmanifest.xml"

    /// SCORM 1.2 or SCORM 2004 (any edition).
    public enum Version: String, Sendable, Equatable { case scorm12, scorm2004 }

    /// `<manifest identifier>`.
    public var identifier: String
    /// SCORM 1.2 or 2004, from schemaversion or the namespaces.
    public var version: Version
    /// `<metadata><schemaversion>` as written ("1.2", "2004 3rd Edition"...), nil when absent.
    public var schemaVersion: String?
    /// The organization named by `<organizations default>`, else the first.
    public var defaultOrganization: Organization?
    /// Every `<organization>`, in document order.
    public var organizations: [Organization]
    /// Every `<resource>`, in document order.
    public var resources: [Resource]

    /// An `<organization>`: a titled tree of items.
    public struct Organization: Sendable, Equatable {
        /// `identifier` attribute.
        public var identifier: String
        /// `<title>`, white space collapsed.
        public var title: String?
        /// Top-level items, in document order.
        public var items: [Item]
    }

    /// An `<item>`: launches a resource when it has an `identifierref`.
    public struct Item: Sendable, Equatable {
        /// `identifier` attribute.
        public var identifier: String
        /// The resource this item launches (`identifierref`); nil for a pure grouping item.
        public var identifierRef: String?
        /// `<title>`, white space collapsed.
        public var title: String?
        /// Query string to append to the resource's URL (`parameters` attribute).
        public var parameters: String?
        /// Nested items, in document order.
        public var children: [Item]
    }

    /// A `<resource>` with its launch `href`, already prefixed by every enclosing `xml:base`.
    public struct Resource: Sendable, Equatable {
        /// `identifier` attribute, referred to by items and dependencies.
        public var identifier: String
        /// `type` attribute, normally "webcontent".
        public var type: String?
        /// `sco` or `asset` (`adlcp:scormtype` / `adlcp:scormType`).
        public var scormType: String?
        /// The launch URL, relative to the package root unless absolute; nil for a resource without one.
        public var href: String?
        /// `<file href>`s, as written.
        public var files: [String]
        /// `<dependency identifierref>`s.
        public var dependencies: [String]
    }

    /// What to open first: the first item, depth first, of the default organization that has a
    /// resource with an href.
    public struct Launch: Sendable, Equatable {
        /// The item launched.
        public var item: Item
        /// The resource it launches.
        public var resource: Resource
        /// The URL to open, relative to the package root, with the item's parameters.
        public var url: String
    }

    /// Parses the bytes of imsmanifest.xml.
    public init(parsing bytes: [UInt8]) throws(PackagingError) {
        let file = Self.fileName
        let root = try XMLTree(parsing: bytes, file: file).root
        guard root.name == "manifest" else { throw .missing(file: file, element: "<manifest> document element") }
        guard let identifier = root.attribute("identifier"), !identifier.isEmpty else {
            throw .missing(file: file, element: "identifier attribute on <manifest>")
        }
        self.identifier = identifier
        let schemaVersion = root.child("metadata")?.child("schemaversion")?.trimmedText
        self.schemaVersion = schemaVersion
        version = Self.version(schemaVersion: schemaVersion, root: root)

        let organizations = root.child("organizations")
        self.organizations = organizations?.children("organization").map(Self.organization) ?? []
        let defaultId = organizations?.attribute("default")
        defaultOrganization = self.organizations.first { $0.identifier == defaultId } ?? self.organizations.first

        let resourcesElement = root.child("resources")
        let base = Self.joinBases(root.attribute("xml:base"), resourcesElement?.attribute("xml:base"))
        resources = resourcesElement?.children("resource").map { Self.resource($0, base: base) } ?? []
    }

    /// The title of the default organization, else of its first item.
    public var title: String? {
        let organization = defaultOrganization
        return organization?.title ?? organization?.items.first?.title
    }

    /// The first launchable item of the default organization; nil when there is none.
    public var launch: Launch? {
        func first(in items: [Item]) -> Launch? {
            for item in items {
                if let ref = item.identifierRef, let resource = resources.first(where: { $0.identifier == ref }),
                    let href = resource.href
                {
                    return Launch(item: item, resource: resource, url: Self.appending(item.parameters, to: href))
                }
                if let launch = first(in: item.children) { return launch }
            }
            return nil
        }
        return first(in: defaultOrganization?.items ?? [])
    }

    static func version(schemaVersion: String?, root: XMLTree.Element) -> Version {
        if let text = schemaVersion?.lowercased() {
            if text == "1.2" { return .scorm12 }
            if text.contains("2004") || text.contains("1.3") { return .scorm2004 }
        }
        // No (or an unusual) schemaversion: the ADL namespaces say which standard the file follows.
        let namespaces = root.attributes.filter { $0.key.hasPrefix("xmlns") }.map { $0.value.lowercased() }
        if namespaces.contains(where: { $0.contains("adlcp_v1p3") || $0.contains("imscp_v1p1") && !$0.contains("rootv1p1p2") }) {
            return .scorm2004
        }
        return .scorm12
    }

    static func organization(_ element: XMLTree.Element) -> Organization {
        Organization(
            identifier: element.attribute("identifier") ?? "",
            title: element.child("title")?.trimmedText.nilIfEmpty,
            items: element.children("item").map(item))
    }

    static func item(_ element: XMLTree.Element) -> Item {
        Item(
            identifier: element.attribute("identifier") ?? "",
            identifierRef: element.attribute("identifierref")?.nilIfEmpty,
            title: element.child("title")?.trimmedText.nilIfEmpty,
            parameters: element.attribute("parameters")?.nilIfEmpty,
            children: element.children("item").map(item))
    }

    static func resource(_ element: XMLTree.Element, base: String) -> Resource {
        let base = joinBases(base, element.attribute("xml:base"))
        return Resource(
            identifier: element.attribute("identifier") ?? "",
            type: element.attribute("type"),
            scormType: element.attribute("scormtype")?.lowercased(),
            href: element.attribute("href")?.nilIfEmpty.map { isAbsoluteURL($0) ? $0 : base + $0 },
            files: element.children("file").compactMap { $0.attribute("href") },
            dependencies: element.children("dependency").compactMap { $0.attribute("identifierref") })
    }

    /// Concatenates xml:base values, each taken as a folder (a missing final "/" is added).
    static func joinBases(_ bases: String?...) -> String {
        bases.compactMap { $0?.nilIfEmpty }.map { isAbsoluteURL($0) || $0.hasSuffix("/") ? $0 : $0 + "/" }
            .reduce("") { isAbsoluteURL($1) ? $1 : $0 + $1 }
    }

    /// SCORM `parameters` per the CAM: "?a=b" or "a=b", appended with "?" or "&".
    static func appending(_ parameters: String?, to url: String) -> String {
        guard let parameters, !parameters.isEmpty else { return url }
        if parameters.hasPrefix("#") || parameters.hasPrefix("?") && !url.contains("?") { return url + parameters }
        let trimmed = parameters.hasPrefix("?") || parameters.hasPrefix("&") ? String(parameters.dropFirst()) : parameters
        return url + (url.contains("?") ? "&" : "?") + trimmed
    }

    /// "http://…", "https://…", "mailto:…": a URL with a scheme, not a path in the package.
    public static func isAbsoluteURL(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let scheme = text[..<colon]
        return scheme.count > 1 && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            && scheme.first!.isLetter
    }
}

extension String {
    /// nil for an empty string, so optional chains can skip empty attributes.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
