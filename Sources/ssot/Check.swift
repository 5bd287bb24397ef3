import ArgumentParser
import Foundation
import GitStore
import SSOTCore

/// Options every command that touches a repository shares.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if ssot was started in DIR.", valueName: "DIR"))
    var directory: String?

    @Option(help: ArgumentHelp("Use this config file instead of the repository's.", valueName: "FILE"))
    var config: String?

    /// The folder to work in, absolute, after `-C`.
    func workingDirectory() throws -> String {
        let cwd = FileManager.default.currentDirectoryPath
        guard let directory else { return cwd }
        let path = directory.hasPrefix("/") ? directory : cwd + "/" + directory
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw Failure.usage("cannot change to '\(directory)': no such directory")
        }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The `--config` file, read from disk, if one was given.
    func configOverride(relativeTo directory: String) throws -> Config? {
        guard let file = config else { return nil }
        let path = file.hasPrefix("/") ? file : directory + "/" + file
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.usage("cannot read config file '\(file)'")
        }
        do {
            guard let config = try ConfigLoader.parse([UInt8](data), file: file) else {
                throw Failure.usage("\(file) has no [tool.ssot] table")
            }
            return config
        } catch let error as ConfigError {
            throw Failure.usage(error.description)
        }
    }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif, github
}

extension SSOTCommand {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check Python files against the configured rules.",
            discussion: """
            Gating modes read config and baseline from the parent commit: --staged (pre-commit), \
            --pre-receive (server hook), --range A..B (CI). With --all or PATHs, config, baseline \
            and files come from the working tree, as a linter's do.
            """)

        @Flag(help: "Check the staged change against HEAD (the pre-commit gate).")
        var staged = false

        @Flag(name: .customLong("pre-receive"), help: "Judge the ref updates on stdin (the pre-receive gate).")
        var preReceive = false

        @Option(help: ArgumentHelp("Check the change between two commits (A..B or A...B).", valueName: "A..B"))
        var range: String?

        @Flag(help: "Check every tracked Python file in the working tree.")
        var all = false

        @Argument(help: "Files or folders to check in the working tree.")
        var paths: [String] = []

        @Option(help: "Output format.")
        var format: ReportFormat = .text

        @Flag(name: .customLong("no-baseline"), help: "Ignore the baseline: every finding is new.")
        var noBaseline = false

        @OptionGroup var repository: RepositoryOptions

        func validate() throws {
            let modes = [staged, preReceive, range != nil, all, !paths.isEmpty].filter { $0 }.count
            if modes == 0 {
                throw ValidationError("say what to check: --staged, --pre-receive, --range A..B, --all or PATH…")
            }
            if modes > 1 {
                throw ValidationError("choose one of --staged, --pre-receive, --range, --all or PATH…")
            }
        }

        func run() throws {
            let directory = try repository.workingDirectory()
            let override = try repository.configOverride(relativeTo: directory)
            let environment = ProcessInfo.processInfo.environment
            if staged {
                let outcome = try StagedCheck(directory: directory, configOverride: override, noBaseline: noBaseline,
                                              environment: environment).run()
                let verdict = outcome.judgement.verdict
                Trace.mark("judge")
                Report.write(verdict, format: format, nextSteps: NextSteps.forCommit(verdict, outcome.config),
                             looseNote: outcome.config?.tighten == .off)
                Trace.mark("report")
                if verdict.rejected { throw ExitStatus.rejected }
                if let config = outcome.config, let repo = outcome.repository, let index = outcome.index {
                    try Tightening(judgement: outcome.judgement, config: config, repository: repo, index: index,
                                   head: outcome.head).apply()
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
            let (outcomes, gitDir) = try check.run(updates)
            let rejected = outcomes.contains { $0.verdict?.rejected ?? false }
            // A bypass that cannot be recorded refuses the push, before anything says it was accepted.
            if outcomes.contains(where: { $0.bypass != nil }) {
                try AuditLog.append(outcomes, accepted: !rejected, gitDir: gitDir)
            }
            PreReceiveReport.write(outcomes, format: format, rejected: rejected, environment: environment)
            if rejected { throw ExitStatus.rejected }
        }
    }
}
