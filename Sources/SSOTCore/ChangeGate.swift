/// A changed Python file and what checking its proposed content found.
/// `oldPath` is set for a rename: its baseline entries are the allowance.
/// `added` is a file the parent did not have at all (not a rename's target):
/// whatever entries the baseline holds for its path were left behind by a
/// rename or a deletion, and allow nothing (SPEC 4, step 2).
public struct ChangedFile: Sendable {
    public var path: String
    public var oldPath: String?
    public var added: Bool
    public var report: FileReport

    public init(path: String, oldPath: String? = nil, added: Bool = false, report: FileReport) {
        self.path = path
        self.oldPath = oldPath
        self.added = added
        self.report = report
    }
}

/// What a change does to the effective config (SPEC 4, step 5).
public enum ConfigChange: Sendable {
    /// The change leaves the config files alone, or the rules are a server's `--config`.
    case unchanged
    /// The config files changed: the parent's effective config, and the proposed one (nil: none).
    case edited(before: Config, after: Config?)
    /// The proposed config does not parse: every later check would fail on it.
    case unreadable(String)
}

/// Everything the gate needs to judge one change from a parent tree to a
/// proposed tree (SPEC section 4). Config and baseline come from the parent.
public struct ChangeInput: Sendable {
    public var mode: CheckMode
    public var config: Config
    public var parentBaseline: Baseline
    /// The proposed tree's baseline, when the change touches it.
    public var proposedBaseline: Baseline?
    public var files: [ChangedFile]
    /// Paths whose file left the change's Python files (deleted, or no longer selected).
    public var removed: [String]
    /// Renames of any selected file, old path → new path.
    public var renames: [String: String]
    public var noBaseline = false
    public var configChange: ConfigChange = .unchanged
    /// An accepted server bypass (`-o ssot.allow-growth` from a bypass user):
    /// the proposed baseline is the allowance, and growth and loosening are
    /// recorded for the audit log instead of rejecting the change.
    public var bypass = false
    /// Whether a file that cannot be checked rejects the change: in the
    /// gating modes it does (they fail closed, SPEC 2); the working-tree
    /// modes, which read as a linter does, warn about it.
    public var uncheckableRejects = true

    public init(mode: CheckMode, config: Config, parentBaseline: Baseline, proposedBaseline: Baseline?,
                files: [ChangedFile], removed: [String] = [], renames: [String: String] = [:]) {
        self.mode = mode
        self.config = config
        self.parentBaseline = parentBaseline
        self.proposedBaseline = proposedBaseline
        self.files = files
        self.removed = removed
        self.renames = renames
    }
}

/// The gate's answer for a change: the verdict, and how the baseline the
/// change carries can be tightened (nil when nothing can be).
public struct ChangeJudgement: Sendable {
    public var verdict: Verdict
    /// What tightening removes and lowers, to apply to the whole baseline.
    public var plan: TighteningPlan?
    /// The tightened baseline, when the gate had the whole baseline to apply
    /// the plan to (it reads only the change's entries otherwise).
    public var tightened: Baseline?
    /// Entries lowered, moved or dropped by tightening (before → after).
    public var tightenings: [BaselineChange] = []
    /// What an accepted bypass let through: for the audit log and the pusher.
    public var bypassedGrowth: [BaselineChange] = []
    public var bypassedLoosenings: [String] = []

    public init(verdict: Verdict, tightened: Baseline?, tightenings: [BaselineChange] = []) {
        self.verdict = verdict
        self.tightened = tightened
        self.tightenings = tightenings
    }
}

/// The entries tightening drops, and the counts it sets.
public struct TighteningPlan: Sendable {
    public var dropped: [BaselineKey] = []
    public var kept: [BaselineKey: Int] = [:]

    public init(dropped: [BaselineKey] = [], kept: [BaselineKey: Int] = [:]) {
        self.dropped = dropped
        self.kept = kept
    }
}

extension Baseline {
    /// This baseline with a tightening plan applied.
    public func applying(_ plan: TighteningPlan) -> Baseline {
        var counts = self.counts
        for key in plan.dropped { counts[key] = nil }
        for (key, keep) in plan.kept { counts[key] = keep > 0 ? keep : nil }
        return Baseline(counts: counts)
    }
}

public enum ChangeGate {
    public static func judge(_ input: ChangeInput) -> ChangeJudgement {
        var verdict = Verdict(mode: input.mode)
        verdict.withoutBaseline = input.noBaseline
        verdict.config = input.config
        // With an accepted bypass the pushed baseline is the allowance, stale entries included.
        let allowance = input.bypass ? (input.proposedBaseline ?? input.parentBaseline) : input.parentBaseline
        for file in input.files {
            if let why = file.report.uncheckable, input.uncheckableRejects {
                verdict.uncheckable.append(FileMessage(.warning, path: file.path, why))
                verdict.messages += file.report.messages.filter { $0.text != why }
            } else {
                verdict.messages += file.report.messages
            }
            if file.report.scanned { verdict.filesScanned += 1 }
            var findings = file.report.findings
            let allowancePath = file.oldPath ?? file.path
            if input.noBaseline {
                for i in findings.indices { findings[i].new = true }
            } else if file.added && !input.bypass {
                Gate.markNew(&findings) { _ in 0 }
            } else {
                Gate.markNew(&findings) { key in
                    allowance.allowed(BaselineKey(path: allowancePath, rule: key.rule, fingerprint: key.fingerprint))
                }
            }
            verdict.findings += findings
        }
        verdict.findings.sort(by: Finding.reportOrder)
        var grown: [BaselineChange] = []
        if !input.noBaseline, let proposed = input.proposedBaseline {
            grown = growth(parent: input.parentBaseline, proposed: proposed, config: input.config, renames: input.renames)
        }
        let loosened = loosenings(input.configChange)
        if input.bypass {
            verdict.bypassed = !grown.isEmpty || !loosened.isEmpty
        } else {
            verdict.grown = grown
            verdict.loosened = loosened
        }
        var judgement = ChangeJudgement(verdict: verdict, tightened: nil)
        if input.bypass {
            judgement.bypassedGrowth = grown
            judgement.bypassedLoosenings = loosened
        }
        // With --no-baseline the baseline was not consulted: nothing to tighten.
        guard !input.noBaseline else { return judgement }
        let base = input.proposedBaseline ?? input.parentBaseline
        let (plan, changes) = tighten(base, input)
        judgement.verdict.loose = changes
        if !changes.isEmpty && !judgement.verdict.rejected {
            judgement.plan = plan
            judgement.tightened = base.isPartial ? nil : base.applying(plan)
            judgement.tightenings = changes
        }
        return judgement
    }

    /// SPEC section 4, step 5, as the reviewer reads it.
    public static func loosenings(_ change: ConfigChange) -> [String] {
        switch change {
        case .unchanged: return []
        case let .edited(before, after): return ConfigLoosening.between(before, after)
        case let .unreadable(message): return ["the proposed config cannot be read: \(message)"]
        }
    }

    /// SPEC section 4, step 4: every key of a rule the parent defines for
    /// which the proposed baseline allows more than the parent did. A renamed
    /// file's parent entries count as its new path's.
    public static func growth(parent: Baseline, proposed: Baseline, config: Config, renames: [String: String]) -> [BaselineChange] {
        let rules = Set(config.rules.map(\.id))
        let oldPathOf = Dictionary(renames.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        var out: [BaselineChange] = []
        for (key, count) in proposed.counts where rules.contains(key.rule) {
            var before = parent.allowed(key)
            if let old = oldPathOf[key.path] {
                before += parent.allowed(BaselineKey(path: old, rule: key.rule, fingerprint: key.fingerprint))
            }
            if count > before { out.append(BaselineChange(key: key, before: before, after: count)) }
        }
        return out.sorted { $0.key < $1.key }
    }

    /// SPEC section 5: lower loose counts of the changed files, move a renamed
    /// file's entries to its new path, drop the entries of removed files.
    /// One pass over the baseline, and no copy of it when nothing changes.
    static func tighten(_ base: Baseline, _ input: ChangeInput) -> (TighteningPlan, [BaselineChange]) {
        let removed = Set(input.removed)
        var fileOf: [String: Int] = [:]
        for (i, file) in input.files.enumerated() where file.report.scanned {
            fileOf[file.path] = i
            if let old = file.oldPath { fileOf[old] = i }
        }
        var dropped: [BaselineKey] = []
        var pooled: [Int: [BaselineKey: Int]] = [:]   // file → entries pooled under its new path
        var changes: [BaselineChange] = []
        func tightenEntry(_ key: BaselineKey, _ count: Int) {
            if removed.contains(key.path) {
                dropped.append(key)
                changes.append(BaselineChange(key: key, before: count, after: 0))
            } else if let i = fileOf[key.path] {
                let file = input.files[i]
                pooled[i, default: [:]][BaselineKey(path: file.path, rule: key.rule, fingerprint: key.fingerprint), default: 0] += count
                if key.path != file.path {
                    dropped.append(key)
                    changes.append(BaselineChange(key: key, before: count, after: 0))
                }
            }
        }
        // Only the entries of the change's paths can move: go over the change's
        // paths or the baseline's, whichever are fewer (a gate reads only the
        // change's entries of the baseline; `ssot baseline` reads them all).
        if base.keysByPath.count < removed.count + fileOf.count {
            for (path, keys) in base.keysByPath where removed.contains(path) || fileOf[path] != nil {
                for key in keys { tightenEntry(key, base.allowed(key)) }
            }
        } else {
            for path in removed.union(fileOf.keys) {
                for (key, count) in base.entries(of: path) {
                    tightenEntry(key, count)
                }
            }
        }
        var kept: [BaselineKey: Int] = [:]
        for (i, entries) in pooled {
            var found: [BaselineKey: Int] = [:]
            for f in input.files[i].report.findings { found[f.key, default: 0] += 1 }
            for (target, total) in entries {
                let keep = min(total, found[target] ?? 0)
                kept[target] = keep
                let before = base.counts[target] ?? 0
                if keep != before { changes.append(BaselineChange(key: target, before: before, after: keep)) }
            }
        }
        return (TighteningPlan(dropped: dropped, kept: kept), changes.sorted { $0.key < $1.key })
    }
}
