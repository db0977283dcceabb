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
