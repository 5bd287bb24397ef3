import GitStore
import PythonScan
import SSOTCore
import SSOTSystem
#if canImport(Glibc)
import Glibc
#endif

/// `ssot report` (SPEC 9): one whole-tree scan of the working tree, or of
/// `--rev` read from git objects (no checkout), with each rule and its
/// shadow, on all cores; what `ssot fix` would fix, from the same resolver;
/// with `--base`, the same measure of the base commit under the same rules,
/// and the compliance of the files changed since.
public struct ReportRun {
    public var revision: String?
    public var base: String?
    /// Folder depth of the "most legacy findings" list, and how many folders and files it shows.
    public var depth = 2
    public var top = 10

    public init(revision: String? = nil, base: String? = nil) {
        self.revision = revision
        self.base = base
    }

    /// One side measured.
    struct Measure {
        var findings: [Finding] = []
        /// Legacy rule id → path → what its shadow found there.
        var canonical: [String: [String: Int]] = [:]
        var fixable: [String: Int] = [:]
        var messages: [FileMessage] = []
        var scanned = 0
        var unchecked: [(path: String, reason: String)] = []
    }

    /// Where the files come from: the working tree, or a commit's tree.
    struct Side {
        var paths: [String]
        var scan: (FileChecker) -> [FileReport]
        var bytes: (String) -> [UInt8]?
        var modules: [String]
    }

    public func run(_ context: CheckContext) throws -> (MigrationReport, [FileMessage]) {
        let target: Side, config: Config, baseline: Baseline, revisionName: String
        var repo: Repository?
        var today = CalendarDay(unixTime: Int64(time(nil)))
        var targetTree: Tree?
        var workingTree: WorkingTree?
        if let revision {
            let r = try Repository.open(at: context.directory, environment: context.environment)
            repo = r
            guard let commit = try r.commit(revision) else { throw Failure.usage("--rev \(revision): no such commit") }
            let tree = try r.tree(ofCommit: commit)
            targetTree = tree
            let source = CommitTree(repository: r, tree: tree)
            guard let c = try context.configOverride ?? ConfigLoader.load(from: source, side: revision) else {
                throw Failure.usage("\(revision) has no ssot config (ssot.toml or [tool.ssot] in pyproject.toml)")
            }
            config = c
            baseline = try BaselineFile.read(source, c.baseline, side: revision) ?? Baseline()
            target = try commitSide(r, tree, c)
            let t = try r.commitTime(commit)
            today = CalendarDay(unixTime: t.seconds, offsetMinutes: t.offsetMinutes)
            revisionName = commit.description
        } else {
            let selection = try WorktreeSelection(context, paths: nil, command: "report on (use --rev)")
            repo = selection.repo
            config = selection.config
            baseline = selection.baseline
            workingTree = selection.tree
            let tree = selection.tree
            target = Side(paths: selection.candidates, scan: { checker in
                let c = checker.config
                return ParallelScan.run(selection.candidates, checker: checker, reader: .concurrent { path in
                    try tree.readChecked(path, maxSize: c.maxFileSize, config: c)
                })
            }, bytes: { path in
                guard case let .bytes(b)? = try? tree.readChecked(path, maxSize: config.maxFileSize) else { return nil }
                return b
            }, modules: selection.index?.entries().map(\.path).filter { $0.hasSuffix(".py") || $0.hasSuffix(".pyi") }
                ?? selection.candidates)
            revisionName = "working tree"
        }
        Trace.mark("config, baseline and files")
        let now = measure(target, config)
        Trace.mark("what fix would fix")
        var report = MigrationReport(revision: revisionName, depth: depth)
        report.scanned = now.scanned
        report.unchecked = now.unchecked
        var rates: [String: Double] = [:]
        var baseStandings: [String: MigrationReport.Standing] = [:]
        var changed: Set<String>?
        if let base {
            guard let repo else { throw Failure.usage("--base needs a git repository") }
            guard let commit = try repo.commit(base) else { throw Failure.usage("--base \(base): no such commit") }
            let tree = try repo.tree(ofCommit: commit)
            let then = measure(try commitSide(repo, tree, config), config)
            let t = try repo.commitTime(commit)
            let baseDay = CalendarDay(unixTime: t.seconds, offsetMinutes: t.offsetMinutes)
            for s in MigrationReport.standings(config, findings: then.findings, canonical: then.canonical, baseline: Baseline(), fixable: [:], today: baseDay) {
                baseStandings[s.rule] = s
            }
            report.base = commit.description
            changed = try changedSince(repo, tree, targetTree, workingTree, target.paths)
            let days = max(1, today.days - baseDay.days)
            let current = MigrationReport.standings(config, findings: now.findings, canonical: now.canonical, baseline: baseline,
                                                       fixable: [:], today: today)
            for s in current { rates[s.rule] = Double((baseStandings[s.rule]?.legacyFiles ?? s.legacyFiles) - s.legacyFiles) / Double(days) }
            Trace.mark("the base")
        }
        report.standings = MigrationReport.standings(config, findings: now.findings, canonical: now.canonical, baseline: baseline,
                                                     fixable: now.fixable,
                                                     today: today, rate: rates)
        Trace.mark("report: standings")
        if let changed {
            for s in report.standings {
                let before = baseStandings[s.rule]
                let inChanged = now.findings.filter { changed.contains($0.path) }
                let legacy = inChanged.filter { $0.rule == s.rule }.count
                let shadow = (now.canonical[s.rule] ?? [:]).filter { changed.contains($0.key) }
                let canonical = shadow.values.reduce(0, +)
                let touched = Set(inChanged.filter { $0.rule == s.rule }.map(\.path)).union(shadow.keys)
                report.changes[s.rule] = MigrationReport.Change(
                    legacy: s.legacy - (before?.legacy ?? 0), legacyFiles: s.legacyFiles - (before?.legacyFiles ?? 0),
                    compliance: s.compliance.flatMap { a in before?.compliance.map { a - $0 } },
                    newCode: legacy + canonical == 0 ? nil : 100 * Double(canonical) / Double(legacy + canonical),
                    newCodeFiles: touched.count)
            }
        }
        let places = MigrationReport.places(now.findings, legacyRules: Set(config.rules.map(\.id)), depth: depth, top: top)
        report.folders = places.folders
        report.files = places.files
        Trace.mark("report: places")
        return (report, now.messages)
    }

    /// Every selected Python file of `tree`, read from the object database.
    func commitSide(_ repo: Repository, _ tree: Tree, _ config: Config) throws -> Side {
        let pool = ReaderPool(repo)
        let all = try repo.changes(from: nil, to: tree, helpers: { pool.handles(for: 1 << 20) }).filter { $0.status != .deleted }
        let python = all.filter { config.selects($0.newPath) }
        let byPath = Dictionary(python.map { ($0.newPath, $0) }, uniquingKeysWith: { a, _ in a })
        let source = CommitTree(repository: repo, tree: tree)
        return Side(paths: python.map(\.newPath), scan: { checker in
            let c = checker.config
            return ParallelScan.run(python.map(\.newPath), checker: checker,
                             reader: .blobs(pool.handles(for: python.count)) { reader, path in
                let e = byPath[path]!
                return try BlobReader.read(reader, oid: e.newOID, mode: e.newMode, intentToAdd: false, maxSize: c.maxFileSize)
            })
        }, bytes: { path in (try? source.bytes(at: path)) ?? nil },
        modules: all.map(\.newPath).filter { $0.hasSuffix(".py") || $0.hasSuffix(".pyi") })
    }

    /// One scan with each rule's shadow beside it, then the fix's planner on the files with legacy imports.
    func measure(_ side: Side, _ config: Config) -> Measure {
        var shadowed = config
        let shadows = config.rules.compactMap(MigrationReport.shadow)
        shadowed.rules += shadows
        // Inline ignores silence a rule, not its shadow's count: the shadows are counted, never reported.
        let reports = side.scan(FileChecker(config: shadowed, tallied: Set(shadows.map(\.id))))
        let legacyOf = Dictionary(config.rules.map { (MigrationReport.shadowID($0.id), $0.id) }, uniquingKeysWith: { a, _ in a })
        var m = Measure()
        m.scanned = reports.filter(\.scanned).count
        m.unchecked = reports.compactMap { r in r.uncheckable.map { (r.path, $0) } }.sorted { Bytewise.less($0.path, $1.path) }
        for r in reports {
            m.messages += r.messages
            m.findings += r.findings
            for (id, n) in r.tally { if let rule = legacyOf[id] { m.canonical[rule, default: [:]][r.path] = n } }
        }
        Trace.mark("scan with the shadows (\(m.scanned) files)")
        // Only `from M import n` of an import rule with a canonical module can be rewritten (SPEC 8):
        // files with no such finding are not planned (most findings of a busy singleton rule), and
        // the planner is given those findings only (any other it would refuse, after scanning the
        // file again to find what import it is).
        let movable = Set(config.rules.filter { $0.kind == .import && $0.canonical != nil }.map(\.id))
        func isMovable(_ f: Finding) -> Bool {
            movable.contains(f.rule) && f.fingerprint.hasPrefix("from ") && !f.fingerprint.hasSuffix(" import *")
        }
        let work = reports.filter { $0.findings.contains(where: isMovable) }
        let resolver = FixRun.resolver(config, files: side.modules, read: side.bytes)
        Trace.mark("the resolver, \(work.count) files to plan")
        let counts: [[String: Int]] = Parallel.map(work.count, inlineBelow: 4) { i in
            let r = work[i]
            guard let bytes = side.bytes(r.path) else { return [:] }
            var planner = FilePlanner(path: r.path, bytes: bytes, config: config, resolver: resolver)
            planner.collectsMentions = false
            var out: [String: Int] = [:]
            for d in planner.plan(r.findings.filter(isMovable)).decisions where d.reason == nil { out[d.finding.rule, default: 0] += 1 }
            return out
        }
        for c in counts { m.fixable.merge(c, uniquingKeysWith: +) }
        Trace.mark("the plans of \(work.count) files")
        return m
    }

    /// The files that differ from `base`: between two commits by their trees,
    /// for the working tree by the blob id of each file's bytes.
    func changedSince(_ repo: Repository, _ base: Tree, _ target: Tree?, _ working: WorkingTree?, _ paths: [String]) throws -> Set<String> {
        if let target {
            return Set(try repo.changes(from: base, to: target).filter { $0.status != .deleted }.map(\.newPath))
        }
        guard let working else { return [] }
        let flags: [Bool] = Parallel.map(paths.count) { i in
            guard let bytes = try? working.bytes(at: paths[i]) else { return false }
            return base.entry(paths[i])?.oid != Repository.blobID(of: bytes)
        }
        return Set(paths.indices.filter { flags[$0] }.map { paths[$0] })
    }
}
