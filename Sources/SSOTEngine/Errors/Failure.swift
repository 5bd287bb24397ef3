/// SPEC section 7's exit statuses.
public enum ExitStatus: Int32, Error, Sendable {
    case accepted = 0
    case rejected = 1
    case usage = 2
    case repository = 3
}

/// An error that ends the run with a message: a usage, config or baseline
/// problem (exit 2), or a repository one (exit 3). Config, baseline and git
/// errors keep their own types (`ConfigError`, `BaselineError`, `GitError`)
/// up to the one mapping the executable makes of them.
public struct Failure: Error, Sendable {
    public var status: ExitStatus
    public var message: String

    public init(status: ExitStatus, message: String) {
        self.status = status
        self.message = message
    }

    public static func usage(_ message: String) -> Failure { Failure(status: .usage, message: message) }
    public static func repository(_ message: String) -> Failure { Failure(status: .repository, message: message) }
}
