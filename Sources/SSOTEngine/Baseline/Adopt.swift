import GitStore
import SSOTCore

/// `ssot init`: adopt ssot in one commit. It writes a starter config when
/// there is none, stages it, and writes and stages the first baseline next
/// to it, so that config and baseline land together (a baseline committed
/// after its config is growth).
public struct Adopt {
    public struct Outcome {
        public var configFile: String
        /// Whether the config was written here (else the repository's was used).
        public var wroteConfig: Bool
        public var config: Config
        public var baseline: Baseline
        public var messages: [FileMessage]
    }

    /// Asked for a first rule when a starter config is written; nil for none.
    public let firstRule: () -> (banned: String, canonical: String)?

    public init(firstRule: @escaping () -> (banned: String, canonical: String)?) { self.firstRule = firstRule }

    public func run(_ context: CheckContext) throws -> Outcome {
        let repo = try Repository.open(at: context.directory, environment: context.environment)
        guard let workdir = repo.workdir else { throw Failure.repository("\(repo.gitDir) is a bare repository") }
        let head = try repo.headTree()
        if let adopted = try? ConfigLoader.load(from: CommitTree(repository: repo, tree: head)) {
            throw Failure.usage("ssot is already adopted: HEAD has \(adopted.file); run `ssot baseline` to rewrite the baseline")
        }
        let tree = WorkingTree(root: workdir)
        let configFile: String
        var wrote = false
        if try tree.bytes(at: "ssot.toml") != nil {
            configFile = "ssot.toml"
        } else if let bytes = try tree.bytes(at: "pyproject.toml"), try ConfigLoader.parse(bytes, file: "pyproject.toml") != nil {
            configFile = "pyproject.toml"
        } else {
            configFile = try StarterConfig.write(into: tree, rule: firstRule())
            wrote = true
        }
        guard let bytes = try tree.bytes(at: configFile), let config = try ConfigLoader.parse(bytes, file: configFile) else {
            throw Failure.usage("cannot read \(configFile)")
        }
        let index = try repo.index()
        try BaselineWriter(repo: repo, index: index, path: configFile).stage(bytes)
        var messages: [FileMessage] = []
        let baseline = Baseline(findings: StagedScan.findings(repo, index, config, messages: &messages))
        try BaselineWriter(repo: repo, index: index, path: config.baseline).write(baseline)
        return Outcome(configFile: configFile, wroteConfig: wrote, config: config, baseline: baseline, messages: messages)
    }
}
