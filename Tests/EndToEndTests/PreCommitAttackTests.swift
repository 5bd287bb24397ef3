import Foundation
import TestSupport
import XCTest

/// The local gate attacked (issue 10): a commit that loosens its own rules,
/// an entry left behind that would admit a new file, and a merge, which git
/// gates with pre-merge-commit, not pre-commit.
extension PreCommitTests {
    func testEveryLooseningIsRefusedInACommit() {
        for c in Loosenings.cases {
            repo.git(["reset", "-q", "--hard", "HEAD"])
            repo.git(["clean", "-qfd"])
            Loosenings.apply(c, to: repo)
            assertRejected(commit(message: c.name), ["config-loosened", c.expected, "The config may only tighten"])
        }
    }

    func testAConfigThatOnlyTightensCommits() {
        repo.write("pyproject.toml", Loosenings.edit("banned = [\"app.legacy\"]", "banned = [\"app.legacy\", \"app.older\"]")
            .replacingOccurrences(of: "message = \"Legacy singleton.\"", with: "message = \"Legacy singleton: ask #platform.\""))
        repo.git(["add", "-A"])
        let r = commit()
        XCTAssertEqual(r.status, 0, r.output)
    }

    func testAnEntryLeftBehindByADeletionAdmitsNoNewFile() {
        // The deletion is committed without the hook, so its entry stays in the baseline.
        repo.git(["rm", "-q", "app/old.py"])
        repo.git(["commit", "-q", "--no-verify", "-m", "delete"])
        XCTAssertTrue(repo.read(".ssot-baseline")?.contains("app/old.py") ?? false)
        repo.write("app/old.py", "from app.legacy import Manager\n")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/old.py:1:24: legacy-import"])
    }

    func testAMergeCommitIsGatedByPreMergeCommit() {
        repo.git(["checkout", "-q", "-b", "topic"])
        repo.write("app/topic.py", "from app.legacy import Manager\n")
        repo.git(["add", "-A"])
        repo.git(["commit", "-q", "--no-verify", "-m", "skips the local hook"])
        repo.git(["checkout", "-q", "main"])
        repo.write("app/main_side.py", "x = 1\n")
        repo.git(["add", "-A"])
        XCTAssertEqual(commit().status, 0)
        let before = repo.head()
        let r = repo.git(["merge", "--no-ff", "-m", "merge topic", "topic"], environment: ssotEnv)
        assertRejected(r, ["app/topic.py:1:24: legacy-import"])
        XCTAssertEqual(repo.head(), before, "the merge commit was not made")
        repo.git(["merge", "--abort"])
        repo.git(["checkout", "-q", "-b", "clean-topic", "HEAD~1"])
        repo.write("app/clean_topic.py", "x = 2\n")
        repo.git(["add", "-A"])
        XCTAssertEqual(commit().status, 0)
        repo.git(["checkout", "-q", "main"])
        let clean = repo.git(["merge", "--no-ff", "-m", "merge clean-topic", "clean-topic"], environment: ssotEnv)
        XCTAssertEqual(clean.status, 0, clean.output)
    }

    func testThePreCommitInstallAlsoInstallsPreMergeCommitChainedAndOnce() throws {
        let hooks = repo.path + "/.git/hooks"
        let installed = try String(contentsOfFile: hooks + "/pre-merge-commit", encoding: .utf8)
        XCTAssertTrue(installed.contains("# ssot-hook: pre-merge-commit"))
        installHook()
        XCTAssertEqual(try String(contentsOfFile: hooks + "/pre-merge-commit", encoding: .utf8), installed, "installing twice changes nothing")
        XCTAssertFalse(FileManager.default.fileExists(atPath: hooks + "/pre-merge-commit.ssot-chained"))
        // A pre-merge-commit hook of the user's own is kept and runs first.
        try FileManager.default.removeItem(atPath: hooks + "/pre-merge-commit")
        FileManager.default.createFile(atPath: hooks + "/pre-merge-commit", contents: Data("#!/bin/sh\necho own-merge-hook >&2\n".utf8),
                                       attributes: [.posixPermissions: 0o755])
        installHook()
        XCTAssertTrue(FileManager.default.fileExists(atPath: hooks + "/pre-merge-commit.ssot-chained"))
        repo.git(["checkout", "-q", "-b", "side"])
        repo.write("app/side.py", "x = 3\n")
        repo.git(["add", "-A"])
        XCTAssertEqual(commit().status, 0)
        repo.git(["checkout", "-q", "main"])
        repo.write("app/other.py", "x = 4\n")
        repo.git(["add", "-A"])
        XCTAssertEqual(commit().status, 0)
        let r = repo.git(["merge", "--no-ff", "-m", "merge side", "side"], environment: ssotEnv)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stderr.contains("own-merge-hook"), r.stderr)
    }
}
