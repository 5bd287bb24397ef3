import GitStore
import SSOTCore
import SSOTSystem
#if canImport(Glibc)
import Glibc
#endif

/// What one blob at one path yields under one config: per rule, the legacy
/// findings and what the rule's shadow found (SPEC 9), and whether the file
/// could be checked at all. A few integers: what `ssot trend` keeps per
/// file and caches per blob.
struct FileYield: Equatable, Sendable {
    /// Two slots per rule of the config, in its order: legacy, canonical. Empty: all zero.
    var counts: [UInt32] = []
    var unchecked = false

    static let nothing = FileYield()

    func legacy(_ rule: Int) -> Int { 2 * rule < counts.count ? Int(counts[2 * rule]) : 0 }
    func canonical(_ rule: Int) -> Int { 2 * rule + 1 < counts.count ? Int(counts[2 * rule + 1]) : 0 }

    /// From one file's check with the shadows tallied. A file ssot could
    /// not check, or whose scan warned (it does not tokenize or parse
    /// cleanly, as old commits' files sometimes do), is `unchecked`: counted
    /// as such, and its findings as far as the scan got still count.
    init(_ report: FileReport, rules: [Rule]) {
        unchecked = report.uncheckable != nil || report.messages.contains { $0.severity == .warning }
        guard !report.findings.isEmpty || !report.tally.isEmpty else { return }
        var c = [UInt32](repeating: 0, count: 2 * rules.count)
        for (i, rule) in rules.enumerated() {
            c[2 * i] = UInt32(clamping: report.findings.lazy.filter { $0.rule == rule.id }.count)
            c[2 * i + 1] = UInt32(clamping: report.tally[MigrationReport.shadowID(rule.id)] ?? 0)
        }
        while c.last == 0 { c.removeLast() }
        counts = c
    }

    init(counts: [UInt32] = [], unchecked: Bool = false) {
        self.counts = counts
        self.unchecked = unchecked
    }
}

/// A cache key: the blob, and a hash of everything else the yield depends
/// on (ssot's version, the config's scanning keys and rules, the path).
struct YieldKey: Hashable, Sendable {
    var blob: ObjectID
    var context: UInt64
}

/// The yields of blobs already scanned, kept in the git directory
/// (`ssot/trend-v1.cache` in the common git directory: worktrees share their
/// objects, and the work tree is never written), framed and replaced as
/// `CacheFile` says. Read on the first lookup only: a run whose commits the
/// point cache all knows never opens it. Bounded: past `limit` entries the
/// ones this run did not use go first.
final class YieldCache {
    static let magic = Array("SSOTTRD1".utf8)
    static let relative = "ssot/trend-v1.cache"
    static let what = "trend cache"
    /// About 40 MB of cache file at most.
    static let limit = 1_000_000

    private var loaded = false
    private var entries: [YieldKey: FileYield] = [:]
    private var used = Set<YieldKey>()
    private var added = 0
    /// The file as it was read.
    private var stamp: CacheFile.Stamp?
    let directory: String?
    /// Said once on stderr by the command: a cache that was dropped, or could not be written.
    var notes: [String] = []

    /// `directory` nil: no cache (`--no-cache`), nothing read or written.
    init(directory: String?) {
        self.directory = directory
    }

    private func load() {
        guard !loaded else { return }
        loaded = true
        guard let directory else { return }
        switch YieldCache.read(directory + "/" + YieldCache.relative, stamp: &stamp) {
        case let .success(found):
            if entries.isEmpty { entries = found } else { entries.merge(found) { mine, _ in mine } }
        case let .failure(why): notes.append(why.description)
        }
    }

    func lookup(_ key: YieldKey) -> FileYield? {
        load()
        guard let y = entries[key] else { return nil }
        used.insert(key)
        return y
    }

    func store(_ key: YieldKey, _ yield: FileYield) {
        load()
        if entries.updateValue(yield, forKey: key) == nil { added += 1 }
        used.insert(key)
    }

    var newEntries: Int { added }

    /// Writes the cache back when this run added to it, merged with what
    /// another run may have written meanwhile.
    func save() {
        guard let directory, added > 0 else { return }
        if let note = CacheFile.save(entries, used: used, limit: YieldCache.limit, stamp: stamp, directory: directory,
                                     relative: YieldCache.relative, what: YieldCache.what,
                                     read: { try? YieldCache.read($0).get() }, encode: { YieldCache.encode($0.map { ($0.key, $0.value) }) }) {
            notes.append(note.description)
        }
    }

    static func encode(_ records: [(YieldKey, FileYield)]) -> [UInt8] {
        var body = ByteWriter()
        body.bytes.reserveCapacity(records.count * 36)
        for (key, y) in records {
            body.oid(key.blob)
            body.u64(key.context)
            body.u8(y.unchecked ? 1 : 0)
            body.u8(UInt8(min(y.counts.count, 255)))
            for c in y.counts.prefix(255) { body.u32(c) }
        }
        return CacheFile.encode(magic: magic, count: records.count, body: body.bytes)
    }

    /// The entries of a cache file; a missing file is an empty cache, anything else wrong is a failure with a note.
    static func read(_ path: String) -> Result<[YieldKey: FileYield], CacheFile.Note> {
        var ignored: CacheFile.Stamp?
        return read(path, stamp: &ignored)
    }

    static func read(_ path: String, stamp: inout CacheFile.Stamp?) -> Result<[YieldKey: FileYield], CacheFile.Note> {
        CacheFile.read(path, magic: magic, what: what, stamp: &stamp, records: records)
    }

    /// A whole file's entries, nil unless every byte of it checks out.
    static func decode(_ b: [UInt8]) -> [YieldKey: FileYield]? {
        CacheFile.unframe(b, magic: magic).flatMap { records($0.count, $0.body) }
    }

    static func records(_ count: UInt64, _ body: ArraySlice<UInt8>) -> [YieldKey: FileYield]? {
        body.withUnsafeBytes { records(count, $0) }
    }

    static func records(_ count: UInt64, _ body: UnsafeRawBufferPointer) -> [YieldKey: FileYield]? {
        var out: [YieldKey: FileYield] = [:]
        out.reserveCapacity(Int(count))
        var r = ByteReader(body)
        for _ in 0..<count {
            guard let oid = r.oid(), let context = r.u64(), let flags = r.u8(), let n = r.u8(), flags <= 1 else { return nil }
            var counts = [UInt32](repeating: 0, count: Int(n))
            for i in 0..<Int(n) {
                guard let c = r.u32() else { return nil }
                counts[i] = c
            }
            out[YieldKey(blob: oid, context: context)] = FileYield(counts: counts, unchecked: flags == 1)
        }
        return r.atEnd ? out : nil
    }
}

extension Config {
    /// Everything of the config a file's yield depends on, besides the
    /// file: hashed with the path into a cache key. The version is in it, so
    /// a new scanner never trusts an old one's counts.
    var yieldFingerprint: String {
        var s = "ssot \(SSOTVersion.current) yield 1\n"
        s += "roots \(sourceRoots)\ntc \(typeChecking.rawValue)\nignores \(inlineIgnores)\nmax \(maxFileSize)\n"
        for r in rules {
            s += "rule \(r.id) \(r.kind.rawValue) \(r.banned) allow \(r.allowIn.map(\.normalized)) shadow \(MigrationReport.shadow(of: r)?.banned ?? [])\n"
        }
        return s
    }
}
