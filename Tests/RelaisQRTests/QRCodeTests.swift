import Foundation
import Testing

@testable import RelaisQR

@Suite struct QRCodeTests {
    @Test func aShortCodeIsAVersionOneSymbolWithItsThreeFinderPatterns() throws {
        let matrix = try QRCode.matrix("HQ4-9ZT")
        #expect(matrix.count == 21 && matrix.allSatisfy { $0.count == 21 }, "7 alphanumeric characters fit version 1 (21×21) at level M")
        // A finder pattern: a dark 7×7 ring, a light ring, a dark 3×3 centre; top-left, top-right, bottom-left.
        for (top, left) in [(0, 0), (0, 14), (14, 0)] {
            for y in 0..<7 {
                for x in 0..<7 {
                    let ring = y == 0 || y == 6 || x == 0 || x == 6
                    let centre = (2...4).contains(y) && (2...4).contains(x)
                    #expect(matrix[top + y][left + x] == (ring || centre), "finder at \(top),\(left): module \(y),\(x)")
                }
            }
        }
    }

    @Test func theSVGIsOneAccessibleBlackPathOnWhiteWithIntegerCoordinates() throws {
        let svg = try QRCode.svg("HQ4-9ZT", title: "Code de la séance : HQ4-9ZT")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""))
        #expect(svg.contains("<title>Code de la séance : HQ4-9ZT</title>"))
        // (21 modules + 2 × 4 of quiet zone) × 8 units.
        #expect(svg.contains("viewBox=\"0 0 232 232\" width=\"232\" height=\"232\""))
        #expect(svg.contains("<rect width=\"232\" height=\"232\" fill=\"#ffffff\"/>"))
        #expect(svg.components(separatedBy: "<path").count == 2, "one path holds every dark module")
        let d = try #require(svg.firstMatch(of: /<path fill="#000000" d="([^"]*)"\/>/)).output.1
        #expect(d.allSatisfy { $0.isNumber || "Mhvz- ".contains($0) }, "integers only: \(d.prefix(80))")
        #expect(d.hasPrefix("M32 32h56v8h-56z"), "the top-left finder's first row starts after the quiet zone, 7 modules wide")
        #expect(!svg.contains("href"), "nothing linked or fetched")
    }

    @Test func theTitleIsEscaped() throws {
        let svg = try QRCode.svg("x", title: "<script>alert('1')</script> & \"co\"")
        #expect(svg.contains("<title>&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; &amp; &quot;co&quot;</title>"))
        #expect(!svg.contains("<script>"))
    }

    @Test func refusesWhatNoQRCodeCanCarry() {
        #expect(throws: QRCode.Failure.empty) { try QRCode.svg("", title: "t") }
        #expect(throws: QRCode.Failure.containsNul) { try QRCode.svg("a\u{0}b", title: "t") }
        #expect(throws: QRCode.Failure.tooLong(bytes: 3_000)) { try QRCode.svg(String(repeating: "é", count: 1_500), title: "t") }
        #expect(throws: QRCode.Failure.invalidGeometry) { try QRCode.svg("a", moduleSize: 0, title: "t") }
    }

    /// Read back with real tools: the SVG rasterised by librsvg (`rsvg-convert`), decoded by ZBar
    /// (`zbarimg`). scripts/test installs both (Debian: librsvg2-bin, zbar-tools).
    @Test(arguments: ["HQ4-9ZT", "http://relais.local:8080/s/HQ4-9ZT", "K7M-4PX", "Séance : fractions, CM2 B"])
    func aPhoneReadsBackWhatWasEncoded(_ text: String) throws {
        let rsvg = try #require(Tool.find("rsvg-convert"), "rsvg-convert is missing: apt-get install librsvg2-bin (scripts/test does)")
        let zbar = try #require(Tool.find("zbarimg"), "zbarimg is missing: apt-get install zbar-tools (scripts/test does)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("relais-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let svgFile = folder.appendingPathComponent("code.svg")
        let pngFile = folder.appendingPathComponent("code.png")
        try QRCode.svg(text, moduleSize: 6, title: text).write(to: svgFile, atomically: true, encoding: .utf8)
        let converted = try Tool.run(rsvg, ["--background-color=white", "-o", pngFile.path, svgFile.path])
        #expect(converted.status == 0, "rsvg-convert: \(converted.output)")
        let decoded = try Tool.run(zbar, ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", pngFile.path])
        #expect(decoded.status == 0, "zbarimg found no QR code: \(decoded.output)")
        #expect(decoded.output.trimmingCharacters(in: .newlines) == text)
    }
}

enum Tool {
    static func find(_ name: String) -> String? {
        for folder in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        return nil
    }

    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        // Standard output only: zbarimg writes notices (a missing D-Bus) on standard error.
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
