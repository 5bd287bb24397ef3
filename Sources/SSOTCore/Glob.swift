/// A path glob as users write them in ruff's and pre-commit's configs:
/// `*` and `?` stay inside one folder, `[abc]` is a class, `**` spans folders.
///
/// A pattern with no `/` matches at any depth (`migrations`, `*_pb2.py`), and
/// a pattern that matches a folder matches everything below it, so
/// `exclude = ["build"]` and `exclude = ["build/**"]` mean the same.
public struct Glob: Equatable, Sendable, CustomStringConvertible {
    public let pattern: String
    /// The pattern as matched (`./build/` is `build`): what two configs are compared by.
    public let normalized: String
    private let segments: [[UInt8]]
    private let anchored: Bool
    /// `**/*.py`, `*.py`: a pattern that only asks for an ending, matched
    /// without splitting the path (it is checked for every file of a tree).
    private let suffix: [UInt8]?
    /// The suffix and a "/": how a folder that ends with it shows in a path.
    private let folderSuffix: [UInt8]
    /// The whole folders an anchored pattern starts with (`app/ws/` of
    /// `app/ws/**`): a path without them is rejected without splitting it.
    private let literalPrefix: [UInt8]

    public var description: String { pattern }

    public struct Error: Swift.Error, Equatable {
        public var message: String
    }

    public init(_ pattern: String) throws {
        var p = pattern
        while p.hasPrefix("./") { p.removeFirst(2) }
        if p.hasPrefix("/") { p.removeFirst() }
        while p.hasSuffix("/") && p.count > 1 { p.removeLast() }
        guard !p.isEmpty else { throw Error(message: "empty glob") }
        let segs = p.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        for seg in segs {
            var k = 0
            while k < seg.count {
                if seg[k] == UInt8(ascii: "[") {
                    var j = k + 1
                    if j < seg.count && (seg[j] == UInt8(ascii: "!") || seg[j] == UInt8(ascii: "^")) { j += 1 }
                    if j < seg.count && seg[j] == UInt8(ascii: "]") { j += 1 }
                    while j < seg.count && seg[j] != UInt8(ascii: "]") { j += 1 }
                    guard j < seg.count else { throw Error(message: "unclosed '[' in glob \"\(pattern)\"") }
                    k = j
                }
                k += 1
            }
        }
        self.pattern = pattern
        self.normalized = segs.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
        self.segments = segs
        self.anchored = p.contains("/")
        let last = segs.last ?? []
        let leading = segs.dropLast().allSatisfy { $0 == Array("**".utf8) }
        if leading, last.first == UInt8(ascii: "*"),
           !last.dropFirst().contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }) {
            self.suffix = Array(last.dropFirst())
        } else {
            self.suffix = nil
        }
        self.folderSuffix = (suffix ?? []) + [UInt8(ascii: "/")]
        var prefix: [UInt8] = []
        if anchored {
            for seg in segs {
                if seg.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }) { break }
                prefix += seg + [UInt8(ascii: "/")]
            }
        }
        self.literalPrefix = prefix
    }

    /// Whether `path` (relative, `/`-separated) or one of its folders matches.
    public func matches(_ path: String) -> Bool {
        if let suffix {
            // Usually the file's own name ends with it; a folder so named also matches what is below it.
            if Bytewise.hasSuffix(path, suffix) { return true }
            // A folder ends with it when the path has it right before a "/".
            return Bytewise.contains(path, folderSuffix)
        }
        if !literalPrefix.isEmpty {
            let p = path.utf8
            if p.count < literalPrefix.count {
                // Only the folder itself can still match (`app/ws` for `app/ws/**`).
                guard p.count + 1 == literalPrefix.count, p.elementsEqual(literalPrefix.dropLast()) else { return false }
            } else if !Bytewise.hasPrefix(path, literalPrefix) {
                return false
            }
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        if anchored {
            return Glob.match(segments[...], parts[...], prefixOK: true)
        }
        return parts.contains { Glob.matchSegment(segments[0], $0) }
    }

    /// Segment-wise match; with `prefixOK`, matching a leading run of folders suffices.
    private static func match(_ pat: ArraySlice<[UInt8]>, _ path: ArraySlice<[UInt8]>, prefixOK: Bool) -> Bool {
        guard let first = pat.first else { return path.isEmpty || prefixOK }
        if first == Array("**".utf8) {
            let rest = pat.dropFirst()
            var p = path
            while true {
                if match(rest, p, prefixOK: prefixOK) { return true }
                guard !p.isEmpty else { return false }
                p = p.dropFirst()
            }
        }
        guard let seg = path.first, matchSegment(first, seg) else { return false }
        return match(pat.dropFirst(), path.dropFirst(), prefixOK: prefixOK)
    }

    /// fnmatch within one folder name.
    static func matchSegment(_ p: [UInt8], _ s: [UInt8]) -> Bool {
        var pi = 0, si = 0
        var starP = -1, starS = 0
        while si < s.count {
            if pi < p.count {
                let c = p[pi]
                if c == UInt8(ascii: "*") {
                    while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
                    starP = pi
                    starS = si
                    continue
                }
                if c == UInt8(ascii: "?") { pi += 1; si += 1; continue }
                if c == UInt8(ascii: "[") {
                    if let (ok, next) = matchClass(p, pi, s[si]), ok {
                        pi = next
                        si += 1
                        continue
                    }
                } else if c == s[si] {
                    pi += 1
                    si += 1
                    continue
                }
            }
            guard starP >= 0 else { return false }
            starS += 1
            si = starS
            pi = starP
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }

    private static func matchClass(_ p: [UInt8], _ start: Int, _ c: UInt8) -> (Bool, Int)? {
        var k = start + 1
        var negate = false
        if k < p.count && (p[k] == UInt8(ascii: "!") || p[k] == UInt8(ascii: "^")) { negate = true; k += 1 }
        var found = false
        var firstChar = true
        while k < p.count && (p[k] != UInt8(ascii: "]") || firstChar) {
            firstChar = false
            if k + 2 < p.count && p[k + 1] == UInt8(ascii: "-") && p[k + 2] != UInt8(ascii: "]") {
                if c >= p[k] && c <= p[k + 2] { found = true }
                k += 3
            } else {
                if c == p[k] { found = true }
                k += 1
            }
        }
        guard k < p.count else { return nil }
        return (found != negate, k + 1)
    }
}
