/// The names an import statement mentions, found by a quick pass over the
/// tokens before parsing. Only such a name can resolve to an import binding,
/// so the parser records bindings and references of these names alone and
/// skips the bookkeeping for every other name (most of a file's names).
struct Candidates {
    /// Token indexes of the distinct candidate names, by a hash of their
    /// bytes. A list searched name by name made a file of 20,000 distinct
    /// imported names cost seconds (quadratic, issue 11's denial of service).
    private var byHash: [UInt64: [Int32]] = [:]
    /// One bit per (length, first byte, last byte) hash of a candidate: most
    /// names of a file are rejected by it without touching the table.
    private var filter: UInt64 = 0
    /// A `from M import *` binds names no statement spells: then any name
    /// can resolve to an import (SPEC 2, star imports), and every name is one.
    private(set) var everything = false
    private let t: UnsafeBufferPointer<Token>
    private let src: UnsafeBufferPointer<UInt8>

    init(tokens t: UnsafeBufferPointer<Token>, source src: UnsafeBufferPointer<UInt8>) {
        self.t = t
        self.src = src
        var k = 0
        while k < t.count {
            let kind = t[k].kind
            if kind == .kwImport || kind == .kwFrom {
                var j = k + 1
                while j < t.count {
                    let kj = t[j].kind
                    if kj == .newline || kj == .semicolon || kj == .endmarker || kj == .indent || kj == .dedent { break }
                    if kj == .name { add(j) }
                    if kj == .star && kind == .kwFrom && t[j - 1].kind == .kwImport { everything = true }
                    j += 1
                }
                k = j
            } else {
                // The builtin `__import__` needs no import to be called, nor `__builtins__.__import__`.
                if kind == .name && (is__import__(k) || is__builtins__(k)) { add(k) }
                k += 1
            }
        }
    }

    private func is__import__(_ k: Int) -> Bool { spells(k, "__import__") }
    private func is__builtins__(_ k: Int) -> Bool { spells(k, "__builtins__") }

    @inline(__always) private func spells(_ k: Int, _ word: StaticString) -> Bool {
        let s = Int(t[k].start)
        let n = word.utf8CodeUnitCount
        guard Int(t[k].end) - s == n else { return false }
        for i in 0..<n where src[s + i] != word.utf8Start[i] { return false }
        return true
    }

    private mutating func add(_ k: Int) {
        if !contains(k) {
            byHash[hash(k), default: []].append(Int32(k))
            filter |= bit(k)
        }
    }

    /// The name's keyed hash (NameHash: a file cannot choose names that collide).
    @inline(__always) private func hash(_ k: Int) -> UInt64 { NameHash.of(src, Int(t[k].start), Int(t[k].end)) }

    /// The filter bit of the name token at `k` (names are never empty).
    @inline(__always) private func bit(_ k: Int) -> UInt64 {
        let s = Int(t[k].start), e = Int(t[k].end)
        let h = (e - s) &* 7 &+ Int(src[s]) &* 3 &+ Int(src[e - 1])
        return 1 << UInt64(h & 63)
    }

    /// Whether the name token at `k` spells one of the candidates.
    @inline(__always) func contains(_ k: Int) -> Bool {
        if everything { return true }
        guard filter & bit(k) != 0, let list = byHash[hash(k)] else { return false }
        let s = Int(t[k].start), n = Int(t[k].end) - s
        for c in list {
            let cs = Int(t[Int(c)].start)
            guard Int(t[Int(c)].end) - cs == n else { continue }
            var same = true
            for i in 0..<n where src[cs + i] != src[s + i] { same = false; break }
            if same { return true }
        }
        return false
    }
}
