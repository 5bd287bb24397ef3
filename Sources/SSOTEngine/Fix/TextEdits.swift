/// Byte-range replacements on one file. Edits may not overlap; insertions
/// at one offset keep the order they were made in.
public struct TextEdit: Equatable, Sendable {
    public var range: Range<Int>
    public var text: [UInt8]

    public init(_ range: Range<Int>, _ text: String) {
        self.range = range
        self.text = Array(text.utf8)
    }

    public init(_ range: Range<Int>, bytes: [UInt8]) {
        self.range = range
        self.text = bytes
    }

    /// The file with the edits made, or nil when two of them overlap.
    public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) -> [UInt8]? {
        // At one offset, insertions come before a replacement that starts there.
        let sorted = edits.enumerated().sorted { a, b in
            let ra = a.element.range, rb = b.element.range
            if ra.lowerBound != rb.lowerBound { return ra.lowerBound < rb.lowerBound }
            if ra.isEmpty != rb.isEmpty { return ra.isEmpty }
            return a.offset < b.offset
        }.map(\.element)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + sorted.reduce(0) { $0 + $1.text.count })
        var at = 0
        for e in sorted {
            guard e.range.lowerBound >= at, e.range.upperBound <= bytes.count else { return nil }
            out += bytes[at..<e.range.lowerBound]
            out += e.text
            at = e.range.upperBound
        }
        out += bytes[at...]
        return out
    }
}
