import CUtf8proc
#if canImport(Glibc)
import Glibc
#endif

/// CPython normalises every identifier with NFKC (PEP 3131), so
/// `ｇet_websocket_manager()` (a fullwidth g) calls `get_websocket_manager`
/// and `import a.ｂ` imports `a.b`. The scanner does the same, with Debian's
/// utf8proc rather than ICU. A file whose names are all ASCII (nearly every
/// file) never gets here: this costs nothing until such a name appears.
///
/// The file is scanned a second time from a copy whose non-ASCII names are
/// replaced by their NFKC form, and every offset the scan reports is mapped
/// back to the file's own bytes, so positions stay the file's. String
/// literals are left as they are: importlib does not normalise them.
struct NormalizedSource {
    var bytes: [UInt8] = []
    /// Each replaced name: where it starts and ends in the copy and in the file.
    private var edits: [(copyStart: Int, copyEnd: Int, start: Int, end: Int)] = []

    /// nil when no name of the file changes under NFKC.
    init?(tokens: UnsafeBufferPointer<Token>, source: UnsafeBufferPointer<UInt8>) {
        var from = 0
        for tok in tokens where tok.kind == .name {
            let s = Int(tok.start), e = Int(tok.end)
            guard source[s..<e].contains(where: { $0 >= 0x80 }),
                  let normal = NormalizedSource.nfkc(UnsafeBufferPointer(rebasing: source[s..<e])),
                  !normal.elementsEqual(source[s..<e]) else { continue }
            bytes += source[from..<s]
            let copyStart = bytes.count
            bytes += normal
            edits.append((copyStart, bytes.count, s, e))
            from = e
        }
        guard !edits.isEmpty else { return nil }
        bytes += source[from...]
    }

    /// The file's offset for an offset of the copy: a replaced name's own
    /// offsets map to its start in the file.
    func original(_ offset: Int) -> Int {
        var lo = 0, hi = edits.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if edits[mid].copyStart <= offset { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return offset }
        let e = edits[lo - 1]
        return offset < e.copyEnd ? e.start : offset - e.copyEnd + e.end
    }

    /// NFKC of UTF-8 bytes (utf8proc: compatibility decomposition, then
    /// canonical composition); nil for bytes that are not valid UTF-8.
    static func nfkc(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var out: UnsafeMutablePointer<utf8proc_uint8_t>?
        let options = utf8proc_option_t(UTF8PROC_STABLE.rawValue | UTF8PROC_COMPOSE.rawValue | UTF8PROC_COMPAT.rawValue)
        let n = utf8proc_map(s.baseAddress, utf8proc_ssize_t(s.count), &out, options)
        guard n >= 0, let out else { return nil }
        defer { free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(n)))
    }
}

/// Names as Python reads them (PEP 3131): what a config's banned and
/// canonical names are normalised with, so they match the scanner's.
public enum IdentifierNFKC {
    public static func normalize(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 >= 0x80 }) else { return s }
        var copy = s
        return copy.withUTF8 { NormalizedSource.nfkc($0) }.map { String(decoding: $0, as: UTF8.self) } ?? s
    }
}

extension ScanResult {
    /// Every offset of a scan of the normalised copy, as the file's own.
    mutating func mapOffsets(_ original: (Int) -> Int) {
        for i in imports.indices { imports[i].offset = original(imports[i].offset) }
        for i in uses.indices { uses[i].offset = original(uses[i].offset) }
        for i in warnings.indices { warnings[i].offset = original(warnings[i].offset) }
        comments = comments.map { original($0.lowerBound)..<original($0.upperBound) }
    }
}

/// For a prefilter: whether a file spells one of `words` (ASCII names, such
/// as the segments of the banned names) in other characters that NFKC folds
/// to it (`ｇet_manager`). Prose in comments and strings (`café`, `…`, any
/// script) folds to no such word, so a file holding only that is still
/// passed over without being lexed.
public struct Lookalikes: Sendable {
    private let words: Set<[UInt8]>
    /// A name folds to at most one ASCII character per 4 bytes (a mathematical
    /// letter is the widest): a longer run cannot fold to a word.
    private let maxRun: Int

    public init(words: [String]) {
        self.words = Set(words.map { Array($0.utf8) })
        maxRun = 4 * (words.map(\.utf8.count).max() ?? 0)
    }

    public func found(in b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var k = 0
        while k < n {
            if k + 8 <= n, UnsafeRawPointer(b.baseAddress! + k).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                k += 8
                continue
            }
            if b[k] < 0x80 { k += 1; continue }
            // The run of name characters around this non-ASCII byte: a would-be identifier.
            var s = k
            while s > 0 && Lookalikes.isNameByte(b[s - 1]) { s -= 1 }
            var e = k
            while e < n && Lookalikes.isNameByte(b[e]) { e += 1 }
            if e - s <= maxRun, let folded = NormalizedSource.nfkc(UnsafeBufferPointer(rebasing: b[s..<e])), words.contains(folded) {
                return true
            }
            k = e
        }
        return false
    }

    @inline(__always) static func isNameByte(_ c: UInt8) -> Bool {
        (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c >= 0x80
    }
}
