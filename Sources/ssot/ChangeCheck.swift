import Foundation
import GitStore
import SSOTCore

/// What a gating mode proposes: the index being committed, or a pushed or
/// named commit's tree.
enum ProposedSide {
    case index(IndexFile)
    case tree(Tree)
}

/// The work every gating mode shares (SPEC section 4): read config and
/// baseline from the side that sets the rules, diff the parent against the
/// proposed side with rename detection, and check only the changed Python
/// files' proposed blobs.
struct ChangeCheck {
    let repository: Repository
    let mode: CheckMode
    /// The parent side of the diff; nil is the empty tree.
    let parent: Tree?
    let proposed: ProposedSide
    /// Where config and baseline come from: the parent, or for a new branch
    /// on the server, the default branch's tip.
    let rulesFrom: Tree?
    /// Whether the rules side is the parent; not for a new branch, whose
    /// rules come from the default branch's tip and whose parent is the
    /// merge base with it.
    var rulesAreParent = true
    let configOverride: Config?
    let noBaseline: Bool

    init(repository: Repository, mode: CheckMode, parent: Tree?, proposed: ProposedSide, rulesFrom: Tree?,
         rulesAreParent: Bool = true, configOverride: Config?, noBaseline: Bool) {
        self.repository = repository
        self.mode = mode
        self.parent = parent
        self.proposed = proposed
        self.rulesFrom = rulesFrom
        self.rulesAreParent = rulesAreParent
        self.configOverride = configOverride
        self.noBaseline = noBaseline
    }

    /// The gate's input, or nil when the rules side has no config (ssot is
    /// not adopted there).
    func prepare() throws -> ChangeInput? {
        let rules = CommitTree(repository: repository, tree: rulesFrom)
        // The parent's baseline, the one big file a commit reads, comes from the
        // working tree when git proves it unchanged, and is split into lines
        // while the diff runs (BaselinePrefetch); the config is small, a blob.
        var rulesBaseline = rules
        if case let .index(index) = proposed { rulesBaseline.index = index }
        let config: Config
        do {
            guard let loaded = try configOverride ?? ConfigLoader.load(from: rules) else { return nil }
            config = loaded
        } catch let error as ConfigError {
            throw Failure.usage("\(error.description) (in the parent commit)")
        }
        Trace.mark("config")
        let parentFile = BaselinePrefetch(rulesBaseline, path: config.baseline)
        let pool = ReaderPool(repository)
        let changes: [FileChange]
        var stagedIndex: IndexFile?
        let proposedTree: SourceTree
        switch proposed {
        case let .index(index):
            changes = try RepositoryProblem.wrap { try repository.changes(from: parent, to: index) }
            stagedIndex = index
            proposedTree = StagedTree(repository: repository, index: index)
        case let .tree(tree):
            changes = try RepositoryProblem.wrap { try repository.changes(from: parent, to: tree, helpers: pool.all) }
            proposedTree = CommitTree(repository: repository, tree: tree)
        }
        Trace.mark("diff (\(changes.count) changes)")
        var proposedBaseline: Baseline?
        var parentBaseline: Baseline
        if changes.contains(where: { $0.newPath == config.baseline || $0.oldPath == config.baseline }) {
            // The change touches the baseline: growth is judged on the whole file.
            proposedBaseline = try BaselineFile.read(proposedTree, config.baseline, side: "proposed") ?? Baseline()
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
        let checker = FileChecker(config: config, thorough: true)
        var links: [String: FileRead] = [:]
        for change in plan.scanned where change.newMode == 0o120000 {
            links[change.newPath] = try RepositoryProblem.wrap {
                try BlobReader.symlink(repository, path: change.newPath, oid: change.newOID, tree: proposedTree, config: config)
            }
        }
        let reports = ParallelScan.run(plan.scanned.map(\.newPath), checker: checker, reader: .blobs(pool.handles(for: plan.scanned.count)) { repo, path in
            if let link = links[path] { return link }
            let change = plan.scannedByPath[path]!
            return try BlobReader.read(repo, oid: change.newOID, mode: change.newMode,
                                       intentToAdd: stagedIndex?.entry(path)?.intentToAdd ?? false, maxSize: config.maxFileSize)
        })
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
            input.configChange = configChange(rules: config, proposed: proposedTree)
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
