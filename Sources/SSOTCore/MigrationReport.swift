/// Where the migration stands (SPEC 9): per rule, the legacy findings and
/// the files that have them, what the rule's shadow finds (the canonical
/// side), compliance, the baseline's allowance, what `ssot fix` would fix,
/// the goal; the folders and files with the most legacy findings.
public struct MigrationReport: Sendable {
    public static let version = 1

    public struct Standing: Sendable, Equatable {
        public var rule: String
        public var kind: Rule.Kind
        public var legacy = 0
        public var legacyFiles = 0
        public var canonical = 0
        /// Files with a legacy or a canonical finding of the rule.
        public var touching = 0
        /// The baseline's allowance for the rule, and how much of it no finding uses.
        public var allowance = 0
        public var loose = 0
        public var fixable = 0
        public var goalFiles: Int?
        public var goalDate: CalendarDay?
        public var goal: GoalStatus?

        public init(rule: String, kind: Rule.Kind) {
            self.rule = rule
            self.kind = kind
        }

        /// canonical ÷ (canonical + legacy), in percent; nil when the rule touches nothing.
        public var compliance: Double? {
            canonical + legacy == 0 ? nil : 100 * Double(canonical) / Double(canonical + legacy)
        }

        /// The touching files with no legacy finding, in percent.
        public var fileCompliance: Double? {
            touching == 0 ? nil : 100 * Double(touching - legacyFiles) / Double(touching)
        }
    }

    public enum GoalStatus: String, Sendable, Equatable {
        case reached = "reached"
        case onTrack = "on track"
        case behind = "behind"
        /// No rate to project from (no `--base`), and the date not passed.
        case open = "open"
    }

    /// The change of one rule since `--base`.
    public struct Change: Sendable, Equatable {
        public var legacy: Int
        public var legacyFiles: Int
        /// In points; nil when either side touches nothing.
        public var compliance: Double?
        /// Compliance of the files changed since the base ("new code").
        public var newCode: Double?
        public var newCodeFiles: Int

        public init(legacy: Int, legacyFiles: Int, compliance: Double?, newCode: Double?, newCodeFiles: Int) {
            self.legacy = legacy
            self.legacyFiles = legacyFiles
            self.compliance = compliance
            self.newCode = newCode
            self.newCodeFiles = newCodeFiles
        }
    }

    public struct Place: Sendable, Equatable {
        public var path: String
        public var findings: Int
        public var files: Int

        public init(path: String, findings: Int, files: Int) {
            self.path = path
            self.findings = findings
            self.files = files
        }
    }

    /// What was measured: `working tree` or a commit id.
    public var revision: String
    public var base: String?
    public var standings: [Standing] = []
    public var changes: [String: Change] = [:]
    public var folders: [Place] = []
    public var files: [Place] = []
    public var depth: Int
    public var scanned = 0
    /// Selected files ssot could not check (over max-file-size, an encoding
    /// it does not read, a link out of the tree), by path, with why: their
    /// findings are in no count above, and a report that left them out
    /// silently would read better than it is.
    public var unchecked: [(path: String, reason: String)] = []

    public init(revision: String, depth: Int) {
        self.revision = revision
        self.depth = depth
    }

    /// The shadow of a rule (SPEC 9): the same kind and `allow-in`, banning
    /// the canonical module, or the replacement's callable.
    public static func shadow(of rule: Rule) -> Rule? {
        let target: String?
        switch rule.kind {
        case .import: target = rule.canonical
        case .singleton: target = rule.replacement.flatMap { $0.split(separator: "(", maxSplits: 1).first }.map(String.init)
        }
        guard let target, !target.isEmpty else { return nil }
        return Rule(id: shadowID(rule.id), kind: rule.kind, banned: [target], allowIn: rule.allowIn)
    }

    /// Not a kebab-case id, so it can never meet a configured rule's.
    public static func shadowID(_ id: String) -> String { id + "~canonical" }

    /// The standings of `config`'s rules from one scan with their shadows:
    /// the legacy findings, and what each shadow found (`canonical`: rule id
    /// → path → count, shadow findings in `findings` count too).
    public static func standings(_ config: Config, findings: [Finding], canonical: [String: [String: Int]] = [:],
                                 baseline: Baseline, fixable: [String: Int],
                                 today: CalendarDay?, rate: [String: Double] = [:]) -> [Standing] {
        // Per rule id (a shadow's too): how many findings, in which files.
        var counts: [String: Int] = [:]
        var paths: [String: Set<String>] = [:]
        // By index: a `for f in findings` copied each finding whole, retaining all its strings.
        for i in findings.indices {
            counts[findings[i].rule, default: 0] += 1
            paths[findings[i].rule, default: []].insert(findings[i].path)
        }
        var allowance: [String: Int] = [:]
        var loose: [String: Int] = [:]
        var actual: [BaselineKey: Int] = [:]
        if !baseline.counts.isEmpty {
            actual.reserveCapacity(findings.count)
            for i in findings.indices { actual[findings[i].key, default: 0] += 1 }
        }
        for (key, count) in baseline.counts {
            allowance[key.rule, default: 0] += count
            loose[key.rule, default: 0] += max(0, count - (actual[key] ?? 0))
        }
        return config.rules.map { rule in
            var s = Standing(rule: rule.id, kind: rule.kind)
            let legacyFiles = paths[rule.id] ?? []
            let shadowFiles = paths[shadowID(rule.id)] ?? []
            s.legacy = counts[rule.id] ?? 0
            s.legacyFiles = legacyFiles.count
            let counted = canonical[rule.id] ?? [:]
            s.canonical = (counts[shadowID(rule.id)] ?? 0) + counted.values.reduce(0, +)
            // The union of the three sets of files, counted by lookups: the counted shadow's are most.
            s.touching = counted.count + legacyFiles.count { counted[$0] == nil }
                + shadowFiles.count { counted[$0] == nil && !legacyFiles.contains($0) }
            s.allowance = allowance[rule.id] ?? 0
            s.loose = loose[rule.id] ?? 0
            s.fixable = fixable[rule.id] ?? 0
            s.goalFiles = rule.goalFiles
            s.goalDate = rule.goalDate
            s.goal = goalStatus(s, today: today, rate: rate[rule.id])
            return s
        }
    }

    /// `reached` at or under the goal; with a rate of files per day (from
    /// `--base`), `on track` when the straight line reaches the goal by its
    /// date; `behind` when it does not, or the date has passed.
    public static func goalStatus(_ s: Standing, today: CalendarDay?, rate: Double?) -> GoalStatus? {
        guard let goal = s.goalFiles else { return nil }
        if s.legacyFiles <= goal { return .reached }
        guard let date = s.goalDate, let today else { return .open }
        if date <= today { return .behind }
        guard let rate else { return .open }
        let needed = Double(s.legacyFiles - goal)
        return rate > 0 && needed / rate <= Double(date.days - today.days) ? .onTrack : .behind
    }

    /// The folders (to `depth` parts) and files with the most legacy findings, `top` of each.
    /// Counted by file first: a folder is worked out once per file, not once per finding.
    public static func places(_ findings: [Finding], legacyRules: Set<String>, depth: Int, top: Int) -> (folders: [Place], files: [Place]) {
        var files: [String: Int] = [:]
        for i in findings.indices where legacyRules.contains(findings[i].rule) { files[findings[i].path, default: 0] += 1 }
        var folders: [String: Place] = [:]
        for (path, n) in files {
            let folder = folder(of: path, depth: depth)
            folders[folder, default: Place(path: folder, findings: 0, files: 0)].findings += n
            folders[folder]!.files += 1
        }
        func order(_ a: Place, _ b: Place) -> Bool { a.findings != b.findings ? a.findings > b.findings : Bytewise.less(a.path, b.path) }
        let f1 = folders.values.sorted(by: order)
        let f2 = files.map { Place(path: $0.key, findings: $0.value, files: 1) }.sorted(by: order)
        return (Array(f1.prefix(top)), Array(f2.prefix(top)))
    }

    /// The first `depth` folders of `path` (its parts split at each `/` byte, empty parts
    /// left out, the file's name never among them), or `.` for a file at the top.
    public static func folder(of path: String, depth: Int) -> String {
        let parts = path.utf8.split(separator: UInt8(ascii: "/"))
        guard parts.count > 1 else { return "." }
        var bytes: [UInt8] = []
        for (i, part) in parts.dropLast().prefix(depth).enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: "/")) }
            bytes += part
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
