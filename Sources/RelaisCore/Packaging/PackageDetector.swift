/// Decides from a package's file list which standard it follows and where its root is.
///
/// A package is a zipped bundle folder (bundle.json), SCORM (imsmanifest.xml), cmi5 (cmi5.xml) or
/// HTML5 (index.html), at the root of the zip or inside a single top-level folder (a package zipped
/// with its folder), which then becomes the bundle root. A package with both cmi5.xml and imsmanifest.xml is taken as cmi5:
/// dual packages ship the SCORM manifest for older LMSs.
public enum PackageDetector {
    /// What a package is.
    public enum Kind: Sendable, Equatable { case bundle, scorm, cmi5, html5 }

    /// The verdict on a file list.
    public struct Detection: Sendable, Equatable {
        /// The standard the package follows.
        public var kind: Kind
        /// The folder every file is under, removed from bundle paths ("" at the zip root).
        public var root: String
        /// bundle.json, imsmanifest.xml, cmi5.xml or index.html, as named in the archive (root included).
        public var manifest: BundlePath

        /// A path of the archive made relative to the package root; nil when outside it.
        public func bundlePath(_ path: BundlePath) -> BundlePath? {
            guard !root.isEmpty else { return path }
            guard path.value.hasPrefix(root + "/") else { return nil }
            return try? BundlePath(String(path.value.dropFirst(root.count + 1)))
        }
    }

    /// Whether a path is operating-system litter that packing skips (and reports): `.DS_Store`
    /// files and `__MACOSX` folders, which macOS adds to zips and which no content refers to.
    public static func isLitter(_ path: BundlePath) -> Bool {
        path.segments.contains { $0 == "__MACOSX" } || path.segments.last == ".DS_Store"
    }

    /// Detects the package from its files (folders may be omitted); throws listing the top level
    /// when no standard is recognised.
    public static func detect(files: [BundlePath]) throws(PackagingError) -> Detection {
        let kept = files.filter { !isLitter($0) }
        let root = commonFolder(kept)
        let prefix = root.isEmpty ? "" : root + "/"
        var byLowercasedName: [String: BundlePath] = [:]
        for path in kept where path.value.hasPrefix(prefix) {
            let name = String(path.value.dropFirst(prefix.count))
            // Names match case-insensitively: some tools write IMSManifest.xml or Index.html.
            if !name.contains("/") { byLowercasedName[name.lowercased()] = byLowercasedName[name.lowercased()] ?? path }
        }
        let candidates: [(String, Kind)] = [
            (BundleManifest.fileName.lowercased(), .bundle), (Cmi5CourseStructure.fileName, .cmi5), (ScormManifest.fileName, .scorm),
            ("index.html", .html5), ("index.htm", .html5),
        ]
        for (name, kind) in candidates {
            if let manifest = byLowercasedName[name] { return Detection(kind: kind, root: root, manifest: manifest) }
        }
        let topLevel = Set(kept.map { String($0.segments[0]) }).sorted()
        throw .notAPackage(topLevel: topLevel)
    }

    /// The single top-level folder holding every file, or "" when files sit at the root or in
    /// several folders.
    static func commonFolder(_ files: [BundlePath]) -> String {
        var folder: Substring?
        for path in files {
            let segments = path.segments
            guard segments.count > 1 else { return "" }
            if let known = folder, known != segments[0] { return "" }
            folder = segments[0]
        }
        return folder.map(String.init) ?? ""
    }
}
