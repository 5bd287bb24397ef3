import GitStore
import SSOTCore

/// One line of pre-receive's stdin: `<old> <new> <ref>`.
public struct RefUpdate: Equatable, Sendable {
    public var old: String
    public var new: String
    public var ref: String

    public init(old: String, new: String, ref: String) {
        self.old = old
        self.new = new
        self.ref = ref
    }

    /// The all-zero id that stands for "no ref" in a creation or deletion.
    public static let zero = String(repeating: "0", count: 40)

    public var isDeletion: Bool { new == RefUpdate.zero }
    public var isCreation: Bool { old == RefUpdate.zero }
}

/// A push's `-o ssot.allow-growth` request, for one ref.
public struct Bypass: Sendable {
    public var user: String
    public var accepted: Bool
    /// Why it was refused.
    public var reason: String?
    public var grown: [BaselineChange] = []
    public var loosened: [String] = []

    public init(user: String, accepted: Bool, reason: String? = nil) {
        self.user = user
        self.accepted = accepted
        self.reason = reason
    }
}

/// One ref's outcome, for the report and the audit log.
public struct RefOutcome: Sendable {
    public var update: RefUpdate
    public var verdict: Verdict?
    /// Why the ref passes without a check (a deletion, a tag, not adopted).
    public var note: String?
    /// Why the ref cannot be judged: it refuses the push (fails closed).
    public var refusal: String?
    public var bypass: Bypass?
    /// Said to the pusher beside the verdict (an ignored `[server]` table).
    public var notes: [String] = []

    public init(update: RefUpdate) { self.update = update }

    public var rejected: Bool { refusal != nil || (verdict?.rejected ?? false) }
}

/// What judging every ref of one push produced: the push is all or nothing.
public struct PushOutcome: Sendable {
    public var refs: [RefOutcome]
    public var gitDir: String
    public var settings: ServerSettings

    public init(refs: [RefOutcome], gitDir: String, settings: ServerSettings) {
        self.refs = refs
        self.gitDir = gitDir
        self.settings = settings
    }

    public var rejected: Bool { refs.contains(where: \.rejected) }
}
