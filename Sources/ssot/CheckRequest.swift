import Foundation
import GitStore
import SSOTCore

/// What `ssot check` was asked to do, as plain values: ArgumentParser fills
/// it for every command line, and `HookArguments` for the hooks' own.
struct CheckRequest {
    var staged = false
    var preReceive = false
    var range: String?
    var all = false
    var paths: [String] = []
    var format: ReportFormat = .text
    var noBaseline = false
    var repository = RepositoryPaths()

    func run() throws {
        let directory = try repository.workingDirectory()
        let override = try repository.configOverride(relativeTo: directory)
        let environment = ProcessEnvironment.current
        if staged {
            let outcome = try StagedCheck(directory: directory, configOverride: override, noBaseline: noBaseline,
                                          environment: environment).run()
            let verdict = outcome.judgement.verdict
            Trace.mark("judge")
            Report.write(verdict, format: format, nextSteps: NextSteps.forCommit(verdict, outcome.config),
                         looseNote: outcome.config?.tighten == .off)
            Trace.mark("report")
            if verdict.rejected { throw ExitStatus.rejected }
            if let config = outcome.config, let repo = outcome.repository, outcome.index != nil {
                try Tightening(judgement: outcome.judgement, config: config, repository: repo,
                               indexFile: outcome.indexOverride, head: outcome.head).apply()
            }
            return
        }
        if preReceive {
            try runPreReceive(directory: directory, override: override, environment: environment)
            return
        }
        if let range {
            let verdict = try RangeCheck(directory: directory, range: range, configOverride: override,
                                         noBaseline: noBaseline, environment: environment).run()
            Report.write(verdict, format: format, nextSteps: NextSteps.forCommit(verdict, nil))
            if verdict.rejected { throw ExitStatus.rejected }
            return
        }
        let verdict = try WorktreeCheck(directory: directory, configOverride: override, noBaseline: noBaseline)
            .run(paths: all ? nil : paths)
        Trace.mark("judge")
        Report.write(verdict, format: format, nextSteps: NextSteps.forWorkingTree(verdict))
        Trace.mark("report")
        if verdict.rejected { throw ExitStatus.rejected }
    }

    /// Judges every ref update on stdin; the push is refused if any is.
    func runPreReceive(directory: String, override: Config?, environment: [String: String]) throws {
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let updates = try PreReceiveCheck.parse(input)
        let check = PreReceiveCheck(directory: directory, configOverride: override, noBaseline: noBaseline, environment: environment)
        let outcome = try check.run(updates)
        Trace.mark("judge")
        // A bypass that cannot be recorded refuses the push, before anything says it was accepted.
        try AuditLog.append(outcome)
        PreReceiveReport.write(outcome, format: format, environment: environment)
        Trace.mark("report")
        if outcome.rejected { throw ExitStatus.rejected }
    }
}
