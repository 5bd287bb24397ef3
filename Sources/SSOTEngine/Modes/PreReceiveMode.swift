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
public struct PreReceiveMode: Mode {
    /// The hook's stdin.
    public let input: String
    public var kind: CheckMode { .preReceive }

    public init(input: String) { self.input = input }

    public static func parse(_ input: String) throws -> [RefUpdate] {
        var out: [RefUpdate] = []
        for (n, line) in input.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3, ObjectID(hex: parts[0]) != nil, ObjectID(hex: parts[1]) != nil else {
                let shown = line.count > 200 ? line.prefix(200) + "…" : line
                throw Failure.usage("pre-receive input line \(n + 1) is not `<old> <new> <ref>`: \(TextEscape.escape(String(shown)))")
            }
            out.append(RefUpdate(old: parts[0], new: parts[1], ref: parts[2]))
        }
        return out
    }

    static func pushOptions(_ environment: [String: String]) -> [String] {
        guard let count = Int(environment["GIT_PUSH_OPTION_COUNT"] ?? "") else { return [] }
        return (0..<count).compactMap { environment["GIT_PUSH_OPTION_\($0)"] }
    }

    public func run(_ context: CheckContext) throws -> CheckOutcome {
        let updates = try PreReceiveMode.parse(input)
        Repository.setOwnerValidation(false)
        let repo = try Repository.open(at: context.directory, environment: context.environment)
        try repo.addObjectDirectories(from: context.environment, relativeTo: context.directory)
        let settings: ServerSettings
        do {
            settings = try ServerSettings(gitConfig: { key in try repo.configValues(key) }, override: context.configOverride?.server)
        } catch let problem as ServerSettings.Problem {
            throw Failure.usage("the server's ssot settings cannot be used: \(problem.description)")
        }
        var adoption = Adoption(repo: repo, settings: settings, override: context.configOverride)
        var refs: [RefOutcome] = []
        let deleted = Set(updates.filter(\.isDeletion).map(\.ref))
        for update in updates {
            var outcome = try judge(update, repo, settings, &adoption, context)
            if update.isDeletion, context.configOverride == nil, settings.gates(update.ref),
               try adoption.isLastAdopted(update, deleted: deleted) {
                outcome.note = nil
                outcome.refusal = "deleting the last gated branch that holds the ssot config would un-adopt ssot, and the next"
                    + " push could recreate it with anything; push another branch with the config first, or remove ssot on the server"
            }
            refs.append(outcome)
        }
        Trace.mark("judge")
        return .push(PushOutcome(refs: refs, gitDir: repo.gitDir, settings: settings))
    }

    /// Which commits one ref's change is judged between, and where its rules
    /// come from (SPEC 4), or why it is not judged.
    public enum RefSides: Equatable {
        /// `parent` → `new`, with the config and baseline of `rulesFrom`;
        /// `rulesBranch` names the branch they come from when it is not the
        /// parent itself.
        case judge(parent: ObjectID?, new: ObjectID, rulesFrom: ObjectID, rulesBranch: String?)
        /// Not gated: a deletion, a tag, a ref outside `ssot.refs`.
        case pass(String)
        /// Cannot be judged: the push is refused.
        case refuse(String)
        /// A new branch, and the default branch that gives its rules does
        /// not exist (or is not gated): refused wherever ssot is adopted.
        case noRulesBranch(String)
    }

    /// An existing ref is judged against what it holds now (`old`), with
    /// `old`'s rules, whatever the push's shape; a new one against its merge
    /// base with the default branch, with that branch's rules.
    public static func sides(_ update: RefUpdate, in graph: CommitGraph, settings: ServerSettings) throws -> RefSides {
        if update.isDeletion { return .pass("deleted: nothing to check") }
        if update.ref.hasPrefix("refs/tags/") { return .pass("a tag: not gated") }
        guard settings.gates(update.ref) else { return .pass("outside the gated refs (ssot.refs): not gated") }
        let new: ObjectID
        switch graph.pushedObject(ObjectID(hex: update.new)!) {
        case let .commit(id): new = id
        case .missing:
            return .refuse("cannot read the pushed commit \(update.new): a hook or wrapper that runs ssot without git's"
                + " quarantine variables (GIT_QUARANTINE_PATH, GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES)"
                + " hides the pushed objects; pass git's environment through to ssot")
        case let .notCommit(type):
            return .refuse("the push makes a gated branch point at a \(type), not a commit")
        }
        if !update.isCreation {
            guard case let .commit(old) = graph.pushedObject(ObjectID(hex: update.old)!) else {
                return .refuse("cannot read the commit the ref holds now (\(update.old)): the repository is damaged")
            }
            return .judge(parent: old, new: new, rulesFrom: old, rulesBranch: nil)
        }
        let branch = rulesBranch(graph, settings)
        // The rules' branch must itself be gated: a tag or an ungated ref can be moved by anyone.
        guard branch != update.ref, settings.gates(branch), let tip = try graph.commit(branch) else { return .noRulesBranch(branch) }
        let parent = try graph.mergeBase(tip, new)
        return .judge(parent: parent, new: new, rulesFrom: tip, rulesBranch: tip == parent ? nil : branch)
    }

    /// The branch a new branch's rules come from: `ssot.defaultBranch`, else the server's HEAD.
    static func rulesBranch(_ graph: CommitGraph, _ settings: ServerSettings) -> String {
        settings.defaultBranch ?? graph.headReference() ?? "HEAD"
    }

    func judge(_ update: RefUpdate, _ repo: Repository, _ settings: ServerSettings, _ adoption: inout Adoption,
               _ context: CheckContext) throws -> RefOutcome {
        var outcome = RefOutcome(update: update)
        let parent: ObjectID?, new: ObjectID, rulesFrom: ObjectID
        var rulesBranch: String?
        switch try PreReceiveMode.sides(update, in: repo, settings: settings) {
        case let .pass(note):
            outcome.note = note
            return outcome
        case let .refuse(reason):
            outcome.refusal = reason
            return outcome
        case let .noRulesBranch(branch):
            if try adoption.adopted() {
                outcome.refusal = "a new branch takes its rules from the default branch \(TextEscape.escape(branch)),"
                    + " which does not exist on the server; set the branch that holds the rules on the server:"
                    + " git config ssot.defaultBranch refs/heads/main"
            } else {
                outcome.note = "no default branch (\(TextEscape.escape(branch))) and no ssot config on any gated branch: ssot is not adopted here"
            }
            return outcome
        case let .judge(p, n, r, b):
            (parent, new, rulesFrom, rulesBranch) = (p, n, r, b)
        }
        let parentTree = try parent.map { try repo.tree(ofCommit: $0) }
        let newTree = try repo.tree(ofCommit: new)
        func pipeline(rules: Tree, rulesAreParent: Bool) -> ChangePipeline {
            ChangePipeline(sides: GitSides(repository: repo, parent: parentTree, proposed: .tree(newTree), rulesFrom: rules),
                           mode: .preReceive, rulesAreParent: rulesAreParent, configOverride: context.configOverride,
                           noBaseline: context.noBaseline)
        }
        var prepared = try pipeline(rules: try repo.tree(ofCommit: rulesFrom), rulesAreParent: rulesFrom == parent).prepare()
        if prepared == nil && !update.isCreation {
            // A branch whose tip is from before adoption (pushed as a new branch at an old
            // commit) takes the default branch's rules while ssot is adopted there, so it
            // cannot become a place where nothing is gated.
            let branch = PreReceiveMode.rulesBranch(repo, settings)
            if branch != update.ref, settings.gates(branch), let tip = try repo.commit(branch) {
                prepared = try pipeline(rules: try repo.tree(ofCommit: tip), rulesAreParent: false).prepare()
                if prepared != nil {
                    rulesBranch = branch
                    outcome.notes.append("the ref's current commit has no ssot config: judged with the rules of \(TextEscape.escape(branch))")
                }
            } else if try adoption.adopted() {
                outcome.refusal = "the ref's current commit has no ssot config, and the default branch \(TextEscape.escape(branch)) that"
                    + " would give its rules does not exist; set it on the server: git config ssot.defaultBranch refs/heads/main"
                return outcome
            }
        }
        guard var input = prepared else {
            outcome.note = "no ssot config on the rules side (\(update.isCreation ? "the default branch" : "the ref's current commit")): not gated"
            return outcome
        }
        if context.configOverride == nil && !input.config.server.isEmpty {
            outcome.notes.append("the repository's [server] table (\(TextEscape.escape(input.config.file))) is ignored:"
                + " the gate's settings come from the server's git config (ssot.*) only")
        }
        if PreReceiveMode.pushOptions(context.environment).contains("ssot.allow-growth") {
            let who = settings.user(in: context.environment)
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
        if !judgement.verdict.loosened.isEmpty, let rulesBranch {
            outcome.notes.append("this branch's config is compared with the rules of \(TextEscape.escape(rulesBranch)):"
                + " merge or rebase it onto that branch first, so that it carries today's rules")
        }
        // The log records what was asked for, accepted or not.
        outcome.bypass?.grown = input.bypass ? judgement.bypassedGrowth : judgement.verdict.grown
        outcome.bypass?.loosened = input.bypass ? judgement.bypassedLoosenings : judgement.verdict.loosened
        return outcome
    }
}
