import GitStore
import SSOTCore

/// `ssot baseline`: the ratchet file, written from a scan of the whole
/// staged tree with the staged config, into the working tree and the index.
/// It refuses to grow an existing baseline unless asked to.
public struct BaselineRewrite {
    public let allowGrowth: Bool

    public init(allowGrowth: Bool) { self.allowGrowth = allowGrowth }

    public struct Outcome {
        public var path: String
        /// About the files scanned (skipped, cannot be read).
        public var messages: [FileMessage] = []
        public var findings = 0
        public var old: Baseline?
        /// The baseline written; nil when growth refused it.
        public var written: Baseline?
        /// The entries that would grow: the rewrite is refused unless growth is allowed.
        public var grown: [BaselineChange] = []
    }

    public func run(_ context: CheckContext) throws -> Outcome {
        let repo = try Repository.open(at: context.directory, environment: context.environment)
        if repo.isBare { throw Failure.repository("\(repo.gitDir) is a bare repository: it has no staged tree") }
        let index = try repo.index(at: GitEnvironment.indexFile(context.environment, relativeTo: context.directory))
        let config = try StagedConfig.load(repo, index, override: context.configOverride)
        let writer = BaselineWriter(repo: repo, index: index, path: config.baseline)
        var outcome = Outcome(path: config.baseline)
        outcome.old = try writer.existing()
        let findings = StagedScan.findings(repo, index, config, messages: &outcome.messages)
        outcome.findings = findings.count
        let new = Baseline(findings: findings)
        if let old = outcome.old {
            // As the gate judges it: entries of a rule HEAD's config does not define yet are its adoption.
            let head = try? ConfigLoader.load(from: CommitTree(repository: repo, tree: repo.headTree()))
            outcome.grown = ChangeGate.growth(parent: old, proposed: new, config: head ?? config, renames: [:])
            if !outcome.grown.isEmpty && !allowGrowth { return outcome }
        }
        try writer.write(new)
        outcome.written = new
        return outcome
    }
}

/// The config of the staged tree (or `--config`), for commands that write
/// what the next commit will carry.
public enum StagedConfig {
    public static func load(_ repo: Repository, _ index: Index, override: Config?) throws -> Config {
        guard let config = try override ?? ConfigLoader.load(from: StagedTree(repository: repo, index: index), side: "staged") else {
            throw Failure.usage("no ssot config is staged (ssot.toml or [tool.ssot] in pyproject.toml); `ssot init` adopts ssot")
        }
        return config
    }
}
