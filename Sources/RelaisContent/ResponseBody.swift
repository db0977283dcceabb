import NIOCore

/// The body of a file response as an ordered list of pieces: framing bytes and spans of the file.
///
/// The same list is carried out two ways: from a cached `ByteBuffer` (slices, no copy) or from an
/// open file (FileRegions, handed to sendfile one chunk at a time), so ranges and multipart work
/// identically for small and large files.
struct ResponseBody {
    /// One piece of the body.
    enum Piece: Equatable {
        /// Bytes produced by the origin (multipart delimiters and part headers).
        case bytes(ByteBuffer)
        /// A span of the file.
        case span(offset: Int64, length: Int64)
    }

    /// The pieces, in order.
    private(set) var pieces: [Piece]

    /// The body that `plan` asks for, for a file of `size` bytes.
    init(plan: ContentResponsePlan, size: Int64, multipart: MultipartLayout?) {
        switch plan.kind {
        case .full:
            pieces = [.span(offset: 0, length: size)]
        case .partial(let range):
            pieces = [.span(offset: range.first, length: range.length)]
        case .multipart:
            guard let multipart else {
                pieces = []
                return
            }
            pieces = []
            pieces.reserveCapacity(multipart.ranges.count * 2 + 1)
            for (head, range) in zip(multipart.partHeads, multipart.ranges) {
                pieces.append(.bytes(head))
                pieces.append(.span(offset: range.first, length: range.length))
            }
            pieces.append(.bytes(multipart.closing))
        case .notModified, .preconditionFailed, .rangeNotSatisfiable:
            pieces = []
        }
    }

    /// Bytes the body sends in all (framing and file spans).
    var length: Int64 {
        pieces.reduce(Int64(0)) { total, piece in
            switch piece {
            case .bytes(let buffer): return total + Int64(buffer.readableBytes)
            case .span(_, let length): return total + length
            }
        }
    }

    /// The pieces as slices of the file's bytes, held in memory.
    func slices(of bytes: ByteBuffer) -> [IOData] {
        pieces.map { piece in
            switch piece {
            case .bytes(let buffer):
                return .byteBuffer(buffer)
            case .span(let offset, let length):
                let slice = bytes.getSlice(at: bytes.readerIndex + Int(offset), length: Int(length))
                return .byteBuffer(slice ?? ByteBuffer())
            }
        }
    }
}

/// The progress through a `ResponseBody` streamed from an open file.
///
/// Holds the file handle until the last piece is handed to the channel; the handler closes it
/// when that write completes (or at once if the connection goes away first).
struct FileBodyStream {
    /// The open blob; the stream does not close it.
    let handle: NIOFileHandle
    private var pieces: [ResponseBody.Piece]
    private var index = 0
    private var offsetInPiece: Int64 = 0
    private let chunkSize: Int64

    /// A stream over `body` reading spans from `handle`, at most `chunkSize` bytes per write.
    init(handle: NIOFileHandle, head: ByteBuffer, body: ResponseBody, chunkSize: Int) {
        self.handle = handle
        self.pieces = [.bytes(head)] + body.pieces
        self.chunkSize = Int64(chunkSize)
    }

    /// The next piece to write and whether it is the last one; nil when everything was handed out.
    mutating func next() -> (data: IOData, isLast: Bool)? {
        guard index < pieces.count else { return nil }
        switch pieces[index] {
        case .bytes(let buffer):
            index += 1
            return (.byteBuffer(buffer), index == pieces.count)
        case .span(let offset, let length):
            let start = offset + offsetInPiece
            let count = min(chunkSize, length - offsetInPiece)
            offsetInPiece += count
            if offsetInPiece == length {
                index += 1
                offsetInPiece = 0
            }
            let region = FileRegion(fileHandle: handle, readerIndex: Int(start), endIndex: Int(start + count))
            return (.fileRegion(region), index == pieces.count)
        }
    }
}
