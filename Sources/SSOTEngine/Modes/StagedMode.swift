import GitStore
import SSOTCore

/// `ssot check --staged`: the pre-commit gate. The parent is HEAD (the empty
/// tree on an unborn branch), the proposed tree is the index git is about to
/// commit (`GIT_INDEX_FILE`), and config and baseline come from HEAD, so a
/// commit cannot loosen its own rules.
public struct StagedMode: Mode {
    public var kind: CheckMode { .staged }

    public init() {}

    public func run(_ context: CheckContext) throws -> CheckOutcome {
        Trace.mark("start-up and arguments")
        let repo = try Repository.open(at: context.directory, environment: context.environment)
        Trace.mark("libgit2 init and open")
        if repo.isBare { throw Failure.repository("\(repo.gitDir) is a bare repository: nothing is staged there") }
        let indexFile = GitEnvironment.indexFile(context.environment, relativeTo: context.directory)
        let index = try repo.indexFile(at: indexFile)
        Trace.mark("index read")
        let head = try repo.headTree()
        let pipeline = ChangePipeline(sides: GitSides(repository: repo, parent: head, proposed: .index(index), rulesFrom: head),
                                      mode: .staged, configOverride: context.configOverride, noBaseline: context.noBaseline)
        guard let input = try pipeline.prepare() else {
            var verdict = Verdict(mode: .staged)
            verdict.messages.append(FileMessage(.note, path: "HEAD", head == nil
                ? "no commit yet and no ssot config: ssot is not adopted here (`ssot init` adopts it)"
                : "HEAD has no ssot config (ssot.toml or [tool.ssot] in pyproject.toml): ssot is not adopted here; `ssot init` adopts it"))
            return .verdict(verdict, tightening: nil)
        }
        let judgement = ChangeGate.judge(input)
        Trace.mark("judge")
        return .verdict(judgement.verdict, tightening: Tightening(judgement: judgement, config: input.config, repository: repo,
                                                                  indexFile: indexFile, head: head))
    }
}
