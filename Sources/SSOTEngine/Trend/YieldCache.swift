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
/// objects, and the work tree is never written). One file, written whole
/// to a temporary name and renamed over the old one, so a crash or a second
/// run at the same time leaves an old or a new file, never half of one;
/// a checksum catches anything else, and a file that fails it is dropped
/// with a note, never trusted. Bounded: past `limit` entries the ones this
/// run did not use go first.
final class YieldCache {
    static let magic = Array("SSOTTRD1".utf8)
    static let relative = "ssot/trend-v1.cache"
    /// About 40 MB of cache file at most.
    static let limit = 1_000_000

    private(set) var entries: [YieldKey: FileYield] = [:]
    private var used = Set<YieldKey>()
    private var added = 0
    let directory: String?
    /// Said once on stderr by the command: a cache that was dropped, or could not be written.
    var notes: [String] = []

    /// `directory` nil: no cache (`--no-cache`), nothing read or written.
    init(directory: String?) {
        self.directory = directory
        guard let directory else { return }
        switch YieldCache.read(directory + "/" + YieldCache.relative) {
        case let .success(found): entries = found
        case let .failure(why): notes.append(why.description)
        }
    }

    func lookup(_ key: YieldKey) -> FileYield? {
        guard let y = entries[key] else { return nil }
        used.insert(key)
        return y
    }

    func store(_ key: YieldKey, _ yield: FileYield) {
        if entries.updateValue(yield, forKey: key) == nil { added += 1 }
        used.insert(key)
    }

    var newEntries: Int { added }

    /// Writes the cache back when this run added to it, merged with what
    /// another run may have written meanwhile.
    func save() {
        guard let directory, added > 0 else { return }
        var all = entries
        if case let .success(theirs) = YieldCache.read(directory + "/" + YieldCache.relative) {
            all.merge(theirs) { mine, _ in mine }
        }
        var keys = Array(all.keys)
        if keys.count > YieldCache.limit {
            keys = Array(used.prefix(YieldCache.limit))
            for k in all.keys where keys.count < YieldCache.limit && !used.contains(k) { keys.append(k) }
        }
        do {
            try AtomicFile.stage(YieldCache.encode(keys.map { ($0, all[$0]!) }), root: directory,
                                 relative: YieldCache.relative, sync: false).commit()
        } catch {
            notes.append("the trend cache was not saved: \((error as? Failure)?.message ?? "\(error)")")
        }
    }

    static func encode(_ records: [(YieldKey, FileYield)]) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(records.count * 36)
        for (key, y) in records {
            body += key.blob.bytes
            append(&body, key.context)
            body.append(y.unchecked ? 1 : 0)
            body.append(UInt8(min(y.counts.count, 255)))
            for c in y.counts.prefix(255) { append32(&body, c) }
        }
        var out = magic
        append(&out, UInt64(records.count))
        append(&out, Baseline.fnv(body))
        return out + body
    }

    /// The entries of a cache file; a missing file is an empty cache, anything else wrong is a failure with a note.
    static func read(_ path: String) -> Result<[YieldKey: FileYield], Note> {
        // Non-blocking, then a regular file only: a FIFO planted at the path must not stall the run.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            return errno == ENOENT ? .success([:]) : .failure(Note("the trend cache \(path) cannot be read: \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            return .failure(Note("the trend cache \(path) is not a regular file; it is not read"))
        }
        guard let bytes = FileIO.readToEnd(fd) else { return .failure(Note("the trend cache \(path) cannot be read")) }
        guard let entries = decode(bytes) else {
            return .failure(Note("the trend cache \(path) is damaged; it was discarded and is built again"))
        }
        return .success(entries)
    }

    struct Note: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    static func decode(_ b: [UInt8]) -> [YieldKey: FileYield]? {
        guard b.count >= 24, Array(b[0..<8]) == magic else { return nil }
        let count = u64(b, 8), sum = u64(b, 16)
        guard Baseline.fnv(b[24...]) == sum, count <= UInt64(b.count) else { return nil }
        var out: [YieldKey: FileYield] = [:]
        out.reserveCapacity(Int(count))
        var k = 24
        for _ in 0..<count {
            guard k + 30 <= b.count, let oid = ObjectID(bytes: Array(b[k..<k + 20])) else { return nil }
            let context = u64(b, k + 20)
            let flags = b[k + 28], n = Int(b[k + 29])
            k += 30
            guard flags <= 1, k + 4 * n <= b.count else { return nil }
            var counts = [UInt32](repeating: 0, count: n)
            for i in 0..<n { counts[i] = u32(b, k + 4 * i) }
            k += 4 * n
            out[YieldKey(blob: oid, context: context)] = FileYield(counts: counts, unchecked: flags == 1)
        }
        return k == b.count ? out : nil
    }

    private static func append(_ out: inout [UInt8], _ v: UInt64) {
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }

    private static func append32(_ out: inout [UInt8], _ v: UInt32) {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }

    private static func u64(_ b: [UInt8], _ k: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(b[k + i]) << (8 * i) }
        return v
    }

    private static func u32(_ b: [UInt8], _ k: Int) -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(b[k + i]) << (8 * i) }
        return v
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
