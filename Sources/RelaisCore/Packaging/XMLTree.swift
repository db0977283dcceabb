import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A package manifest (imsmanifest.xml, cmi5.xml) parsed into a small tree of elements: these files
/// are a few kilobytes, and a tree keeps the SCORM and cmi5 readers plain functions.
public struct XMLTree: Sendable, Equatable {
    /// The document element.
    public var root: Element

    /// One element: its names, attributes, child elements and the text directly inside it.
    public struct Element: Sendable, Equatable {
        /// The name without its namespace prefix ("sequencing" for "imsss:sequencing").
        public var name: String
        /// The name as written, prefix included ("imsss:sequencing").
        public var qualifiedName: String
        /// Attributes as written, prefixes included ("xml:base", "adlcp:scormtype", "xmlns:adlcp").
        public var attributes: [String: String]
        /// Child elements, in document order.
        public var children: [Element]
        /// The character data directly inside the element, untrimmed.
        public var text: String

        /// The first child element with this local name.
        public func child(_ name: String) -> Element? { children.first { $0.name == name } }

        /// The child elements with this local name, in document order.
        public func children(_ name: String) -> [Element] { children.filter { $0.name == name } }

        /// An attribute by its local name, case-insensitively: SCORM 1.2 writes `adlcp:scormtype`
        /// where SCORM 2004 writes `adlcp:scormType`.
        public func attribute(_ name: String) -> String? {
            if let exact = attributes[name] { return exact }
            let wanted = name.lowercased()
            return attributes.first { key, _ in
                (key.split(separator: ":").last.map { $0.lowercased() } ?? "") == wanted && !key.hasPrefix("xmlns")
            }?.value
        }

        /// The text with surrounding white space removed and inner runs collapsed to one space.
        public var trimmedText: String {
            text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
    }

    /// Parses the bytes; throws naming `file` when they are not well-formed XML.
    public init(parsing bytes: [UInt8], file: String) throws(PackagingError) {
        // Foundation's XMLParser traps (a force unwrap in its libxml2 callbacks) on an element or
        // attribute name that is not UTF-8, which libxml2 passes through when the document does
        // not declare another encoding: found by fuzzing (Tests/Fuzz/*/regressions). Such bytes
        // are refused here; a document in UTF-16 or declaring e.g. ISO-8859-1 is converted by
        // libxml2 and reaches the callbacks as valid UTF-8.
        guard String(validating: bytes, as: UTF8.self) != nil || Self.declaresOtherEncoding(bytes) else {
            throw .invalidXML(file: file, reason: "not valid UTF-8 and no other encoding declared; save it as UTF-8")
        }
        // Foundation's XMLParser also calls strlen on a processing instruction's data, which
        // libxml2 leaves NULL for `<?name?>`: a segmentation fault (found by fuzzing too).
        guard !Self.hasProcessingInstructionWithoutData(bytes) else {
            throw .invalidXML(file: file, reason: "a processing instruction without data (<?name?>); remove it")
        }
        let parser = XMLParser(data: Data(bytes))
        // Never fetch a DTD or entity from the network or the disk.
        parser.shouldResolveExternalEntities = false
        let builder = TreeBuilder()
        parser.delegate = builder
        guard parser.parse(), !builder.tooDeep, let root = builder.stack.first?.children.first else {
            let reason = builder.tooDeep ? "nested deeper than \(TreeBuilder.maxDepth) elements"
                : parser.parserError.map { "\($0.localizedDescription), line \(parser.lineNumber)" } ?? "no document element"
            throw .invalidXML(file: file, reason: reason)
        }
        self.root = root
    }

    /// Whether `<?` and a name are followed by nothing but white space before `?>` (anywhere, even
    /// in a comment: refusing such a rare file is cheaper than parsing XML twice).
    static func hasProcessingInstructionWithoutData(_ bytes: [UInt8]) -> Bool {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == UInt8(ascii: "<"), bytes[i + 1] == UInt8(ascii: "?") else { i += 1; continue }
            var j = i + 2
            while j < bytes.count, !isSpace(bytes[j]), bytes[j] != UInt8(ascii: "?") { j += 1 }
            while j < bytes.count, isSpace(bytes[j]) { j += 1 }
            if j + 1 < bytes.count, bytes[j] == UInt8(ascii: "?"), bytes[j + 1] == UInt8(ascii: ">") { return true }
            i += 2  // not past the name: it may hold the next `<?` (`<?<a<?x?>`)
        }
        return false
    }

    /// Whether libxml2 converts the document to UTF-8 before the callbacks see it: a UTF-16 byte
    /// order mark, or a well-formed XML declaration naming a single-byte encoding it converts
    /// (ISO-8859-x, windows-125x). Anything else, including an unknown, misspelled or
    /// malformed declaration or one behind a UTF-8 byte order mark, is read as UTF-8 unchecked.
    static func declaresOtherEncoding(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) { return true }
        let head = String(decoding: bytes.prefix(256), as: UTF8.self)
        let declaration = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.[0-9]"|'1\.[0-9]')[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"([A-Za-z0-9_.\-]+)"|'([A-Za-z0-9_.\-]+)')/
        guard let match = head.prefixMatch(of: declaration), let name = match.1 ?? match.2 else { return false }
        let lowercased = name.lowercased()
        return (lowercased.hasPrefix("iso-8859-") && Int(lowercased.dropFirst(9)).map { (1...16).contains($0) } == true)
            || ["latin1", "iso-latin-1"].contains(lowercased)
            || (lowercased.hasPrefix("windows-125") && lowercased.count == 12 && lowercased.last?.isNumber == true)
    }
}

/// Collects XMLParser events into elements.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    /// Real manifests nest a dozen levels; a deeper one is an attack on the parser.
    static let maxDepth = 256

    var stack = [XMLTree.Element(name: "#document", qualifiedName: "#document", attributes: [:], children: [], text: "")]
    var tooDeep = false

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        guard stack.count <= Self.maxDepth else {
            tooDeep = true
            parser.abortParsing()
            return
        }
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append(.init(name: local, qualifiedName: elementName, attributes: attributeDict, children: [], text: ""))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard stack.count > 1 else { return }
        let element = stack.removeLast()
        stack[stack.count - 1].children.append(element)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }
}
