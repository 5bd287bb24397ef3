import ArgumentParser
import Foundation
import GitStore

/// `ssot`: one command with a subcommand per job, each in its own file.
@main
struct SSOTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssot",
        abstract: "Keep a Python codebase's single-source-of-truth migration from sliding back.",
        version: "0.1.0",
        subcommands: [Check.self, BaselineCommand.self, InitCommand.self, RulesCommand.self, ScanBenchCommand.self]
    )

    /// Runs the command and turns every error into SPEC section 7's exit
    /// status: 2 for usage, config and baseline errors, 3 for repository and
    /// internal ones. ArgumentParser's own usage errors (64) become 2.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        Trace.mark("main")
        do {
            if let request = HookArguments.check(CommandLine.arguments.dropFirst()) {
                Trace.mark("arguments (a hook's)")
                try request.run()
            } else {
                var command = try parseAsRoot()
                Trace.mark("arguments")
                try command.run()
            }
        } catch let failure as Failure {
            Output.error(failure.message)
            Foundation.exit(failure.status.rawValue)
        } catch let status as ExitStatus {
            Foundation.exit(status.rawValue)
        } catch let error as GitError {
            // A git failure that no caller explained is still the repository's (3), never a rejection.
            Output.error(RepositoryProblem.explain(error))
            Foundation.exit(ExitStatus.repository.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .failure && !(error is ExitCode) {
                // ArgumentParser has no exit status of its own for it: an internal error.
                Output.error("\(error)")
                Foundation.exit(ExitStatus.repository.rawValue)
            }
            let message = fullMessage(for: error)
            if code == .success {
                Output.stdout(message + "\n")
                Output.flush()
                Foundation.exit(0)
            }
            if !message.isEmpty { Output.stderr(message + "\n") }
            Foundation.exit(code == .validationFailure || code.rawValue == 64 ? ExitStatus.usage.rawValue : code.rawValue)
        }
        Output.flush()
    }
}

/// SPEC section 7's exit statuses.
enum ExitStatus: Int32, Error {
    case accepted = 0
    case rejected = 1
    case usage = 2
    case repository = 3
}

/// An error that ends the run with a message and a status.
struct Failure: Error {
    var status: ExitStatus
    var message: String

    static func usage(_ message: String) -> Failure { Failure(status: .usage, message: message) }
    static func repository(_ message: String) -> Failure { Failure(status: .repository, message: message) }
}
