import SSOTCore
import XCTest

/// The gate's decision, SPEC 4 and 5, in process on in-memory files and
/// baselines, without git: new findings against the allowance, growth with a
/// rename's credit, --no-baseline, files that cannot be checked, and each of
/// tightening's moves (issue 12 asks for these; the end-to-end tests show
/// the same through real commits and pushes).
extension GateSecurityTests {
    var singletonKey: BaselineKey { BaselineKey(path: "app/a.py", rule: "legacy-singleton", fingerprint: "use app.get_manager") }
    var importKey: BaselineKey { BaselineKey(path: "app/a.py", rule: "legacy-singleton", fingerprint: "from app import get_manager") }

    func uses(_ n: Int) -> String { "from app import get_manager\n" + String(repeating: "get_manager()\n", count: n) }

    // MARK: SPEC 4, steps 2 and 3: the allowance

    func testAFindingWithinItsCountPassesAndOneMoreRejectsEveryOneOfItsKey() throws {
        let c = try config()
        let allowance = Baseline(counts: [singletonKey: 2, importKey: 1])
        let within = ChangeGate.judge(try input([changedFile("app/a.py", uses(2), config: c)], parent: allowance))
        XCTAssertEqual(within.verdict.newCount, 0)
        let over = ChangeGate.judge(try input([changedFile("app/a.py", uses(3), config: c)], parent: allowance))
        XCTAssertEqual(over.verdict.newCount, 3, "which of the three is new cannot be known: all are shown")
        XCTAssertTrue(over.verdict.rejected)
        XCTAssertEqual(over.verdict.findings.filter { !$0.new }.map(\.fingerprint), ["from app import get_manager"])
    }

    func testAFindingThatMovesStaysAllowed() throws {
        let c = try config()
        let moved = changedFile("app/a.py", "\n\n\n# moved down\n" + uses(1), config: c)
        let j = ChangeGate.judge(try input([moved], parent: Baseline(counts: [singletonKey: 1, importKey: 1])))
        XCTAssertEqual(j.verdict.newCount, 0)
        XCTAssertFalse(j.verdict.rejected)
    }

    func testAnEntryAllowsOnlyItsOwnPathRuleAndFingerprint() throws {
        let c = try config()
        let other = BaselineKey(path: "app/other.py", rule: "legacy-singleton", fingerprint: "use app.get_manager")
        let j = ChangeGate.judge(try input([changedFile("app/a.py", uses(1), config: c)], parent: Baseline(counts: [other: 5])))
        XCTAssertEqual(j.verdict.newCount, 2)
    }

    func testNoBaselineMakesEveryFindingNewAndTightensNothing() throws {
        let c = try config()
        var i = try input([changedFile("app/a.py", uses(1), config: c)], parent: Baseline(counts: [singletonKey: 1]))
        i.noBaseline = true
        let j = ChangeGate.judge(i)
        XCTAssertEqual(j.verdict.newCount, 2)
        XCTAssertNil(j.plan)
        XCTAssertTrue(j.verdict.withoutBaseline)
    }

    func testAFileThatCannotBeCheckedRejectsTheChange() throws {
        let c = try config()
        let big = changedFile("app/a.py", "x = 1\n" + String(repeating: "lambda a=", count: 300) + "0" + String(repeating: ":0", count: 300) + "\n",
                              config: c)
        XCTAssertNotNil(big.report.uncheckable)
        let j = ChangeGate.judge(try input([big], parent: Baseline()))
        XCTAssertEqual(j.verdict.uncheckable.map(\.path), ["app/a.py"])
        XCTAssertTrue(j.verdict.rejected)
    }

    // MARK: SPEC 4, step 4: growth

    func testGrowthIsEveryKeyThatAllowsMoreAndARenameCarriesItsCredit() throws {
        let c = try config()
        let parent = Baseline(counts: [singletonKey: 2])
        let renamed = BaselineKey(path: "app/b.py", rule: singletonKey.rule, fingerprint: singletonKey.fingerprint)
        XCTAssertEqual(ChangeGate.growth(parent: parent, proposed: Baseline(counts: [renamed: 2]), config: c,
                                         renames: ["app/a.py": "app/b.py"]), [])
        XCTAssertEqual(ChangeGate.growth(parent: parent, proposed: Baseline(counts: [renamed: 2]), config: c, renames: [:]).map(\.after), [2],
                       "without the rename the new path's entry is growth")
        XCTAssertEqual(ChangeGate.growth(parent: parent, proposed: Baseline(counts: [singletonKey: 3]), config: c, renames: [:])
                        .map { "\($0.before)→\($0.after)" }, ["2→3"])
        let unknownRule = BaselineKey(path: "app/a.py", rule: "no-such-rule", fingerprint: "import x")
        XCTAssertEqual(ChangeGate.growth(parent: parent, proposed: Baseline(counts: [unknownRule: 9]), config: c, renames: [:]), [],
                       "an entry of no rule allows nothing, so it cannot grow")
    }

    // MARK: SPEC 5: tightening

    func testTighteningLowersALooseCount() throws {
        let c = try config()
        let base = Baseline(counts: [singletonKey: 3, importKey: 1])
        let j = ChangeGate.judge(try input([changedFile("app/a.py", uses(1), config: c)], parent: base, proposed: base))
        XCTAssertFalse(j.verdict.rejected)
        XCTAssertEqual(j.tightenings.map { "\($0.key.fingerprint) \($0.before)→\($0.after)" }, ["use app.get_manager 3→1"])
        XCTAssertEqual(j.tightened?.counts, [singletonKey: 1, importKey: 1])
    }

    func testTighteningMovesARenamedFilesEntriesAndDropsARemovedFilesEntries() throws {
        let c = try config()
        let gone = BaselineKey(path: "app/gone.py", rule: "legacy-import", fingerprint: "import app.legacy")
        let base = Baseline(counts: [singletonKey: 1, importKey: 1, gone: 2])
        var i = try input([changedFile("app/b.py", uses(1), config: c, oldPath: "app/a.py")], parent: base, proposed: base)
        i.removed = ["app/gone.py"]
        i.renames = ["app/a.py": "app/b.py"]
        let j = ChangeGate.judge(i)
        XCTAssertFalse(j.verdict.rejected)
        func at(_ path: String, _ key: BaselineKey) -> BaselineKey { BaselineKey(path: path, rule: key.rule, fingerprint: key.fingerprint) }
        XCTAssertEqual(j.tightened?.counts, [at("app/b.py", singletonKey): 1, at("app/b.py", importKey): 1])
    }

    func testARejectedChangeIsNotTightened() throws {
        let c = try config()
        let base = Baseline(counts: [singletonKey: 3, importKey: 1])
        let files = [changedFile("app/a.py", uses(1), config: c), changedFile("app/n.py", "import app.legacy\n", config: c, added: true)]
        let j = ChangeGate.judge(try input(files, parent: base, proposed: base))
        XCTAssertTrue(j.verdict.rejected)
        XCTAssertNil(j.tightened)
        XCTAssertEqual(j.verdict.loose.map(\.after), [1], "the loose entry is still reported")
    }
}
