import NIOCore

extension ByteBuffer {
    /// Writes a non-negative integer in decimal without going through a `String`.
    ///
    /// Content-Length and Content-Range are written on every response; formatting them into a
    /// String first would allocate on the hot path.
    @discardableResult
    mutating func writeDecimal(_ value: Int64) -> Int {
        precondition(value >= 0, "only lengths and offsets are written")
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &digits) { scratch in
            var remaining = value
            var start = scratch.count
            repeat {
                start -= 1
                scratch[start] = UInt8(truncatingIfNeeded: remaining % 10) &+ 0x30
                remaining /= 10
            } while remaining > 0
            return writeBytes(UnsafeRawBufferPointer(rebasing: scratch[start...]))
        }
    }
}
