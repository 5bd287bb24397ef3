import SSOTCore

/// What every mode of `ssot check` is given besides its own arguments.
public struct CheckContext {
    /// The folder to work in, absolute (after `-C`).
    public var directory: String
    /// `--config`: rules that override the repository's.
    public var configOverride: Config?
    /// `--no-baseline`: every finding is new.
    public var noBaseline: Bool
    public var environment: [String: String]

    public init(directory: String, configOverride: Config? = nil, noBaseline: Bool = false,
                environment: [String: String] = ProcessEnvironment.current) {
        self.directory = directory
        self.configOverride = configOverride
        self.noBaseline = noBaseline
        self.environment = environment
    }
}

/// One way of checking (SPEC section 4's modes). A mode is a type in a file
/// of its own and a case of `CheckMode`; it chooses the parent, the proposed
/// side and the side the rules come from, and yields a `CheckOutcome`.
public protocol Mode {
    var kind: CheckMode { get }
    func run(_ context: CheckContext) throws -> CheckOutcome
}

/// What any mode yields: one verdict, or for a push, one per ref.
public enum CheckOutcome {
    /// One change or tree judged. `tightening`, for the staged mode, is
    /// applied once the report is written and the commit accepted.
    case verdict(Verdict, tightening: Tightening?)
    case push(PushOutcome)

    public var rejected: Bool {
        switch self {
        case let .verdict(verdict, _): return verdict.rejected
        case let .push(push): return push.rejected
        }
    }
}
