import GitStore
import SSOTCore
import SSOTEngine
import XCTest

/// The gate's whole pipeline in process, on in-memory sides and without git:
/// config and baseline from the rules side, the diff, SPEC 2's skip rules,
/// the scan, and SPEC 4's and 5's decision. Each test would fail without the
/// step it names; the end-to-end tests show the same through real commits.
final class ChangePipelineTests: XCTestCase {
    typealias R = MemoryRepo

    // MARK: SPEC 4, steps 1–3: new findings against the allowance

    func testANewFindingInAChangedFileRejectsTheChange() throws {
        let parent = try R.side(["app/a.py": R.clean])
        let proposed = try R.side(["app/a.py": R.clean + R.legacy], baselined: false).merging(parent.filter { $0.key == ".ssot-baseline" }) { a, _ in a }
        let j = try XCTUnwrap(R.judge(parent, proposed))
        XCTAssertTrue(j.verdict.rejected)
        XCTAssertEqual(j.verdict.findings.filter(\.new).map(\.path), ["app/a.py"])
        XCTAssertEqual(j.verdict.findings.first?.replacement, "from app.canonical import Manager")
    }

    func testAFindingTheBaselineAllowsPassesWhereverItMovesInItsFile() throws {
        let parent = try R.side(["app/a.py": R.legacy])
        var proposed = parent
        proposed["app/a.py"] = MemorySides.File("\n\n# moved down\n" + R.legacy)
        let j = try XCTUnwrap(R.judge(parent, proposed))
        XCTAssertFalse(j.verdict.rejected)
        XCTAssertEqual(j.verdict.findings.count, 1)
        XCTAssertEqual(j.verdict.findings.filter(\.new).count, 0)
    }

    func testOnlyTheChangedFilesAreScanned() throws {
        // A violation nobody baselined, in a file the change leaves alone, is not the change's.
        let parent = try R.side(["app/old.py": R.legacy, "app/a.py": R.clean], baselined: false)
        var proposed = parent
        proposed["app/a.py"] = MemorySides.File(R.clean + "x = 1\n")
        let j = try XCTUnwrap(R.judge(parent, proposed))
        XCTAssertFalse(j.verdict.rejected)
        XCTAssertEqual(j.verdict.filesScanned, 1)
    }

    func testTheBaselineIsNotReadWhenNoSelectedFileChanges() throws {
        var parent = try R.side(["app/a.py": R.clean])
        parent[".ssot-baseline"] = MemorySides.File("not a baseline line\n")
        var proposed = parent
        proposed["README.md"] = MemorySides.File("docs\n")
        XCTAssertFalse(try XCTUnwrap(R.judge(parent, proposed)).verdict.rejected)
        // …but a change of a Python file reads it, and a malformed one stops the run (exit 2).
        proposed["app/a.py"] = MemorySides.File(R.clean + "y = 2\n")
        XCTAssertThrowsError(try R.judge(parent, proposed)) { error in
            XCTAssertEqual((error as? Failure)?.status, .usage)
            XCTAssertTrue((error as? Failure)?.message.contains("malformed baseline (parent)") ?? false, "\(error)")
        }
    }

    func testNoConfigOnTheRulesSideMeansSsotIsNotAdopted() throws {
        let parent: R.Files = ["app/a.py": MemorySides.File(R.clean)]
        let proposed: R.Files = ["app/a.py": MemorySides.File(R.legacy)]
        XCTAssertNil(try R.judge(parent, proposed))
        // The proposed side's config is not the rules: a commit cannot bring its own.
        XCTAssertNil(try R.judge(parent, try R.side(["app/a.py": R.legacy])))
    }

    func testAConfigThatDoesNotParseOnTheRulesSideIsAConfigError() throws {
        let parent = try R.side(["app/a.py": R.clean], config: "baseline = [\n", baselined: false)
        XCTAssertThrowsError(try R.judge(parent, try R.side(["app/a.py": R.legacy]))) { error in
            let config = error as? ConfigError
            XCTAssertEqual(config?.side, "in the parent commit")
        }
    }

    func testNoBaselineMakesEveryFindingNew() throws {
        let parent = try R.side(["app/a.py": R.legacy])
        var proposed = parent
        proposed["app/a.py"] = MemorySides.File(R.legacy + "z = 3\n")
        let j = try XCTUnwrap(R.judge(parent, proposed, noBaseline: true))
        XCTAssertTrue(j.verdict.rejected)
        XCTAssertTrue(j.verdict.withoutBaseline)
        XCTAssertNil(j.plan)
    }

    // MARK: SPEC 4, step 2: renames and added files

    func testARenamedFileKeepsItsAllowance() throws {
        let parent = try R.side(["app/a.py": R.legacy])
        var proposed = parent
        proposed["app/b.py"] = proposed.removeValue(forKey: "app/a.py")
        let j = try XCTUnwrap(R.judge(parent, proposed, renames: ["app/a.py": "app/b.py"]))
        XCTAssertFalse(j.verdict.rejected)
        // …and tightening moves the entry to the new path.
        let plan = try XCTUnwrap(j.plan)
        XCTAssertEqual(try R.baseline(["app/a.py": R.legacy]).applying(plan).counts.keys.map(\.path), ["app/b.py"])
    }

    func testWithoutTheRenameTheSameFileIsAnAddedFileWithNoAllowance() throws {
        let parent = try R.side(["app/a.py": R.legacy])
        var proposed = parent
        proposed["app/b.py"] = proposed.removeValue(forKey: "app/a.py")
        let j = try XCTUnwrap(R.judge(parent, proposed))
        XCTAssertTrue(j.verdict.rejected)
        XCTAssertEqual(j.verdict.findings.filter(\.new).map(\.path), ["app/b.py"])
    }

    func testAnEntryLeftBehindByADeletionAdmitsNoNewFile() throws {
        // The baseline still lists app/a.py, deleted earlier; a file added at that path gets nothing.
        var parent = try R.side([:], baselined: false)
        parent[".ssot-baseline"] = MemorySides.File(try R.baseline(["app/a.py": R.legacy]).serialized())
        var proposed = parent
        proposed["app/a.py"] = MemorySides.File(R.legacy)
        let j = try XCTUnwrap(R.judge(parent, proposed))
        XCTAssertTrue(j.verdict.rejected)
    }

    // MARK: SPEC 4, step 4: growth and adoption

    func testABaselineThatGrowsIsRefused() throws {
        let parent = try R.side(["app/a.py": R.legacy])
        var proposed = parent
        let key = try XCTUnwrap(R.baseline(["app/a.py": R.legacy]).counts.keys.first)
        proposed[".ssot-baseline"] = MemorySides.File(Baseline(counts: [key: 2]).serialized())
        let j = try XCTUnwrap(R.judge(parent, proposed))
        XCTAssertTrue(j.verdict.rejected)
        XCTAssertEqual(j.verdict.grown, [BaselineChange(key: key, before: 1, after: 2)])
        XCTAssertEqual(j.verdict.newCount, 0)
        // A new finding with its entry added alongside: new against the parent's allowance, and growth.
        let both = try XCTUnwrap(R.judge(try R.side(["app/a.py": R.clean]), try R.side(["app/a.py": R.clean + R.legacy])))
        XCTAssertEqual(both.verdict.newCount, 1, "the proposed baseline is not the allowance: the parent's is")
        XCTAssertEqual(both.verdict.grown.count, 1)
    }

    func testEntriesOfARuleTheParentDoesNotDefineAreItsAdoption() throws {
        let oneRule = R.config.components(separatedBy: "[[rule]]\nid = \"legacy-singleton\"")[0]
        let parent = try R.side(["app/a.py": "from app.state import get_manager\n"], config: oneRule)
        let proposed = try R.side(["app/a.py": "from app.state import get_manager\n", "app/b.py": R.clean])
        let j = try XCTUnwrap(R.judge(parent, proposed))
        XCTAssertEqual(j.verdict.grown, [], "a new rule's entries are not growth")
        XCTAssertFalse(j.verdict.rejected)
    }

    // MARK: SPEC 4, step 5: the config may only tighten

    func testAConfigThatDropsABannedModuleIsRefused() throws {
        let parent = try R.side(["app/a.py": R.clean])
        let looser = R.config.replacingOccurrences(of: "banned = [\"app.legacy\"]", with: "banned = [\"app.other\"]")
        let j = try XCTUnwrap(R.judge(parent, try R.side(["app/a.py": R.clean], config: looser)))
        XCTAssertTrue(j.verdict.rejected)
        XCTAssertFalse(j.verdict.loosened.isEmpty)
    }

    func testANewBranchsUnchangedConfigIsComparedWithTheRulesBranch() throws {
        // The branch was created at a commit whose config is looser than the default branch's.
        let looser = R.config.replacingOccurrences(of: "banned = [\"app.legacy\"]", with: "banned = [\"app.other\"]")
        let base = try R.side(["app/a.py": R.clean], config: looser)
        var proposed = base
        proposed["app/b.py"] = MemorySides.File("x = 1\n")
        let rules = try R.side(["app/a.py": R.clean])
        XCTAssertFalse(try XCTUnwrap(R.judge(base, proposed, rules: rules, rulesAreParent: true)).verdict.rejected,
                       "the control: with the parent as the rules side, an untouched config is not compared")
        let j = try XCTUnwrap(R.judge(base, proposed, rules: rules, rulesAreParent: false, mode: .preReceive))
        XCTAssertTrue(j.verdict.rejected)
        XCTAssertFalse(j.verdict.loosened.isEmpty)
    }

    func testAServersConfigOverrideSetsTheRulesAndIsNeverALoosening() throws {
        let override = try XCTUnwrap(Config.parse(R.config, file: "server.toml"))
        let parent = try R.side(["app/a.py": R.clean])
        var proposed = parent
        proposed.removeValue(forKey: "ssot.toml")
        let j = try XCTUnwrap(R.judge(parent, proposed, override: override))
        XCTAssertEqual(j.verdict.loosened, [])
        // Without the override, removing the config is a loosening.
        XCTAssertFalse(try XCTUnwrap(R.judge(parent, proposed)).verdict.loosened.isEmpty)
    }

    // MARK: SPEC 2: files the gate cannot check

    func testStrayBytecodeCannotBeChecked() throws {
        let parent = try R.side(["app/a.py": R.clean])
        var proposed = parent
        proposed["app/evil.pyc"] = MemorySides.File(bytes: [0x42, 0x0D, 0x0D, 0x0A])
        let j = try XCTUnwrap(R.judge(parent, proposed))
        XCTAssertEqual(j.verdict.uncheckable.map(\.path), ["app/evil.pyc"])
        XCTAssertTrue(j.verdict.rejected)
    }

    func testASymlinkIsCheckedThroughItsTargetOrRefused() throws {
        let parent = try R.side(["app/a.py": R.clean])
        var sibling = parent
        sibling["app/b.py"] = MemorySides.File("a.py", mode: 0o120000)
        XCTAssertFalse(try XCTUnwrap(R.judge(parent, sibling)).verdict.rejected, "a link to a checked file of its folder")
        var outside = parent
        outside["app/c.py"] = MemorySides.File("../../etc/evil.py", mode: 0o120000)
        let j = try XCTUnwrap(R.judge(parent, outside))
        XCTAssertEqual(j.verdict.uncheckable.map(\.path), ["app/c.py"])
    }

    func testAFileOverMaxFileSizeIsRefusedUnread() throws {
        let small = R.config.replacingOccurrences(of: "baseline = \".ssot-baseline\"", with: "baseline = \".ssot-baseline\"\nmax-file-size = 64")
        let parent = try R.side(["app/a.py": R.clean], config: small)
        var proposed = parent
        proposed["app/a.py"] = MemorySides.File(R.clean + String(repeating: "# padding\n", count: 10))
        let j = try XCTUnwrap(R.judge(parent, proposed))
        XCTAssertEqual(j.verdict.uncheckable.map(\.path), ["app/a.py"])
        XCTAssertTrue(j.verdict.uncheckable[0].text.contains("max-file-size"))
    }

    func testASubmoduleIsSkippedWithANote() throws {
        let parent = try R.side(["app/a.py": R.clean])
        var proposed = parent
        proposed["app/vendored.py"] = MemorySides.File("0123", mode: 0o160000)
        let j = try XCTUnwrap(R.judge(parent, proposed))
        XCTAssertFalse(j.verdict.rejected)
        XCTAssertTrue(j.verdict.messages.contains { $0.path == "app/vendored.py" && $0.text.contains("submodule") })
    }

    // MARK: SPEC 5: tightening

    func testAFixTightensTheBaselineAndADeletionDropsItsEntries() throws {
        let parent = try R.side(["app/a.py": R.legacy + R.legacy, "app/gone.py": R.legacy])
        var proposed = parent
        proposed["app/a.py"] = MemorySides.File(R.legacy)
        proposed.removeValue(forKey: "app/gone.py")
        let j = try XCTUnwrap(R.judge(parent, proposed))
        XCTAssertFalse(j.verdict.rejected)
        // The gate read only the change's entries; the plan is applied to the whole file.
        let whole = try R.baseline(["app/a.py": R.legacy + R.legacy, "app/gone.py": R.legacy])
        let tightened = whole.applying(try XCTUnwrap(j.plan))
        XCTAssertEqual(tightened.counts.values.reduce(0, +), 1)
        XCTAssertEqual(Set(tightened.counts.keys.map(\.path)), ["app/a.py"])
        XCTAssertEqual(j.tightenings.count, 2)
    }

    func testARejectedChangeTightensNothing() throws {
        let parent = try R.side(["app/a.py": R.legacy, "app/gone.py": R.legacy])
        var proposed = parent
        proposed.removeValue(forKey: "app/gone.py")
        proposed["app/new.py"] = MemorySides.File(R.legacy)
        let j = try XCTUnwrap(R.judge(parent, proposed))
        XCTAssertTrue(j.verdict.rejected)
        XCTAssertNil(j.plan)
    }
}
