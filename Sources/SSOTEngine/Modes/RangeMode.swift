import GitStore
import SSOTCore

/// `ssot check --range A..B` (or `A...B`): CI on a pull request. The parent
/// is A (with three dots, the merge base of A and B), the proposed tree is
/// B's, and config and baseline come from the parent.
public struct RangeMode: Mode {
    public let range: String
    public var kind: CheckMode { .range }

    public init(range: String) { self.range = range }

    /// The two ends of the range, and whether it is symmetric (`...`).
    public static func parse(_ range: String) throws -> (String, String, Bool) {
        for (separator, symmetric) in [("...", true), ("..", false)] {
            if let r = range.firstRange(of: separator) {
                let a = String(range[..<r.lowerBound]), b = String(range[r.upperBound...])
                return (a.isEmpty ? "HEAD" : a, b.isEmpty ? "HEAD" : b, symmetric)
            }
        }
        throw Failure.usage("--range wants A..B or A...B, not \(range)")
    }

    /// The parent and proposed commits: A (or A and B's merge base) and B.
    public static func sides(_ range: String, in graph: CommitGraph) throws -> (parent: ObjectID?, proposed: ObjectID) {
        let (a, b, symmetric) = try parse(range)
        guard let from = try graph.commit(a) else { throw Failure.usage("\(a) does not name a commit") }
        guard let to = try graph.commit(b) else { throw Failure.usage("\(b) does not name a commit") }
        return (symmetric ? try graph.mergeBase(from, to) : from, to)
    }

    public func run(_ context: CheckContext) throws -> CheckOutcome {
        let repo = try Repository.open(at: context.directory, environment: context.environment)
        let (parent, proposed) = try RangeMode.sides(range, in: repo)
        let parentTree = try parent.map { try repo.tree(ofCommit: $0) }
        let sides = GitSides(repository: repo, parent: parentTree, proposed: .tree(try repo.tree(ofCommit: proposed)), rulesFrom: parentTree)
        guard let judgement = try ChangePipeline(sides: sides, mode: .range, configOverride: context.configOverride,
                                                 noBaseline: context.noBaseline).judge() else {
            var verdict = Verdict(mode: .range)
            verdict.messages.append(FileMessage(.note, path: (try? RangeMode.parse(range).0) ?? range,
                                                "the parent side has no ssot config: ssot is not adopted there"))
            return .verdict(verdict, tightening: nil)
        }
        return .verdict(judgement.verdict, tightening: nil)
    }
}
