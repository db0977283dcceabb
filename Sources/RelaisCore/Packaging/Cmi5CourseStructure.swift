import Foundation

/// A cmi5 package's `cmi5.xml` (course structure, cmi5 spec section 13): the course, its objectives,
/// and the blocks and assignable units (AUs) the launch code needs.
public struct Cmi5CourseStructure: Sendable, Equatable {
    /// The course structure file name, at the package root.
    public static let fileName = "cmi5.xml"

    /// The course itself.
    public var course: Course
    /// Course-level `<objectives>`, referred to by blocks and AUs.
    public var objectives: [Objective]
    /// Top-level blocks and AUs, in document order.
    public var children: [Node]

    /// The `<course>`: its IRI and texts.
    public struct Course: Sendable, Equatable {
        /// The course IRI, e.g. "https://w3id.org/xapi/cmi5/catapult/lts/course/…".
        public var id: String
        /// `<title>` langstrings.
        public var title: LangStrings
        /// `<description>` langstrings.
        public var description: LangStrings
    }

    /// One `<objective>`.
    public struct Objective: Sendable, Equatable {
        /// The objective IRI, referred to by `idref`.
        public var id: String
        /// `<title>` langstrings.
        public var title: LangStrings
        /// `<description>` langstrings.
        public var description: LangStrings
    }

    /// A `<block>`: a titled group of AUs and blocks.
    public struct Block: Sendable, Equatable {
        /// The block IRI.
        public var id: String
        /// `<title>` langstrings.
        public var title: LangStrings
        /// `<description>` langstrings.
        public var description: LangStrings
        /// `idref`s of the course objectives this block covers.
        public var objectives: [String]
        /// The blocks and AUs inside, in document order.
        public var children: [Node]
    }

    /// An `<au>`: one launchable unit.
    public struct AU: Sendable, Equatable {
        /// The AU IRI: the xAPI activity id of its statements.
        public var id: String
        /// `<title>` langstrings.
        public var title: LangStrings
        /// `<description>` langstrings.
        public var description: LangStrings
        /// The launch URL as written: relative to the package root, or absolute (hosted elsewhere).
        public var url: String
        /// What satisfies the AU (default NotApplicable).
        public var moveOn: MoveOn
        /// Score (0…1) at or above which the AU is passed; nil when the LMS should not send one.
        public var masteryScore: Double?
        /// Own window or any (default AnyWindow).
        public var launchMethod: LaunchMethod
        /// The xAPI activity type of the AU, if given.
        public var activityType: String?
        /// `<launchParameters>`, handed to the AU in the LMS.LaunchData state.
        public var launchParameters: String?
        /// `<entitlementKey>`, handed to the AU in the LMS.LaunchData state.
        public var entitlementKey: String?
        /// `idref`s of the course objectives this AU covers.
        public var objectives: [String]
    }

    /// A block or an AU, in the order the course lists them.
    public indirect enum Node: Sendable, Equatable {
        case block(Block)
        case au(AU)
    }

    /// When the LMS may consider an AU satisfied (cmi5 `moveOn`).
    public enum MoveOn: String, Sendable, CaseIterable {
        case passed = "Passed", completed = "Completed", completedAndPassed = "CompletedAndPassed"
        case completedOrPassed = "CompletedOrPassed", notApplicable = "NotApplicable"
    }

    /// Whether the AU opens in its own window or in any the LMS chooses (cmi5 `launchMethod`).
    public enum LaunchMethod: String, Sendable, CaseIterable {
        case anyWindow = "AnyWindow", ownWindow = "OwnWindow"
    }

    /// Parses the bytes of cmi5.xml.
    public init(parsing bytes: [UInt8]) throws(PackagingError) {
        let root = try XMLTree(parsing: bytes, file: Self.fileName).root
        guard root.name == "courseStructure" else { throw Self.missing("<courseStructure> document element") }
        guard let course = root.child("course") else { throw Self.missing("<course>") }
        guard let id = course.attribute("id")?.nilIfEmpty else { throw Self.missing("id attribute on <course>") }
        self.course = Course(id: id, title: LangStrings(course.child("title")), description: LangStrings(course.child("description")))
        objectives = try (root.child("objectives")?.children("objective") ?? []).map { element throws(PackagingError) in
            guard let id = element.attribute("id")?.nilIfEmpty else { throw Self.missing("id attribute on <objective>") }
            return Objective(id: id, title: LangStrings(element.child("title")), description: LangStrings(element.child("description")))
        }
        children = try Self.nodes(in: root)
    }

    /// Every AU, blocks flattened, in document order (the first one is what a bundle opens).
    public var assignableUnits: [AU] {
        func flatten(_ nodes: [Node]) -> [AU] {
            nodes.flatMap { node -> [AU] in
                switch node {
                case .au(let au): return [au]
                case .block(let block): return flatten(block.children)
                }
            }
        }
        return flatten(children)
    }

    static func nodes(in parent: XMLTree.Element) throws(PackagingError) -> [Node] {
        var nodes: [Node] = []
        for element in parent.children {
            switch element.name {
            case "au": nodes.append(.au(try au(element)))
            case "block": nodes.append(.block(try block(element)))
            default: continue
            }
        }
        return nodes
    }

    static func block(_ element: XMLTree.Element) throws(PackagingError) -> Block {
        guard let id = element.attribute("id")?.nilIfEmpty else { throw missing("id attribute on <block>") }
        return Block(
            id: id, title: LangStrings(element.child("title")), description: LangStrings(element.child("description")),
            objectives: objectiveRefs(element), children: try nodes(in: element))
    }

    static func au(_ element: XMLTree.Element) throws(PackagingError) -> AU {
        guard let id = element.attribute("id")?.nilIfEmpty else { throw missing("id attribute on <au>") }
        guard let url = element.child("url")?.trimmedText.nilIfEmpty else { throw missing("<url> in AU « \(id) »") }
        let moveOnText = element.attribute("moveOn") ?? MoveOn.notApplicable.rawValue
        guard let moveOn = MoveOn(rawValue: moveOnText) else { throw invalid("moveOn of AU « \(id) »", moveOnText) }
        let methodText = element.attribute("launchMethod") ?? LaunchMethod.anyWindow.rawValue
        guard let launchMethod = LaunchMethod(rawValue: methodText) else { throw invalid("launchMethod of AU « \(id) »", methodText) }
        var masteryScore: Double?
        if let text = element.attribute("masteryScore") {
            guard let score = Double(text.trimmingCharacters(in: .whitespaces)), (0...1).contains(score) else {
                throw invalid("masteryScore of AU « \(id) »", text)
            }
            masteryScore = score
        }
        return AU(
            id: id, title: LangStrings(element.child("title")), description: LangStrings(element.child("description")),
            url: url, moveOn: moveOn, masteryScore: masteryScore, launchMethod: launchMethod,
            activityType: element.attribute("activityType")?.nilIfEmpty,
            launchParameters: element.child("launchParameters")?.trimmedText.nilIfEmpty,
            entitlementKey: element.child("entitlementKey")?.trimmedText.nilIfEmpty,
            objectives: objectiveRefs(element))
    }

    static func objectiveRefs(_ element: XMLTree.Element) -> [String] {
        element.child("objectives")?.children("objective").compactMap { $0.attribute("idref") } ?? []
    }

    static func missing(_ what: String) -> PackagingError { .missing(file: fileName, element: what) }
    static func invalid(_ what: String, _ value: String) -> PackagingError {
        .invalidValue(file: fileName, element: what, value: value)
    }
}
