import GitStore
import SSOTCore
import SSOTSystem
#if canImport(Glibc)
import Glibc
#endif

/// `ssot trend` (SPEC 10): the first-parent history of a commit measured
/// commit by commit, straight from the object database. Consecutive trees
/// are diffed with equal folders passed over, so each commit costs its
/// changed paths; the blobs no cached yield covers are read and scanned a
/// window of commits at a time, on the other cores while the walk reads the
/// next window (`BackgroundScan`), so memory holds one tree's folders and
/// two windows' changes however long the history is.
public struct TrendRun {
    public enum Every: Equatable {
        case commits(Int)
        case day
        case week
    }

    public var revision = "HEAD"
    public var since: String?
    public var every = Every.commits(1)
    /// `each`: every commit's own config; otherwise one set of rules throughout.
    public var rulesAtEach = false
    public var cache = true
    /// Called with commits done and of how many (the command draws it on a terminal).
    public var progress: ((Int, Int) -> Void)?

    /// What the run did, for the trace and the tests.
    public struct Stats: Equatable {
        public var commits = 0
        public var scanned = 0
        public var cached = 0
        /// Commits whose point came from the point cache.
        public var points = 0
    }

    public init() {}

    /// Commits a window gathers, and blobs to scan, before its scan starts
    /// (a test makes them small, for a history of many windows).
    var window = 256
    var windowScans = 4096

    public func run(_ context: CheckContext) throws -> (Trend, Stats, [String]) {
        Repository.disableObjectCache()
        let repo = try Repository.open(at: context.directory, environment: context.environment)
        guard let tip = try repo.commit(revision) else { throw Failure.usage("\(revision): no such commit") }
        var notes: [String] = []
        var sinceCommit: ObjectID?
        var sinceDay: CalendarDay?
        if let since {
            if let day = CalendarDay(since) {
                sinceDay = day
            } else if let c = try repo.commit(since) {
                sinceCommit = c
            } else {
                throw Failure.usage("--since \(since): neither a date (YYYY-MM-DD) nor a commit")
            }
        }
        var fixedConfig: Config?
        if rulesAtEach {
            if context.configOverride != nil { throw Failure.usage("--rules-at each reads each commit's config: drop --config") }
        } else if let c = context.configOverride {
            fixedConfig = c
        } else if let workdir = repo.workdir, let c = try ConfigLoader.load(from: WorkingTree(root: workdir)) {
            fixedConfig = c
        } else if let c = try ConfigLoader.load(from: CommitTree(repository: repo, tree: try repo.tree(ofCommit: tip)), side: revision) {
            fixedConfig = c
        } else {
            throw Failure.usage("no ssot config in the working tree or in \(revision): pass --config FILE, or --rules-at each")
        }
        Trace.mark("trend: the repository opened and the config read")
        let directory = cache ? repo.commonDir : nil
        let points = PointCache(directory: directory, context: fixedConfig.map(PointCache.context(fixed:)) ?? PointCache.eachContext)
        Trace.mark("trend: the point cache read")
        // The tip as the repository has it: a cache that says otherwise is not trusted.
        if let cached = points.peek(tip), try repo.historyCommit(tip) != cached {
            points.distrust("commit \(tip) is not the one it names")
        }
        let store = YieldCache(directory: directory)
        let request = Request(repo: repo, tip: tip, sinceCommit: sinceCommit, sinceDay: sinceDay, fixed: fixedConfig,
                              points: points, store: store)
        var result: (Trend, Stats)
        do {
            result = try measure(request, notes: &notes)
        } catch let untrusted as PointCache.Untrusted {
            // Measured again from the repository alone; the cache is rewritten from what it finds.
            points.distrust(untrusted.why)
            result = try measure(request, notes: &notes)
        }
        store.save()
        points.save()
        notes += points.notes + store.notes
        var said = Set<String>()
        return (result.0, result.1, notes.filter { said.insert($0).inserted })
    }

    /// What every attempt at measuring shares.
    struct Request {
        let repo: Repository
        let tip: ObjectID
        let sinceCommit: ObjectID?
        let sinceDay: CalendarDay?
        let fixed: Config?
        let points: PointCache
        let store: YieldCache
    }

    /// The first-parent line, the commits it keeps and every one's point.
    /// Its notes join `allNotes` only when it succeeds: a pass the point
    /// cache misled is measured again, and says its notes then.
    func measure(_ r: Request, notes allNotes: inout [String]) throws -> (Trend, Stats) {
        let repo = r.repo, points = r.points, store = r.store
        var notes: [String] = []
        var reached = false
        func line(_ known: @escaping (ObjectID) -> HistoryCommit?) throws -> FirstParentLine {
            reached = false
            return try repo.firstParents(of: r.tip, known: known) { c in
                if reached { return true }
                if c.id == r.sinceCommit { reached = true }
                return false
            }
        }
        var walked = try line { points.peek($0) }
        if walked.looped {
            // Git's parents never loop: the cache's do.
            throw PointCache.Untrusted(why: "its first parents loop")
        }
        if r.sinceCommit != nil && !reached {
            throw Failure.usage("--since \(since!) is not on the first-parent history of \(revision)")
        }
        Trace.mark("trend: \(walked.commits.count) first parents")
        var commits = Array(walked.commits.reversed())
        walked.commits = []
        if let sinceDay = r.sinceDay {
            commits = commits.filter { CalendarDay(unixTime: $0.time, offsetMinutes: $0.offsetMinutes) >= sinceDay }
        }
        commits = TrendRun.select(commits, every)
        var trend = Trend(revision: r.tip.description, rulesAt: rulesAtEach ? "each" : "HEAD")
        if let cut = walked.cutAt, !reached {
            trend.shallowAt = cut.description
            notes.append("a shallow clone: the history stops at \(cut) (its parents were not fetched)")
        }
        // Made at the first commit the point cache does not answer (its rules build a checker).
        lazy var walk = Walk(repo: repo, store: store, fixed: r.fixed)
        var walking = false
        // The scans' own handles: the walk goes on through `repo` meanwhile. Opened
        // at the first scan: a run the point cache answers reads no blob.
        var pool: ReaderPool?
        if let fixed = r.fixed { for rule in fixed.rules { trend.rules.append(Trend.RuleInfo(rule)) } }
        var stats = Stats()
        var i = 0
        var last: CachedPoint?
        /// A window walked, its blobs being scanned on other threads while the next window is walked.
        var inFlight: (window: [Measure], scan: BackgroundScan)?
        defer { _ = inFlight?.scan.wait() }
        /// Stores a window's yields, then turns its steps into points, in order.
        func finish(_ window: [Measure], _ scan: BackgroundScan) {
            for (it, y) in zip(scan.items, scan.wait()) { store.store(it.key, y) }
            Trace.mark("trend: \(scan.items.count) blobs scanned")
            for measure in window {
                let measured: CachedPoint
                switch measure {
                case let .cached(p):
                    measured = p
                    notes += p.notes
                    stats.points += 1
                case let .walked(step):
                    let point = walk.apply(step)
                    let rules = (step.config?.config.rules ?? []).map(Trend.RuleInfo.init)
                    measured = CachedPoint(commit: step.commit, rules: rules, counts: rules.map { point.rules[$0.id] ?? Trend.Count() },
                                           unchecked: point.unchecked, notes: step.notes)
                    points.store(measured)
                }
                // In the config's order, so two runs list the rules alike.
                if r.fixed == nil {
                    for r in measured.rules where !trend.rules.contains(where: { $0.id == r.id }) { trend.rules.append(r) }
                }
                trend.points.append(measured.point)
                progress?(trend.points.count, commits.count)
            }
        }
        while i < commits.count {
            var window: [Measure] = []
            var pending: [Scan] = []
            // A blob the window before is scanning already is not scheduled again.
            var seen = Set(inFlight?.scan.items.map(\.key) ?? [])
            while i < commits.count && window.count < self.window && pending.count < windowScans {
                defer { i += 1 }
                if let known = points.lookup(commits[i].id) {
                    window.append(.cached(known))
                    last = known
                    continue
                }
                let before = notes.count
                walking = true
                if let known = last {
                    // The next commit the walk reads follows a cached one: it starts from that one's point.
                    try walk.resume(at: known)
                    last = nil
                }
                var step = try walk.step(commits[i], notes: &notes)
                step.notes = Array(notes[before...])
                for s in step.scans where seen.insert(s.key).inserted { pending.append(s) }
                window.append(.walked(step))
            }
            stats.scanned += pending.count
            Trace.mark("trend: \(window.count) commits read, \(pending.count) blobs to scan")
            // One scan at a time uses the pool's handles: the one before ends first,
            // and its window is turned into points while this one's blobs are scanned.
            let before = inFlight
            _ = before?.scan.wait()
            if pool == nil && !pending.isEmpty { pool = ReaderPool(try repo.sibling()) }
            inFlight = (window, BackgroundScan(pending, pool: pool, besideTheWalk: i < commits.count))
            if let before { finish(before.window, before.scan) }
        }
        if let (before, its) = inFlight {
            inFlight = nil
            finish(before, its)
        }
        stats.commits = commits.count
        stats.cached = walking ? walk.cachedHits : 0
        Trace.mark("trend: \(commits.count) commits, \(stats.scanned) blobs scanned, \(stats.cached) from the cache, "
                   + "\(stats.points) points from the cache")
        allNotes += notes
        return (trend, stats)
    }

    /// A commit of a window: known from the point cache, or walked.
    enum Measure {
        case cached(CachedPoint)
        case walked(Step)
    }

    /// The commits `--every` keeps: each Nth counted back from the newest,
    /// so the newest is always measured; or the last of each day or week
    /// (weeks from Monday, in each commit's own time zone).
    static func select(_ commits: [HistoryCommit], _ every: Every) -> [HistoryCommit] {
        switch every {
        case let .commits(n):
            guard n > 1 else { return commits }
            return commits.indices.filter { (commits.count - 1 - $0) % n == 0 }.map { commits[$0] }
        case .day, .week:
            func bucket(_ c: HistoryCommit) -> Int {
                let d = CalendarDay(unixTime: c.time, offsetMinutes: c.offsetMinutes).days
                // 1970-01-01 was a Thursday: three days on, weeks start on Monday.
                return every == .day ? d : Int((Double(d + 3) / 7).rounded(.down))
            }
            return commits.indices.filter { $0 == commits.count - 1 || bucket(commits[$0]) != bucket(commits[$0 + 1]) }
                .map { commits[$0] }
        }
    }

    /// A config in force, with what its yields are keyed by.
    final class Rules {
        let config: Config
        let shadowed: FileChecker
        /// FNV-1a's state after the config's fingerprint and a NUL: each path's key continues from it.
        let seed: UInt64

        init(_ config: Config) {
            self.config = config
            var s = config
            let shadows = config.rules.compactMap(MigrationReport.shadow)
            s.rules += shadows
            shadowed = FileChecker(config: s, tallied: Set(shadows.map(\.id)))
            seed = Baseline.fnv(Array((config.yieldFingerprint + "\u{0}").utf8))
        }

        func key(_ path: String, _ blob: ObjectID) -> YieldKey {
            YieldKey(blob: blob, context: Baseline.fnv(path.utf8, from: seed))
        }
    }

    /// A blob to scan at a path.
    struct Scan {
        var key: YieldKey
        var path: String
        var mode: UInt32
        var rules: Rules
    }

    /// One commit's part of the walk: what changed, under which rules.
    struct Step {
        var commit: HistoryCommit
        var config: Rules?
        /// The walk starts over from the empty tree (the first commit, or the rules changed).
        var reset: Bool
        /// The totals it starts from instead, a cached commit's.
        var resumed: CachedPoint?
        /// Each changed path's yield before and after, by key; nil: not there, or not selected.
        var changes: [(old: YieldKey?, new: YieldKey?)]
        var scans: [Scan]
        var allowance: [String: Int]?
        /// What measuring it said, kept with its point.
        var notes: [String] = []
    }

    /// The state carried from commit to commit.
    struct Walk {
        let repo: Repository
        let store: YieldCache
        let fixed: Rules?
        var previous: Tree?
        /// The folders of `previous` read so far.
        let memo = TreeMemo()
        var rules: Rules?
        var configBlobs: [ObjectID?] = []
        var baselineBlob: ObjectID?
        var allowance: [String: Int]?
        /// A cached commit the next step starts from.
        var resumed: CachedPoint?
        /// The sum of every selected file's yield. The files themselves are
        /// not kept: a change's old side names its yield by its blob, so memory
        /// holds one window, not one tree.
        var totals: [String: Trend.Count] = [:]
        var unchecked = 0
        var cachedHits = 0

        init(repo: Repository, store: YieldCache, fixed: Config?) {
            self.repo = repo
            self.store = store
            self.fixed = fixed.map(Rules.init)
            self.rules = self.fixed
        }

        mutating func step(_ commit: HistoryCommit, notes: inout [String]) throws -> Step {
            let tree = try repo.tree(commit.tree)
            var reset = previous == nil
            if fixed == nil {
                let blobs = ConfigLoader.candidates.map { tree.entry($0)?.oid }
                if blobs != configBlobs {
                    configBlobs = blobs
                    reset = true
                    do {
                        rules = try ConfigLoader.load(from: CommitTree(repository: repo, tree: tree), side: "commit \(commit.id)")
                            .map(Rules.init)
                    } catch {
                        notes.append("\(error); measured with no rules until its config is fixed")
                        rules = nil
                    }
                    baselineBlob = nil
                    allowance = nil
                }
            }
            if reset || resumed != nil { memo.clear() }
            let changes = try repo.pathChanges(from: reset ? nil : previous, to: tree, memo: memo)
            previous = tree
            var step = Step(commit: commit, config: rules, reset: reset, resumed: reset ? nil : resumed, changes: [], scans: [])
            resumed = nil
            if let rules {
                /// A side's key when the file is one ssot checks; scheduled for a scan when no yield of it is known.
                func side(_ path: String, _ oid: ObjectID, _ mode: UInt32, new: Bool) -> YieldKey? {
                    guard mode == 0o100644 || mode == 0o100755, rules.config.selects(path) else { return nil }
                    let key = rules.key(path, oid)
                    if store.lookup(key) == nil {
                        step.scans.append(Scan(key: key, path: path, mode: mode, rules: rules))
                    } else if new {
                        cachedHits += 1
                    }
                    return key
                }
                for c in changes {
                    let path = c.newPath
                    let old = c.status == .added ? nil : side(path, c.oldOID, c.oldMode, new: false)
                    let new = c.status == .deleted ? nil : side(path, c.newOID, c.newMode, new: true)
                    if old != nil || new != nil { step.changes.append((old, new)) }
                }
                // The baseline at this commit, read when its blob changes.
                let blob = tree.entry(rules.config.baseline)?.oid
                if blob != baselineBlob {
                    baselineBlob = blob
                    allowance = nil
                    if let blob, let bytes = try? repo.blob(blob),
                       let b = try? Baseline.parse(bytes, file: rules.config.baseline) {
                        var a: [String: Int] = [:]
                        for r in rules.config.rules { a[r.id] = 0 }
                        for (k, n) in b.counts { a[k.rule, default: 0] += n }
                        allowance = a
                    } else if blob != nil {
                        notes.append("commit \(commit.id): its baseline does not parse; no allowance shown")
                    }
                }
                step.allowance = allowance
            }
            return step
        }

        /// Starts the next step from a cached commit's point and tree, so
        /// that only what changed since is read: with one set of rules
        /// throughout, its totals are the sum the walk would have reached.
        /// Under each commit's own rules the walk starts over instead.
        mutating func resume(at p: CachedPoint) throws {
            guard fixed != nil, let rules else {
                previous = nil
                configBlobs = []
                return
            }
            // The one commit of the cache the walk builds on: checked against the repository.
            guard try repo.historyCommit(p.commit.id) == p.commit, let tree = try? repo.tree(p.commit.tree) else {
                throw PointCache.Untrusted(why: "commit \(p.commit.id) is not the one it names")
            }
            previous = tree
            resumed = p
            // Its baseline, so that it is read again only when it changes.
            baselineBlob = tree.entry(rules.config.baseline)?.oid
            allowance = p.counts.contains { $0.allowance != nil }
                ? Dictionary(zip(p.rules.map(\.id), p.counts.map { $0.allowance ?? 0 }), uniquingKeysWith: { a, _ in a }) : nil
        }

        /// The step's changes applied to the running totals: one point.
        mutating func apply(_ step: Step) -> Trend.Point {
            let rules = step.config?.config.rules ?? []
            if step.reset {
                unchecked = 0
                totals = Dictionary(rules.map { ($0.id, Trend.Count()) }, uniquingKeysWith: { a, _ in a })
            } else if let p = step.resumed {
                unchecked = p.unchecked
                totals = Dictionary(zip(p.rules.map(\.id), p.counts), uniquingKeysWith: { a, _ in a })
            }
            for (old, new) in step.changes {
                if let old { add(store.lookup(old) ?? .nothing, rules, -1) }
                if let new { add(store.lookup(new) ?? .nothing, rules, 1) }
            }
            var counts = totals
            for r in rules { counts[r.id]?.allowance = step.allowance?[r.id] }
            return Trend.Point(commit: step.commit.id.description, time: step.commit.time,
                               day: CalendarDay(unixTime: step.commit.time, offsetMinutes: step.commit.offsetMinutes),
                               rules: counts, unchecked: unchecked)
        }

        mutating func add(_ y: FileYield, _ rules: [Rule], _ sign: Int) {
            if y.unchecked { unchecked += sign }
            guard !y.counts.isEmpty else { return }
            for (i, r) in rules.enumerated() {
                let l = y.legacy(i), c = y.canonical(i)
                guard l + c > 0 else { continue }
                totals[r.id, default: Trend.Count()].findings += sign * l
                totals[r.id, default: Trend.Count()].canonical += sign * c
                if l > 0 { totals[r.id, default: Trend.Count()].files += sign }
                totals[r.id, default: Trend.Count()].touching += sign
            }
        }
    }
}
