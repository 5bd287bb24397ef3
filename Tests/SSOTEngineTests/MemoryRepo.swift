import GitStore
import SSOTCore
import SSOTEngine

/// Files for the in-memory sides of a change, and the config and baseline
/// they carry, built the way a repository would hold them.
enum MemoryRepo {
    static let config = """
    baseline = ".ssot-baseline"

    [[rule]]
    id = "legacy-import"
    kind = "import"
    canonical = "app.canonical"
    banned = ["app.legacy"]
    message = "Import Manager from app.canonical."

    [[rule]]
    id = "legacy-singleton"
    kind = "singleton"
    banned = ["app.state.get_manager"]
    replacement = "app.context.current_manager()"
    message = "The process-wide manager is retired."

    """

    static let legacy = "from app.legacy import Manager\n"
    static let clean = "from app.canonical import Manager\n"

    typealias Files = [String: MemorySides.File]

    /// `files` as a side, with the config, and a baseline of exactly what
    /// they hold when `baselined` is set.
    static func side(_ files: [String: String], config text: String = config, baselined: Bool = true) throws -> Files {
        var out = files.mapValues { MemorySides.File($0) }
        out["ssot.toml"] = MemorySides.File(text)
        if baselined { out[".ssot-baseline"] = MemorySides.File(try baseline(files, config: text).serialized()) }
        return out
    }

    /// What `ssot baseline` would record for `files`.
    static func baseline(_ files: [String: String], config text: String = config) throws -> Baseline {
        let config = try Config.parse(text, file: "ssot.toml")!
        let checker = FileChecker(config: config)
        var findings: [Finding] = []
        for (path, source) in files where config.selects(path) {
            findings += Array(source.utf8).withUnsafeBufferPointer { checker.check(path: path, bytes: $0) }.findings
        }
        return Baseline(findings: findings)
    }

    /// The pipeline's judgement of parent → proposed.
    static func judge(_ parent: Files, _ proposed: Files, rules: Files? = nil, renames: [String: String] = [:],
                      rulesAreParent: Bool = true, override: Config? = nil, noBaseline: Bool = false,
                      mode: CheckMode = .staged) throws -> ChangeJudgement? {
        try ChangePipeline(sides: MemorySides(parent: parent, proposed: proposed, rules: rules, renames: renames), mode: mode,
                           rulesAreParent: rulesAreParent, configOverride: override, noBaseline: noBaseline).judge()
    }
}

/// A history held in memory: commits by id with their parents, refs, and
/// objects that are not commits, for the modes' choice of sides.
struct MemoryGraph: CommitGraph {
    var parents: [ObjectID: [ObjectID]] = [:]
    var refs: [String: ObjectID] = [:]
    var notCommits: [ObjectID: String] = [:]
    var head: String? = "refs/heads/main"

    static func id(_ n: Int) -> ObjectID {
        let hex = String(n, radix: 16)
        return ObjectID(hex: String(repeating: "0", count: 40 - hex.count) + hex)!
    }

    /// Adds commit `n` with the given parents.
    mutating func commit(_ n: Int, parents: [Int] = []) {
        self.parents[MemoryGraph.id(n)] = parents.map(MemoryGraph.id)
    }

    func commit(_ revision: String) throws -> ObjectID? {
        if revision == "HEAD" { return head.flatMap { refs[$0] } }
        if let id = refs[revision] ?? refs["refs/heads/" + revision] { return id }
        if let id = ObjectID(hex: revision), parents[id] != nil { return id }
        return nil
    }

    func ancestors(_ id: ObjectID) -> [ObjectID] {
        var out: [ObjectID] = [], queue = [id]
        while let next = queue.first {
            queue.removeFirst()
            if out.contains(next) { continue }
            out.append(next)
            queue += parents[next] ?? []
        }
        return out
    }

    func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID? {
        let theirs = Set(ancestors(b))
        return ancestors(a).first { theirs.contains($0) }
    }

    func pushedObject(_ oid: ObjectID) -> Repository.PushedObject {
        if let type = notCommits[oid] { return .notCommit(type) }
        return parents[oid] != nil ? .commit(oid) : .missing
    }

    func headReference() -> String? { head }
}
