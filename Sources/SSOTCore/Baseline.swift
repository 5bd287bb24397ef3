import CPathKey
import PythonScan
#if canImport(Glibc)
import Glibc
#endif

/// What the baseline counts: one kind of violation in one file. Line numbers
/// are not part of it, so a finding that moves stays allowed.
public struct BaselineKey: Hashable, Sendable, Comparable {
    public var path: String
    public var rule: String
    public var fingerprint: String

    public init(path: String, rule: String, fingerprint: String) {
        self.path = path
        self.rule = rule
        self.fingerprint = fingerprint
    }

    /// Bytewise by path, then rule, then fingerprint (SPEC section 3).
    public static func < (a: BaselineKey, b: BaselineKey) -> Bool {
        if a.path != b.path { return Bytewise.less(a.path, b.path) }
        if a.rule != b.rule { return Bytewise.less(a.rule, b.rule) }
        return Bytewise.less(a.fingerprint, b.fingerprint)
    }
}

/// A baseline that cannot be read. ssot stops (exit 2) and writes nothing over it.
public struct BaselineError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { "\(file):\(line): \(message)" }
}

/// The ratchet file (SPEC section 3): known violations that may remain, as
/// counts. Written sorted and without timestamps, so it merges cleanly.
public struct Baseline: Equatable, Sendable {
    public private(set) var counts: [BaselineKey: Int]
    /// The keys of each path: the gate looks at a change's few files only.
    public private(set) var keysByPath: [String: [BaselineKey]]
    /// Holds only the entries of some paths (see `parse(_:file:paths:)`):
    /// enough to judge a change, not to be written back.
    public private(set) var isPartial = false

    public static func == (a: Baseline, b: Baseline) -> Bool { a.counts == b.counts }

    public init(counts: [BaselineKey: Int] = [:]) {
        self.counts = counts.filter { $0.value > 0 }
        self.keysByPath = Baseline.index(self.counts)
    }

    public init(findings: [Finding]) {
        var counts: [BaselineKey: Int] = [:]
        for f in findings { counts[f.key, default: 0] += 1 }
        self.counts = counts
        self.keysByPath = Baseline.index(counts)
    }

    private static func index(_ counts: [BaselineKey: Int]) -> [String: [BaselineKey]] {
        var byPath: [String: [BaselineKey]] = [:]
        for key in counts.keys { byPath[key.path, default: []].append(key) }
        return byPath
    }

    /// The entries of `path`.
    public func entries(of path: String) -> [(key: BaselineKey, count: Int)] {
        (keysByPath[path] ?? []).map { ($0, counts[$0]!) }
    }

    public static let header = "# ssot baseline: known violations that may remain. Entries may only be removed."

    public func allowed(_ key: BaselineKey) -> Int { counts[key] ?? 0 }

    public var isEmpty: Bool { counts.isEmpty }

    /// Parses any order, `#` comments and blank lines; CRLF is accepted.
    /// It works on bytes: a monorepo's baseline has thousands of lines, and
    /// the pre-commit gate reads it on every commit.
    ///
    /// With `paths`, only the lines of those paths are read and checked (see
    /// `entries(of:in:file:)`); without, every line is.
    public static func parse(_ bytes: [UInt8], file: String, paths: Set<String>? = nil) throws -> Baseline {
        try bytes.withUnsafeBufferPointer { try parse($0, file: file, paths: paths) }
    }

    public static func parse(_ b: UnsafeBufferPointer<UInt8>, file: String, paths: Set<String>? = nil) throws -> Baseline {
        if let paths { return try entries(of: paths, in: b, file: file) }
        if let bad = SourceEncoding.firstInvalidUTF8(b) {
            throw BaselineError(file: file, line: lineNumber(b, at: bad), message: "not UTF-8 text")
        }
        var counts: [BaselineKey: Int] = [:]
        counts.reserveCapacity(b.count / 80)
        var byPath: [String: [BaselineKey]] = [:]
        var cache = LineCache()
        var samePath: [BaselineKey] = []
        try forEachEntryLine(b) { start, stop, number in
            guard let (key, count) = try entry(b, start, stop, file: file, line: number, cache: &cache, paths: nil) else {
                return
            }
            if let last = samePath.last, last.path != key.path {
                byPath[last.path, default: []] += samePath
                samePath.removeAll(keepingCapacity: true)
            }
            samePath.append(key)
            if counts.updateValue(count, forKey: key) != nil { throw try duplicate(key, line: number, b, file) }
        }
        if let last = samePath.last { byPath[last.path, default: []] += samePath }
        return Baseline(uncheckedCounts: counts, byPath: byPath)
    }

    /// A baseline holding the entries of no path: what a change of no
    /// selected file needs of the parent's.
    public static func partial() -> Baseline {
        var baseline = Baseline()
        baseline.isPartial = true
        return baseline
    }

    /// The entries of `paths` only: what a gate needs of the parent's
    /// baseline to judge a change of a few files (see `BaselineLines`, which
    /// a gate starts before it knows `paths`).
    static func entries(of paths: Set<String>, in b: UnsafeBufferPointer<UInt8>, file: String) throws -> Baseline {
        guard !paths.isEmpty else { return partial() }
        return try BaselineLines(b, file: file).entries(of: paths, in: b)
    }

    /// A partial baseline of entries already checked.
    static func partial(counts: [BaselineKey: Int], byPath: [String: [BaselineKey]]) -> Baseline {
        var baseline = Baseline(uncheckedCounts: counts, byPath: byPath)
        baseline.isPartial = true
        return baseline
    }

    private init(uncheckedCounts: [BaselineKey: Int], byPath: [String: [BaselineKey]]) {
        counts = uncheckedCounts
        keysByPath = byPath
    }

    /// The previous line's path and rule: sorted baselines repeat them, and
    /// reusing the strings saves most of a parse's allocations. nil until a
    /// line passed its checks: an empty field must not match an empty cache.
    struct LineCache {
        var pathBytes: [UInt8]?
        var path = ""
        var pathWanted = true
        var ruleBytes: [UInt8]?
        var rule = ""
    }

    /// One `count<TAB>rule<TAB>path<TAB>fingerprint` line, checked on its bytes.
    private static func entry(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ stop: Int,
                              file: String, line: Int) throws -> (BaselineKey, Int) {
        var cache = LineCache()
        return try entry(b, start, stop, file: file, line: line, cache: &cache, paths: nil)!
    }

    /// FNV-1a, 64 bits: a stable hash of bytes (the baseline's path table, the trend cache's keys and checksum).
    public static func fnv<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        fnv(bytes, from: 0xCBF2_9CE4_8422_2325)
    }

    /// FNV-1a continued from the hash of what came before: `fnv(a + b) == fnv(b, from: fnv(a))`.
    public static func fnv<C: Collection>(_ bytes: C, from state: UInt64) -> UInt64 where C.Element == UInt8 {
        var h = state
        for c in bytes { h = (h ^ UInt64(c)) &* 0x100_0000_01B3 }
        return h
    }

    /// nil for a valid line of a path not in `paths`.
    static func entry(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ stop: Int,
                      file: String, line: Int, cache: inout LineCache,
                      paths: Set<String>?) throws -> (BaselineKey, Int)? {
        var tabs = (0, 0, 0)
        var found = 0
        for k in start..<stop where b[k] == 0x09 {
            found += 1
            switch found {
            case 1: tabs.0 = k
            case 2: tabs.1 = k
            case 3: tabs.2 = k
            default: break
            }
        }
        guard found == 3 else {
            throw BaselineError(file: file, line: line,
                                message: "expected 4 tab-separated fields (count, rule, path, fingerprint), found \(found + 1)")
        }
        let slice = { (s: Int, e: Int) in UnsafeBufferPointer(rebasing: b[s..<e]) }
        func text(_ s: Int, _ e: Int) -> String { String(decoding: slice(s, e), as: UTF8.self) }
        var count = 0
        var digits = true
        for k in start..<tabs.0 {
            guard b[k] >= 0x30 && b[k] <= 0x39, count < 1 << 40 else { digits = false; break }
            count = count * 10 + Int(b[k] - 0x30)
        }
        guard digits, tabs.0 > start, count > 0 else {
            throw BaselineError(file: file, line: line, message: "count \"\(text(start, tabs.0))\" is not a positive integer")
        }
        let ruleBytes = slice(tabs.0 + 1, tabs.1)
        if cache.ruleBytes.map({ !ruleBytes.elementsEqual($0) }) ?? true {
            guard Baseline.isKebabCase(ruleBytes) else {
                throw BaselineError(file: file, line: line, message: "rule \"\(text(tabs.0 + 1, tabs.1))\" is not a rule id")
            }
            cache.ruleBytes = Array(ruleBytes)
            cache.rule = String(decoding: ruleBytes, as: UTF8.self)
        }
        let pathBytes = slice(tabs.1 + 1, tabs.2)
        let fpRaw = slice(tabs.2 + 1, stop)
        // A fingerprint with a control character, quote or backslash is C-quoted, so one entry is one line.
        var fingerprint = String(decoding: fpRaw, as: UTF8.self)
        if fpRaw.first == 0x22 {
            guard let unquoted = CQuote.unquote(fingerprint) else {
                throw BaselineError(file: file, line: line, message: "fingerprint \(fingerprint) is badly quoted")
            }
            fingerprint = unquoted
        }
        guard fingerprint.hasPrefix("import ") || fingerprint.hasPrefix("from ") || fingerprint.hasPrefix("use ") else {
            throw BaselineError(file: file, line: line,
                                message: "fingerprint \"\(text(tabs.2 + 1, stop))\" does not start with import, from or use")
        }
        if cache.pathBytes.map({ !pathBytes.elementsEqual($0) }) ?? true {
            cache.pathBytes = Array(pathBytes)
            let quoted = pathBytes.first == 0x22
            let raw = String(decoding: pathBytes, as: UTF8.self)
            guard let bytes = quoted ? CQuote.unquoteBytes(raw) : Array(pathBytes), !bytes.isEmpty else {
                cache.pathBytes = nil
                throw BaselineError(file: file, line: line, message: raw.isEmpty ? "path is empty" : "path \(raw) is badly quoted")
            }
            // Keyed as git's paths are (PathKey): bytes that are not UTF-8 stay distinct.
            let path = CQuote.pathKey(bytes)
            cache.path = path
            cache.pathWanted = paths?.contains(path) ?? true
        }
        guard cache.pathWanted else { return nil }
        return (BaselineKey(path: cache.path, rule: cache.rule, fingerprint: fingerprint), count)
    }

    /// Lowercase letters and digits in dash-separated words.
    static func isKebabCase(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = s.first, let last = s.last, first != 0x2D, last != 0x2D else { return false }
        var previousDash = false
        for c in s {
            if c == 0x2D {
                if previousDash { return false }
                previousDash = true
            } else if (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) {
                previousDash = false
            } else {
                return false
            }
        }
        return true
    }

    private static func lineNumber(_ b: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
        var n = 1
        for k in 0..<offset where b[k] == 0x0A { n += 1 }
        return n
    }

    /// Calls `body` with the byte range (line ending excluded) and number of
    /// each line that is neither blank nor a comment.
    static func forEachEntryLine(_ b: UnsafeBufferPointer<UInt8>,
                                 _ body: (_ start: Int, _ stop: Int, _ number: Int) throws -> Void) rethrows {
        guard let base = b.baseAddress else { return }
        var number = 0
        var start = 0
        while start < b.count {
            let end = memchr(base + start, 0x0A, b.count - start).map { UnsafeRawPointer(base).distance(to: UnsafeRawPointer($0)) } ?? b.count
            number += 1
            var stop = end
            if stop > start && b[stop - 1] == 0x0D { stop -= 1 }
            var k = start
            while k < stop && (b[k] == 0x20 || b[k] == 0x09) { k += 1 }
            if k < stop && b[start] != UInt8(ascii: "#") { try body(start, stop, number) }
            start = end + 1
        }
    }

    /// The error for a second entry of `key`, naming both lines.
    static func duplicate(_ key: BaselineKey, line: Int, _ b: UnsafeBufferPointer<UInt8>, _ file: String) throws -> BaselineError {
        BaselineError(file: file, line: line, message: "duplicate entry (also on line \(try firstLine(of: key, b, file))); "
            + "merge the two counts or run `ssot baseline`")
    }

    /// The first line holding `key`: only looked for to name a duplicate.
    private static func firstLine(of key: BaselineKey, _ b: UnsafeBufferPointer<UInt8>, _ file: String) throws -> Int {
        var found = 0
        forEachEntryLine(b) { start, stop, number in
            if found == 0, let (k, _) = try? entry(b, start, stop, file: file, line: number), k == key { found = number }
        }
        return found
    }

    public func serialized() -> String {
        var out = Baseline.header + "\n"
        for key in counts.keys.sorted() {
            out += "\(counts[key]!)\t\(key.rule)\t\(CQuote.quotePath(key.path))\t\(CQuote.quote(key.fingerprint))\n"
        }
        return out
    }
}

/// git's C-quoted path form, as `git ls-files` prints names with control
/// characters, quotes or backslashes.
public enum CQuote {
    public static func needsQuoting(_ s: String) -> Bool {
        s.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0x22 || $0 == 0x5C }
            || (s.utf8.contains { $0 >= 0x80 } && s.unicodeScalars.contains(where: TextEscape.isHostile))
    }

    public static func quote(_ s: String) -> String { quote(s, keepingEscapes: false) }

    /// A path key (GitStore's PathKey: NUL and three octal digits stand for
    /// a byte that is not UTF-8) in git's quoted form of the path's bytes.
    public static func quotePath(_ key: String) -> String {
        key.utf8.contains(0) ? quote(key, keepingEscapes: true) : quote(key)
    }

    /// The key of a path's bytes (see `quotePath`).
    public static func pathKey(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, ssot_path_is_plain(base, b.count) == 0 else { return String(decoding: b, as: UTF8.self) }
            return String(unsafeUninitializedCapacity: 4 * b.count) { ssot_path_key(base, b.count, $0.baseAddress!) }
        }
    }

    private static func quote(_ s: String, keepingEscapes: Bool) -> String {
        guard keepingEscapes || needsQuoting(s) else { return s }
        var out: [UInt8] = [0x22]
        // C1 controls and the bidi and invisible characters as git's octal escapes of their
        // bytes, so a reviewer reading the baseline's diff sees them (SPEC 3 and 7).
        var hostile = Set<Int>()
        var at = 0
        for u in s.unicodeScalars {
            let n = UTF8.width(u)
            if u.value >= 0x80 && TextEscape.isHostile(u) { for i in at..<(at + n) { hostile.insert(i) } }
            at += n
        }
        var verbatim = 0
        for (i, c) in s.utf8.enumerated() {
            if verbatim > 0 {
                out.append(c)
                verbatim -= 1
                continue
            }
            if keepingEscapes && c == 0 {
                // A key's NUL and three octal digits: a byte that is not UTF-8, as git writes it.
                out.append(0x5C)
                verbatim = 3
                continue
            }
            if hostile.contains(i) {
                out.append(0x5C)
                out += [0x30 + (c >> 6), 0x30 + ((c >> 3) & 7), 0x30 + (c & 7)]
                continue
            }
            switch c {
            case 0x07: out += Array("\\a".utf8)
            case 0x08: out += Array("\\b".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0B: out += Array("\\v".utf8)
            case 0x0C: out += Array("\\f".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x22: out += Array("\\\"".utf8)
            case 0x5C: out += Array("\\\\".utf8)
            case ..<0x20, 0x7F:
                out.append(0x5C)
                out += [0x30 + (c >> 6), 0x30 + ((c >> 3) & 7), 0x30 + (c & 7)]
            default: out.append(c)
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    /// Undoes `quote` (and git's octal escapes of non-ASCII bytes). An
    /// unquoted string is returned as is; nil for a malformed quoted one.
    public static func unquote(_ s: String) -> String? {
        guard s.hasPrefix("\"") else { return s }
        return unquoteBytes(s).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// Undoes git's quoting into bytes, which need not be UTF-8 (a path's).
    public static func unquoteBytes(_ s: String) -> [UInt8]? {
        guard s.hasPrefix("\"") else { return Array(s.utf8) }
        let bytes = Array(s.utf8)
        guard bytes.count >= 2, bytes.last == 0x22 else { return nil }
        var out: [UInt8] = []
        var k = 1
        while k < bytes.count - 1 {
            let c = bytes[k]
            if c != 0x5C {
                if c == 0x22 { return nil }
                out.append(c)
                k += 1
                continue
            }
            guard k + 1 < bytes.count - 1 else { return nil }
            let e = bytes[k + 1]
            switch e {
            case let letter where StringLiteral.controlEscape(letter) != nil: out.append(StringLiteral.controlEscape(letter)!)
            case 0x22, 0x5C: out.append(e)
            case UInt8(ascii: "0")...UInt8(ascii: "3"):
                guard k + 3 < bytes.count - 1 else { return nil }
                var v = 0
                for d in bytes[(k + 1)...(k + 3)] {
                    guard d >= 0x30 && d <= 0x37 else { return nil }
                    v = v * 8 + Int(d - 0x30)
                }
                out.append(UInt8(v))
                k += 4
                continue
            default: return nil
            }
            k += 2
        }
        return out
    }
}
