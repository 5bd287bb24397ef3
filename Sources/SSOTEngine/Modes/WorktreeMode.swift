import GitStore
import SSOTCore

/// `ssot check --all` and `ssot check PATH…`: config, baseline and files come
/// from the working tree, the way a linter reads them (SPEC section 4,
/// modes). The gate's decision is the same as for a change: every file is
/// checked against the baseline's allowance, and a file that cannot be
/// checked is a warning here, not a rejection.
public struct WorktreeMode: Mode {
    /// The files or folders named; nil for `--all`.
    public let paths: [String]?
    public var kind: CheckMode { paths == nil ? .all : .paths }

    public init(paths: [String]?) { self.paths = paths }

    public func run(_ context: CheckContext) throws -> CheckOutcome {
        Trace.mark("working directory and --config")
        var repo: Repository?
        do {
            repo = try Repository.open(at: context.directory, environment: context.environment)
        } catch let error as GitError where error.kind == .notARepository {
            repo = nil  // a plain folder, walked like ruff walks one
        }
        if let repo, repo.isBare {
            throw Failure.repository("\(repo.gitDir) is a bare repository: it has no working tree to check (use --range or --pre-receive)")
        }
        let root = repo?.workdir ?? context.directory
        let tree = WorkingTree(root: root)
        guard let config = try context.configOverride ?? ConfigLoader.load(from: tree) else {
            throw Failure.usage("no ssot config in \(root): add ssot.toml or [tool.ssot] to pyproject.toml (`ssot init` writes one)")
        }
        Trace.mark("repository and config")
        let baseline = context.noBaseline ? Baseline() : try BaselineFile.read(tree, config.baseline, side: "working tree") ?? Baseline()
        var messages: [FileMessage] = []
        let candidates: [String]
        // In a repository, what git tracks: a baseline entry for any other path allows nothing.
        // Asked of the index by binary search, so naming one file in a big repository costs no set of every path.
        let index = try repo?.indexFile()
        var untracked: [String] = []
        if let paths {
            candidates = try tree.expand(paths, from: context.directory, repo: repo, config: config, messages: &messages)
        } else if let index {
            candidates = tree.trackedPythonFiles(index.entries(), config: config, messages: &messages)
            untracked = baseline.keysByPath.keys.filter { !index.tracks($0) }
        } else {
            candidates = tree.walk("", config: config)
        }
        Trace.mark("list files (\(candidates.count))")
        let reports = ParallelScan.run(candidates, checker: FileChecker(config: config), reader: .concurrent { path in
            try tree.readChecked(path, maxSize: config.maxFileSize, config: config)
        })
        Trace.mark("read and scan")
        // Entries of files git no longer tracks allow nothing: shown as loose, as a deletion's are;
        // a file git does not track is an added file, which no entry allows (SPEC 4, step 2).
        let files = reports.map { report in
            ChangedFile(path: report.path, added: index.map { !$0.tracks(report.path) } ?? false, report: report)
        }
        var input = ChangeInput(mode: kind, config: config, parentBaseline: baseline, proposedBaseline: nil,
                                files: files, removed: untracked)
        input.noBaseline = context.noBaseline
        input.uncheckableRejects = false
        var verdict = ChangeGate.judge(input).verdict
        verdict.messages = messages + verdict.messages
        return .verdict(verdict, tightening: nil)
    }
}
