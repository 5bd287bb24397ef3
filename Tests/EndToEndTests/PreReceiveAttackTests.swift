import Foundation
import TestSupport
import XCTest

/// The server gate attacked as a pusher who wants a violation merged, or a
/// shell on the server, would (issue 10): real pushes over `file://` into a
/// bare repository with the installed hook. Each test is the attack that got
/// through before, and ends with what must hold now.
final class PreReceiveAttackTests: EndToEndCase {
    var f: PushFixture!

    override func setUpWithError() throws {
        try super.setUpWithError()
        f = PushFixture()
    }

    func assertRefused(_ r: RunResult, _ mentions: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(r.status, 0, r.output, file: file, line: line)
        XCTAssertTrue(r.stderr.contains("pre-receive hook declined"), r.stderr, file: file, line: line)
        for m in mentions { XCTAssertTrue(r.stderr.contains(m), "missing \(m) in:\n\(r.stderr)", file: file, line: line) }
    }

    // MARK: 1. server settings from the server only

    func testAPushedServerTableNamesNoBypassUserAndNoAuditLog() throws {
        let hook = f.server.path + "/hooks/pre-receive"
        let hookBefore = try String(contentsOfFile: hook, encoding: .utf8)
        let configBefore = try String(contentsOfFile: f.server.path + "/config", encoding: .utf8)
        // The attack: list yourself as a bypass user and point the audit log at the hook.
        f.commit("pyproject.toml", PreCommitTests.config + """
        [tool.ssot.server]
        bypass-users = ["mallory"]
        audit-log = "hooks/pre-receive"
        refs = ["refs/heads/nothing"]

        """)
        XCTAssertEqual(f.push(["origin", "main"]).status, 0, "adding a [server] table loosens nothing: it is never honoured")
        f.commit(".ssot-baseline", f.grownBaseline())
        let ref = "refs/heads/x$(touch${IFS}PWNED)"
        let r = f.push(["-o", "ssot.allow-growth", "origin", "HEAD:main", "HEAD:" + ref], environment: ["SSOT_USER": "mallory"])
        assertRefused(r, ["ssot.allow-growth requested by mallory was refused: not in the server's ssot.bypassUsers",
                          "the repository's [server] table (pyproject.toml) is ignored", "baseline grows"])
        XCTAssertEqual(try String(contentsOfFile: hook, encoding: .utf8), hookBefore, "the hook was not written")
        XCTAssertEqual(try String(contentsOfFile: f.server.path + "/config", encoding: .utf8), configBefore)
        for dir in [f.server.path, f.work.path, f.server.path + "/hooks"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/PWNED"), "no command ran in \(dir)")
        }
        // The refused request is in the server's own log, the hostile ref name as a JSON string.
        let entries = try f.auditEntries()
        XCTAssertEqual(Set(entries.compactMap { $0["ref"] as? String }), ["refs/heads/main", ref])
        XCTAssertTrue(entries.allSatisfy { $0["bypass"] as? String == "refused" && $0["user"] as? String == "mallory" })
        // What was asked for is recorded with the refusal: the grown entries (review of issue 12).
        XCTAssertTrue(entries.allSatisfy { !(($0["grown"] as? [Any]) ?? []).isEmpty }, "\(entries)")
        // And the server still takes pushes.
        f.work.git(["reset", "-q", "--hard", "HEAD~1"])
        f.commit("app/fine.py", "x = 1\n")
        let clean = f.push(["origin", "main"])
        XCTAssertEqual(clean.status, 0, clean.output)
    }

    func testAHostileRefNameWithAnAcceptedBypassIsEscapedInTheLog() throws {
        f.commit(".ssot-baseline", f.grownBaseline())
        let ref = "refs/heads/x$(touch${IFS}PWNED)\"}{"
        let r = f.push(["-o", "ssot.allow-growth", "origin", "HEAD:" + ref], environment: ["SSOT_USER": "alice"])
        XCTAssertEqual(r.status, 0, r.output)
        let entries = try f.auditEntries()
        XCTAssertEqual(entries.count, 1, "one line, however the ref is spelled")
        XCTAssertEqual(entries[0]["ref"] as? String, ref)
        XCTAssertEqual(entries[0]["bypass"] as? String, "accepted")
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.server.path + "/PWNED"))
    }

    func testAnAuditLogThatIsASymlinkIsNotFollowedAndTheBypassIsRefused() throws {
        let victim = f.server.path + "/description"
        let before = try String(contentsOfFile: victim, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: f.server.path + "/ssot-audit.log", withDestinationPath: victim)
        f.commit(".ssot-baseline", f.grownBaseline())
        let r = f.push(["-o", "ssot.allow-growth", "origin", "main"], environment: ["SSOT_USER": "alice"])
        assertRefused(r, ["cannot write the audit log", "symbolic link", "the bypass is refused"])
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), before)
        XCTAssertFalse(r.stderr.contains(": accepted"), "nothing claims the push was accepted")
    }

    func testABypassNeedsAnAuditLog() {
        f.server.git(["config", "--unset", "ssot.auditLog"])
        f.commit(".ssot-baseline", f.grownBaseline())
        let r = f.push(["-o", "ssot.allow-growth", "origin", "main"], environment: ["SSOT_USER": "alice"])
        assertRefused(r, ["was refused: the server keeps no audit log"])
    }

    // MARK: 2. force pushes are judged against what the ref holds now

    func testAForcePushOfAnOrphanCommitIsJudged() {
        f.work.git(["checkout", "-q", "--orphan", "evil"])
        f.work.git(["rm", "-rqf", "."])
        // Its own config and a baseline that allows its violation: neither counts.
        f.work.write(".ssot-baseline", "1\tlegacy-import\tapp/evil.py\tfrom app.legacy import Manager\n")
        // (Unlike any file of main's, so git's rename detection pairs it with none.)
        f.commit("app/evil.py", "import json\nimport sys\n\n\ndef run():\n    from app.legacy import Manager\n    return Manager\n", "orphan")
        let before = f.serverRef()
        let r = f.push(["--force", "origin", "evil:main"])
        assertRefused(r, ["app/evil.py:6:28: legacy-import", "the ssot config was removed"])
        XCTAssertEqual(f.serverRef(), before)
    }

    func testAForcePushOntoACommitFromBeforeAdoptionIsRefused() {
        // A history from before ssot: the same files, no config.
        f.work.git(["checkout", "-q", "--orphan", "before-ssot"])
        f.work.git(["rm", "-q", "--cached", "pyproject.toml", ".ssot-baseline"])
        try? FileManager.default.removeItem(atPath: f.work.path + "/pyproject.toml")
        try? FileManager.default.removeItem(atPath: f.work.path + "/.ssot-baseline")
        f.commit("app/more.py", "from app.legacy import Manager\n", "before ssot")
        let r = f.push(["--force", "origin", "before-ssot:main"])
        assertRefused(r, ["config-loosened the ssot config was removed", "app/more.py:1:24: legacy-import"])
    }

    func testRollingTheRatchetBackIsRefused() {
        // Debt fixed and the baseline tightened: accepted.
        f.work.write("app/old.py", "from app.canonical import Manager\n")
        f.work.git(["add", "-A"])
        XCTAssertEqual(ssot(["baseline"], in: f.work.path).status, 0)
        f.work.git(["commit", "-q", "--no-verify", "-m", "fix old.py"])
        XCTAssertEqual(f.push(["origin", "main"]).status, 0)
        // The attack: force the branch back to before the fix.
        let r = f.push(["--force", "origin", "HEAD~1:main"])
        assertRefused(r, ["app/old.py:1:24: legacy-import", "baseline grows"])
    }

    // MARK: 3. a new branch when the default branch is missing

    func testANewBranchIsGatedWhenTheServersHeadNamesNoBranch() {
        f.server.git(["symbolic-ref", "HEAD", "refs/heads/master"])
        f.work.git(["checkout", "-q", "-b", "feature"])
        f.commit("app/new.py", "from app.legacy import Manager\n")
        let r = f.push(["origin", "feature"])
        assertRefused(r, ["the default branch refs/heads/master, which does not exist", "git config ssot.defaultBranch"])
        XCTAssertEqual(f.serverRef("refs/heads/feature"), "")

        f.server.git(["config", "ssot.defaultBranch", "main"])
        assertRefused(f.push(["origin", "feature"]), ["app/new.py:1:24: legacy-import"])
        f.commit("app/new.py", "from app.canonical import Manager\n")
        let fixed = f.push(["origin", "feature"])
        XCTAssertEqual(fixed.status, 0, fixed.output)
    }

    func testANewBranchIsGatedWhenTheDefaultBranchWasDeleted() {
        f.work.git(["checkout", "-q", "-b", "develop"])
        XCTAssertEqual(f.push(["origin", "develop"]).status, 0)
        f.server.git(["update-ref", "-d", "refs/heads/main"])
        f.commit("app/new.py", "from app.legacy import Manager\n")
        assertRefused(f.push(["origin", "develop:feature"]), ["which does not exist"])
    }

    func testARepositoryThatNeverAdoptedSsotPassesNewBranchesWithANote() {
        let bare = GitRepo(bare: true)
        bare.git(["symbolic-ref", "HEAD", "refs/heads/master"])
        XCTAssertEqual(runProcess(Paths.package.appendingPathComponent("install.sh").path, ["--hook", "pre-receive", bare.path],
                                  in: f.work.path).status, 0)
        let plain = GitRepo()
        plain.write("app/x.py", "from app.legacy import Manager\n")
        plain.commitAll()
        plain.git(["remote", "add", "origin", "file://" + bare.path])
        let r = plain.git(["push", "origin", "main"], environment: f.env)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stderr.contains("ssot is not adopted here"), r.stderr)
    }

    // Found by the hostile review of this change.

    func testABranchAtACommitFromBeforeAdoptionTakesTheDefaultBranchsRules() {
        f.work.git(["checkout", "-q", "--orphan", "pre"])
        f.work.git(["rm", "-rqf", "."])
        f.commit("app/plain.py", "x = 1\n", "before ssot")
        // A new branch's config is compared with the default branch's: none at all is a loosening.
        assertRefused(f.push(["origin", "pre"]), ["config-loosened the ssot config was removed", "merge or rebase it onto that branch"])
        // Let in through the audited bypass, it is still gated from then on, by main's rules.
        XCTAssertEqual(f.push(["-o", "ssot.allow-growth", "origin", "pre"], environment: ["SSOT_USER": "alice"]).status, 0)
        f.commit("app/plain.py", "x = 1\nfrom app.legacy import Manager\n")
        assertRefused(f.push(["origin", "pre"]), ["app/plain.py:2:24: legacy-import", "judged with the rules of refs/heads/main"])
    }

    /// Second review: a branch born at an older commit carried that commit's
    /// looser rules from then on.
    func testANewBranchAtAnOlderLooserConfigIsRefused() {
        f.commit("pyproject.toml", Loosenings.edit("banned = [\"app.legacy\"]", "banned = [\"app.legacy\", \"app.older\"]"))
        XCTAssertEqual(f.push(["origin", "main"]).status, 0, "a tightening")
        let r = f.push(["origin", "HEAD~1:refs/heads/feature"])
        assertRefused(r, ["rule legacy-import: banned name app.older removed", "merge or rebase it onto that branch"])
        XCTAssertEqual(f.serverRef("refs/heads/feature"), "")
        XCTAssertEqual(f.push(["origin", "HEAD:refs/heads/feature"]).status, 0, "a branch with today's rules")
    }

    func testDeletingTheLastBranchWithTheConfigIsRefused() {
        f.server.git(["symbolic-ref", "HEAD", "refs/heads/master"])
        assertRefused(f.push(["origin", ":main"]), ["would un-adopt ssot"])
        XCTAssertNotEqual(f.serverRef(), "")
        f.server.git(["config", "ssot.defaultBranch", "main"])
        f.work.git(["checkout", "-q", "-b", "develop"])
        XCTAssertEqual(f.push(["origin", "develop"]).status, 0, "a second branch with the config")
        let delete = f.push(["origin", ":main"])
        XCTAssertEqual(delete.status, 0, delete.output)
    }

    func testADefaultBranchThatIsNotGatedGivesNoRules() {
        f.work.git(["tag", "rules", "HEAD"])
        XCTAssertEqual(f.push(["origin", "rules"]).status, 0)
        f.server.git(["config", "ssot.defaultBranch", "refs/tags/rules"])
        f.work.git(["checkout", "-q", "-b", "feature"])
        f.commit("app/new.py", "from app.legacy import Manager\n")
        assertRefused(f.push(["origin", "feature"]), ["which does not exist", "ssot.defaultBranch"])
    }

    // MARK: 4. objects that cannot be read fail closed

    func testAHookWrapperThatDropsTheQuarantineFailsClosed() throws {
        let hook = f.server.path + "/hooks/pre-receive"
        try FileManager.default.removeItem(atPath: hook)
        FileManager.default.createFile(atPath: hook, contents: Data("""
        #!/bin/sh
        exec env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES \(Paths.ssot.path) check --pre-receive

        """.utf8), attributes: [.posixPermissions: 0o755])
        f.commit("app/x.py", "from app.legacy import Manager\n")
        assertRefused(f.push(["origin", "main"]), ["cannot read the pushed commit", "quarantine"])
    }

    func testABranchPointedAtABlobIsRefused() {
        let blob = f.work.git(["hash-object", "-w", "app/old.py"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let r = f.push(["origin", "\(blob):refs/heads/blob"])
        XCTAssertNotEqual(r.status, 0, r.output)
        XCTAssertEqual(f.serverRef("refs/heads/blob"), "")
    }

    // MARK: 5. a rename cannot double an allowance

    func testAnEntryLeftBehindByARenameAdmitsNoNewFile() {
        f.work.git(["mv", "app/old.py", "app/moved.py"])
        // The pushed baseline keeps the old path's entry and adds the new path's.
        f.commit(".ssot-baseline", (f.work.read(".ssot-baseline") ?? "")
            + "1\tlegacy-import\tapp/moved.py\tfrom app.legacy import Manager\n", "rename")
        let rename = f.push(["origin", "main"])
        XCTAssertEqual(rename.status, 0, rename.output)
        f.commit("app/old.py", "from app.legacy import Manager\n", "a new file at the old path")
        assertRefused(f.push(["origin", "main"]), ["app/old.py:1:24: legacy-import"])
    }

    // MARK: 6. config edits are gated

    func testEveryLooseningIsRefusedInAPush() {
        for c in Loosenings.cases {
            f.work.git(["reset", "-q", "--hard", "origin/main"])
            Loosenings.apply(c, to: f.work)
            f.work.git(["commit", "-q", "--no-verify", "-m", c.name])
            assertRefused(f.push(["origin", "main"]), ["config-loosened", c.expected])
        }
    }

    func testAnExcludePushedFirstCannotAdmitTheViolationAfterIt() {
        f.commit("pyproject.toml", Loosenings.top("exclude = [\"app/evil.py\"]"))
        assertRefused(f.push(["origin", "main"]), ["exclude gained app/evil.py"])
        f.commit("app/evil.py", "from app.legacy import Manager\n")
        assertRefused(f.push(["origin", "main"]), ["exclude gained app/evil.py"])
    }

    func testALooseningPassesOnlyThroughTheAuditedBypass() throws {
        f.commit("pyproject.toml", Loosenings.top("exclude = [\"app/evil.py\"]"))
        assertRefused(f.push(["-o", "ssot.allow-growth", "origin", "main"], environment: ["SSOT_USER": "mallory"]),
                      ["requested by mallory was refused"])
        let r = f.push(["-o", "ssot.allow-growth", "origin", "main"], environment: ["SSOT_USER": "alice"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stderr.contains("config loosened: exclude gained app/evil.py"), r.stderr)
        let accepted = try XCTUnwrap(try f.auditEntries().last)
        XCTAssertEqual(accepted["bypass"] as? String, "accepted")
        XCTAssertEqual(accepted["loosened"] as? [String], ["exclude gained app/evil.py"])
        XCTAssertEqual(accepted["verdict"] as? String, "accepted")
    }

    // MARK: 8. the pusher's name

    func testTheServersUserVariableCannotBeStoodInFor() {
        f.server.git(["config", "ssot.userVariable", "SSOT_USER"])
        f.commit(".ssot-baseline", f.grownBaseline())
        assertRefused(f.push(["-o", "ssot.allow-growth", "origin", "main"], environment: ["GL_USERNAME": "alice"]),
                      ["requested by an unnamed user was refused"])
        XCTAssertEqual(f.push(["-o", "ssot.allow-growth", "origin", "main"], environment: ["SSOT_USER": "alice"]).status, 0)
    }

    // MARK: controls that must pass

    func testATighteningPushAndANewRuleWithItsEntriesPass() {
        f.work.write("app/old.py", "from app.canonical import Manager\n")
        f.work.write("pyproject.toml", Loosenings.edit("banned = [\"app.legacy\"]", "banned = [\"app.legacy\", \"app.older\"]")
            + "\n[[tool.ssot.rule]]\nid = \"no-os\"\nkind = \"import\"\nbanned = [\"os\"]\n")
        f.work.write("app/uses_os.py", "import os\n")
        f.work.git(["add", "-A"])
        XCTAssertEqual(ssot(["baseline"], in: f.work.path).status, 0)
        f.work.git(["commit", "-q", "--no-verify", "-m", "tighten, and adopt no-os"])
        XCTAssertTrue(f.work.read(".ssot-baseline")?.contains("no-os\tapp/uses_os.py") ?? false)
        let r = f.push(["origin", "main"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertEqual(f.serverRef(), f.work.head())
        // The adopted entry allows its finding from now on, under the new rule.
        f.commit("app/uses_os.py", "import os\nx = 1\n")
        let edit = f.push(["origin", "main"])
        XCTAssertEqual(edit.status, 0, edit.output)
        f.commit("app/uses_os.py", "import os\nimport os.path\n")
        assertRefused(f.push(["origin", "main"]), ["app/uses_os.py:2:8: no-os"])
    }
}
