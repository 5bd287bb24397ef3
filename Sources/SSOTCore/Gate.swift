/// A baseline key whose allowance and actual count differ: loose (fewer
/// found than allowed) or grown (a proposed baseline allowing more).
public struct BaselineChange: Equatable, Sendable {
    public var key: BaselineKey
    public var before: Int
    public var after: Int

    public init(key: BaselineKey, before: Int, after: Int) {
        self.key = key
        self.before = before
        self.after = after
    }
}

/// Which check ran: the JSON report's `mode`. The gating modes (staged,
/// pre-receive, range) read their rules from the parent (SPEC 4); `all` and
/// `paths` check the working tree with its own config.
public enum CheckMode: String, Sendable {
    case staged
    case preReceive = "pre-receive"
    case range
    case all
    case paths
}

/// What a run decided: every finding (marked new or allowed), the baseline's
/// grown and loose entries, and the messages about files.
public struct Verdict: Sendable {
    public var mode: CheckMode
    public var findings: [Finding] = []
    public var messages: [FileMessage] = []
    public var grown: [BaselineChange] = []
    public var loose: [BaselineChange] = []
    /// Each way the proposed config loosens the rules (SPEC 4, step 5).
    public var loosened: [String] = []
    /// An accepted server bypass let growth or loosening through.
    public var bypassed = false
    /// Changed files the gate cannot check, with the reason (SPEC 2): each rejects the change.
    public var uncheckable: [FileMessage] = []
    public var filesScanned = 0
    /// The run had no baseline to compare with (`--no-baseline`).
    public var withoutBaseline = false
    /// The config the verdict was reached with, when there was one.
    public var config: Config?

    public init(mode: CheckMode) { self.mode = mode }

    public var newCount: Int { findings.reduce(0) { $0 + ($1.new ? 1 : 0) } }
    public var rejected: Bool { newCount > 0 || !grown.isEmpty || !loosened.isEmpty || !uncheckable.isEmpty }
}

/// SPEC section 4, step 3: a key found more often than the baseline allows
/// makes all its occurrences new, since any of them could be the added one.
public enum Gate {
    public static func markNew(_ findings: inout [Finding], allowed: (BaselineKey) -> Int) {
        var counts: [BaselineKey: Int] = [:]
        for f in findings { counts[f.key, default: 0] += 1 }
        for i in findings.indices {
            let key = findings[i].key
            findings[i].new = counts[key]! > allowed(key)
        }
    }

    /// Entries of `baseline` for the given paths that allow more than was found.
    public static func loose(_ baseline: Baseline, findings: [Finding], paths: Set<String>) -> [BaselineChange] {
        var counts: [BaselineKey: Int] = [:]
        for f in findings { counts[f.key, default: 0] += 1 }
        var out: [BaselineChange] = []
        for (key, allowed) in baseline.counts where paths.contains(key.path) {
            let found = counts[key] ?? 0
            if found < allowed { out.append(BaselineChange(key: key, before: allowed, after: found)) }
        }
        return out.sorted { $0.key < $1.key }
    }
}
