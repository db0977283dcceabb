/// One launchable unit of a bundle: a SCORM item that launches a SCO or an asset, a cmi5 AU, or
/// the whole bundle for HTML5, video and PDF. `relais bundle inspect --json` lists them as
/// `structure`; the player's table of contents and the séance's chosen activity name them by `id`.
public struct BundleStructureEntry: Sendable, Equatable, Codable {
    /// The SCORM item `identifier`, the cmi5 AU IRI, or the bundle id.
    public let id: String
    /// The item's or AU's title (the bundle's for a single-entry bundle).
    public let title: String
    /// The URL to open, relative to the bundle root (or absolute for an AU hosted elsewhere), with
    /// its query string: SCORM resource href (xml:base applied) + item `parameters`; the AU `url`.
    public let launch: String
    /// The groups the entry sits in, outermost first: SCORM aggregation items, cmi5 blocks.
    public var groups: [Group] = []
    /// SCORM: `sco` or `asset` (an asset never talks to the run-time API); nil otherwise.
    public var scormType: String? = nil
    /// Shown in a table of contents (SCORM `isvisible`).
    public var visible: Bool = true
    /// SCORM 2004 `cmi.completion_threshold`.
    public var completionThreshold: Double? = nil
    /// SCORM 2004: the primary objective's `minNormalizedMeasure` when it is `satisfiedByMeasure`
    /// (`cmi.scaled_passing_score`). cmi5: the AU's `masteryScore`.
    public var scaledPassingScore: Double? = nil
    /// SCORM 1.2 `cmi.student_data.mastery_score` (0…100), as written.
    public var masteryScore: String? = nil
    /// `cmi.launch_data` (SCORM `dataFromLMS`).
    public var launchData: String? = nil
    /// SCORM 2004 objective ids the SCO's `cmi.objectives` start with, primary first.
    public var objectiveIds: [String] = []
    /// cmi5 `moveOn` of the AU.
    public var moveOn: String? = nil

    /// A SCORM aggregation item or a cmi5 block.
    public struct Group: Sendable, Equatable, Codable {
        public let id: String
        public let title: String
        public init(id: String, title: String) {
            self.id = id
            self.title = title
        }
    }

    public init(id: String, title: String, launch: String) {
        self.id = id
        self.title = title
        self.launch = launch
    }

    /// How deep the entry sits (0 at the top of the organization or course).
    public var depth: Int { groups.count }
}

/// The ordered launchable entries of a bundle, and how a learner may move between them.
public struct BundleStructure: Sendable, Equatable {
    /// In the package's order (SCORM: depth first through the default organization; cmi5: course order).
    public var entries: [BundleStructureEntry]
    /// Continue / previous allowed (SCORM `controlMode flow`; see `scorm` for the default).
    public var flow: Bool
    /// Choosing any entry allowed (SCORM `controlMode choice`, default true).
    public var choice: Bool

    public init(entries: [BundleStructureEntry], flow: Bool = true, choice: Bool = true) {
        self.entries = entries
        self.flow = flow
        self.choice = choice
    }

    /// The entry with this id.
    public func entry(_ id: String) -> BundleStructureEntry? { entries.first { $0.id == id } }

    /// The entry after (`offset` 1) or before (-1) the one with this id, nil at either end.
    public func neighbour(of id: String, offset: Int) -> BundleStructureEntry? {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return nil }
        let target = index + offset
        return entries.indices.contains(target) ? entries[target] : nil
    }

    /// From imsmanifest.xml: every item of the default organization that references a resource
    /// with an href, depth first; `launch` = href (xml:base applied) + the item's `parameters` as
    /// the CAM joins them. Flow: the organization's `controlMode flow` when it says; a package that
    /// says nothing gets flow too (the LMS's previous/next buttons are how such packages — the
    /// golf "one file per SCO" sample among them — are meant to be walked).
    public static func scorm(_ manifest: ScormManifest) -> BundleStructure {
        var entries: [BundleStructureEntry] = []
        func walk(_ items: [ScormManifest.Item], groups: [BundleStructureEntry.Group]) {
            for item in items {
                if let ref = item.identifierRef, let resource = manifest.resources.first(where: { $0.identifier == ref }),
                    let href = resource.href
                {
                    var entry = BundleStructureEntry(
                        id: item.identifier, title: item.title ?? item.identifier,
                        launch: ScormManifest.appending(item.parameters, to: href))
                    entry.groups = groups
                    entry.scormType = resource.scormType ?? "sco"
                    entry.visible = item.isVisible
                    entry.launchData = item.dataFromLMS
                    if manifest.version == .scorm12 {
                        entry.masteryScore = item.masteryScore
                    } else {
                        entry.completionThreshold = item.completionThreshold
                        entry.objectiveIds = item.objectives.compactMap(\.id)
                        if let primary = item.objectives.first(where: \.primary), primary.satisfiedByMeasure {
                            entry.scaledPassingScore = primary.minNormalizedMeasure
                        }
                    }
                    entries.append(entry)
                }
                let group = BundleStructureEntry.Group(id: item.identifier, title: item.title ?? item.identifier)
                walk(item.children, groups: groups + [group])
            }
        }
        let organization = manifest.defaultOrganization
        walk(organization?.items ?? [], groups: [])
        return BundleStructure(entries: entries, flow: organization?.flow ?? true, choice: organization?.choice ?? true)
    }

    /// From cmi5.xml: every AU in course order, with the blocks it sits in; `launch` = the AU's url.
    public static func cmi5(_ course: Cmi5CourseStructure) -> BundleStructure {
        var entries: [BundleStructureEntry] = []
        func walk(_ nodes: [Cmi5CourseStructure.Node], groups: [BundleStructureEntry.Group]) {
            for node in nodes {
                switch node {
                case .au(let au):
                    var entry = BundleStructureEntry(id: au.id, title: au.title.preferred() ?? au.id, launch: au.url)
                    entry.groups = groups
                    entry.scaledPassingScore = au.masteryScore
                    entry.moveOn = au.moveOn.rawValue
                    entries.append(entry)
                case .block(let block):
                    walk(block.children, groups: groups + [.init(id: block.id, title: block.title.preferred() ?? block.id)])
                }
            }
        }
        walk(course.children, groups: [])
        return BundleStructure(entries: entries)
    }

    /// HTML5, video, PDF: the bundle itself.
    public static func single(_ manifest: BundleManifest) -> BundleStructure {
        BundleStructure(entries: [BundleStructureEntry(id: manifest.id, title: manifest.title.fr, launch: manifest.entry)])
    }

    /// The structure of a bundle given its manifest and a way to read one of its files (the
    /// package's imsmanifest.xml or cmi5.xml). A SCORM or cmi5 bundle whose file is missing is an
    /// error naming the file.
    public static func of(
        _ manifest: BundleManifest, file: (String) throws -> [UInt8]?
    ) throws -> BundleStructure {
        switch manifest.standard {
        case .scorm12, .scorm2004:
            guard let bytes = try file(ScormManifest.fileName) else {
                throw PackagingError.missing(file: ScormManifest.fileName, element: "file in the bundle")
            }
            let structure = scorm(try ScormManifest(parsing: bytes))
            return structure.entries.isEmpty ? single(manifest) : structure
        case .cmi5:
            guard let bytes = try file(Cmi5CourseStructure.fileName) else {
                throw PackagingError.missing(file: Cmi5CourseStructure.fileName, element: "file in the bundle")
            }
            let structure = cmi5(try Cmi5CourseStructure(parsing: bytes))
            return structure.entries.isEmpty ? single(manifest) : structure
        case .html5, .video, .pdf:
            return single(manifest)
        }
    }
}
