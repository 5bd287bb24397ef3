import GitStore
import SSOTCore

/// What the working-tree commands (`check --all`, `check PATH`, `fix`)
/// start from: the repository if there is one, config and baseline from the
/// working tree, and the Python files git tracks there (or the PATHs given).
struct WorktreeSelection {
    var repo: Repository?
    var tree: WorkingTree
    var config: Config
    var baseline: Baseline
    var index: IndexFile?
    /// The files to look at, relative to the root.
    var candidates: [String]
    /// Baseline entries of paths git does not track.
    var untracked: [String] = []
    var messages: [FileMessage] = []

    init(_ context: CheckContext, paths: [String]?, command: String) throws {
        do {
            repo = try Repository.open(at: context.directory, environment: context.environment)
        } catch let error as GitError where error.kind == .notARepository {
            repo = nil  // a plain folder, walked like ruff walks one
        }
        if let repo, repo.isBare {
            throw Failure.repository("\(repo.gitDir) is a bare repository: it has no working tree to \(command)")
        }
        let root = repo?.workdir ?? context.directory
        tree = WorkingTree(root: root)
        guard let config = try context.configOverride ?? ConfigLoader.load(from: tree) else {
            throw Failure.usage("no ssot config in \(root): add ssot.toml or [tool.ssot] to pyproject.toml (`ssot init` writes one)")
        }
        self.config = config
        Trace.mark("repository and config")
        baseline = context.noBaseline ? Baseline() : try BaselineFile.read(tree, config.baseline, side: "working tree") ?? Baseline()
        // In a repository, what git tracks: a baseline entry for any other path allows nothing.
        // Asked of the index by binary search, so naming one file in a big repository costs no set of every path.
        index = try repo?.indexFile()
        if let paths {
            candidates = try tree.expand(paths, from: context.directory, repo: repo, config: config, messages: &messages)
        } else if let index {
            candidates = tree.trackedPythonFiles(index.entries(), config: config, messages: &messages)
            let baseline = self.baseline
            untracked = baseline.keysByPath.keys.filter { !index.tracks($0) }
        } else {
            candidates = tree.walk("", config: config)
        }
        // A symlink leans only on a file this run checks (SPEC 2): every tracked one (asked of the index,
        // no set built), or only those named (PATH mode); a walk checks every selected regular file.
        if let paths, !paths.isEmpty {
            let checked = Set(candidates)
            tree.tracks = { checked.contains($0) }
        } else if let index {
            tree.tracks = { index.tracks($0) }
        }
        Trace.mark("list files (\(candidates.count))")
    }

    /// Every candidate read and scanned on all cores.
    func scan() -> [FileReport] {
        let tree = self.tree, config = self.config
        return ParallelScan.run(candidates, checker: FileChecker(config: config), reader: .concurrent { path in
            try tree.readChecked(path, maxSize: config.maxFileSize, config: config)
        })
    }
}
