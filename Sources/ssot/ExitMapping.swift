import ArgumentParser
import GitStore
import SSOTCore
import SSOTEngine
import SSOTReport
#if canImport(Glibc)
import Glibc
#endif

/// The one mapping from errors to SPEC section 7's exit statuses: 2 for
/// usage, config and baseline errors, 3 for repository and internal ones.
/// ArgumentParser's own usage errors (64) become 2.
enum ExitMapping {
    static func exit(for error: Error) -> Never {
        switch error {
        case let status as ExitStatus:
            Glibc.exit(status.rawValue)
        case let failure as Failure:
            Output.error(failure.message)
            Glibc.exit(failure.status.rawValue)
        case let error as ConfigError:
            Output.error(error.description)
            Glibc.exit(ExitStatus.usage.rawValue)
        case let error as BaselineError:
            Output.error("malformed baseline: \(error.description); fix it or regenerate it with `ssot baseline`")
            Glibc.exit(ExitStatus.usage.rawValue)
        case let error as GitError:
            // A git failure is the repository's (3), never a rejection.
            Output.error(RepositoryProblem.explain(error))
            Glibc.exit(ExitStatus.repository.rawValue)
        default:
            argumentParser(error)
        }
    }

    /// ArgumentParser's errors, `--help` and `--version` among them.
    static func argumentParser(_ error: Error) -> Never {
        let code = SSOTCommand.exitCode(for: error)
        if code == .failure && !(error is ExitCode) {
            // ArgumentParser has no exit status of its own for it: an internal error.
            Output.error("\(error)")
            Glibc.exit(ExitStatus.repository.rawValue)
        }
        let message = SSOTCommand.fullMessage(for: error)
        if code == .success {
            Output.stdout(message + "\n")
            Output.flush()
            Glibc.exit(0)
        }
        if !message.isEmpty { Output.stderr(message + "\n") }
        Glibc.exit(code == .validationFailure || code.rawValue == 64 ? ExitStatus.usage.rawValue : code.rawValue)
    }
}
