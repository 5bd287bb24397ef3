import GitStore
import SSOTCore

/// `ssot check --range A..B` (or `A...B`): CI on a pull request. The parent
/// is A (with three dots, the merge base of A and B), the proposed tree is
/// B's, and config and baseline come from the parent.
struct RangeCheck {
    let directory: String
    let range: String
    let configOverride: Config?
    let noBaseline: Bool
    let environment: [String: String]

    /// The two ends of the range, and whether it is symmetric (`...`).
    static func parse(_ range: String) throws -> (String, String, Bool) {
        for (separator, symmetric) in [("...", true), ("..", false)] {
            if let r = range.range(of: separator) {
                let a = String(range[..<r.lowerBound]), b = String(range[r.upperBound...])
                return (a.isEmpty ? "HEAD" : a, b.isEmpty ? "HEAD" : b, symmetric)
            }
        }
        throw Failure.usage("--range wants A..B or A...B, not \(range)")
    }

    func run() throws -> Verdict {
        let (a, b, symmetric) = try RangeCheck.parse(range)
        let repo = try RepositoryProblem.wrap { try Repository.open(at: directory, environment: environment) }
        guard let from = try RepositoryProblem.wrap({ try repo.commit(a) }) else { throw Failure.usage("\(a) does not name a commit") }
        guard let to = try RepositoryProblem.wrap({ try repo.commit(b) }) else { throw Failure.usage("\(b) does not name a commit") }
        let parent: ObjectID? = symmetric ? try RepositoryProblem.wrap { try repo.mergeBase(from, to) } : from
        let parentTree = try parent.map { id in try RepositoryProblem.wrap { try repo.tree(ofCommit: id) } }
        let check = ChangeCheck(repository: repo, mode: .range, parent: parentTree,
                                proposed: .tree(try RepositoryProblem.wrap { try repo.tree(ofCommit: to) }),
                                rulesFrom: parentTree, configOverride: configOverride, noBaseline: noBaseline)
        guard let input = try check.prepare() else {
            var verdict = Verdict(mode: .range)
            verdict.messages.append(FileMessage(.note, path: a, "the parent side has no ssot config: ssot is not adopted there"))
            return verdict
        }
        return ChangeGate.judge(input).verdict
    }
}
