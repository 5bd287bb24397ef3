import CPrefilter
import PythonScan

/// A file can only produce a finding for a banned name `F.….L` if it
/// spells `L` as a whole word (`from a import L`, `x.L()`, `"a.L"`), and
/// either spells `F` as a whole word or sits in package `F`: uses come only
/// from imports, which name their module in full (`import F.b`,
/// `from F.b import L`, `import_module("F.b")`), or relatively, inside the
/// file's own package. Checking that first lets a whole-tree scan skip the
/// lexer for most files, which is where ssot's speed on a big tree comes
/// from. A dynamic import's literal can spell the name in pieces
/// (`import_module("F" ".L")`), so a file that calls `import_module` or
/// `__import__` is always scanned: every mode gives the same verdict (SPEC 2).
/// So is a file with `import *` when a rule bans a singleton: the star binds
/// `L` without spelling it.
struct Prefilter: Sendable {
    /// The names through which a string becomes an import.
    private static let dynamicWords = ["import_module", "__import__"]
    private static let dynamic = WordSet(dynamicWords)

    /// Every banned name's last segment, the dynamic-import names, and "ssot" with inline ignores: a
    /// file with none of them is rejected in one pass.
    private let anyLast: WordSet
    /// "ssot": a file with an ignore comment is always scanned, so that an
    /// ignore that suppresses nothing is reported.
    private let ignores: WordSet?
    /// The last segments of the banned names under each first segment.
    private let groups: [(first: String, firstWord: WordSet, lasts: WordSet)]

    /// Some rule bans a singleton: `from M import *` then binds `M.n` without spelling it.
    private let hasSingletons: Bool
    /// Some banned name is not ASCII: then a file's non-ASCII text could spell it otherwise.
    private let nonASCIIBanned: Bool
    /// Every segment of every banned name, for lookalike spellings.
    private let lookalikes: Lookalikes

    init(config: Config) {
        hasSingletons = config.rules.contains { $0.kind == .singleton }
        nonASCIIBanned = config.rules.contains { $0.banned.contains { $0.utf8.contains { $0 >= 0x80 } } }
        lookalikes = Lookalikes(words: Array(Set(config.rules.flatMap { $0.banned.flatMap { $0.split(separator: ".").map(String.init) } })
            + (config.inlineIgnores ? ["ssot"] : []) + Prefilter.dynamicWords))
        var byFirst: [String: Set<String>] = [:]
        for rule in config.rules {
            for name in rule.banned {
                let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                byFirst[parts.first ?? name, default: []].insert(parts.last ?? name)
            }
        }
        var lasts = Set(byFirst.values.flatMap { $0 })
        if config.inlineIgnores { lasts.insert("ssot") }
        // One pass rejects most files, dynamic imports included; only a file it lets
        // through is searched again, for them.
        lasts.formUnion(Prefilter.dynamicWords)
        anyLast = WordSet(lasts.sorted())
        ignores = config.inlineIgnores ? WordSet(["ssot"]) : nil
        groups = byFirst.keys.sorted().map { first in (first, WordSet([first]), WordSet(byFirst[first]!.sorted())) }
    }

    /// `package` is the first part of the file's package, asked only when needed.
    func mightMatch(_ bytes: UnsafeBufferPointer<UInt8>, package: () -> String?) -> Bool {
        if spellsBannedWords(bytes, package: package) { return true }
        // Star imports are rare: a file with one is scanned (SPEC 2: star imports).
        if hasSingletons, let base = bytes.baseAddress, ssot_has_star_import(base, bytes.count) != 0 { return true }
        // A non-ASCII name may be a banned one under NFKC (`ｇet_manager`): asked only of a
        // file the words did not admit, and that has a byte above 0x7F at all.
        guard let base = bytes.baseAddress, ssot_has_high_byte(base, bytes.count) != 0 else { return false }
        return nonASCIIBanned || lookalikes.found(in: bytes)
    }

    private func spellsBannedWords(_ bytes: UnsafeBufferPointer<UInt8>, package: () -> String?) -> Bool {
        guard anyLast.containsAny(bytes) else { return false }
        if Prefilter.dynamic.containsAny(bytes) { return true }
        if let ignores, ignores.containsAny(bytes) { return true }
        var asked = false
        var top: String?
        for group in groups {
            var reachable = group.firstWord.containsAny(bytes)
            if !reachable {
                if !asked { top = package(); asked = true }
                reachable = top == group.first
            }
            if reachable && group.lasts.containsAny(bytes) { return true }
        }
        return false
    }
}

/// Whether a file spells one of a few words as a whole word (no name
/// character either side). The search itself is in C
/// (`ssot_contains_any_word`, prefilter.c): one SIMD pass for all words,
/// where one memmem pass per word was a tenth of a whole-tree scan.
struct WordSet: Sendable {
    let needles: [[UInt8]]
    private let words: Words

    init(_ needles: [String]) {
        self.needles = needles.map { Array($0.utf8) }.filter { !$0.isEmpty }
        words = Words(self.needles)
    }

    func containsAny(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty, !needles.isEmpty else { return false }
        return ssot_contains_any_word(base, bytes.count, words.pointers, words.lengths, needles.count) != 0
    }

    /// The needles laid out once for C: pointers and lengths that live as
    /// long as the set and are never written after `init`.
    final class Words: @unchecked Sendable {
        let pointers: UnsafeMutablePointer<UnsafePointer<UInt8>?>
        let lengths: UnsafeMutablePointer<Int>
        private let storage: UnsafeMutablePointer<UInt8>
        private let count: Int

        init(_ needles: [[UInt8]]) {
            count = needles.count
            let total = needles.reduce(0) { $0 + $1.count }
            storage = .allocate(capacity: max(total, 1))
            pointers = .allocate(capacity: max(count, 1))
            lengths = .allocate(capacity: max(count, 1))
            var at = 0
            for (i, needle) in needles.enumerated() {
                (storage + at).initialize(from: needle, count: needle.count)
                pointers[i] = UnsafePointer(storage + at)
                lengths[i] = needle.count
                at += needle.count
            }
        }

        deinit {
            storage.deallocate()
            pointers.deallocate()
            lengths.deallocate()
        }
    }
}
