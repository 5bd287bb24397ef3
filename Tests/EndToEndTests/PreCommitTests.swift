import Foundation
import TestSupport
import XCTest

/// The pre-commit gate as a new user meets it: a repository adopted with
/// `ssot baseline`, the hook installed by `./install.sh --hook pre-commit`,
/// and commits made with the real git client.
final class PreCommitTests: EndToEndCase {
    var repo: GitRepo!
    let ssotEnv = ["SSOT_BIN": Paths.ssot.path]

    static let config = """
    [project]
    name = "demo"

    [tool.ssot]
    baseline = ".ssot-baseline"

    [[tool.ssot.rule]]
    id = "legacy-import"
    kind = "import"
    canonical = "app.canonical"
    banned = ["app.legacy"]
    allow-in = ["app/legacy.py"]
    message = "Import from app.canonical."

    [[tool.ssot.rule]]
    id = "legacy-singleton"
    kind = "singleton"
    banned = ["app.get_manager"]
    replacement = "app.create_manager(ctx)"
    message = "Legacy singleton."

    """

    override func setUpWithError() throws {
        try super.setUpWithError()
        repo = GitRepo()
        repo.write("pyproject.toml", PreCommitTests.config)
        repo.write("app/__init__.py", "def get_manager(): pass\n")
        repo.write("app/legacy.py", "class Manager: pass\n")
        repo.write("app/canonical.py", "from app.legacy import Manager\n")
        repo.write("app/old.py", "from app.legacy import Manager\n\n\ndef f():\n    return Manager()\n")
        repo.write("app/clean.py", "from app.canonical import Manager\n")
        repo.git(["add", "-A"])
        let baseline = ssot(["baseline"], in: repo.path)
        XCTAssertEqual(baseline.status, 0, baseline.output)
        repo.commitAll("adopt ssot")
        installHook()
    }

    func installHook(_ target: String? = nil) {
        let r = runProcess(Paths.package.appendingPathComponent("install.sh").path, ["--hook", "pre-commit", target ?? repo.path],
                           in: repo.path)
        XCTAssertEqual(r.status, 0, r.output)
    }

    @discardableResult
    func commit(_ args: [String] = [], message: String = "change") -> RunResult {
        repo.git(["commit", "-m", message] + args, environment: ssotEnv)
    }

    func assertRejected(_ r: RunResult, _ mentions: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(r.status, 0, r.output, file: file, line: line)
        for m in mentions { XCTAssertTrue(r.output.contains(m), "missing \(m) in:\n\(r.output)", file: file, line: line) }
    }

    // MARK: - The gate

    func testCleanChangeCommits() {
        let before = repo.head()
        repo.write("app/new.py", "from app.canonical import Manager\nx = 'from app.legacy import Manager'\n")
        repo.git(["add", "-A"])
        let r = commit()
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertNotEqual(repo.head(), before)
    }

    func testNewBannedImportIsRefusedAndHeadDoesNotMove() {
        let before = repo.head()
        repo.write("app/new.py", "import os\nfrom app.legacy import Manager as M\n")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/new.py:2:24: legacy-import", "from app.canonical import Manager", "Found 1 new finding"])
        XCTAssertEqual(repo.head(), before)
    }

    func testSingletonUseAliasedOrAsAttributeIsRefused() {
        repo.write("app/a.py", "from app import get_manager as gm\n\n\ndef h():\n    return gm()\n")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/a.py:1:17:", "app/a.py:5:12: legacy-singleton", "app.create_manager(ctx)"])
        repo.write("app/a.py", "import app as application\n\n\ndef h():\n    return application.get_manager()\n")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/a.py:5:12: legacy-singleton", "use app.get_manager"])
    }

    func testMovingABaselinedViolationDownTheFileCommits() {
        repo.write("app/old.py", "import os\n\n\n# moved down\nfrom app.legacy import Manager\n\n\ndef f():\n    return Manager()\n")
        repo.git(["add", "-A"])
        XCTAssertEqual(commit().status, 0)
    }

    func testGitMvOfABaselinedFileCommitsAndMovesItsEntries() {
        repo.git(["mv", "app/old.py", "app/renamed.py"])
        let r = commit()
        XCTAssertEqual(r.status, 0, r.output)
        let committed = repo.git(["show", "HEAD:.ssot-baseline"]).stdout
        XCTAssertTrue(committed.contains("app/renamed.py\tfrom app.legacy import Manager"), committed)
        XCTAssertFalse(committed.contains("app/old.py"), committed)
        XCTAssertTrue(r.stderr.contains("moved to app/renamed.py"), r.stderr)
        XCTAssertEqual(repo.git(["status", "--porcelain"]).stdout, "")
    }

    /// The parent's baseline is read from the working tree only when git's
    /// stat data proves it is HEAD's blob (Repository.cleanCopy).
    func testAWorkingTreeBaselineThatDiffersFromHeadIsNeverTheParents() throws {
        let head = try XCTUnwrap(repo.read(".ssot-baseline"))
        let grown = head.replacingOccurrences(of: "1\tlegacy-import\tapp/old.py", with: "2\tlegacy-import\tapp/old.py")
        XCTAssertNotEqual(grown, head)
        repo.write("app/old.py", "from app.legacy import Manager\nfrom app.legacy import Manager as M\n\n\ndef f():\n    return Manager()\n")
        repo.git(["add", "app/old.py"])
        // An unstaged edit, and one of the same size.
        repo.write(".ssot-baseline", grown + "# a longer file\n")
        assertRejected(commit(), ["app/old.py:2:"])
        let path = repo.path + "/.ssot-baseline"
        repo.git(["checkout", ".ssot-baseline"])
        let sameSize = head.replacingOccurrences(of: "1\tlegacy-import\tapp/old.py", with: "9\tlegacy-import\tapp/old.py")
        XCTAssertEqual(sameSize.utf8.count, head.utf8.count)
        repo.write(".ssot-baseline", sameSize)
        assertRejected(commit(), ["app/old.py:2:"])
        // A filter that changes the bytes: the blob's size differs, so the blob is read.
        repo.git(["checkout", ".ssot-baseline"])
        repo.write(".gitattributes", ".ssot-baseline text eol=crlf\n")
        repo.git(["add", ".gitattributes"])
        XCTAssertEqual(repo.git(["commit", "-q", "--no-verify", "-m", "attributes", "--", ".gitattributes"]).status, 0)
        try FileManager.default.removeItem(atPath: path)
        repo.git(["checkout", ".ssot-baseline"])
        XCTAssertTrue(try XCTUnwrap(repo.read(".ssot-baseline")).contains("\r\n"))
        repo.git(["add", "app/old.py"])
        assertRejected(commit(), ["app/old.py:2:"])
        repo.write("app/old.py", "from app.legacy import Manager\n\n\ndef f():\n    return Manager()\n# edited\n")
        repo.git(["add", "app/old.py"])
        let r = commit()
        XCTAssertEqual(r.status, 0, r.output)
        // A filter that keeps the size (rot13): the working-tree copy is never read for HEAD's.
        repo.git(["config", "filter.rot13.clean", "tr A-Za-z N-ZA-Mn-za-m"])
        repo.git(["config", "filter.rot13.smudge", "tr A-Za-z N-ZA-Mn-za-m"])
        repo.write(".gitattributes", ".ssot-baseline filter=rot13\n")
        repo.git(["add", ".gitattributes"])
        XCTAssertEqual(repo.git(["commit", "-q", "--no-verify", "-m", "rot13", "--", ".gitattributes"]).status, 0)
        try FileManager.default.removeItem(atPath: path)
        repo.git(["checkout", ".ssot-baseline"])
        XCTAssertFalse(try XCTUnwrap(repo.read(".ssot-baseline")).contains("legacy-import"), "smudged")
        repo.write("app/old.py", "from app.legacy import Manager\n\n\ndef f():\n    return Manager()\n# edited again\n")
        repo.git(["add", "app/old.py"])
        let filtered = commit()
        XCTAssertEqual(filtered.status, 0, filtered.output)
    }

    /// The attribute files the working-tree copy of the baseline is judged by
    /// include `info/attributes` and a `.gitattributes` that is staged but
    /// missing from disk; either may name a filter that rewrites the bytes.
    func testAFilterFromInfoAttributesOrAMissingGitattributesIsHonoured() throws {
        repo.git(["config", "filter.rot13.clean", "tr A-Za-z N-ZA-Mn-za-m"])
        repo.git(["config", "filter.rot13.smudge", "tr A-Za-z N-ZA-Mn-za-m"])
        let path = repo.path + "/.ssot-baseline"
        let violation = "from app.legacy import Manager\n\n\ndef f():\n    return Manager()\n"
        func smudgeAndCommit(_ edit: String) {
            try? FileManager.default.removeItem(atPath: path)
            repo.git(["checkout", ".ssot-baseline"])
            XCTAssertFalse(repo.read(".ssot-baseline")?.contains("legacy-import") ?? true, "smudged")
            repo.write("app/old.py", violation + edit)
            repo.git(["add", "app/old.py"])
            let r = commit()
            XCTAssertEqual(r.status, 0, r.output)
        }
        try FileManager.default.createDirectory(atPath: repo.path + "/.git/info", withIntermediateDirectories: true)
        try ".ssot-baseline filter=rot13\n".write(toFile: repo.path + "/.git/info/attributes", atomically: true, encoding: .utf8)
        smudgeAndCommit("# one\n")
        try FileManager.default.removeItem(atPath: repo.path + "/.git/info/attributes")
        repo.write(".gitattributes", ".ssot-baseline filter=rot13\n")
        repo.git(["add", ".gitattributes"])
        XCTAssertEqual(repo.git(["commit", "-q", "--no-verify", "-m", "rot13", "--", ".gitattributes"]).status, 0)
        try FileManager.default.removeItem(atPath: repo.path + "/.gitattributes")
        // git still applies the staged .gitattributes, though the file is gone from disk.
        smudgeAndCommit("# two\n")
    }

    func testAViolationOnlyInTheWorkingTreeDoesNotBlock() {
        repo.write("app/clean.py", "from app.canonical import Manager\nx = 1\n")
        repo.git(["add", "app/clean.py"])
        repo.write("app/clean.py", "from app.legacy import Manager\nx = 1\n")
        XCTAssertEqual(commit().status, 0)
    }

    func testAStagedViolationBlocksEvenWhenTheWorkingTreeWasFixed() {
        repo.write("app/clean.py", "from app.legacy import Manager\n")
        repo.git(["add", "app/clean.py"])
        repo.write("app/clean.py", "from app.canonical import Manager\n")
        assertRejected(commit(), ["app/clean.py:1:24"])
    }

    func testCommitAllIsGated() {
        repo.write("app/clean.py", "from app.legacy import Manager\n")
        assertRejected(commit(["-a"]), ["app/clean.py:1:24"])
    }

    func testCommitOfNamedPathsIsGated() {
        repo.write("app/clean.py", "from app.legacy import Manager\n")
        repo.write("app/other.py", "x = 1\n")
        repo.git(["add", "app/other.py"])
        assertRejected(commit(["app/clean.py"]), ["app/clean.py:1:24"])
        XCTAssertEqual(commit(["app/other.py"]).status, 0)
    }

    func testBannedTextInDocstringsCommentsAndFStringLiteralsDoesNotBlock() {
        repo.write("app/text.py", """
        '''Once did: from app.legacy import Manager, and get_manager().'''
        # import app.legacy
        msg = f"from app.legacy import {__name__} get_manager()"
        raw = rb'import app.legacy'

        """)
        repo.git(["add", "-A"])
        XCTAssertEqual(commit().status, 0)
    }

    func testFixingABaselinedViolationTightensAndItCannotComeBack() {
        repo.write("app/old.py", "from app.canonical import Manager\n\n\ndef f():\n    return Manager()\n")
        repo.git(["add", "-A"])
        let r = commit()
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stderr.contains("tightened .ssot-baseline"), r.stderr)
        XCTAssertFalse(repo.git(["show", "HEAD:.ssot-baseline"]).stdout.contains("app/old.py"))
        XCTAssertTrue(repo.git(["show", "HEAD:.ssot-baseline"]).stdout.contains("app/canonical.py"),
                      "the entries of files the commit did not touch stay")
        XCTAssertEqual(repo.read(".ssot-baseline"), repo.git(["show", "HEAD:.ssot-baseline"]).stdout, "working tree tightened too")
        XCTAssertEqual(repo.git(["status", "--porcelain"]).stdout, "")
        repo.write("app/old.py", "from app.legacy import Manager\n")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/old.py:1:24"])
    }

    func testTighteningWithCommitAll() {
        repo.write("app/old.py", "x = 1\n")
        let r = commit(["-a"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertFalse(repo.git(["show", "HEAD:.ssot-baseline"]).stdout.contains("app/old.py"))
        XCTAssertEqual(repo.git(["status", "--porcelain"]).stdout, "")
    }

    func testDeletingABaselinedFileDropsItsEntries() {
        repo.git(["rm", "-q", "app/old.py"])
        XCTAssertEqual(commit().status, 0)
        XCTAssertFalse(repo.git(["show", "HEAD:.ssot-baseline"]).stdout.contains("app/old.py"))
    }

    func testCommitOfNamedPathsDoesNotStageTheTightenedBaselineButSaysWhatToRun() {
        repo.write("app/old.py", "x = 1\n")
        let r = commit(["app/old.py"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stderr.contains("ssot baseline && git commit"), r.stderr)
        XCTAssertTrue(repo.git(["show", "HEAD:.ssot-baseline"]).stdout.contains("app/old.py"), "not tightened in this commit")
        XCTAssertEqual(repo.git(["status", "--porcelain"]).stdout, "", "nothing half-staged is left behind")
        let follow = ssot(["baseline"], in: repo.path)
        XCTAssertEqual(follow.status, 0, follow.output)
        XCTAssertEqual(commit([".ssot-baseline"]).status, 0)
        XCTAssertFalse(repo.git(["show", "HEAD:.ssot-baseline"]).stdout.contains("app/old.py"))
    }

    func testNoBaselineNeverTouchesTheBaseline() {
        repo.write("app/old.py", "x = 1\n")
        repo.git(["add", "app/old.py"])
        let before = repo.read(".ssot-baseline")
        let r = ssot(["check", "--staged", "--no-baseline"], in: repo.path)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertEqual(repo.git(["diff", "--cached", "--name-only"]).stdout, "app/old.py\n", "nothing else staged")
        XCTAssertEqual(repo.read(".ssot-baseline"), before)
    }

    func testUnstagedEditsOfTheBaselineAreNeverClobbered() {
        repo.write("app/old.py", "x = 1\n")
        repo.git(["add", "app/old.py"])
        let edited = (repo.read(".ssot-baseline") ?? "") + "# my note\n"
        repo.write(".ssot-baseline", edited)
        let r = commit()
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertEqual(repo.read(".ssot-baseline"), edited)
        XCTAssertTrue(r.stderr.contains("unstaged edits"), r.stderr)
        XCTAssertFalse(repo.git(["show", "HEAD:.ssot-baseline"]).stdout.contains("app/old.py"))
    }

    func testTightenWarnAndOff() {
        repo.write("pyproject.toml", PreCommitTests.config.replacingOccurrences(of: "baseline = \".ssot-baseline\"", with: "baseline = \".ssot-baseline\"\ntighten = \"warn\""))
        repo.git(["add", "-A"])
        XCTAssertEqual(commit().status, 0)
        repo.write("app/old.py", "x = 1\n")
        let warn = commit(["-a"])
        XCTAssertEqual(warn.status, 0)
        XCTAssertTrue(warn.stderr.contains("tighten = \"warn\""), warn.stderr)
        XCTAssertTrue(repo.git(["show", "HEAD:.ssot-baseline"]).stdout.contains("app/old.py"))
        repo.write("pyproject.toml", PreCommitTests.config.replacingOccurrences(of: "baseline = \".ssot-baseline\"", with: "baseline = \".ssot-baseline\"\ntighten = \"off\""))
        XCTAssertEqual(commit(["-a"]).status, 0)
        repo.write("app/old.py", "x = 2\n")
        let off = commit(["-a"])
        XCTAssertEqual(off.status, 0)
        XCTAssertFalse(off.output.contains("tightened"), off.output)
        XCTAssertTrue(off.output.contains("`ssot baseline` tightens"), off.output)
        XCTAssertTrue(repo.git(["show", "HEAD:.ssot-baseline"]).stdout.contains("app/old.py"))
    }

    func testHandGrowingTheBaselineIsRefused() {
        let grown = (repo.read(".ssot-baseline") ?? "").replacingOccurrences(of: "1\tlegacy-import\tapp/old.py", with: "3\tlegacy-import\tapp/old.py")
        repo.write(".ssot-baseline", grown)
        repo.git(["add", "-A"])
        assertRejected(commit(), ["baseline grows", "allowed 1, proposed 3", "may only shrink"])
        repo.write(".ssot-baseline", grown + "1\tlegacy-import\tapp/clean.py\tfrom app.legacy import Manager\n")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/clean.py: legacy-import baseline grows"])
    }

    func testAddingTheFirstEntriesOfANewRuleIsAdoption() {
        repo.write(".ssot-baseline", (repo.read(".ssot-baseline") ?? "") + "1\tbrand-new-rule\tapp/clean.py\timport os\n")
        repo.git(["add", "-A"])
        XCTAssertEqual(commit().status, 0)
    }

    func testABaselineAddedAfterItsConfigIsGrowth() {
        let fresh = GitRepo()
        fresh.write("pyproject.toml", PreCommitTests.config)
        fresh.write("app/old.py", "from app.legacy import Manager\n")
        fresh.commitAll("config first, no baseline")
        XCTAssertEqual(ssot(["baseline"], in: fresh.path).status, 0)
        XCTAssertEqual(runProcess(Paths.package.appendingPathComponent("install.sh").path, ["--hook", "pre-commit", fresh.path],
                                  in: fresh.path).status, 0)
        let r = fresh.git(["commit", "-m", "baseline later"], environment: ssotEnv)
        assertRejected(r, ["baseline grows", "allowed 0, proposed 1", "a baseline added now is growth"])
    }

    func testHostileFilesAndSymlinksNeverCrashTheHook() throws {
        repo.write("app/nul.py", "x = 1\n\0\n")
        repo.dir.write("app/bad_utf8.py", Data([0x78, 0xFF, 0x0A]))
        repo.write("app/deep.py", "x = " + String(repeating: "[", count: 100_000) + "\n")
        repo.write("app/eof.py", "x = '''")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/app/link.py", withDestinationPath: "legacy.py")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/app/dangling.py", withDestinationPath: "/nonexistent")
        repo.git(["add", "-A"])
        // A link out of the tree cannot be checked: the gate fails closed on it (SPEC 2).
        assertRejected(commit(), ["app/dangling.py: cannot-check a symlink to /nonexistent, outside the tree"])
        repo.git(["rm", "-q", "--cached", "app/dangling.py"])
        try FileManager.default.removeItem(atPath: repo.path + "/app/dangling.py")
        let r = commit()
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stderr.contains("app/link.py: note: skipped: a symlink to app/legacy.py, which is checked itself"), r.stderr)
        XCTAssertTrue(r.stderr.contains("app/nul.py:2:1: warning: NUL byte"), r.stderr)
        repo.write("app/nul.py", "from app.legacy import Manager\n\0\n")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/nul.py:1:24"])
    }

    /// Hostile file names through the whole staged diff: a rename (so the
    /// in-memory indexes that pair renames are used) and an addition, with
    /// newlines, tabs, quotes, escapes and non-ASCII in the names.
    func testHostilePathNamesAreDiffedAndNamedEscaped() {
        repo.git(["mv", "app/old.py", "app/ol\td \"x\".py"])
        repo.write("app/new\nline\u{1B}[31m é.py", "x = 1\nfrom app.legacy import Manager\n")
        repo.git(["add", "-A"])
        let r = commit()
        XCTAssertNotEqual(r.status, 0, r.output)
        XCTAssertFalse(r.output.contains("\u{1B}"), "no raw escape reaches the terminal")
        XCTAssertTrue(r.output.contains("app/new\\x0aline\\x1b[31m é.py:2:24"), r.output)
        XCTAssertFalse(r.output.contains("ol\\td"), "the renamed file's baselined finding is not new: \(r.output)")
        repo.git(["rm", "-q", "--cached", "app/new\nline\u{1B}[31m é.py"])
        let renamed = commit()
        XCTAssertEqual(renamed.status, 0, renamed.output)
        let committed = repo.git(["show", "HEAD:.ssot-baseline"]).stdout
        XCTAssertTrue(committed.contains("\"app/ol\\td \\\"x\\\".py\"\tfrom app.legacy import Manager"), committed)
    }

    func testIntentToAddEntriesAreSkippedWithANote() {
        repo.write("app/later.py", "from app.legacy import Manager\n")
        repo.git(["add", "-N", "app/later.py"])
        repo.write("app/clean.py", "x = 3\n")
        repo.git(["add", "app/clean.py"])
        let r = ssot(["check", "--staged"], in: repo.path)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stderr.contains("app/later.py: note: skipped: an intent-to-add entry"), r.stderr)
    }

    func testUnbornRepositoryWithoutConfigPasses() {
        let fresh = GitRepo()
        fresh.write("a.py", "from app.legacy import Manager\n")
        fresh.git(["add", "-A"])
        let r = ssot(["check", "--staged"], in: fresh.path)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stderr.contains("not adopted"), r.stderr)
        let hooked = installHookAndCommitFirst(fresh)
        XCTAssertEqual(hooked.status, 0, hooked.output)
    }

    func installHookAndCommitFirst(_ target: GitRepo) -> RunResult {
        XCTAssertEqual(runProcess(Paths.package.appendingPathComponent("install.sh").path, ["--hook", "pre-commit", target.path],
                                  in: target.path).status, 0)
        return target.git(["commit", "-m", "first"], environment: ssotEnv)
    }

    func testBadConfigInHeadExitsTwoAndNamesTheFile() {
        repo.write("pyproject.toml", PreCommitTests.config + "\n[tool.ssot.server]\nrefs = 3\n")
        repo.git(["commit", "-qam", "broken config", "--no-verify"])
        repo.write("app/clean.py", "x = 4\n")
        repo.git(["add", "-A"])
        let r = ssot(["check", "--staged"], in: repo.path)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("pyproject.toml:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("tool.ssot.server.refs: must be an array of strings"), r.stderr)
        assertRejected(commit(), ["pyproject.toml:"])
    }

    func testAChangedConfigCannotLoosenItsOwnCommit() {
        repo.write("pyproject.toml", PreCommitTests.config.replacingOccurrences(of: "banned = [\"app.legacy\"]", with: "banned = [\"nothing.here\"]"))
        repo.write("app/clean.py", "from app.legacy import Manager\n")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/clean.py:1:24"])
    }

    /// The hooks' own command lines skip ArgumentParser (HookArguments);
    /// every other line still goes through it, with its messages.
    func testTheHooksCommandLinesAndEveryOtherLineMeanTheSame() throws {
        repo.write("app/clean.py", "from app.legacy import Manager\n")
        repo.git(["add", "-A"])
        let fast = ssot(["check", "--staged", "--format", "json"], in: repo.path)
        let fastEquals = ssot(["check", "--format=json", "--staged"], in: repo.path)
        let parsed = ssot(["check", "--staged", "--format", "json", "-C", repo.path], in: "/")
        XCTAssertEqual(fast.status, 1, fast.output)
        XCTAssertEqual(fast.stdout, fastEquals.stdout)
        XCTAssertEqual(fast.stdout, parsed.stdout)
        XCTAssertEqual(parsed.status, 1)
        XCTAssertTrue(fast.stdout.contains("\"app/clean.py\""), fast.stdout)
        let both = ssot(["check", "--staged", "--pre-receive"], in: repo.path)
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("choose one of"), both.stderr)
        let twice = ssot(["check", "--staged", "--staged"], in: repo.path)
        XCTAssertEqual(twice.status, 1, "ArgumentParser accepts a repeated flag: \(twice.stderr)")
        let bogus = ssot(["check", "--staged", "--format", "xml"], in: repo.path)
        XCTAssertEqual(bogus.status, 2)
        XCTAssertTrue(bogus.stderr.contains("xml"), bogus.stderr)
        let noBaseline = ssot(["check", "--no-baseline", "--staged"], in: repo.path)
        XCTAssertEqual(noBaseline.status, 1)
        XCTAssertTrue(noBaseline.stdout.contains("app/old.py") == false && noBaseline.stdout.contains("app/clean.py"), noBaseline.stdout)
    }

    func testMalformedBaselineInHeadExitsTwo() {
        repo.write(".ssot-baseline", "garbage line\n")
        repo.git(["commit", "-qam", "broken baseline", "--no-verify"])
        repo.write("app/clean.py", "x = 5\n")
        repo.git(["add", "-A"])
        let r = ssot(["check", "--staged"], in: repo.path)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains(".ssot-baseline:1:"), r.stderr)
        XCTAssertEqual(repo.read(".ssot-baseline"), "garbage line\n", "never overwritten")
    }

    /// HEAD's baseline is read only when a selected file changed: a commit
    /// of no Python file passes, and one of a Python file names the missing
    /// object with exit 3. A git failure is never a rejection (exit 1, which
    /// it was when no caller explained it).
    func testAnUnreadableBaselineInHeadMattersOnlyWhenItIsConsulted() throws {
        repo.write(".ssot-baseline", (repo.read(".ssot-baseline") ?? "") + "# edited\n")
        repo.git(["commit", "-qam", "edited baseline", "--no-verify"])
        let id = repo.git(["rev-parse", "HEAD:.ssot-baseline"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.removeItem(atPath: "\(repo.path)/.git/objects/\(id.prefix(2))/\(id.dropFirst(2))")
        repo.write(".ssot-baseline", "differs from HEAD, so HEAD's blob is read\n")
        repo.write("README.md", "docs\n")
        repo.git(["add", "README.md"])
        XCTAssertEqual(ssot(["check", "--staged"], in: repo.path).status, 0)
        repo.write("app/clean.py", "x = 5\n")
        repo.git(["add", "app/clean.py"])
        let r = ssot(["check", "--staged"], in: repo.path)
        XCTAssertEqual(r.status, 3, r.output)
        XCTAssertTrue(r.stderr.contains(id), r.stderr)
    }

    func testJSONCarriesNewGrownAndLoose() throws {
        repo.write("app/old.py", "x = 1\n")
        repo.write("app/clean.py", "from app.legacy import Manager\n")
        repo.git(["add", "-A"])
        let r = ssot(["check", "--staged", "--format", "json"], in: repo.path)
        XCTAssertEqual(r.status, 1)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(json["mode"] as? String, "staged")
        XCTAssertEqual((json["findings"] as! [[String: Any]]).map { $0["new"] as! Bool }, [true])
        let loose = (json["baseline"] as! [String: Any])["loose"] as! [[String: Any]]
        XCTAssertEqual(loose.map { $0["path"] as! String }, ["app/old.py"])
    }

    // MARK: - Repositories as git lays them out

    func testLinkedWorktreeIsGatedByTheSharedHook() {
        let wt = TempDir("worktree")
        let path = wt.path + "/wt"
        XCTAssertEqual(repo.git(["worktree", "add", "-q", path]).status, 0)
        XCTAssertTrue(FileManager.default.createFile(atPath: path + "/app/clean.py", contents: Data("from app.legacy import Manager\n".utf8)))
        runProcess(Tools.git, ["add", "-A"], in: path)
        let r = runProcess(Tools.git, ["commit", "-m", "in worktree"], in: path, environment: ssotEnv)
        assertRejected(r, ["app/clean.py:1:24"])
    }

    func testCoreHooksPathIsWhereTheHookGoes() {
        repo.git(["config", "core.hooksPath", ".githooks"])
        installHook()
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: repo.path + "/.githooks/pre-commit"))
        repo.write("app/clean.py", "from app.legacy import Manager\n")
        repo.git(["add", "app/clean.py"])
        assertRejected(commit(), ["app/clean.py:1:24"])
    }

    func testAnExistingHookIsChainedAndInstallingTwiceChangesNothing() throws {
        let hooks = repo.path + "/.git/hooks"
        let own = hooks + "/pre-commit"
        let installed = try String(contentsOfFile: own, encoding: .utf8)
        installHook()
        XCTAssertEqual(try String(contentsOfFile: own, encoding: .utf8), installed, "a second install changes nothing")
        XCTAssertFalse(FileManager.default.fileExists(atPath: own + ".ssot-chained"))
        try FileManager.default.removeItem(atPath: own)
        XCTAssertTrue(FileManager.default.createFile(atPath: own, contents: Data("#!/bin/sh\necho mine >&2\n[ ! -e STOP ]\n".utf8),
                                                     attributes: [.posixPermissions: 0o755]))
        installHook()
        installHook()
        XCTAssertTrue(FileManager.default.fileExists(atPath: own + ".ssot-chained"))
        repo.write("app/clean.py", "x = 9\n")
        repo.git(["add", "app/clean.py"])
        let ok = commit()
        XCTAssertEqual(ok.status, 0, ok.output)
        XCTAssertTrue(ok.stderr.contains("mine"), "the existing hook still runs")
        repo.write("STOP", "")
        repo.write("app/clean.py", "x = 10\n")
        repo.git(["add", "app/clean.py"])
        XCTAssertNotEqual(commit().status, 0, "and can still refuse the commit")
    }

    func testHookFailsClosedWithoutSsot() {
        repo.write("app/clean.py", "x = 11\n")
        repo.git(["add", "app/clean.py"])
        let r = repo.git(["commit", "-m", "x"], environment: ["SSOT_BIN": "/nonexistent/ssot", "PATH": "/usr/bin:/bin"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("refusing the commit"), r.stderr)
    }

    func testGitDirAndWorkTreeFromTheEnvironment() {
        repo.write("app/clean.py", "from app.legacy import Manager\n")
        repo.git(["add", "app/clean.py"])
        let elsewhere = TempDir()
        let r = ssot(["check", "--staged"], in: elsewhere.path,
                     environment: ["GIT_DIR": repo.path + "/.git", "GIT_WORK_TREE": repo.path])
        XCTAssertEqual(r.status, 1, r.output)
        XCTAssertTrue(r.stdout.contains("app/clean.py:1:24"), r.stdout)
    }

    func testUnreadableIndexesExitThreeWithAClearMessage() {
        repo.git(["config", "core.splitIndex", "true"])
        repo.write("app/clean.py", "x = 12\n")
        repo.git(["update-index", "--split-index"])
        repo.git(["add", "app/clean.py"])
        let split = ssot(["check", "--staged"], in: repo.path)
        XCTAssertEqual(split.status, 3, split.output)
        XCTAssertTrue(split.stderr.contains("cannot read split indexes"), split.stderr)
        XCTAssertTrue(split.stderr.contains("git update-index --no-split-index"), split.stderr)
        XCTAssertTrue(split.stderr.contains("split index"), split.stderr)
    }

    func testSparseIndexExitsThree() {
        repo.git(["sparse-checkout", "init", "--cone", "--sparse-index"])
        let r = ssot(["check", "--staged"], in: repo.path)
        XCTAssertEqual(r.status, 3, r.output)
        XCTAssertTrue(r.stderr.contains("sparse index"), r.stderr)
    }

    func testWorktreeConfigExtensionExitsThree() {
        repo.git(["config", "core.repositoryFormatVersion", "1"])
        repo.git(["config", "extensions.worktreeConfig", "true"])
        let r = ssot(["check", "--staged"], in: repo.path)
        XCTAssertEqual(r.status, 3, r.output)
        XCTAssertTrue(r.stderr.contains("worktreeConfig"), r.stderr)
    }

    // MARK: - ssot baseline and ssot init

    func testBaselineRefusesGrowthWithoutAllowGrowth() {
        repo.write("app/clean.py", "from app.legacy import Manager\n")
        repo.git(["add", "-A"])
        let before = repo.read(".ssot-baseline")
        let r = ssot(["baseline"], in: repo.path)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("refusing to grow .ssot-baseline"), r.stderr)
        XCTAssertEqual(repo.read(".ssot-baseline"), before)
        let allowed = ssot(["baseline", "--allow-growth"], in: repo.path)
        XCTAssertEqual(allowed.status, 0, allowed.output)
        XCTAssertTrue(repo.git(["diff", "--cached", "--name-only"]).stdout.contains(".ssot-baseline"))
    }

    func testBaselineDropsDeletedFilesAndIsDeterministic() {
        repo.git(["rm", "-q", "app/old.py"])
        XCTAssertEqual(ssot(["baseline"], in: repo.path).status, 0)
        XCTAssertEqual(repo.read(".ssot-baseline"), """
        # ssot baseline: known violations that may remain. Entries may only be removed.
        1\tlegacy-import\tapp/canonical.py\tfrom app.legacy import Manager

        """)
        XCTAssertEqual(ssot(["baseline"], in: repo.path).status, 0)
        XCTAssertEqual(repo.git(["diff", "--cached", "--stat", "--", ".ssot-baseline"]).status, 0)
    }

    func testInitAdoptsConfigAndBaselineInOneCommit() {
        let fresh = GitRepo()
        fresh.write("pyproject.toml", "[project]\nname = \"x\"\n")
        fresh.write("app/old.py", "from app.legacy import Manager\n")
        fresh.commitAll("before ssot")
        let r = ssot(["init"], in: fresh.path)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(fresh.read("pyproject.toml")?.contains("[tool.ssot]") ?? false)
        XCTAssertEqual(fresh.git(["diff", "--cached", "--name-only"]).stdout, ".ssot-baseline\npyproject.toml\n")
        XCTAssertEqual(ssot(["init"], in: fresh.path).status, 0, "init before the commit can run again")
        fresh.git(["commit", "-qm", "adopt"])
        let again = ssot(["init"], in: fresh.path)
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("already adopted"), again.stderr)
    }

    func testInitWithAHandWrittenConfigRecordsItsFindings() {
        let fresh = GitRepo()
        fresh.write("app/old.py", "from app.legacy import Manager\n")
        fresh.commitAll("before ssot")
        fresh.write("ssot.toml", "[[rule]]\nid = \"legacy-import\"\nkind = \"import\"\nbanned = [\"app.legacy\"]\n")
        let r = ssot(["init"], in: fresh.path, stdin: "")
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertEqual(fresh.read(".ssot-baseline"), """
        # ssot baseline: known violations that may remain. Entries may only be removed.
        1\tlegacy-import\tapp/old.py\tfrom app.legacy import Manager

        """)
        fresh.git(["commit", "-qm", "adopt"])
        XCTAssertEqual(installHookAndCommitFirst(fresh).status, 1, "nothing staged: git itself refuses an empty commit")
        fresh.write("app/new.py", "from app.legacy import Manager\n")
        fresh.git(["add", "-A"])
        XCTAssertEqual(fresh.git(["commit", "-m", "new"], environment: ssotEnv).status, 1)
    }
}
