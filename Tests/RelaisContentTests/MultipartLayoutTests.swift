import NIOCore
import Testing

@testable import RelaisContent

@Suite struct MultipartLayoutTests {
    @Test func framesEachPartAndCountsTheExactLength() {
        let ranges = [ByteRange(first: 0, last: 4), ByteRange(first: 10, last: 12)]
        let layout = MultipartLayout(ranges: ranges, size: 20, contentType: "text/plain; charset=utf-8", boundary: "XYZ")
        let content = Array("abcdefghijklmnopqrst".utf8)
        let body = ResponseBody(plan: .init(kind: .multipart(ranges), sendsBody: true), size: 20, multipart: layout)
        var assembled: [UInt8] = []
        for case .byteBuffer(let piece) in body.slices(of: ByteBuffer(bytes: content)) { assembled += piece.readableBytesView }
        let expected = "--XYZ\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-4/20\r\n\r\nabcde"
            + "\r\n--XYZ\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 10-12/20\r\n\r\nklm"
            + "\r\n--XYZ--\r\n"
        #expect(String(decoding: assembled, as: UTF8.self) == expected)
        #expect(layout.contentLength == Int64(expected.utf8.count))
        #expect(layout.contentType == "multipart/byteranges; boundary=XYZ")
    }

    @Test func boundariesAreRandomAndWellFormed() {
        let a = MultipartLayout.randomBoundary()
        let b = MultipartLayout.randomBoundary()
        #expect(a != b)
        #expect(a.hasPrefix("relais-"))
        #expect(a.utf8.count == 31)
        #expect(a.dropFirst(7).allSatisfy { $0.isHexDigit })
    }

    @Test func writesDecimalsWithoutStrings() {
        var buffer = ByteBuffer()
        for value: Int64 in [0, 7, 10, 4096, 10_485_760, .max] {
            buffer.clear()
            buffer.writeDecimal(value)
            #expect(String(buffer: buffer) == String(value))
        }
    }

    @Test func streamsLargeSpansInChunks() throws {
        let plan = ContentResponsePlan(kind: .partial(ByteRange(first: 10, last: 2509)), sendsBody: true)
        let body = ResponseBody(plan: plan, size: 5000, multipart: nil)
        let handle = try NIOFileHandle(_deprecatedPath: "/dev/null")
        defer { try? handle.close() }
        var stream = FileBodyStream(handle: handle, head: ByteBuffer(string: "HEAD"), body: body, chunkSize: 1000)
        var spans: [(Int, Int, Bool)] = []
        var sawHead = false
        while let (data, isLast) = stream.next() {
            switch data {
            case .byteBuffer(let buffer): sawHead = String(buffer: buffer) == "HEAD" && !isLast
            case .fileRegion(let region): spans.append((region.readerIndex, region.endIndex, isLast))
            }
        }
        #expect(sawHead)
        #expect(spans.map(\.0) == [10, 1010, 2010])
        #expect(spans.map(\.1) == [1010, 2010, 2510])
        #expect(spans.map(\.2) == [false, false, true])
    }
}
