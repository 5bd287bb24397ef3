import GitStore
import SSOTCore

/// The work every gating mode shares (SPEC section 4): read config and
/// baseline from the side that sets the rules, diff the parent against the
/// proposed side with rename detection, and check only the changed Python
/// files' proposed content. The sides come from git or from memory.
public struct ChangePipeline {
    public let sides: ChangeSides
    public let mode: CheckMode
    /// Whether the rules side is the parent; not for a new branch, whose
    /// rules come from the default branch's tip and whose parent is the
    /// merge base with it.
    public var rulesAreParent = true
    public let configOverride: Config?
    public let noBaseline: Bool

    public init(sides: ChangeSides, mode: CheckMode, rulesAreParent: Bool = true, configOverride: Config? = nil,
                noBaseline: Bool = false) {
        self.sides = sides
        self.mode = mode
        self.rulesAreParent = rulesAreParent
        self.configOverride = configOverride
        self.noBaseline = noBaseline
    }

    /// The change judged; nil when the rules side has no config (ssot is not
    /// adopted there).
    public func judge() throws -> ChangeJudgement? {
        try prepare().map(ChangeGate.judge)
    }

    /// The gate's input, or nil when the rules side has no config.
    public func prepare() throws -> ChangeInput? {
        // The config is small, a blob. The baseline, the one big file a commit reads,
        // is split into lines on another core while the diff runs (BaselinePrefetch).
        guard let config = try configOverride ?? ConfigLoader.load(from: sides.rules, side: "in the parent commit") else {
            return nil
        }
        Trace.mark("config")
        let parentFile = BaselinePrefetch(sides.rules, path: config.baseline, lend: sides.lend)
        let changes = try sides.changes()
        Trace.mark("diff (\(changes.count) changes)")
        var proposedBaseline: Baseline?
        var parentBaseline: Baseline
        if changes.contains(where: { $0.newPath == config.baseline || $0.oldPath == config.baseline }) {
            // The change touches the baseline: growth is judged on the whole file.
            proposedBaseline = try BaselineFile.read(sides.proposed, config.baseline, side: "proposed") ?? Baseline()
            parentBaseline = try parentFile.whole(side: "parent") ?? Baseline()
        } else {
            // Otherwise only the entries of the changed files the config selects matter,
            // and with none, the baseline is not consulted at all.
            let paths = Set(changes.flatMap { [$0.oldPath, $0.newPath] }.filter { config.selects($0) })
            parentBaseline = paths.isEmpty ? Baseline.partial()
                : try parentFile.entries(of: paths, side: "parent") ?? Baseline.partial()
        }
        Trace.mark("baseline (\(parentBaseline.counts.count) entries kept)")
        let plan = ChangePlan(changes: changes, config: config)
        let reports = ParallelScan.run(plan.scanned.map(\.newPath), checker: FileChecker(config: config, thorough: true),
                                       reader: try sides.reader(for: plan.scanned, config: config))
        Trace.mark("scan (\(reports.count) files)")
        var files = zip(plan.scanned, reports).map { change, report in
            ChangedFile(path: change.newPath, oldPath: change.status == .renamed ? change.oldPath : nil,
                        added: change.status == .added || change.status == .copied, report: report)
        }
        for path in plan.strayBytecode {
            var report = FileReport(path: path)
            report.scanned = false
            report.uncheckable = "compiled bytecode: Python can import it in place of a source, and ssot cannot check it"
            files.append(ChangedFile(path: path, report: report))
        }
        var input = ChangeInput(mode: mode, config: config, parentBaseline: parentBaseline, proposedBaseline: proposedBaseline,
                                files: files, removed: plan.removed, renames: plan.renames)
        input.noBaseline = noBaseline
        // A server's --config sets the rules whatever the repository says; otherwise a
        // change to a config file is compared setting by setting (SPEC 4, step 5), and so is
        // every branch whose rules come from elsewhere: a branch created at an old commit
        // must not carry that commit's looser rules from then on.
        if configOverride == nil, !rulesAreParent
            || changes.contains(where: { ConfigLoader.candidates.contains($0.newPath) || ConfigLoader.candidates.contains($0.oldPath) }) {
            input.configChange = configChange(rules: config, proposed: sides.proposed)
        }
        return input
    }

    /// The proposed effective config against the rules side's (SPEC 4, step 5).
    func configChange(rules: Config, proposed: SourceTree) -> ConfigChange {
        do {
            return .edited(before: rules, after: try ConfigLoader.load(from: proposed))
        } catch let error as ConfigError {
            return .unreadable(error.description)
        } catch {
            return .unreadable("\(error)")
        }
    }
}
