import GitStore
import PythonScan
import SSOTCore
import SSOTSystem

/// `ssot fix` (SPEC 8): scan → resolve → rewrite → re-scan → tighten, on
/// the working tree, like `ruff check --fix`. A file is written only when
/// its rewrite re-parses into exactly the imports intended and has not
/// changed since it was read; the baseline only ever shrinks.
public struct FixRun {
    /// The files or folders named; nil for every tracked Python file.
    public let paths: [String]?
    /// False for `--diff` and `--check`: nothing is written.
    public let write: Bool
    /// `--unsafe-fixes`: singleton calls too.
    public let unsafeFixes: Bool

    public init(paths: [String]?, write: Bool, unsafeFixes: Bool = false) {
        self.paths = paths
        self.write = write
        self.unsafeFixes = unsafeFixes
    }

    public struct Outcome {
        public var files: [FileFix] = []
        public var messages: [FileMessage] = []
        public var baselinePath: String
        public var baselineBefore: Baseline
        /// The tightened baseline; nil when nothing changes in it.
        public var baselineAfter: Baseline?
        public var wrote: Bool
        /// Findings left over their baseline entries' allowance: new before this run, and `check --all` fails on them.
        public var overBaseline = 0
    }

    public func run(_ context: CheckContext) throws -> Outcome {
        Trace.mark("working directory and --config")
        let selection = try WorktreeSelection(context, paths: paths, command: "fix")
        let reports = selection.scan()
        Trace.mark("read and scan")
        let config = selection.config, tree = selection.tree
        let resolver = FixRun.resolver(config, files: allPythonFiles(selection)) { path in
            guard case let .bytes(bytes)? = try? tree.readChecked(path, maxSize: config.maxFileSize) else { return nil }
            return bytes
        }
        if write, tree.linkTarget(config.baseline) != nil {
            // Checked before any source is written: a run must not stop half way.
            throw Failure.usage("\(TextEscape.escape(config.baseline)) is a symbolic link, and ssot never writes through one")
        }
        var outcome = Outcome(messages: selection.messages, baselinePath: config.baseline,
                              baselineBefore: selection.baseline, wrote: write)
        for report in reports { outcome.messages += report.messages }
        // Strings naming a legacy module are looked for where findings are: a file
        // that patches `legacy.X` in a test nearly always imports it too.
        let work = reports.filter { !$0.findings.isEmpty }
        let (write, unsafe) = (self.write, self.unsafeFixes)
        // Each file is planned, checked and staged beside itself on all cores; the file system is
        // synced once; then each is renamed into place, if it is still what was read.
        let staged: [(fix: FileFix, file: AtomicFile.Staged?)?] = Parallel.map(work.count, inlineBelow: 4) { i in
            let report = work[i]
            if tree.linkTarget(report.path) != nil {
                // Never written through: the file it names is fixed as itself, if it is in the tree.
                var fix = FileFix(path: report.path, original: [], decisions: [])
                fix.note = "a symlink: not rewritten"
                return (fix, nil)
            }
            guard let bytes = try? tree.bytes(at: report.path) else { return nil }
            var fix = FixRun(paths: nil, write: write, unsafeFixes: unsafe).fixFile(report, bytes, config, resolver)
            guard write, let fixed = fix.fixed else { return (fix, nil) }
            do {
                return (fix, try AtomicFile.stage(fixed, root: tree.root, relative: report.path, sync: false))
            } catch {
                fix.refuse(FixRun.text(of: error))
                return (fix, nil)
            }
        }
        if staged.contains(where: { $0?.file != nil }) { AtomicFile.syncAll() }
        var fixes: [FileFix?] = []
        for entry in staged {
            guard let (planned, file) = entry else { continue }
            var fix = planned
            if let file {
                do {
                    // Never over what the user saved meanwhile.
                    guard try tree.bytes(at: fix.path) == fix.original else {
                        throw Failure.usage("\(TextEscape.escape(fix.path)) changed while ssot ran; not written")
                    }
                    try file.commit()
                } catch {
                    fix.refuse(FixRun.text(of: error))
                }
            }
            fixes.append(fix)
        }
        for case let fix? in fixes {
            if let note = fix.note { outcome.messages.append(FileMessage(.note, path: fix.path, note)) }
            if !fix.decisions.isEmpty || !fix.mentions.isEmpty || fix.fixed != nil { outcome.files.append(fix) }
        }
        Trace.mark("resolve and rewrite")
        outcome.baselineAfter = tightened(selection.baseline, reports, outcome.files)
        outcome.overBaseline = FixRun.over(outcome.baselineAfter ?? selection.baseline, reports, outcome.files)
        if write, let after = outcome.baselineAfter, !context.noBaseline {
            try AtomicFile.write(Array(after.serialized().utf8), root: tree.root, relative: config.baseline)
        }
        return outcome
    }

    /// The resolver over a tree's Python files, primed with what every
    /// rule's canonical and banned modules load (their writes to other
    /// modules' names are known before anything is resolved).
    /// An error as a person reads it: a `Failure`'s message, not its Swift value.
    static func text(of error: Error) -> String {
        (error as? Failure)?.message ?? "\(error)"
    }

    static func resolver(_ config: Config, files: [String], read: @escaping (String) -> [UInt8]?) -> StaticResolver {
        let modules = TreeModules(config: config, files: files, read: read)
        let resolver = StaticResolver(lookup: modules.lookup)
        resolver.prime(config.rules.filter { $0.kind == .import }.flatMap { ($0.canonical.map { [$0] } ?? []) + $0.banned })
        return resolver
    }

    /// Tracked `.py` and `.pyi` files, selected or not: any of them may be a
    /// link of a re-export chain.
    func allPythonFiles(_ selection: WorktreeSelection) -> [String] {
        if let index = selection.index {
            return index.entries().map(\.path).filter { $0.hasSuffix(".py") || $0.hasSuffix(".pyi") }
        }
        var all = selection.config
        all.include = [try! Glob("**/*.py"), try! Glob("**/*.pyi")]
        all.exclude = []
        return selection.tree.walk("", config: all)
    }

    func fixFile(_ report: FileReport, _ bytes: [UInt8], _ config: Config, _ resolver: StaticResolver) -> FileFix {
        var planner = FilePlanner(path: report.path, bytes: bytes, config: config, resolver: resolver)
        planner.unsafeFixes = unsafeFixes
        let plan = planner.plan(report.findings)
        var fix = FileFix(path: report.path, original: bytes, decisions: plan.decisions, mentions: plan.mentions)
        guard !plan.moves.isEmpty || !plan.calls.isEmpty else { return fix }
        if bytes.withUnsafeBufferPointer({ SourceEncoding.declared($0) }) != .utf8 {
            fix.refuse("the file declares an encoding other than UTF-8; ssot rewrites UTF-8 files only", whole: false)
            return fix
        }
        if let warning = report.messages.first(where: { $0.severity == .warning }) {
            // A file ssot does not read whole may not parse: it is never rewritten (SPEC 8).
            fix.refuse("the file does not scan cleanly (\(warning.text)); ssot rewrites only files it reads whole", whole: false)
            return fix
        }
        var rewrite = ImportRewrite(bytes: bytes, outline: plan.outline)
            .edits(plan.moves, additions: plan.additions, firstCall: plan.calls.map(\.range.lowerBound).min() ?? .max)
        var moves = plan.moves
        var additions = plan.additions
        if let why = rewrite.unplaced {
            // The calls need their import: without a place for it, none is rewritten.
            let calls = Set(plan.calls.map(\.range.lowerBound))
            fix.refuse("not rewritten: " + why, where: { FilePlanner.offset(of: $0, in: bytes).map(calls.contains) ?? false },
                       whole: false, as: .singletonUse)
            rewrite = ImportRewrite(bytes: bytes, outline: plan.outline).edits(plan.moves)
            additions = []
        } else {
            rewrite.edits += plan.calls
        }
        for (site, why) in rewrite.refused {
            let offsets = Set(plan.outline.sites[site].items.map(\.nameRange.lowerBound))
            moves.removeValue(forKey: site)
            fix.refuse(why, where: { FilePlanner.offset(of: $0, in: bytes).map(offsets.contains) ?? false }, whole: false)
        }
        guard !rewrite.edits.isEmpty else { return fix }
        guard let fixed = TextEdit.apply(rewrite.edits, to: bytes) else {
            fix.refuse("ssot's edits overlapped; not written (a bug: please report it)")
            return fix
        }
        switch FixVerification.check(original: bytes, fixed: fixed, outline: plan.outline, moves: moves, additions: additions,
                                     path: report.path, config: config, before: report) {
        case let .failure(why):
            fix.refuse("the rewrite did not re-parse as intended (\(why.text)); not written (a bug: please report it)")
        case let .success(after):
            fix.fixed = fixed
            fix.findingsAfter = after.findings
        }
        return fix
    }

    /// Findings over the allowance of `baseline`, after the fix.
    static func over(_ baseline: Baseline, _ reports: [FileReport], _ files: [FileFix]) -> Int {
        var after: [String: [Finding]] = [:]
        for r in reports { after[r.path] = r.findings }
        for f in files { if let a = f.findingsAfter { after[f.path] = a } }
        var counts: [BaselineKey: Int] = [:]
        for fs in after.values { for f in fs { counts[f.key, default: 0] += 1 } }
        return counts.reduce(0) { $0 + max(0, $1.value - baseline.allowed($1.key)) }
    }

    /// Each entry of a file that was scanned lowered to what is left (SPEC 8: never grown).
    func tightened(_ baseline: Baseline, _ reports: [FileReport], _ files: [FileFix]) -> Baseline? {
        var after: [String: [Finding]] = [:]
        for r in reports where r.scanned { after[r.path] = r.findings }
        for f in files { if let a = f.findingsAfter { after[f.path] = a } }
        var counts = baseline.counts
        var changed = false
        for (path, findings) in after {
            var actual: [BaselineKey: Int] = [:]
            for f in findings { actual[f.key, default: 0] += 1 }
            for (key, _) in baseline.entries(of: path) {
                let now = min(baseline.allowed(key), actual[key] ?? 0)
                if now != baseline.allowed(key) {
                    counts[key] = now == 0 ? nil : now
                    changed = true
                }
            }
        }
        return changed ? Baseline(counts: counts) : nil
    }
}

extension FileFix {
    /// Leaves the file as it was: each rewrite it planned (or those `where` picks) becomes `unresolved`.
    /// `whole`: the file is not written at all (a failed check or write), which the exit status reports.
    mutating func refuse(_ why: String, where picks: (Finding) -> Bool = { _ in true }, whole: Bool = true,
                         as reason: FixReason = .unresolved) {
        for i in decisions.indices where decisions[i].reason == nil && picks(decisions[i].finding) {
            decisions[i].reason = reason
            decisions[i].detail = why
        }
        if decisions.allSatisfy({ $0.reason != nil }) {
            fixed = nil
            findingsAfter = nil
        }
        if whole { refused = why }
    }
}
