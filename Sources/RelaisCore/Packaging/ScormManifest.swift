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
    /// The publisher the manifest's LOM metadata names (`lifeCycle/contribute` with the role
    /// `publisher`, its `entity` vCard's ORG or FN), nil when it names none.
    public var publisher: String?

    /// An `<organization>`: a titled tree of items.
    public struct Organization: Sendable, Equatable {
        /// `identifier` attribute.
        public var identifier: String
        /// `<title>`, white space collapsed.
        public var title: String?
        /// Top-level items, in document order.
        public var items: [Item]
        /// `<imsss:controlMode flow>` of the organization, nil when the manifest does not say.
        public var flow: Bool? = nil
        /// `<imsss:controlMode choice>` of the organization, nil when the manifest does not say.
        public var choice: Bool? = nil
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
        /// `isvisible` (default true): an invisible item is launchable but not shown in a table of contents.
        public var isVisible: Bool = true
        /// SCORM 2004 `<adlcp:completionThreshold>` (3rd edition: the text; 4th: `minProgressMeasure`
        /// when `completedByMeasure` is true), 0…1.
        public var completionThreshold: Double?
        /// SCORM 1.2 `<adlcp:masteryscore>` (0…100), as written.
        public var masteryScore: String?
        /// `<adlcp:dataFromLMS>` / `<adlcp:datafromlms>`: the SCO's `cmi.launch_data`.
        public var dataFromLMS: String?
        /// SCORM 2004 objectives of the item's `<imsss:sequencing>` (its own, else those of the
        /// `sequencingCollection` entry it refers to by `IDRef`), the primary objective first.
        public var objectives: [Objective] = []
    }

    /// One `<imsss:primaryObjective>` or `<imsss:objective>` of an item.
    public struct Objective: Sendable, Equatable {
        /// `objectiveID`; nil for a primary objective without one (it is then not in `cmi.objectives`).
        public var id: String?
        /// Whether it is the primary objective.
        public var primary: Bool
        /// `satisfiedByMeasure` (default false).
        public var satisfiedByMeasure: Bool
        /// `<imsss:minNormalizedMeasure>` (default 1.0 when `satisfiedByMeasure` is true), -1…1.
        public var minNormalizedMeasure: Double?
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

        let collection = Self.sequencingCollection(root)
        let organizations = root.child("organizations")
        self.organizations = organizations?.children("organization").map { Self.organization($0, collection: collection) } ?? []
        let defaultId = organizations?.attribute("default")
        defaultOrganization = self.organizations.first { $0.identifier == defaultId } ?? self.organizations.first

        let resourcesElement = root.child("resources")
        let base = Self.joinBases(root.attribute("xml:base"), resourcesElement?.attribute("xml:base"))
        resources = resourcesElement?.children("resource").map { Self.resource($0, base: base) } ?? []
        publisher = root.child("metadata").flatMap(Self.publisher(metadata:))
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

    static func organization(_ element: XMLTree.Element, collection: [String: XMLTree.Element]) -> Organization {
        let sequencing = element.child("sequencing")
        let control = sequencing?.child("controlMode")
            ?? sequencing?.attribute("IDRef").flatMap { collection[$0]?.child("controlMode") }
        return Organization(
            identifier: element.attribute("identifier") ?? "",
            title: element.child("title")?.trimmedText.nilIfEmpty,
            items: element.children("item").map { item($0, collection: collection) },
            flow: control?.attribute("flow").map(Self.isTrue), choice: control?.attribute("choice").map(Self.isTrue))
    }

    static func item(_ element: XMLTree.Element, collection: [String: XMLTree.Element] = [:]) -> Item {
        var item = Item(
            identifier: element.attribute("identifier") ?? "",
            identifierRef: element.attribute("identifierref")?.nilIfEmpty,
            title: element.child("title")?.trimmedText.nilIfEmpty,
            parameters: element.attribute("parameters")?.nilIfEmpty,
            children: element.children("item").map { Self.item($0, collection: collection) })
        item.isVisible = element.attribute("isvisible").map(Self.isTrue) ?? true
        if let threshold = element.child("completionThreshold") {
            if let text = Double(threshold.trimmedText), (0...1).contains(text) {
                item.completionThreshold = text
            } else if threshold.attribute("completedByMeasure").map(Self.isTrue) == true {
                let measure = threshold.attribute("minProgressMeasure").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } ?? 1
                item.completionThreshold = (0...1).contains(measure) ? measure : nil
            }
        }
        item.masteryScore = element.child("masteryscore")?.trimmedText.nilIfEmpty
        item.dataFromLMS = (element.child("dataFromLMS") ?? element.child("datafromlms"))?.text
            .trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        let sequencing = element.child("sequencing")
        let referenced = sequencing?.attribute("IDRef").flatMap { collection[$0] }
        if let objectives = sequencing?.child("objectives") ?? referenced?.child("objectives") {
            item.objectives = objectives.children.compactMap { child -> Objective? in
                guard child.name == "primaryObjective" || child.name == "objective" else { return nil }
                let byMeasure = child.attribute("satisfiedByMeasure").map(Self.isTrue) ?? false
                var measure = child.child("minNormalizedMeasure").flatMap { Double($0.trimmedText) }
                if byMeasure && measure == nil { measure = 1 }
                if let value = measure, !(-1...1).contains(value) { measure = nil }
                return Objective(
                    id: child.attribute("objectiveID")?.nilIfEmpty, primary: child.name == "primaryObjective",
                    satisfiedByMeasure: byMeasure, minNormalizedMeasure: measure)
            }.sorted { $0.primary && !$1.primary }
        }
        return item
    }

    /// `<imsss:sequencingCollection>`'s `<imsss:sequencing ID>`s, by ID.
    static func sequencingCollection(_ root: XMLTree.Element) -> [String: XMLTree.Element] {
        var found: [String: XMLTree.Element] = [:]
        for sequencing in root.child("sequencingCollection")?.children("sequencing") ?? [] {
            if let id = sequencing.attribute("ID") { found[id] = sequencing }
        }
        return found
    }

    static func isTrue(_ text: String) -> Bool { text.trimmingCharacters(in: .whitespaces).lowercased() == "true" }

    /// The publisher of LOM metadata written inline (`<metadata><lom>` or `<imsmd:lom>`):
    /// `lifeCycle/contribute` whose role is `publisher`, its entity's vCard ORG, else FN, else the
    /// entity text when it is no vCard.
    static func publisher(metadata: XMLTree.Element) -> String? {
        guard let lom = metadata.child("lom") else { return nil }
        for contribute in lom.child("lifeCycle")?.children("contribute") ?? lom.child("lifecycle")?.children("contribute") ?? [] {
            let role = contribute.child("role")
            let value = (role?.child("value")?.child("langstring") ?? role?.child("value"))?.trimmedText.lowercased()
            guard value == "publisher" else { continue }
            for entity in contribute.children("entity") + contribute.children("centity").compactMap({ $0.child("vcard") }) {
                if let name = vCardName(entity.text) { return name }
            }
        }
        return nil
    }

    /// ORG (first component), else FN, of a vCard; the text itself when it is no vCard.
    static func vCardName(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.uppercased().hasPrefix("BEGIN:VCARD") else {
            let plain = trimmed.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            return plain.isEmpty ? nil : plain
        }
        var fields: [String: String] = [:]
        // Many packages write the vCard on one line ("BEGIN:VCARD FN:Rustici END:VCARD"): a
        // space before a property name starts a new line.
        let lines = trimmed.replacingOccurrences(
            of: #"\s+(?=(BEGIN|VERSION|FN|N|ORG|EMAIL|TEL|ADR|URL|END)(;[^:\s]*)?:)"#, with: "\n", options: .regularExpression)
        for line in lines.split(whereSeparator: { $0.isNewline }) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].split(separator: ";").first.map { $0.uppercased() } ?? ""
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = value }
        }
        let org = fields["ORG"]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
        for candidate in [org, fields["FN"]] {
            if let name = candidate, !name.isEmpty { return name }
        }
        return nil
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

    /// SCORM `parameters` joined to a resource's href as the CAM says (SCORM 2004 CAM 3.4.1.9):
    /// leading `?` and `&` removed; a parameter string starting with `#` is a fragment, appended
    /// only when the URL has none; otherwise joined with `&` when the URL already has a query,
    /// with `?` when it has not — before any fragment the URL has.
    public static func appending(_ parameters: String?, to url: String) -> String {
        guard let parameters, !parameters.isEmpty else { return url }
        if parameters.hasPrefix("#") { return url.contains("#") ? url : url + parameters }
        let trimmed = String(parameters.drop { $0 == "?" || $0 == "&" })
        guard !trimmed.isEmpty else { return url }
        let fragmentStart = url.firstIndex(of: "#") ?? url.endIndex
        let head = url[..<fragmentStart], fragment = url[fragmentStart...]
        return head + (head.contains("?") ? "&" : "?") + trimmed + fragment
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
