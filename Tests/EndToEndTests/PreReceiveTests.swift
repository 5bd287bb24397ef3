import Foundation
import TestSupport
import XCTest

/// The server gate as a user meets it: a bare repository with the hook
/// installed by `./install.sh --hook pre-receive`, and real `git push` over
/// `file://` from a clone.
final class PreReceiveTests: EndToEndCase {
    var fixture: PushFixture!
    var server: GitRepo { fixture.server }
    var work: GitRepo { fixture.work }

    override func setUpWithError() throws {
        try super.setUpWithError()
        fixture = PushFixture()
    }

    @discardableResult
    func push(_ args: [String], environment: [String: String] = [:]) -> RunResult { fixture.push(args, environment: environment) }

    func serverRef(_ ref: String = "refs/heads/main") -> String { fixture.serverRef(ref) }

    func commit(_ file: String, _ text: String, _ message: String = "change") { fixture.commit(file, text, message) }

    /// Each format is the one asked for (issue 12: `--format sarif` printed text).
    func testEveryFormatIsWrittenAsAsked() throws {
        commit("app/new.py", "from app.legacy import Manager\n")
        let old = serverRef(), new = work.head()
        server.git(["fetch", "-q", work.path, "main:refs/incoming/x"])  // the objects, without the hook
        let stdin = "\(old) \(new) refs/heads/main\n"
        let sarif = ssot(["check", "--pre-receive", "--format", "sarif"], in: server.path, stdin: stdin)
        XCTAssertEqual(sarif.status, 1, sarif.output)
        let start = try XCTUnwrap(sarif.stderr.range(of: "{"))
        let end = try XCTUnwrap(sarif.stderr.range(of: "}\n", options: .backwards))
        let doc = try JSONSerialization.jsonObject(with: Data(sarif.stderr[start.lowerBound..<end.upperBound].utf8)) as? [String: Any]
        XCTAssertEqual(doc?["version"] as? String, "2.1.0", sarif.stderr)
        let github = ssot(["check", "--pre-receive", "--format", "github"], in: server.path, stdin: stdin)
        XCTAssertTrue(github.stderr.contains("::error file=app/new.py,line=1"), github.stderr)
        let text = ssot(["check", "--pre-receive"], in: server.path, stdin: stdin)
        XCTAssertTrue(text.stderr.contains("app/new.py:1:24: legacy-import"), text.stderr)
    }

    func testCleanPushIsAccepted() {
        commit("app/new.py", "from app.canonical import Manager\n")
        let r = push(["origin", "main"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertEqual(serverRef(), work.head())
        XCTAssertTrue(r.stderr.contains("remote: ssot: refs/heads/main"), r.stderr)
    }

    func testPushWithANewViolationIsRefusedAndTheRefDoesNotMove() {
        let before = serverRef()
        commit("app/new.py", "import os\nfrom app.legacy import Manager\n")
        let r = push(["origin", "main"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(serverRef(), before)
        XCTAssertTrue(r.stderr.contains("remote: app/new.py:2:24: legacy-import"), r.stderr)
        XCTAssertTrue(r.stderr.contains("pre-receive hook declined"), r.stderr)
    }

    func testAViolationAddedAndRemovedWithinOnePushIsAccepted() {
        commit("app/new.py", "from app.legacy import Manager\n", "add a violation")
        commit("app/new.py", "from app.canonical import Manager\n", "and fix it")
        XCTAssertEqual(push(["origin", "main"]).status, 0)
    }

    func testNewBranches() {
        work.git(["checkout", "-q", "-b", "feature/bad"])
        commit("app/new.py", "from app import get_manager\nget_manager()\n")
        let bad = push(["origin", "feature/bad"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("app/new.py:2:1: legacy-singleton"), bad.stderr)
        XCTAssertEqual(serverRef("refs/heads/feature/bad"), "")
        work.git(["checkout", "-q", "main"])
        work.git(["checkout", "-q", "-b", "feature/good"])
        commit("app/good.py", "x = 1\n")
        XCTAssertEqual(push(["origin", "feature/good"]).status, 0)
    }

    func testGrowingTheBaselineIsRefused() {
        commit(".ssot-baseline", (work.read(".ssot-baseline") ?? "") + "1\tlegacy-import\tapp/clean.py\tfrom app.legacy import Manager\n")
        let r = push(["origin", "main"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("baseline grows"), r.stderr)
    }

    func testABypassByAListedUserIsAcceptedAndAudited() throws {
        commit("app/clean.py", "from app.legacy import Manager\n")
        commit(".ssot-baseline", (work.read(".ssot-baseline") ?? "") + "1\tlegacy-import\tapp/clean.py\tfrom app.legacy import Manager\n")
        let r = push(["-o", "ssot.allow-growth", "origin", "main"], environment: ["SSOT_USER": "alice"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stderr.contains("ssot.allow-growth accepted by the bypass of alice"), r.stderr)
        let log = try String(contentsOfFile: server.path + "/ssot-audit.log", encoding: .utf8)
        let entry = try JSONSerialization.jsonObject(with: Data(log.split(separator: "\n").last!.utf8)) as! [String: Any]
        XCTAssertEqual(entry["user"] as? String, "alice")
        XCTAssertEqual(entry["ref"] as? String, "refs/heads/main")
        XCTAssertEqual(entry["bypass"] as? String, "accepted")
        XCTAssertEqual(entry["verdict"] as? String, "accepted")
        XCTAssertEqual((entry["grown"] as! [[String: Any]]).first?["path"] as? String, "app/clean.py")
        XCTAssertNotNil(entry["time"])
    }

    func testABypassThatCannotBeAuditedIsRefused() throws {
        try FileManager.default.createDirectory(atPath: server.path + "/ssot-audit.log", withIntermediateDirectories: true)
        commit(".ssot-baseline", (work.read(".ssot-baseline") ?? "") + "1\tlegacy-import\tapp/clean.py\tfrom app.legacy import Manager\n")
        let r = push(["-o", "ssot.allow-growth", "origin", "main"], environment: ["SSOT_USER": "alice"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("cannot write the audit log"), r.stderr)
        XCTAssertFalse(r.stderr.contains(": accepted"), "nothing claims the push was accepted")
    }

    func testABypassByAnyoneElseIsRefusedAndNamed() {
        commit(".ssot-baseline", (work.read(".ssot-baseline") ?? "") + "1\tlegacy-import\tapp/clean.py\tfrom app.legacy import Manager\n")
        let r = push(["-o", "ssot.allow-growth", "origin", "main"], environment: ["SSOT_USER": "mallory"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("ssot.allow-growth requested by mallory was refused"), r.stderr)
        let anonymous = push(["-o", "ssot.allow-growth", "origin", "main"])
        XCTAssertNotEqual(anonymous.status, 0)
        XCTAssertTrue(anonymous.stderr.contains("requested by an unnamed user was refused"), anonymous.stderr)
    }

    func testHostingServersNameThePusher() {
        commit(".ssot-baseline", (work.read(".ssot-baseline") ?? "") + "1\tlegacy-import\tapp/clean.py\tfrom app.legacy import Manager\n")
        for key in ["GITHUB_USER_LOGIN", "GL_USERNAME", "GITEA_PUSHER_NAME"] {
            let r = push(["-o", "ssot.allow-growth", "--dry-run", "origin", "main"], environment: [key: "alice"])
            XCTAssertEqual(r.status, 0, "\(key): \(r.output)")
        }
        let gitlab = push(["origin", "main"], environment: ["GL_USERNAME": "bob", "GL_ID": "user-2"])
        XCTAssertTrue(gitlab.stderr.contains("GL-HOOK-ERR: ssot refused the push"), gitlab.stderr)
    }

    func testDeletingABranchIsAccepted() {
        work.git(["checkout", "-q", "-b", "topic"])
        commit("app/x.py", "x = 1\n")
        XCTAssertEqual(push(["origin", "topic"]).status, 0)
        XCTAssertEqual(push(["origin", "--delete", "topic"]).status, 0)
        XCTAssertEqual(serverRef("refs/heads/topic"), "")
    }

    func testTagsAreAccepted() {
        commit("app/bad.py", "from app.legacy import Manager\n")
        work.git(["tag", "light"])
        work.git(["tag", "-a", "annotated", "-m", "release"])
        XCTAssertEqual(push(["origin", "light", "annotated"]).status, 0)
    }

    func testRefsOutsideServerRefsPass() {
        commit("app/bad.py", "from app.legacy import Manager\n")
        XCTAssertEqual(push(["origin", "HEAD:refs/notes/elsewhere"]).status, 0)
    }

    func testACleanForcePushIsAcceptedAndADirtyOneIsNot() {
        commit("app/a.py", "x = 1\n")
        XCTAssertEqual(push(["origin", "main"]).status, 0)
        work.git(["reset", "-q", "--hard", "HEAD~1"])
        commit("app/b.py", "y = 2\n")
        XCTAssertEqual(push(["--force", "origin", "main"]).status, 0)
        work.git(["reset", "-q", "--hard", "HEAD~1"])
        commit("app/c.py", "from app.legacy import Manager\n")
        XCTAssertNotEqual(push(["--force", "origin", "main"]).status, 0)
    }

    func testEveryRefIsJudgedAndThePushIsAllOrNothing() {
        work.git(["checkout", "-q", "-b", "good"])
        commit("app/g.py", "x = 1\n")
        work.git(["checkout", "-q", "-b", "bad"])
        commit("app/b.py", "from app.legacy import Manager\n")
        let r = push(["--atomic", "origin", "good", "bad"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(serverRef("refs/heads/good"), "", "nothing is updated when any ref fails")
        let plain = push(["origin", "good", "bad"])
        XCTAssertNotEqual(plain.status, 0)
        XCTAssertEqual(serverRef("refs/heads/good"), "", "a pre-receive refusal declines every ref of the push")
    }

    func testAPushOf150CommitsIsJudgedOnTheNetChange() {
        for i in 0..<150 {
            // Violations come and go; the last ten commits leave every file clean.
            work.write("app/mod\(i % 10).py", "x = \(i)\n" + (i % 2 == 0 && i < 140 ? "from app.legacy import Manager\n" : ""))
            work.git(["add", "-A"])
            work.git(["commit", "-q", "--no-verify", "-m", "c\(i)"])
        }
        let start = Date()
        let r = push(["origin", "main"])
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(r.status, 0, r.output)
        print("a push of 150 commits took \(String(format: "%.3f", elapsed)) s end to end (git push included)")
    }

    /// A push of many files in many folders is walked and read through one
    /// repository handle per core (Repository.sibling); each must see the
    /// pushed objects, which sit in git's quarantine until the hook accepts
    /// them.
    func testAPushOfManyFilesIsReadOnEveryCoreFromTheQuarantine() {
        for i in 0..<120 { work.write("app/many/d\(i % 40)/m\(i).py", "x = \(i)\n") }
        work.write("app/many/d17/m97.py", "x = 97\nfrom app.legacy import Manager\n")
        work.git(["add", "-A"])
        work.git(["commit", "-q", "--no-verify", "-m", "many"])
        let before = serverRef()
        let r = push(["origin", "main"])
        XCTAssertNotEqual(r.status, 0, r.output)
        XCTAssertEqual(serverRef(), before)
        XCTAssertTrue(r.stderr.contains("remote: app/many/d17/m97.py:2:24: legacy-import"), r.stderr)
        XCTAssertTrue(r.stderr.contains("(120 files scanned)"), r.stderr)
        XCTAssertFalse(r.stderr.contains("cannot read"), r.stderr)
        work.write("app/many/d17/m97.py", "x = 97\n")
        work.git(["commit", "-q", "--no-verify", "-am", "fixed"])
        let fixed = push(["origin", "main"])
        XCTAssertEqual(fixed.status, 0, fixed.output)
        XCTAssertFalse(fixed.stderr.contains("cannot read"), fixed.stderr)
    }

    func testATerminalEscapeInAPathReachesThePusherEscaped() {
        commit("app/evil\u{1B}]0;pwned\u{07}\u{1B}[31m.py", "from app.legacy import Manager\n")
        let r = push(["origin", "main"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertFalse(r.stderr.contains("\u{1B}"), "no raw escape reaches the pusher's terminal")
        XCTAssertTrue(r.stderr.contains("app/evil\\x1b]0;pwned\\x07\\x1b[31m.py:1:24"), r.stderr)
    }

    func testAServerSideConfigReplacesTheRepositorys() {
        let other = TempDir()
        other.write("server.toml", "[[rule]]\nid = \"no-os\"\nkind = \"import\"\nbanned = [\"os\"]\n")
        commit("app/x.py", "import os\nfrom app.legacy import Manager\n")
        let r = push(["origin", "main"], environment: ["SSOT_CONFIG": other.path + "/server.toml"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("app/x.py:1:8: no-os"), r.stderr)
        XCTAssertFalse(r.stderr.contains("legacy-import"), r.stderr)
    }

    func testAnInternalErrorRejectsThePush() {
        commit("app/x.py", "x = 1\n")
        let r = push(["origin", "main"], environment: ["SSOT_CONFIG": "/nonexistent/server.toml"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("cannot read config file"), r.stderr)
    }

    func testARepositoryOwnedByAnotherUserStillWorks() throws {
        let chown = runProcess("/bin/chown", ["-R", "nobody", server.path])
        guard chown.status == 0 else { throw XCTSkip("cannot chown here: \(chown.stderr)") }
        commit("app/x.py", "from app.legacy import Manager\n")
        // git itself needs safe.directory (global config only) for a repository of another owner;
        // ssot must not add a refusal of its own.
        let global = TempDir()
        global.write("gitconfig", "[safe]\n\tdirectory = *\n")
        let trust = ["GIT_CONFIG_GLOBAL": global.path + "/gitconfig"]
        let r = push(["origin", "main"], environment: trust)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("app/x.py:1:24: legacy-import"), r.stderr)
        commit("app/x.py", "x = 1\n")
        XCTAssertEqual(push(["origin", "main"], environment: trust).status, 0)
    }

    func testTheHookIsChainedAndReinstallingChangesNothing() throws {
        let hook = server.path + "/hooks/pre-receive"
        let installed = try String(contentsOfFile: hook, encoding: .utf8)
        XCTAssertEqual(runProcess(Paths.package.appendingPathComponent("install.sh").path, ["--hook", "pre-receive", server.path],
                                  in: work.path).status, 0)
        XCTAssertEqual(try String(contentsOfFile: hook, encoding: .utf8), installed)
        try FileManager.default.removeItem(atPath: hook)
        FileManager.default.createFile(atPath: hook, contents: Data("#!/bin/sh\nwhile read o n r; do echo \"chained saw $r\" >&2; done\n".utf8),
                                       attributes: [.posixPermissions: 0o755])
        XCTAssertEqual(runProcess(Paths.package.appendingPathComponent("install.sh").path, ["--hook", "pre-receive", server.path],
                                  in: work.path).status, 0)
        commit("app/x.py", "x = 1\n")
        let r = push(["origin", "main"])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stderr.contains("chained saw refs/heads/main"), r.stderr)
        XCTAssertTrue(r.stderr.contains("ssot: refs/heads/main"), r.stderr)
    }
}

/// `ssot check --range A..B` and `A...B`, for CI on a pull request.
final class RangeTests: EndToEndCase {
    var repo: GitRepo!

    override func setUpWithError() throws {
        try super.setUpWithError()
        repo = GitRepo()
        repo.write("pyproject.toml", PreCommitTests.config)
        repo.write("app/old.py", "from app.legacy import Manager\n")
        repo.git(["add", "-A"])
        XCTAssertEqual(ssot(["baseline"], in: repo.path).status, 0)
        repo.commitAll("adopt")
        repo.git(["checkout", "-q", "-b", "pr"])
        repo.write("app/new.py", "from app.legacy import Manager\n")
        repo.commitAll("pr")
    }

    func testTwoAndThreeDots() {
        XCTAssertEqual(ssot(["check", "--range", "main..pr"], in: repo.path).status, 1)
        XCTAssertEqual(ssot(["check", "--range", "main...pr"], in: repo.path).status, 1)
        XCTAssertEqual(ssot(["check", "--range", "pr..pr"], in: repo.path).status, 0)
        repo.git(["checkout", "-q", "main"])
        repo.write("app/main_only.py", "x = 1\n")
        repo.commitAll("main moves on")
        let three = ssot(["check", "--range", "main...pr", "--format", "json"], in: repo.path)
        XCTAssertEqual(three.status, 1)
        XCTAssertTrue(three.stdout.contains("\"mode\": \"range\""), three.stdout)
        XCTAssertEqual(ssot(["check", "--range", "nope..pr"], in: repo.path).status, 2)
        XCTAssertEqual(ssot(["check", "--range", "main"], in: repo.path).status, 2)
    }

    /// SPEC 4, step 5 in the CI mode too: a pull request that loosens the rules is rejected.
    func testALooseningPullRequestIsRejected() {
        repo.write("pyproject.toml", Loosenings.top("exclude = [\"app/new.py\"]"))
        repo.commitAll("exclude the new file")
        let r = ssot(["check", "--range", "main...pr"], in: repo.path)
        XCTAssertEqual(r.status, 1, r.output)
        XCTAssertTrue(r.stdout.contains("config-loosened exclude gained app/new.py"), r.stdout)
        let json = ssot(["check", "--range", "main...pr", "--format", "json"], in: repo.path)
        XCTAssertTrue(json.stdout.contains("\"loosened\": [\"exclude gained app/new.py\"]"), json.stdout)
    }

    func testGitHubAnnotations() {
        let r = ssot(["check", "--range", "main..pr", "--format", "github"], in: repo.path)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.hasPrefix("::error file=app/new.py,line=1,col=24,title=ssot legacy-import::Import from app.canonical."), r.stdout)
    }

    func testSARIF() throws {
        let r = ssot(["check", "--range", "main..pr", "--format", "sarif"], in: repo.path)
        XCTAssertEqual(r.status, 1)
        let sarif = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(sarif["version"] as? String, "2.1.0")
        let run = (sarif["runs"] as! [[String: Any]])[0]
        let driver = (run["tool"] as! [String: Any])["driver"] as! [String: Any]
        XCTAssertEqual(driver["name"] as? String, "ssot")
        XCTAssertEqual((driver["rules"] as! [[String: Any]]).map { $0["id"] as! String }, ["legacy-import", "legacy-singleton"])
        let result = (run["results"] as! [[String: Any]])[0]
        XCTAssertEqual(result["ruleId"] as? String, "legacy-import")
        XCTAssertEqual(result["level"] as? String, "error")
        XCTAssertEqual(result["baselineState"] as? String, "new")
        let location = ((result["locations"] as! [[String: Any]])[0]["physicalLocation"] as! [String: Any])
        XCTAssertEqual((location["artifactLocation"] as! [String: Any])["uri"] as? String, "app/new.py")
        XCTAssertEqual((location["region"] as! [String: Any])["startLine"] as? Int, 1)
    }

    func testARepositoryOfAnotherOwnerIsNamedAsSuchOutsideTheServerGate() throws {
        let bare = TempDir()
        runProcess(Tools.git, ["clone", "-q", "--bare", repo.path, bare.path + "/b.git"])
        guard runProcess("/bin/chown", ["-R", "nobody", bare.path + "/b.git"]).status == 0 else { throw XCTSkip("cannot chown here") }
        let r = ssot(["check", "--range", "main..pr"], in: bare.path + "/b.git")
        XCTAssertEqual(r.status, 3)
        XCTAssertTrue(r.stderr.contains("is not owned by the current user"), r.stderr)
        XCTAssertTrue(r.stderr.contains("safe.directory"), r.stderr)
    }

    func testRangeWorksInABareRepository() {
        let bare = TempDir()
        runProcess(Tools.git, ["clone", "-q", "--bare", repo.path, bare.path + "/b.git"])
        XCTAssertEqual(ssot(["check", "--range", "main..pr"], in: bare.path + "/b.git").status, 1)
    }
}
