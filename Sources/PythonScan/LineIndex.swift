#if canImport(Glibc)
import Glibc
#endif

/// Turns byte offsets into 1-based lines and columns. Built only for a file
/// that has something to report, so a clean file never pays for it.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`, as CPython reads source. Columns
/// count Unicode characters (UTF-8 lead bytes): a Latin-1 file is decoded to
/// UTF-8 before it gets here.
public struct LineIndex: Sendable {
    public let lineStarts: [Int]

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var starts = [0]
        var k = 0
        let n = bytes.count
        if let base = bytes.baseAddress, memchr(base, 0x0D, n) == nil {
            // No carriage return (nearly every file): memchr from newline to newline.
            while k < n, let hit = memchr(base + k, 0x0A, n - k) {
                k = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit)) + 1
                starts.append(k)
            }
            self.lineStarts = starts
            return
        }
        while k < n {
            let c = bytes[k]
            if c == 0x0A {
                starts.append(k + 1)
            } else if c == 0x0D {
                if k + 1 < n && bytes[k + 1] == 0x0A { k += 1 }
                starts.append(k + 1)
            }
            k += 1
        }
        self.lineStarts = starts
    }

    /// The 0-based index of the line holding `offset`.
    public func lineIndex(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// 1-based line and column of `offset`.
    public func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        let line = lineIndex(of: offset)
        let start = lineStarts[line]
        var col = 1
        var k = start
        let end = min(offset, bytes.count)
        while k < end {
            if bytes[k] & 0xC0 != 0x80 { col += 1 }
            k += 1
        }
        return (line + 1, col)
    }

    /// The bytes of line `line` (1-based), without its line ending.
    public func lineRange(_ line: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
        return start..<end
    }
}

/// Facts about a source file's bytes that the lexer does not need but a
/// report does: its declared encoding and where its UTF-8 first goes wrong.
public enum SourceEncoding {
    /// What a file's PEP 263 cookie makes of its bytes, as CPython reads them.
    public enum Declared: Equatable, Sendable {
        /// No cookie, or UTF-8, ASCII or one of their aliases: read as they are.
        case utf8
        /// Latin-1 (ISO 8859-1) or an alias: every byte is one character.
        case latin1
        /// Any other encoding, as named: CPython decodes it first (UTF-7 and
        /// `unicode_escape` can hide code in what looks like a comment).
        case other(String)
    }

    /// The encoding a cookie in the first two lines declares (SPEC 2).
    public static func declared(_ b: UnsafeBufferPointer<UInt8>) -> Declared {
        guard let name = cookieName(b) else { return .utf8 }
        // Python's codec lookup ignores case and punctuation: `UTF_8`, `utf8`, `Latin-1`, `iso8859_1`.
        let key = String(name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != "." && $0 != " " })
        if ["utf8", "u8", "utf", "cp65001", "utf8sig", "utf8ucs2", "utf8ucs4",
            "ascii", "usascii", "646", "us", "ansix341968", "ansix341986", "cp367", "csascii", "ibm367",
            "iso646us", "iso646irv1991", "isoir6"].contains(key) { return .utf8 }
        if ["latin1", "iso88591", "8859", "cp819", "latin", "l1", "isoir100", "csisolatin1", "ibm819",
            "iso885911987"].contains(key) { return .latin1 }
        return .other(name)
    }

    /// Latin-1 bytes as UTF-8: each byte above 0x7F is its own character.
    public static func latin1ToUTF8(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count + b.count / 8)
        for c in b {
            if c < 0x80 { out.append(c) } else { out.append(0xC0 | (c >> 6)); out.append(0x80 | (c & 0x3F)) }
        }
        return out
    }

    /// The cookie's encoding name, from line 1 or (after a comment or blank line) line 2.
    static func cookieName(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        var k = 0, line = 0
        let n = b.count
        // A UTF-8 byte order mark before the first line.
        if n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { k = 3 }
        while line < 2 && k < n {
            let s = k
            while k < n && b[k] != 0x0A && b[k] != 0x0D { k += 1 }
            if let name = cookie(b, s, k) { return name }
            // Only a comment or blank line may precede the cookie's line.
            var t = s
            while t < k && (b[t] == 0x20 || b[t] == 0x09 || b[t] == 0x0C) { t += 1 }
            if t < k && b[t] != UInt8(ascii: "#") { return nil }
            if k < n && b[k] == 0x0D && k + 1 < n && b[k + 1] == 0x0A { k += 1 }
            k += 1
            line += 1
        }
        return nil
    }

    /// The encoding named by `coding[:=]\s*([-\w.]+)` in a comment line.
    private static func cookie(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> String? {
        var t = s
        while t < e && (b[t] == 0x20 || b[t] == 0x09 || b[t] == 0x0C) { t += 1 }
        guard t < e, b[t] == UInt8(ascii: "#") else { return nil }
        // Read in place: this runs on every file of a whole-tree scan, before the prefilter.
        // Like CPython's regex, a `coding:` with no name after it does not stop the search
        // (`# coding: # coding: utf-7` declares utf-7).
        let key: StaticString = "coding"
        var k = t + 1
        while k + 6 < e {
            var same = true
            for i in 0..<6 where b[k + i] != key.utf8Start[i] { same = false; break }
            if same && (b[k + 6] == UInt8(ascii: ":") || b[k + 6] == UInt8(ascii: "=")) {
                var v = k + 7
                while v < e && (b[v] == 0x20 || b[v] == 0x09) { v += 1 }
                let vs = v
                while v < e, b[v] == UInt8(ascii: "-") || b[v] == UInt8(ascii: "_") || b[v] == UInt8(ascii: ".")
                    || (b[v] | 0x20 >= 0x61 && b[v] | 0x20 <= 0x7A) || (b[v] >= 0x30 && b[v] <= 0x39) { v += 1 }
                if v > vs { return String(decoding: UnsafeBufferPointer(rebasing: b[vs..<v]), as: UTF8.self) }
            }
            k += 1
        }
        return nil
    }

    /// Whether any byte is above 0x7F, eight at a time: nearly every file has
    /// none, and then no name of it needs NFKC.
    public static func hasNonASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        var k = 0
        while k + 8 <= n {
            if UnsafeRawPointer(b.baseAddress! + k).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return true }
            k += 8
        }
        while k < n {
            if b[k] >= 0x80 { return true }
            k += 1
        }
        return false
    }

    /// The offset of the first byte that is not valid UTF-8, or nil.
    public static func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = b.count
        var k = 0
        while k < n {
            // Eight ASCII bytes at a time.
            if k + 8 <= n {
                let word = UnsafeRawPointer(b.baseAddress! + k).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { k += 8; continue }
            }
            let c = b[k]
            if c < 0x80 { k += 1; continue }
            let need: Int
            var minScalar: UInt32
            var scalar: UInt32
            switch c {
            case 0xC2...0xDF: need = 1; minScalar = 0x80; scalar = UInt32(c & 0x1F)
            case 0xE0...0xEF: need = 2; minScalar = 0x800; scalar = UInt32(c & 0x0F)
            case 0xF0...0xF4: need = 3; minScalar = 0x10000; scalar = UInt32(c & 0x07)
            default: return k
            }
            guard k + need < n else { return k }
            for t in 1...need {
                let d = b[k + t]
                guard d & 0xC0 == 0x80 else { return k }
                scalar = scalar << 6 | UInt32(d & 0x3F)
            }
            if scalar < minScalar || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) { return k }
            k += need + 1
        }
        return nil
    }
}
