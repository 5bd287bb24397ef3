/// The debt over history (SPEC 10): one point per measured commit, oldest
/// first, each with every rule's standing at that commit.
public struct Trend: Sendable {
    public static let version = 1

    public struct RuleInfo: Sendable, Equatable {
        public var id: String
        public var kind: Rule.Kind
        public var goalFiles: Int?
        public var goalDate: CalendarDay?

        public init(id: String, kind: Rule.Kind, goalFiles: Int?, goalDate: CalendarDay?) {
            self.id = id
            self.kind = kind
            self.goalFiles = goalFiles
            self.goalDate = goalDate
        }

        public init(_ rule: Rule) {
            id = rule.id
            kind = rule.kind
            goalFiles = rule.goalFiles
            goalDate = rule.goalDate
        }
    }

    /// One rule at one commit: the legacy findings and the files with them,
    /// what its shadow found (SPEC 9), and the baseline's allowance.
    public struct Count: Sendable, Equatable {
        public var findings = 0
        public var files = 0
        public var canonical = 0
        /// Files with a legacy or a canonical finding.
        public var touching = 0
        /// The commit's baseline allowance for the rule; nil when it has no baseline.
        public var allowance: Int?

        public init() {}

        public var compliance: Double? {
            canonical + findings == 0 ? nil : 100 * Double(canonical) / Double(canonical + findings)
        }

        public var fileCompliance: Double? {
            touching == 0 ? nil : 100 * Double(touching - files) / Double(touching)
        }
    }

    public struct Point: Sendable, Equatable {
        public var commit: String
        public var time: Int64
        public var day: CalendarDay
        /// By rule id; a rule the commit's config does not have (`--rules-at each`) is absent.
        public var rules: [String: Count]
        /// Selected Python files not checked at that commit (do not tokenize, over max-file-size, …).
        public var unchecked: Int

        public init(commit: String, time: Int64, day: CalendarDay, rules: [String: Count], unchecked: Int) {
            self.commit = commit
            self.time = time
            self.day = day
            self.rules = rules
            self.unchecked = unchecked
        }
    }

    /// The commit measured last (REV).
    public var revision: String
    /// `HEAD` (one set of rules throughout) or `each`.
    public var rulesAt: String
    /// Every rule seen, in the order first seen.
    public var rules: [RuleInfo] = []
    public var points: [Point] = []
    /// The commit a shallow clone's history stops at.
    public var shallowAt: String?

    public init(revision: String, rulesAt: String) {
        self.revision = revision
        self.rulesAt = rulesAt
    }

    /// Whether `b` differs from `a` in anything a text table shows.
    public static func changed(_ a: Point, _ b: Point) -> Bool {
        a.rules != b.rules || a.unchecked != b.unchecked
    }

    /// Where a straight line through the rule's files with findings reaches
    /// its `goal-files`: a least-squares fit over the points of the last 90
    /// days of the history (all of them when fewer than 3 fall there); nil
    /// when the line does not fall or the goal is reached.
    public func estimate(_ rule: RuleInfo) -> CalendarDay? {
        guard let goal = rule.goalFiles else { return nil }
        let series = points.compactMap { p in p.rules[rule.id].map { (Double(p.time) / 86_400, Double($0.files), p) } }
        guard let last = series.last, last.1 > Double(goal) else { return nil }
        var recent = series.filter { $0.0 >= last.0 - 90 }
        if recent.count < 3 { recent = series }
        guard recent.count >= 2 else { return nil }
        let n = Double(recent.count)
        let mx = recent.map(\.0).reduce(0, +) / n, my = recent.map(\.1).reduce(0, +) / n
        let sxx = recent.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +)
        guard sxx > 0 else { return nil }
        let slope = recent.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +) / sxx
        guard slope < 0 else { return nil }
        // From the last point along the fitted slope: the estimate starts where the debt is now.
        let days = (Double(goal) - last.1) / slope
        guard days.isFinite, days < 365 * 1000 else { return nil }
        return CalendarDay(days: last.2.day.days + Int(days.rounded(.up)))
    }
}
