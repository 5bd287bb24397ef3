import Foundation
import GitStore
import SSOTCore

/// `ssot check --pre-receive`: the server gate. git gives one
/// `<old> <new> <ref>` line per ref update on stdin; every ref is judged on
/// the net change from its parent to `new`, and the push is all or nothing.
struct PreReceiveCheck {
    struct RefUpdate {
        var old: String
        var new: String
        var ref: String
    }

    /// One ref's outcome, for the report and the audit log.
    struct RefOutcome {
        var update: RefUpdate
        var verdict: Verdict?
        var note: String?
        var bypass: Bypass?
        var config: Config?
    }

    struct Bypass {
        var user: String
        var accepted: Bool
        var grown: [BaselineChange]
    }

    let directory: String
    let configOverride: Config?
    let noBaseline: Bool
    let environment: [String: String]

    static func parse(_ input: String) throws -> [RefUpdate] {
        var out: [RefUpdate] = []
        for (n, line) in input.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3, ObjectID(hex: parts[0]) != nil, ObjectID(hex: parts[1]) != nil else {
                throw Failure.usage("pre-receive input line \(n + 1) is not `<old> <new> <ref>`: \(Terminal.escape(String(line)))")
            }
            out.append(RefUpdate(old: parts[0], new: parts[1], ref: parts[2]))
        }
        return out
    }

    static let zero = String(repeating: "0", count: 40)

    /// The pusher, as the hosting server names them.
    var user: String? {
        for key in ["GITHUB_USER_LOGIN", "GL_USERNAME", "GITEA_PUSHER_NAME", "SSOT_USER"] {
            if let v = environment[key], !v.isEmpty { return v }
        }
        return nil
    }

    var pushOptions: [String] {
        guard let count = Int(environment["GIT_PUSH_OPTION_COUNT"] ?? "") else { return [] }
        return (0..<count).compactMap { environment["GIT_PUSH_OPTION_\($0)"] }
    }

    /// Every ref's outcome, and the git directory (where the audit log goes).
    func run(_ updates: [RefUpdate]) throws -> (outcomes: [RefOutcome], gitDir: String) {
        Repository.setOwnerValidation(false)
        let repo = try RepositoryProblem.wrap { try Repository.open(at: directory, environment: environment) }
        try RepositoryProblem.wrap { try repo.addObjectDirectories(from: environment, relativeTo: directory) }
        return (try updates.map { try judge($0, repo) }, repo.gitDir)
    }

    func judge(_ update: RefUpdate, _ repo: Repository) throws -> RefOutcome {
        var outcome = RefOutcome(update: update)
        if update.new == PreReceiveCheck.zero {
            outcome.note = "deleted: nothing to check"
            return outcome
        }
        if update.ref.hasPrefix("refs/tags/") {
            outcome.note = "a tag: not gated"
            return outcome
        }
        guard let new = try RepositoryProblem.wrap({ try repo.commit(update.new) }) else {
            outcome.note = "not a commit: not gated"
            return outcome
        }
        // The parent side, and the commit whose config and baseline set the rules.
        var parent: ObjectID?
        var rulesFrom: ObjectID?
        if update.old == PreReceiveCheck.zero {
            let branch = try defaultBranch(repo)
            if let tip = try RepositoryProblem.wrap({ try repo.commit(branch) }), branch != update.ref {
                parent = try RepositoryProblem.wrap { try repo.mergeBase(tip, new) }
                rulesFrom = tip
            }
        } else if let old = try RepositoryProblem.wrap({ try repo.commit(update.old) }) {
            parent = try RepositoryProblem.wrap { try repo.isAncestor(old, of: new) } ? old : try repo.mergeBase(old, new)
            rulesFrom = parent
        }
        let parentTree = try parent.map { id in try RepositoryProblem.wrap { try repo.tree(ofCommit: id) } }
        let rulesTree = try rulesFrom.map { id in try RepositoryProblem.wrap { try repo.tree(ofCommit: id) } }
        let check = ChangeCheck(repository: repo, mode: "pre-receive", parent: parentTree,
                                proposed: .tree(try RepositoryProblem.wrap { try repo.tree(ofCommit: new) }),
                                rulesFrom: rulesTree, configOverride: configOverride, noBaseline: noBaseline)
        guard var input = try check.prepare() else {
            outcome.note = rulesFrom == nil ? "no history to compare with: not gated" : "no ssot config on the parent side: not gated"
            return outcome
        }
        outcome.config = input.config
        guard input.config.server.refs.contains(where: { $0.matches(update.ref) }) else {
            outcome.note = "outside server.refs: not gated"
            return outcome
        }
        if pushOptions.contains("ssot.allow-growth") {
            let who = user ?? ""
            let accepted = !who.isEmpty && input.config.server.bypassUsers.contains(who)
            var bypass = Bypass(user: who, accepted: accepted, grown: [])
            if accepted, let proposed = input.proposedBaseline {
                bypass.grown = ChangeGate.growth(parent: input.parentBaseline, proposed: proposed,
                                                 config: input.config, renames: input.renames)
                input.parentBaseline = proposed  // the pushed baseline is the allowance
            }
            outcome.bypass = bypass
        }
        outcome.verdict = ChangeGate.judge(input).verdict
        return outcome
    }

    /// `server.default-branch` from `--config` or the config at HEAD, else HEAD's branch.
    func defaultBranch(_ repo: Repository) throws -> String {
        if let branch = configOverride?.server.defaultBranch { return branch }
        if let head = try? repo.headTree(),
           let config = try? ConfigLoader.load(from: CommitTree(repository: repo, tree: head)),
           let branch = config.server.defaultBranch {
            return branch
        }
        return repo.headReference() ?? "HEAD"
    }
}

/// Appends one JSON line per ref to `server.audit-log` whenever a push asked
/// for the growth bypass. A bypass that cannot be recorded is refused.
enum AuditLog {
    static func append(_ outcomes: [PreReceiveCheck.RefOutcome], accepted: Bool, gitDir: String) throws {
        let time = ISO8601DateFormatter().string(from: Date())
        for outcome in outcomes {
            guard let bypass = outcome.bypass, let config = outcome.config, !config.server.auditLog.isEmpty else { continue }
            let path = Repository.absolute(config.server.auditLog, relativeTo: gitDir)
            let grown = bypass.grown.map {
                "{\"path\": \(JSONReport.quote($0.key.path)), \"rule\": \(JSONReport.quote($0.key.rule)), "
                    + "\"fingerprint\": \(JSONReport.quote($0.key.fingerprint)), \"before\": \($0.before), \"after\": \($0.after)}"
            }.joined(separator: ", ")
            let line = "{\"time\": \"\(time)\", \"user\": \(JSONReport.quote(bypass.user)), \"ref\": \(JSONReport.quote(outcome.update.ref)), "
                + "\"old\": \"\(outcome.update.old)\", \"new\": \"\(outcome.update.new)\", "
                + "\"bypass\": \"\(bypass.accepted ? "accepted" : "refused")\", \"grown\": [\(grown)], "
                + "\"verdict\": \"\(accepted ? "accepted" : "rejected")\"}\n"
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw Failure.repository("cannot write the audit log \(path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            let bytes = Array(line.utf8)
            guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
                throw Failure.repository("cannot write the audit log \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
