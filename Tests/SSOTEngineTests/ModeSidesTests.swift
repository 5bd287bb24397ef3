import GitStore
import SSOTCore
import SSOTEngine
import XCTest

/// Each mode's choice of parent and rules side (SPEC 4), on a history held
/// in memory: what `--range` diffs, and what the server judges a pushed ref
/// against, whatever the push's shape.
final class ModeSidesTests: XCTestCase {
    let id = MemoryGraph.id

    /// main: 1 ← 2 ← 3; feature: 2 ← 4; orphan 9; a blob 7.
    var graph: MemoryGraph {
        var g = MemoryGraph()
        g.commit(1)
        g.commit(2, parents: [1])
        g.commit(3, parents: [2])
        g.commit(4, parents: [2])
        g.commit(9)
        g.notCommits[MemoryGraph.id(7)] = "blob"
        g.refs = ["refs/heads/main": MemoryGraph.id(3), "refs/heads/feature": MemoryGraph.id(4), "refs/tags/v1": MemoryGraph.id(1)]
        return g
    }

    func update(_ old: Int?, _ new: Int?, _ ref: String) -> RefUpdate {
        RefUpdate(old: old.map { id($0).description } ?? RefUpdate.zero, new: new.map { id($0).description } ?? RefUpdate.zero, ref: ref)
    }

    func sides(_ u: RefUpdate, _ settings: ServerSettings = ServerSettings(), in g: MemoryGraph? = nil) throws -> PreReceiveMode.RefSides {
        try PreReceiveMode.sides(u, in: g ?? graph, settings: settings)
    }

    // MARK: --range

    func testTwoDotsDiffFromAAndThreeDotsFromTheMergeBase() throws {
        let two = try RangeMode.sides("main..feature", in: graph)
        XCTAssertEqual(two.parent, id(3))
        XCTAssertEqual(two.proposed, id(4))
        let three = try RangeMode.sides("main...feature", in: graph)
        XCTAssertEqual(three.parent, id(2))
        XCTAssertEqual(try RangeMode.sides("...feature", in: graph).parent, id(2), "an empty end is HEAD, as git reads it")
    }

    func testARangeWithNoCommonHistoryDiffsFromTheEmptyTree() throws {
        var g = graph
        g.refs["refs/heads/orphan"] = id(9)
        XCTAssertNil(try RangeMode.sides("main...orphan", in: g).parent)
    }

    func testABadRangeIsAUsageError() {
        for range in ["main", "main..nothing"] {
            XCTAssertThrowsError(try RangeMode.sides(range, in: graph)) { error in
                XCTAssertEqual((error as? Failure)?.status, .usage, range)
            }
        }
    }

    // MARK: --pre-receive: existing refs

    func testAnExistingRefIsJudgedAgainstWhatItHoldsWithItsRules() throws {
        XCTAssertEqual(try sides(update(4, 3, "refs/heads/feature")), .judge(parent: id(4), new: id(3), rulesFrom: id(4), rulesBranch: nil))
    }

    func testAForcePushOfAnOrphanIsJudgedAgainstTheOldTipToo() throws {
        XCTAssertEqual(try sides(update(3, 9, "refs/heads/main")), .judge(parent: id(3), new: id(9), rulesFrom: id(3), rulesBranch: nil))
    }

    func testAnUnreadableOldTipRefusesThePush() throws {
        guard case .refuse = try sides(update(8, 3, "refs/heads/main")) else { return XCTFail("an old tip that is not there") }
    }

    // MARK: --pre-receive: new refs

    func testANewBranchIsJudgedFromItsMergeBaseWithTheDefaultBranchsRules() throws {
        XCTAssertEqual(try sides(update(nil, 4, "refs/heads/topic")),
                       .judge(parent: id(2), new: id(4), rulesFrom: id(3), rulesBranch: "refs/heads/main"))
        // At the default branch's tip itself, the rules are the parent's.
        XCTAssertEqual(try sides(update(nil, 3, "refs/heads/topic")), .judge(parent: id(3), new: id(3), rulesFrom: id(3), rulesBranch: nil))
        // Unrelated history: from the empty tree.
        XCTAssertEqual(try sides(update(nil, 9, "refs/heads/topic")),
                       .judge(parent: nil, new: id(9), rulesFrom: id(3), rulesBranch: "refs/heads/main"))
    }

    func testTheServersDefaultBranchComesBeforeItsHead() throws {
        var settings = ServerSettings()
        settings.defaultBranch = "refs/heads/feature"
        XCTAssertEqual(try sides(update(nil, 3, "refs/heads/topic"), settings),
                       .judge(parent: id(2), new: id(3), rulesFrom: id(4), rulesBranch: "refs/heads/feature"))
    }

    func testANewBranchWithoutARulesBranchIsLeftToTheAdoptionCheck() throws {
        var noHead = graph
        noHead.head = nil
        XCTAssertEqual(try sides(update(nil, 4, "refs/heads/topic"), in: noHead), .noRulesBranch("HEAD"))
        var deleted = graph
        deleted.refs["refs/heads/main"] = nil
        XCTAssertEqual(try sides(update(nil, 4, "refs/heads/topic"), in: deleted), .noRulesBranch("refs/heads/main"))
        // A tag can be moved by anyone: it never gives the rules.
        var settings = ServerSettings()
        settings.defaultBranch = "refs/tags/v1"
        XCTAssertEqual(try sides(update(nil, 4, "refs/heads/topic"), settings), .noRulesBranch("refs/tags/v1"))
        // Nor does the branch being created.
        XCTAssertEqual(try sides(update(nil, 4, "refs/heads/main"), in: deleted), .noRulesBranch("refs/heads/main"))
    }

    // MARK: --pre-receive: what passes and what fails closed

    func testDeletionsTagsAndUngatedRefsPass() throws {
        for u in [update(4, nil, "refs/heads/feature"), update(nil, 3, "refs/tags/v2"), update(nil, 3, "refs/notes/x")] {
            guard case .pass = try sides(u) else { return XCTFail("\(u.ref) passes") }
        }
    }

    func testAPushedIdThatIsMissingOrNotACommitRefusesThePush() throws {
        guard case let .refuse(missing) = try sides(update(3, 8, "refs/heads/main")) else { return XCTFail("missing") }
        XCTAssertTrue(missing.contains("GIT_QUARANTINE_PATH"), "the message names the quarantine variables")
        guard case let .refuse(blob) = try sides(update(3, 7, "refs/heads/main")) else { return XCTFail("a blob") }
        XCTAssertTrue(blob.contains("blob"))
    }

    func testPreReceiveInputIsParsedOrRefused() throws {
        let line = "\(RefUpdate.zero) \(id(3)) refs/heads/x$(touch PWNED)\n"
        XCTAssertEqual(try PreReceiveMode.parse(line), [RefUpdate(old: RefUpdate.zero, new: id(3).description, ref: "refs/heads/x$(touch PWNED)")])
        XCTAssertThrowsError(try PreReceiveMode.parse("not a line\n")) { error in
            XCTAssertEqual((error as? Failure)?.status, .usage)
        }
        // A huge line is quoted only in part.
        XCTAssertThrowsError(try PreReceiveMode.parse(String(repeating: "x", count: 1_000_000))) { error in
            XCTAssertLessThan((error as? Failure)?.message.count ?? .max, 400)
        }
    }
}
