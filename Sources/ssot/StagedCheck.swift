import Foundation
import GitStore
import SSOTCore

/// `ssot check --staged`: the pre-commit gate. The parent is HEAD (the empty
/// tree on an unborn branch), the proposed tree is the index git is about to
/// commit (`GIT_INDEX_FILE`), and config and baseline come from HEAD, so a
/// commit cannot loosen its own rules.
struct StagedCheck {
    let directory: String
    let configOverride: Config?
    let noBaseline: Bool
    let environment: [String: String]

    struct Outcome {
        var judgement: ChangeJudgement
        var config: Config?
        var repository: Repository?
        var index: IndexFile?
        /// `GIT_INDEX_FILE`, when git named one: where a tightened baseline is staged.
        var indexOverride: String?
        /// HEAD, whose whole baseline tightening applies its plan to.
        var head: Tree?
    }

    func run() throws -> Outcome {
        Trace.mark("start-up and arguments")
        let repo = try RepositoryProblem.wrap { try Repository.open(at: directory, environment: environment) }
        Trace.mark("libgit2 init and open")
        if repo.isBare { throw Failure.repository("\(repo.gitDir) is a bare repository: nothing is staged there") }
        let indexFile = GitEnvironment.indexFile(environment, relativeTo: directory)
        let index = try RepositoryProblem.wrap { try repo.indexFile(at: indexFile) }
        Trace.mark("index read")
        let head = try RepositoryProblem.wrap { try repo.headTree() }
        let check = ChangeCheck(repository: repo, mode: .staged, parent: head, proposed: .index(index), rulesFrom: head,
                                configOverride: configOverride, noBaseline: noBaseline)
        guard let input = try check.prepare() else {
            var verdict = Verdict(mode: .staged)
            verdict.messages.append(FileMessage(.note, path: "HEAD", head == nil
                ? "no commit yet and no ssot config: ssot is not adopted here (`ssot init` adopts it)"
                : "HEAD has no ssot config (ssot.toml or [tool.ssot] in pyproject.toml): ssot is not adopted here; `ssot init` adopts it"))
            return Outcome(judgement: ChangeJudgement(verdict: verdict, tightened: nil), config: nil, repository: repo, index: index,
                           indexOverride: indexFile)
        }
        return Outcome(judgement: ChangeGate.judge(input), config: input.config, repository: repo, index: index,
                       indexOverride: indexFile, head: head)
    }
}

/// Which changed paths the gate scans and which leave the baseline's view.
struct ChangePlan {
    var scanned: [FileChange] = []
    var scannedByPath: [String: FileChange] = [:]
    var removed: [String] = []
    var renames: [String: String] = [:]
    /// Added or changed `.pyc` and `.pyo` files, `__pycache__` included: Python
    /// imports one outside `__pycache__` when no source stands beside it, one
    /// inside as a module of the `__pycache__` namespace package
    /// (`import app.__pycache__.evil`), and an unchecked-hash one (PEP 552)
    /// in place of its source. The gate cannot check any of them.
    var strayBytecode: [String] = []

    init(changes: [FileChange], config: Config) {
        for change in changes {
            if change.status != .deleted, change.newPath.hasSuffix(".pyc") || change.newPath.hasSuffix(".pyo"),
               !config.exclude.contains(where: { $0.matches(change.newPath) }) {
                strayBytecode.append(change.newPath)
            }
            let newSelected = change.status != .deleted && config.selects(change.newPath)
            let oldSelected = change.status != .added && config.selects(change.oldPath)
            if change.status == .renamed && oldSelected { renames[change.oldPath] = change.newPath }
            if newSelected {
                scanned.append(change)
                scannedByPath[change.newPath] = change
            } else if oldSelected {
                removed.append(change.oldPath)
            }
        }
    }
}

/// Reads a baseline file from one side of a change. A baseline that cannot
/// be read stops the run (exit 2), and nothing is ever written over it.
enum BaselineFile {
    static func read(_ tree: SourceTree, _ path: String, side: String, paths: Set<String>? = nil) throws -> Baseline? {
        try checked(side: side) { try tree.withBytes(at: path) { try Baseline.parse($0, file: path, paths: paths) } }
    }

    /// `body`'s malformed baseline as SPEC section 7's exit 2, with the way out.
    static func checked<T>(side: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as BaselineError {
            throw Failure.usage("malformed baseline (\(side)): \(error.description); fix it or regenerate it with `ssot baseline`")
        }
    }
}
