import SSOTCore
import SSOTEngine
import SSOTReport
#if canImport(Glibc)
import Glibc
import SSOTSystem
#endif

/// What `ssot check` was asked to do, as plain values: `Check` fills it from
/// ArgumentParser's parse of any command line, `HookArguments` from the
/// hooks' own. Which mode runs, and the rule that exactly one is named, are
/// here only.
struct CheckRequest {
    /// The mode named on the command line.
    enum Target: Equatable {
        case staged
        case preReceive
        case range(String)
        case all
        case paths([String])
    }

    var target: Target
    var format: ReportFormat = .text
    var noBaseline = false
    var repository = RepositoryPaths()

    /// The one mode the flags name, or why they do not name exactly one.
    static func target(staged: Bool, preReceive: Bool, range: String?, all: Bool, paths: [String]) -> Result<Target, CheckUsage> {
        var named: [Target] = []
        if staged { named.append(.staged) }
        if preReceive { named.append(.preReceive) }
        if let range { named.append(.range(range)) }
        if all { named.append(.all) }
        if !paths.isEmpty { named.append(.paths(paths)) }
        switch named.count {
        case 0: return .failure(CheckUsage(message: "say what to check: --staged, --pre-receive, --range A..B, --all or PATH…"))
        case 1: return .success(named[0])
        default: return .failure(CheckUsage(message: "choose one of --staged, --pre-receive, --range, --all or PATH…"))
        }
    }

    /// The mode that runs it. The pre-receive hook's ref updates are read from stdin here.
    func mode() throws -> Mode {
        switch target {
        case .staged: return StagedMode()
        case .preReceive:
            guard let input = FileIO.readToEnd(0) else {
                throw Failure.repository("cannot read the ref updates on stdin: \(String(cString: strerror(errno)))")
            }
            return PreReceiveMode(input: String(decoding: input, as: UTF8.self))
        case let .range(range): return RangeMode(range: range)
        case .all: return WorktreeMode(paths: nil)
        case let .paths(paths): return WorktreeMode(paths: paths)
        }
    }

    func run() throws {
        let context = try repository.context(noBaseline: noBaseline)
        let outcome = try mode().run(context)
        // A bypass that cannot be recorded refuses the push, before anything says it was accepted.
        if case let .push(push) = outcome { try AuditLog.append(push) }
        Report.write(outcome, format: format, environment: context.environment)
        Trace.mark("report")
        if outcome.rejected { throw ExitStatus.rejected }
        if case let .verdict(_, tightening?) = outcome,
           let text = TighteningReport.render(try tightening.apply(), file: tightening.config.baseline) {
            Output.stderr(text)
        }
    }
}

/// Flags that do not name exactly one mode.
struct CheckUsage: Error {
    var message: String
}
