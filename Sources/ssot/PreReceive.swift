import GitStore
import SSOTCore

/// `ssot check --pre-receive`: the server gate. git gives one
/// `<old> <new> <ref>` line per ref update on stdin; every ref is judged on
/// the net change from its parent to `new`, and the push is all or nothing.
///
/// Everything pushed is hostile: the gate's own settings come from the
/// server (`ServerSettings`), an existing ref is judged against what it holds
/// now whatever the push's shape (so a force push cannot roll the ratchet
/// back or bring in unrelated history), and whatever cannot be judged
/// refuses the push (SPEC 4).
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
        /// Why the ref passes without a check (a deletion, a tag, not adopted).
        var note: String?
        /// Why the ref cannot be judged: it refuses the push (fails closed).
        var refusal: String?
        var bypass: Bypass?
        /// Said to the pusher beside the verdict (an ignored `[server]` table).
        var notes: [String] = []

        var rejected: Bool { refusal != nil || (verdict?.rejected ?? false) }
    }

    /// A push's `-o ssot.allow-growth` request, for one ref.
    struct Bypass {
        var user: String
        var accepted: Bool
        /// Why it was refused.
        var reason: String?
        var grown: [BaselineChange] = []
        var loosened: [String] = []
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

    var pushOptions: [String] {
        guard let count = Int(environment["GIT_PUSH_OPTION_COUNT"] ?? "") else { return [] }
        return (0..<count).compactMap { environment["GIT_PUSH_OPTION_\($0)"] }
    }

    /// What judging every ref of one push produced.
    struct Outcome {
        var refs: [RefOutcome]
        var gitDir: String
        var settings: ServerSettings
        var rejected: Bool { refs.contains(where: \.rejected) }
    }

    func run(_ updates: [RefUpdate]) throws -> Outcome {
        Repository.setOwnerValidation(false)
        let repo = try RepositoryProblem.wrap { try Repository.open(at: directory, environment: environment) }
        try RepositoryProblem.wrap { try repo.addObjectDirectories(from: environment, relativeTo: directory) }
        let settings: ServerSettings
        do {
            settings = try ServerSettings(gitConfig: { key in try RepositoryProblem.wrap { try repo.configValues(key) } },
                                          override: configOverride?.server)
        } catch let problem as ServerSettings.Problem {
            throw Failure.usage("the server's ssot settings cannot be used: \(problem.description)")
        }
        var adoption = Adoption(repo: repo, settings: settings, override: configOverride)
        var refs: [RefOutcome] = []
        let deleted = Set(updates.filter { $0.new == PreReceiveCheck.zero }.map(\.ref))
        for update in updates {
            var outcome = try judge(update, repo, settings, &adoption)
            if update.new == PreReceiveCheck.zero, configOverride == nil, settings.gates(update.ref),
               try adoption.isLastAdopted(update, deleted: deleted) {
                outcome.note = nil
                outcome.refusal = "deleting the last gated branch that holds the ssot config would un-adopt ssot, and the next"
                    + " push could recreate it with anything; push another branch with the config first, or remove ssot on the server"
            }
            refs.append(outcome)
        }
        return Outcome(refs: refs, gitDir: repo.gitDir, settings: settings)
    }

    func judge(_ update: RefUpdate, _ repo: Repository, _ settings: ServerSettings, _ adoption: inout Adoption) throws -> RefOutcome {
        var outcome = RefOutcome(update: update)
        if update.new == PreReceiveCheck.zero {
            outcome.note = "deleted: nothing to check"
            return outcome
        }
        if update.ref.hasPrefix("refs/tags/") {
            outcome.note = "a tag: not gated"
            return outcome
        }
        guard settings.gates(update.ref) else {
            outcome.note = "outside the gated refs (ssot.refs): not gated"
            return outcome
        }
        let new: ObjectID
        switch repo.pushedObject(ObjectID(hex: update.new)!) {
        case let .commit(id): new = id
        case .missing:
            outcome.refusal = "cannot read the pushed commit \(update.new): a hook or wrapper that runs ssot without git's"
                + " quarantine variables (GIT_QUARANTINE_PATH, GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES)"
                + " hides the pushed objects; pass git's environment through to ssot"
            return outcome
        case let .notCommit(type):
            outcome.refusal = "the push makes a gated branch point at a \(type), not a commit"
            return outcome
        }
        // The parent side, and the commit whose config and baseline set the rules.
        let parent: ObjectID?
        let rulesFrom: ObjectID
        /// The branch the rules come from, when it is not the ref itself.
        var rulesBranch: String?
        if update.old != PreReceiveCheck.zero {
            guard case let .commit(old) = repo.pushedObject(ObjectID(hex: update.old)!) else {
                outcome.refusal = "cannot read the commit the ref holds now (\(update.old)): the repository is damaged"
                return outcome
            }
            parent = old
            rulesFrom = old
        } else {
            let branch = settings.defaultBranch ?? repo.headReference() ?? "HEAD"
            // The rules' branch must itself be gated: a tag or an ungated ref can be moved by anyone.
            guard branch != update.ref, settings.gates(branch), let tip = try RepositoryProblem.wrap({ try repo.commit(branch) }) else {
                if try adoption.adopted() {
                    outcome.refusal = "a new branch takes its rules from the default branch \(Terminal.escape(branch)),"
                        + " which does not exist on the server; set the branch that holds the rules on the server:"
                        + " git config ssot.defaultBranch refs/heads/main"
                } else {
                    outcome.note = "no default branch (\(Terminal.escape(branch))) and no ssot config on any gated branch: ssot is not adopted here"
                }
                return outcome
            }
            parent = try RepositoryProblem.wrap { try repo.mergeBase(tip, new) }
            rulesFrom = tip
            rulesBranch = rulesFrom == parent ? nil : branch
        }
        let parentTree = try parent.map { id in try RepositoryProblem.wrap { try repo.tree(ofCommit: id) } }
        let rulesTree = try RepositoryProblem.wrap { try repo.tree(ofCommit: rulesFrom) }
        let check = ChangeCheck(repository: repo, mode: .preReceive, parent: parentTree,
                                proposed: .tree(try RepositoryProblem.wrap { try repo.tree(ofCommit: new) }),
                                rulesFrom: rulesTree, rulesAreParent: rulesFrom == parent,
                                configOverride: configOverride, noBaseline: noBaseline)
        var prepared = try check.prepare()
        if prepared == nil && update.old != PreReceiveCheck.zero {
            // A branch whose tip is from before adoption (pushed as a new branch at an old
            // commit) takes the default branch's rules while ssot is adopted there, so it
            // cannot become a place where nothing is gated.
            let branch = settings.defaultBranch ?? repo.headReference() ?? "HEAD"
            if branch != update.ref, settings.gates(branch), let tip = try RepositoryProblem.wrap({ try repo.commit(branch) }) {
                let tipTree = try RepositoryProblem.wrap { try repo.tree(ofCommit: tip) }
                prepared = try ChangeCheck(repository: repo, mode: .preReceive, parent: parentTree,
                                           proposed: .tree(try RepositoryProblem.wrap { try repo.tree(ofCommit: new) }),
                                           rulesFrom: tipTree, rulesAreParent: false, configOverride: configOverride,
                                           noBaseline: noBaseline).prepare()
                if prepared != nil {
                    rulesBranch = branch
                    outcome.notes.append("the ref's current commit has no ssot config: judged with the rules of \(Terminal.escape(branch))")
                }
            } else if try adoption.adopted() {
                outcome.refusal = "the ref's current commit has no ssot config, and the default branch \(Terminal.escape(branch)) that"
                    + " would give its rules does not exist; set it on the server: git config ssot.defaultBranch refs/heads/main"
                return outcome
            }
        }
        guard var input = prepared else {
            outcome.note = "no ssot config on the rules side (\(update.old == PreReceiveCheck.zero ? "the default branch" : "the ref's current commit")): not gated"
            return outcome
        }
        if configOverride == nil && !input.config.server.isEmpty {
            outcome.notes.append("the repository's [server] table (\(Terminal.escape(input.config.file))) is ignored:"
                + " the gate's settings come from the server's git config (ssot.*) only")
        }
        if pushOptions.contains("ssot.allow-growth") {
            let who = settings.user(in: environment)
            var bypass = Bypass(user: who ?? "", accepted: false)
            if !settings.mayBypass(who) {
                bypass.reason = "not in the server's ssot.bypassUsers"
            } else if settings.auditLog == nil {
                bypass.reason = "the server keeps no audit log (git config ssot.auditLog), and a bypass must be recorded"
            } else {
                bypass.accepted = true
            }
            input.bypass = bypass.accepted
            outcome.bypass = bypass
        }
        let judgement = ChangeGate.judge(input)
        outcome.verdict = judgement.verdict
        if !judgement.verdict.loosened.isEmpty && rulesBranch != nil {
            outcome.notes.append("this branch's config is compared with the rules of \(Terminal.escape(rulesBranch!)):"
                + " merge or rebase it onto that branch first, so that it carries today's rules")
        }
        outcome.bypass?.grown = judgement.bypassedGrowth
        outcome.bypass?.loosened = judgement.bypassedLoosenings
        return outcome
    }
}

/// Whether ssot is adopted anywhere in the receiving repository: asked only
/// when a new branch's rules cannot be found, to tell "not adopted" (pass)
/// from "adopted, but the default branch is missing" (refuse), and when a
/// push deletes a branch that holds the config. The gated refs that hold a
/// config are listed once a push, however many refs it deletes.
struct Adoption {
    let repo: Repository
    let settings: ServerSettings
    let override: Config?
    private var adoptedRefs: Set<String>?

    init(repo: Repository, settings: ServerSettings, override: Config?) {
        self.repo = repo
        self.settings = settings
        self.override = override
    }

    /// Every gated ref whose tip has a config (one that does not parse counts: fail closed).
    mutating func refsWithConfig() throws -> Set<String> {
        if let adoptedRefs { return adoptedRefs }
        var found = Set<String>()
        for name in try RepositoryProblem.wrap({ try repo.referenceNames() }) where settings.gates(name) && hasConfig(name) {
            found.insert(name)
        }
        adoptedRefs = found
        return found
    }

    /// Whether deleting `update.ref` leaves no gated branch with a config
    /// (the refs this push deletes do not count).
    mutating func isLastAdopted(_ update: PreReceiveCheck.RefUpdate, deleted: Set<String>) throws -> Bool {
        guard try refsWithConfig().contains(update.ref) else { return false }
        return try refsWithConfig().subtracting(deleted).isEmpty
    }

    /// Whether the commit a revision names has an ssot config (one that does not parse counts).
    func hasConfig(_ revision: String) -> Bool {
        guard let tip = try? repo.commit(revision), let tree = try? repo.tree(ofCommit: tip) else { return false }
        do {
            return try ConfigLoader.load(from: CommitTree(repository: repo, tree: tree)) != nil
        } catch {
            return true
        }
    }

    mutating func adopted() throws -> Bool {
        if override != nil { return true }
        return !(try refsWithConfig()).isEmpty
    }
}
