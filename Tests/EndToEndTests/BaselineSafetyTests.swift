import Foundation
import TestSupport
import XCTest

/// Issue 11, items 6, 7 and 10: hostile repository content cannot forge
/// baseline entries, and `ssot baseline` / `ssot init` never write outside
/// the work tree, through a symlink, or over a file they could not read.
extension PreCommitTests {
    func testATripleQuotedLiteralCannotForgeBaselineLines() throws {
        // The attack: a fingerprint with newlines once became three baseline lines,
        // the third allowing five uses of the singleton.
        repo.write("app/forge.py", "import importlib\nimportlib.import_module(\"\"\"app.legacy\n5\tlegacy-singleton\tapp/x.py\tuse app.get_manager\n\"\"\")\n")
        repo.git(["add", "-A"])
        let b = ssot(["baseline"], in: repo.path)
        XCTAssertEqual(b.status, 0, b.output)
        let text = try XCTUnwrap(repo.read(".ssot-baseline"))
        XCTAssertFalse(text.contains("app/x.py"), "no forged entry:\n\(text)")
        let entries = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.count
        XCTAssertTrue(b.stdout.contains("Wrote .ssot-baseline: \(entries) entr"), "the summary counts what was written: \(b.stdout)")
        XCTAssertEqual(commit().status, 0)
        repo.write("app/x.py", "from app import get_manager\n" + String(repeating: "get_manager()\n", count: 5))
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/x.py:2:1: legacy-singleton"])
    }

    func testTheBaselineIsNeverWrittenThroughASymlink() throws {
        let outside = TempDir()
        outside.write("authorized_keys2", "ssh-ed25519 AAAA the-owner\n")
        // A committed symlinked folder on the baseline's path.
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/ci", withDestinationPath: outside.path)
        repo.write("pyproject.toml", PreCommitTests.config.replacingOccurrences(of: "baseline = \".ssot-baseline\"",
                                                                                with: "baseline = \"ci/authorized_keys2\""))
        repo.git(["add", "-A"])
        let r = ssot(["baseline", "--allow-growth"], in: repo.path)
        XCTAssertEqual(r.status, 2, r.output)
        XCTAssertTrue(r.stderr.contains("symbolic link"), r.stderr)
        XCTAssertEqual(outside.read("authorized_keys2"), "ssh-ed25519 AAAA the-owner\n")
        // Only on disk, not in the index: still refused.
        repo.git(["rm", "-q", "--cached", "ci"])
        let disk = ssot(["baseline", "--allow-growth"], in: repo.path)
        XCTAssertEqual(disk.status, 2, disk.output)
        XCTAssertEqual(outside.read("authorized_keys2"), "ssh-ed25519 AAAA the-owner\n")
        // The baseline file itself a symlink.
        try FileManager.default.removeItem(atPath: repo.path + "/ci")
        try FileManager.default.createDirectory(atPath: repo.path + "/ci", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/ci/authorized_keys2", withDestinationPath: outside.path + "/authorized_keys2")
        let file = ssot(["baseline", "--allow-growth"], in: repo.path)
        XCTAssertEqual(file.status, 2, file.output)
        XCTAssertEqual(outside.read("authorized_keys2"), "ssh-ed25519 AAAA the-owner\n")
    }

    func testABaselineUnderGitIsAConfigError() {
        for path in [".git/hooks/pre-commit", "sub/.GIT/x"] {
            repo.write("pyproject.toml", PreCommitTests.config.replacingOccurrences(of: "baseline = \".ssot-baseline\"",
                                                                                    with: "baseline = \"\(path)\""))
            repo.git(["add", "-A"])
            let r = ssot(["baseline", "--allow-growth"], in: repo.path)
            XCTAssertEqual(r.status, 2, r.output)
            XCTAssertTrue(r.stderr.contains("is inside .git"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo.path + "/.git/hooks/pre-commit.ssot-chained"))
        XCTAssertTrue(try String(contentsOfFile: repo.path + "/.git/hooks/pre-commit", encoding: .utf8).contains("ssot-hook"))
    }

    func testInitNeverOverwritesABaselineItCannotRead() throws {
        let fresh = GitRepo()
        fresh.write("app/old.py", "from app.legacy import Manager\n")
        fresh.commitAll("before ssot")
        fresh.write("ssot.toml", "[[rule]]\nid = \"legacy-import\"\nkind = \"import\"\nbanned = [\"app.legacy\"]\n")
        // Someone's untracked file that is no baseline, then a folder, then a symlink: each is kept.
        fresh.write(".ssot-baseline", "my notes, not a baseline\n")
        let r = ssot(["init"], in: fresh.path, stdin: "")
        XCTAssertEqual(r.status, 2, r.output)
        XCTAssertEqual(fresh.read(".ssot-baseline"), "my notes, not a baseline\n")
        try FileManager.default.removeItem(atPath: fresh.path + "/.ssot-baseline")
        try FileManager.default.createDirectory(atPath: fresh.path + "/.ssot-baseline", withIntermediateDirectories: true)
        XCTAssertEqual(ssot(["init"], in: fresh.path, stdin: "").status, 2)
        try FileManager.default.removeItem(atPath: fresh.path + "/.ssot-baseline")
        fresh.write("notes.txt", "keep\n")
        try FileManager.default.createSymbolicLink(atPath: fresh.path + "/.ssot-baseline", withDestinationPath: fresh.path + "/notes.txt")
        XCTAssertEqual(ssot(["init"], in: fresh.path, stdin: "").status, 2)
        XCTAssertEqual(fresh.read("notes.txt"), "keep\n")
        // Second review: a config naming a tracked file as its baseline.
        try FileManager.default.removeItem(atPath: fresh.path + "/.ssot-baseline")
        fresh.write("setup.py", "from setuptools import setup\nsetup()\n")
        fresh.git(["add", "setup.py"])
        fresh.write("ssot.toml", "baseline = \"setup.py\"\n[[rule]]\nid = \"legacy-import\"\nkind = \"import\"\nbanned = [\"app.legacy\"]\n")
        let tracked = ssot(["init"], in: fresh.path, stdin: "")
        XCTAssertEqual(tracked.status, 2, tracked.output)
        XCTAssertEqual(fresh.read("setup.py"), "from setuptools import setup\nsetup()\n")
    }
}

/// Issue 11, item 11: file names that are not UTF-8 keep keys of their own.
/// Decoded as text, `x\377.py` and `x\376.py` both became `x\u{FFFD}.py`:
/// one baseline entry, so one file's allowance let the other's new findings in.
extension PreCommitTests {
    /// Writes `text` at a path given in printf's notation (`app/x\\377.py`).
    func writeBytesNamed(_ printfPath: String, _ text: String) {
        let r = runProcess("/bin/sh", ["-c", "printf '%s' \"$2\" > \"$(printf \"$1\")\"", "sh", printfPath, text], in: repo.path)
        XCTAssertEqual(r.status, 0, r.output)
    }

    func testFileNamesThatAreNotUTF8KeepTheirOwnBaselineKeys() throws {
        writeBytesNamed("app/x\\377.py", "from app.legacy import Manager\n")
        writeBytesNamed("app/x\\376.py", "from app.legacy import Manager\nimport app.legacy\nimport app.legacy\n")
        repo.git(["add", "-A"])
        let adopt = ssot(["baseline", "--allow-growth"], in: repo.path)
        XCTAssertEqual(adopt.status, 0, adopt.output)
        let text = try XCTUnwrap(repo.read(".ssot-baseline"))
        // The paths are written as git writes them (`git ls-files`, core.quotePath).
        XCTAssertTrue(text.contains("1\tlegacy-import\t\"app/x\\377.py\"\tfrom app.legacy import Manager\n"), text)
        XCTAssertTrue(text.contains("2\tlegacy-import\t\"app/x\\376.py\"\timport app.legacy\n"), text)
        XCTAssertTrue(repo.git(["ls-files"]).stdout.contains("\"app/x\\377.py\""))
        XCTAssertEqual(commit(["--no-verify"]).status, 0)  // a grown baseline lands in a reviewed change of its own
        // The file with one allowed import gains the other file's two.
        writeBytesNamed("app/x\\377.py", "from app.legacy import Manager\nimport app.legacy\nimport app.legacy\n")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/x\\377.py:2:8: legacy-import", "app/x\\377.py:3:8: legacy-import", "Found 2 new findings"])
        // `--all` reads the files from disk by their real names and agrees.
        let all = ssot(["check", "--all"], in: repo.path)
        XCTAssertEqual(all.status, 1, all.output)
        XCTAssertTrue(all.stdout.contains("Found 2 new findings"), all.stdout)
        // A backslash in a name is a name of its own, not an escape.
        repo.git(["reset", "-q", "--hard"])
        writeBytesNamed("app/x\\\\377.py", "import app.legacy\n")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/x\\377.py:1:8: legacy-import", "Found 1 new finding"])
        XCTAssertEqual(ssot(["baseline", "--allow-growth"], in: repo.path).status, 0)
        XCTAssertTrue(try XCTUnwrap(repo.read(".ssot-baseline")).contains("1\tlegacy-import\t\"app/x\\\\377.py\"\timport app.legacy\n"))
    }

    /// The second review: `é` as one code point and as `e` + U+0301 are two
    /// files to git but one String to Swift (canonical equivalence), so the
    /// gate scanned one and dropped the other, and the baseline merged them.
    func testNamesEqualUnderUnicodeEquivalenceAreTwoFiles() throws {
        writeBytesNamed("app/\\303\\251.py", "x = 1\n")
        writeBytesNamed("app/e\\314\\201.py", "import app.legacy\nimport app.legacy\n")
        repo.git(["add", "-A"])
        XCTAssertEqual(repo.git(["ls-files", "app"]).stdout.split(separator: "\n").count, 7, "git keeps both")
        assertRejected(commit(), ["app/e\\314\\201.py:1:8: legacy-import", "Found 2 new findings", "(2 files scanned)"])
        XCTAssertEqual(ssot(["baseline", "--allow-growth"], in: repo.path).status, 0)
        let text = try XCTUnwrap(repo.read(".ssot-baseline"))
        XCTAssertTrue(text.contains("2\tlegacy-import\t\"app/e\\314\\201.py\"\timport app.legacy\n"), text)
        XCTAssertFalse(text.contains("\\303\\251"), "the other file has no finding: \(text)")
    }
}
