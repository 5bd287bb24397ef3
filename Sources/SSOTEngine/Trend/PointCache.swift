import GitStore
import SSOTCore

/// A measured commit as the point cache keeps it: the point, the rules it
/// was measured under (`--rules-at each` lists them from here), the notes
/// its measuring gave, and its first parent, so that a walk over cached
/// commits reads no commit object and no tree.
struct CachedPoint: Equatable {
    /// With its first parent.
    var commit: HistoryCommit
    /// In the config's order.
    var rules: [Trend.RuleInfo]
    var counts: [Trend.Count]
    var unchecked: Int
    var notes: [String]

    var point: Trend.Point {
        Trend.Point(commit: commit.id.description, time: commit.time,
                    day: CalendarDay(unixTime: commit.time, offsetMinutes: commit.offsetMinutes),
                    rules: Dictionary(zip(rules.map(\.id), counts), uniquingKeysWith: { a, _ in a }), unchecked: unchecked)
    }
}

/// Each measured commit's point, by commit id and a hash of the rules it
/// was measured under (SPEC 10). A commit id fixes its tree and its parents,
/// so a point depends on nothing else: a second run over the same history
/// walks this table and touches no tree; a run after new commits lists the
/// last cached commit's tree once and diffs forward from there. Kept beside
/// the yield cache as `ssot/trend-points-v1.cache`, framed and replaced as
/// `CacheFile` says; bounded, the points this run did not use going first.
final class PointCache {
    static let magic = Array("SSOTTRP1".utf8)
    static let relative = "ssot/trend-points-v1.cache"
    static let what = "trend point cache"
    static let limit = 500_000

    struct Key: Hashable {
        var context: UInt64
        var commit: ObjectID
    }

    let directory: String?
    let context: UInt64
    private var entries: [Key: CachedPoint] = [:]
    private var used = Set<Key>()
    private var added = 0
    /// The file as it was read.
    private var stamp: CacheFile.Stamp?
    /// Distrusted: written anew, nothing of the old file merged back.
    private var discarded = false
    var notes: [String] = []

    /// `directory` nil: no cache (`--no-cache`).
    init(directory: String?, context: UInt64) {
        self.directory = directory
        self.context = context
        guard let directory else { return }
        switch PointCache.read(directory + "/" + PointCache.relative, stamp: &stamp) {
        case let .success(found): entries = found
        case let .failure(why): notes.append(why.description)
        }
    }

    /// The key's context for one set of rules throughout: everything of the
    /// config a point depends on (what a file yields, which files are
    /// selected, where the baseline is).
    static func context(fixed config: Config) -> UInt64 {
        var s = "points 1 fixed\n" + config.yieldFingerprint
        s += "include \(config.include.map(\.normalized))\nexclude \(config.exclude.map(\.normalized))\nbaseline \(config.baseline)\n"
        return Baseline.fnv(Array(s.utf8))
    }

    /// With `--rules-at each` the rules come from the commit itself.
    static var eachContext: UInt64 { Baseline.fnv(Array("points 1 each\nssot \(SSOTVersion.current)\n".utf8)) }

    /// A cache that disagrees with the repository where it can be checked
    /// (the tip, the commit a walk resumes from, parents that loop): it was
    /// not written by ssot, or not for this repository.
    struct Untrusted: Error {
        var why: String
    }

    /// Drops every point, with a note; what this run measures replaces the file.
    func distrust(_ why: String) {
        guard let directory else { return }
        entries = [:]
        used = []
        discarded = true
        notes.append("the \(PointCache.what) \(directory)/\(PointCache.relative) does not agree with the repository (\(why)); "
                     + "it was discarded and is built again")
    }

    /// The commit as measured before, for the first-parent walk: nothing is marked used.
    func peek(_ commit: ObjectID) -> HistoryCommit? {
        directory == nil ? nil : entries[Key(context: context, commit: commit)]?.commit
    }

    func lookup(_ commit: ObjectID) -> CachedPoint? {
        guard directory != nil else { return nil }
        let key = Key(context: context, commit: commit)
        guard let p = entries[key] else { return nil }
        // Only the bound needs to know what was used.
        if entries.count > PointCache.limit / 2 { used.insert(key) }
        return p
    }

    func store(_ p: CachedPoint) {
        guard directory != nil else { return }
        let key = Key(context: context, commit: p.commit.id)
        if entries.updateValue(p, forKey: key) == nil { added += 1 }
        if entries.count > PointCache.limit / 2 { used.insert(key) }
    }

    var newEntries: Int { added }

    /// Writes the table back when this run added to it, merged with what another run may have written meanwhile.
    func save() {
        guard let directory, added > 0 else { return }
        if let note = CacheFile.save(entries, used: used, limit: PointCache.limit, stamp: stamp, directory: directory,
                                     relative: PointCache.relative, what: PointCache.what,
                                     read: { discarded ? nil : try? PointCache.read($0).get() }, encode: { PointCache.encode($0.map { ($0.key.context, $0.value) }) }) {
            notes.append(note.description)
        }
    }

    /// The entries of a cache file; a missing file is an empty cache, anything else wrong is a failure with a note.
    static func read(_ path: String) -> Result<[Key: CachedPoint], CacheFile.Note> {
        var ignored: CacheFile.Stamp?
        return read(path, stamp: &ignored)
    }

    static func read(_ path: String, stamp: inout CacheFile.Stamp?) -> Result<[Key: CachedPoint], CacheFile.Note> {
        CacheFile.read(path, magic: magic, what: what, stamp: &stamp, records: records)
    }

    /// The body: a table of the strings (rule ids and notes), a table of
    /// the rule sets (every point of one config shares one), then the
    /// points, naming both by index: what a point adds is its counts.
    static func encode(_ records: [(UInt64, CachedPoint)]) -> [UInt8] {
        var table: [String: UInt32] = [:]
        var strings: [String] = []
        func index(_ s: String) -> UInt32 {
            if let i = table[s] { return i }
            strings.append(s)
            table[s] = UInt32(strings.count - 1)
            return UInt32(strings.count - 1)
        }
        var sets: [[Trend.RuleInfo]] = []
        var w = ByteWriter()
        var count = 0
        for (context, p) in records where p.rules.count == p.counts.count && p.rules.count < 256 && p.notes.count < 256 {
            count += 1
            w.u64(context)
            w.oid(p.commit.id)
            w.oid(p.commit.tree)
            w.u8(p.commit.parent == nil ? 0 : 1)
            if let parent = p.commit.parent { w.oid(parent) }
            w.i64(p.commit.time)
            w.i64(Int64(p.commit.offsetMinutes))
            w.u32(UInt32(clamping: p.unchecked))
            if let i = sets.firstIndex(of: p.rules) {
                w.u32(UInt32(i))
            } else {
                sets.append(p.rules)
                w.u32(UInt32(sets.count - 1))
            }
            for c in p.counts {
                for n in [c.findings, c.files, c.canonical, c.touching] { w.u32(UInt32(clamping: n)) }
                w.i64(c.allowance.map(Int64.init) ?? -1)
            }
            w.u8(UInt8(p.notes.count))
            for n in p.notes { w.u32(index(n)) }
        }
        var rules = ByteWriter()
        rules.u32(UInt32(sets.count))
        for set in sets {
            rules.u8(UInt8(set.count))
            for r in set {
                rules.u32(index(r.id))
                rules.u8(r.kind == .import ? 0 : 1)
                rules.i64(r.goalFiles.map(Int64.init) ?? -1)
                rules.i64(r.goalDate.map { Int64($0.days) } ?? Int64.min)
            }
        }
        var head = ByteWriter()
        head.u32(UInt32(strings.count))
        for s in strings { head.string(s) }
        return CacheFile.encode(magic: magic, count: count, body: head.bytes + rules.bytes + w.bytes)
    }

    /// A whole file's points, nil unless every byte of it checks out.
    static func decode(_ b: [UInt8]) -> [Key: CachedPoint]? {
        CacheFile.unframe(b, magic: magic).flatMap { records($0.count, $0.body) }
    }

    static func records(_ count: UInt64, _ body: ArraySlice<UInt8>) -> [Key: CachedPoint]? {
        body.withUnsafeBytes { records(count, $0) }
    }

    static func records(_ count: UInt64, _ body: UnsafeRawBufferPointer) -> [Key: CachedPoint]? {
        var out: [Key: CachedPoint] = [:]
        out.reserveCapacity(Int(min(count, UInt64(body.count / 80))))
        var r = ByteReader(body)
        guard let n = r.u32(), Int(n) <= body.count / 2 else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(Int(n))
        for _ in 0..<n {
            guard let s = r.string() else { return nil }
            strings.append(s)
        }
        func string(_ r: inout ByteReader) -> String? {
            guard let i = r.u32(), Int(i) < strings.count else { return nil }
            return strings[Int(i)]
        }
        guard let setCount = r.u32(), Int(setCount) <= body.count else { return nil }
        var sets: [[Trend.RuleInfo]] = []
        for _ in 0..<setCount {
            guard let n = r.u8() else { return nil }
            var set: [Trend.RuleInfo] = []
            for _ in 0..<n {
                guard let rid = string(&r), let kind = r.u8(), kind <= 1, let goalFiles = r.i64(), let goalDate = r.i64() else { return nil }
                set.append(Trend.RuleInfo(id: rid, kind: kind == 0 ? .import : .singleton,
                                          goalFiles: goalFiles < 0 ? nil : Int(goalFiles),
                                          goalDate: goalDate == Int64.min ? nil : CalendarDay(days: Int(goalDate))))
            }
            sets.append(set)
        }
        for _ in 0..<count {
            guard let context = r.u64(), let id = r.oid(), let tree = r.oid(), let hasParent = r.u8(), hasParent <= 1 else { return nil }
            var parent: ObjectID?
            if hasParent == 1 {
                guard let p = r.oid() else { return nil }
                parent = p
            }
            guard let time = r.i64(), let offset = r.i64(), abs(offset) <= Int64(Int32.max), let unchecked = r.u32(),
                  let set = r.u32(), Int(set) < sets.count else { return nil }
            let rules = sets[Int(set)]
            var counts: [Trend.Count] = []
            counts.reserveCapacity(rules.count)
            for _ in rules {
                guard let findings = r.u32(), let files = r.u32(), let canonical = r.u32(), let touching = r.u32(),
                      let allowance = r.i64() else { return nil }
                // What no measuring can give: a file with findings that touches nothing, and the like.
                guard files <= touching, files <= findings, UInt64(touching) <= UInt64(findings) + UInt64(canonical),
                      allowance >= -1 else { return nil }
                var c = Trend.Count()
                c.findings = Int(findings)
                c.files = Int(files)
                c.canonical = Int(canonical)
                c.touching = Int(touching)
                c.allowance = allowance < 0 ? nil : Int(allowance)
                counts.append(c)
            }
            guard let m = r.u8() else { return nil }
            var notes: [String] = []
            for _ in 0..<m {
                guard let s = string(&r) else { return nil }
                notes.append(s)
            }
            let commit = HistoryCommit(id: id, tree: tree, time: time, offsetMinutes: Int(offset), parent: parent)
            out[Key(context: context, commit: id)] = CachedPoint(commit: commit, rules: rules, counts: counts,
                                                                 unchecked: Int(unchecked), notes: notes)
        }
        return r.atEnd ? out : nil
    }
}
