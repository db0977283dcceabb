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

    /// Whether the document is UTF-16 (a byte order mark, or `<` as a 16-bit unit) or its XML
    /// declaration names a legacy encoding (ISO-8859-1, windows-1252…) that libxml2 converts.
    static func declaresOtherEncoding(_ bytes: [UInt8]) -> Bool {
        for mark: [UInt8] in [[0xFE, 0xFF], [0xFF, 0xFE], [0x00, 0x3C], [0x3C, 0x00]] where bytes.starts(with: mark) {
            return true
        }
        guard bytes.starts(with: Array("<?xml".utf8)) else { return false }
        let head = bytes.prefix(256)
        guard let close = head.firstIndex(of: UInt8(ascii: ">")) else { return false }
        let declaration = String(decoding: head[..<close], as: UTF8.self)
        guard let at = declaration.range(of: "encoding") else { return false }
        let name = declaration[at.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
            .prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
        // A declared UTF-16 or UCS without the 16-bit bytes to match is read as UTF-8 by libxml2.
        let lowercased = name.lowercased()
        return !name.isEmpty && !lowercased.hasPrefix("utf") && !lowercased.hasPrefix("ucs")
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
