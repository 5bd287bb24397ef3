/// The pre-receive gate's own settings (SPEC 1.1), from the server only.
///
/// A pusher controls everything in the repository, config included: a
/// `[server]` table there could list its author as a bypass user or point the
/// audit log at `hooks/pre-receive`. So these come from the receiving
/// repository's git config (`ssot.refs`, `ssot.defaultBranch`, …, which
/// libgit2 reads together with the server's system and global config), and a
/// `[server]` table in the server-side `--config` file overrides them key by
/// key. The repository's own table never reaches this type.
public struct ServerSettings: Equatable, Sendable {
    /// The refs the gate judges.
    public var refs: [Glob] = [try! Glob("refs/heads/*")]
    /// Where a new branch's rules come from, as a full ref name; nil: the repository's HEAD.
    public var defaultBranch: String?
    public var bypassUsers: [String] = []
    /// Relative to the git directory (or absolute); nil: no audit log.
    public var auditLog: String?
    /// The one variable that names the pusher; nil: the first set of `hostVariables`.
    public var userVariable: String?

    /// What the hosting servers set, in the order they are tried when the
    /// server names no `userVariable`: GitHub Enterprise, GitLab, Gitea, and
    /// ssot's own for plain ssh (set it from a forced command).
    public static let hostVariables = ["GITHUB_USER_LOGIN", "GL_USERNAME", "GITEA_PUSHER_NAME", "SSOT_USER"]

    public init() {}

    /// A server setting that cannot be used: the gate refuses every push until it is fixed.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var key: String
        public var message: String
        public var description: String { "git config \(key): \(message)" }
    }

    /// `gitConfig(key)` gives every value of a (multi-valued) git config key,
    /// in the order git reads them; `override` is the `--config` file's table.
    public init(gitConfig: (String) throws -> [String], override: ServerConfig?) throws {
        let patterns = try gitConfig("ssot.refs").flatMap(Self.words)
        if !patterns.isEmpty {
            self.refs = try patterns.map { pattern in
                do { return try Glob(pattern) } catch let e as Glob.Error { throw Problem(key: "ssot.refs", message: "\(pattern): \(e.message)") }
            }
        }
        defaultBranch = try Self.last(gitConfig("ssot.defaultBranch"))
        bypassUsers = try gitConfig("ssot.bypassUsers").flatMap(Self.words)
        auditLog = try Self.last(gitConfig("ssot.auditLog"))
        userVariable = try Self.last(gitConfig("ssot.userVariable"))
        if let o = override {
            if let v = o.refs { self.refs = v }
            if let v = o.defaultBranch { defaultBranch = v }
            if let v = o.bypassUsers { bypassUsers = v }
            if let v = o.auditLog { auditLog = v }
            if let v = o.userVariable { userVariable = v }
        }
        if auditLog?.isEmpty == true { auditLog = nil }
        if userVariable?.isEmpty == true { userVariable = nil }
        defaultBranch = defaultBranch.flatMap { $0.isEmpty ? nil : Self.fullBranchName($0) }
    }

    /// Whether the gate judges `ref`.
    public func gates(_ ref: String) -> Bool { refs.contains { $0.matches(ref) } }

    /// The pusher, as the server names them: only `userVariable` when the
    /// server set one (so a variable the pusher's client can influence cannot
    /// stand in for it), else the first host variable that is set.
    public func user(in environment: [String: String]) -> String? {
        let keys = userVariable.map { [$0] } ?? Self.hostVariables
        for key in keys {
            if let v = environment[key], !v.isEmpty { return v }
        }
        return nil
    }

    public func mayBypass(_ user: String?) -> Bool {
        guard let user, !user.isEmpty else { return false }
        return bypassUsers.contains(user)
    }

    /// `main` and `refs/heads/main` name the same branch.
    static func fullBranchName(_ name: String) -> String {
        name.hasPrefix("refs/") ? name : "refs/heads/" + name
    }

    /// git's last value wins for a single-valued key.
    static func last(_ values: [String]) -> String? { values.last }

    /// A multi-valued key may also hold several words (`alice bob`, `alice,bob`).
    static func words(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
    }
}
