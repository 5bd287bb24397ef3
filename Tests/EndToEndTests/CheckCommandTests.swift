import Foundation
import TestSupport
import XCTest

/// `ssot check --all` and `ssot check PATH…` as a user runs them.
final class CheckCommandTests: EndToEndCase {
    var repo: GitRepo!

    override func setUpWithError() throws {
        try super.setUpWithError()
        repo = GitRepo()
        repo.write("ssot.toml", try! String(contentsOf: Paths.package.appendingPathComponent("Tests/EndToEndTests/Fixtures/ssot.toml"), encoding: .utf8))
        repo.write("app/__init__.py", "")
        repo.write("app/clean.py", "from app.canonical import Manager\n")
        repo.commitAll("initial")
    }

    /// With `SSOT_STATIC=1` (install.sh's build) libgit2, the libraries behind
    /// it and utf8proc are linked in: loading them cost 3 ms a run, and only the
    /// C and C++ runtimes stay shared. A plain build links Debian's shared
    /// libgit2 and utf8proc and nothing else of theirs (Package.swift).
    func testTheBinaryLinksLibgit2AsItsBuildSays() {
        let r = runProcess(Tools.readelf, ["-d", Paths.ssot.path], in: "/")
        XCTAssertEqual(r.status, 0, r.output)
        let needed = r.stdout.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        let linkedIn = ProcessInfo.processInfo.environment["SSOT_STATIC"] == "1"
        // install.sh's build is a static executable: nothing at all is loaded at run time.
        XCTAssertTrue(!needed.isEmpty || linkedIn, r.stdout)
        for library in ["libgit2", "libutf8proc"] {
            XCTAssertEqual(needed.contains { $0.contains(library) }, !linkedIn, "\(library), static build \(linkedIn): \(needed)")
        }
        // What libgit2 depends on comes through its own shared object, or is linked in: never loaded by ssot itself.
        for library in ["libssh2", "libmbed", "libcrypto", "libgssapi", "libhttp_parser", "libpcre2"] {
            XCTAssertFalse(needed.contains { $0.contains(library) }, "\(library) is loaded at run time: \(needed)")
        }
    }

    /// `ssot --version` answers without ArgumentParser (issue 16); `--help` still goes through it.
    func testVersionAndHelp() {
        let version = ssot(["--version"], in: repo.path)
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.stdout, "0.1.0\n")
        let help = ssot(["--help"], in: repo.path)
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: ssot <subcommand>"), help.stdout)
    }

    func testCleanTreePassesWithExitZero() {
        let r = ssot(["check", "--all"], in: repo.path)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stdout.contains("All checks passed! (2 files scanned)"), r.stdout)
    }

    func testNewFindingExitsOneWithRuffStyleText() {
        repo.write("app/bad.py", "import os\nfrom app.legacy import Manager\n")
        repo.git(["add", "app/bad.py"])
        let r = ssot(["check", "--all"], in: repo.path)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, """
        app/bad.py:2:24: legacy-import Import from app.canonical.
          |
        2 | from app.legacy import Manager
          |                        ^^^^^^^ from app.legacy import Manager
          |
          = help: use `from app.canonical import Manager`

        Found 1 new finding in 1 file (3 files scanned).
        Fix each finding with the replacement shown. For a real exception, add `# ssot: ignore[rule-id] reason` where inline-ignores are enabled, or grow the baseline in a reviewed change.

        """)
        XCTAssertFalse(r.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    /// The source line is shown as written: a tab as four spaces (the caret
    /// moved to match), a backslash and `t` in a string kept, a control
    /// character escaped.
    func testTheSourceLineKeepsBackslashesAndShowsTabs() {
        repo.write("app/bad.py", "x = '\\t'\u{0C};\tfrom app.legacy import Manager\n")
        let r = ssot(["check", "app/bad.py"], in: repo.path)
        XCTAssertEqual(r.status, 1, r.output)
        let shown = "x = '\\t'\\x0c;    from app.legacy import "
        XCTAssertTrue(r.stdout.contains("1 | \(shown)Manager\n  | \(String(repeating: " ", count: shown.count))^^^^^^^ "), r.stdout)
    }

    func testAllChecksTrackedFilesOnly() {
        repo.write("app/untracked.py", "from app.legacy import Manager\n")
        XCTAssertEqual(ssot(["check", "--all"], in: repo.path).status, 0)
        XCTAssertEqual(ssot(["check", "app/untracked.py"], in: repo.path).status, 1)
    }

    func testPathsAndFoldersAndDashC() {
        repo.write("app/sub/bad.py", "from app.legacy import X\n")
        let sub = repo.path + "/app"
        XCTAssertEqual(ssot(["check", "sub"], in: sub).status, 1)
        XCTAssertEqual(ssot(["check", "clean.py"], in: sub).status, 0)
        XCTAssertEqual(ssot(["check", "-C", "app", "sub/bad.py"], in: repo.path).status, 1)
        let outside = ssot(["check", "/etc/hostname"], in: repo.path)
        XCTAssertEqual(outside.status, 2)
        XCTAssertTrue(outside.stderr.contains("outside the repository"), outside.stderr)
        let missing = ssot(["check", "nope.py"], in: repo.path)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("nope.py: no such file or directory"), missing.stderr)
    }

    func testJSONFollowsTheSpec() throws {
        repo.write("app/bad.py", "from app import get_manager\nget_manager()\n")
        repo.git(["add", "-A"])
        let r = ssot(["check", "--all", "--format", "json"], in: repo.path)
        XCTAssertEqual(r.status, 1)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(json["version"] as? Int, 1)
        XCTAssertEqual(json["mode"] as? String, "all")
        let findings = json["findings"] as! [[String: Any]]
        XCTAssertEqual(findings.count, 2)
        XCTAssertEqual(findings[1]["path"] as? String, "app/bad.py")
        XCTAssertEqual(findings[1]["line"] as? Int, 2)
        XCTAssertEqual(findings[1]["column"] as? Int, 1)
        XCTAssertEqual(findings[1]["rule"] as? String, "legacy-singleton")
        XCTAssertEqual(findings[1]["fingerprint"] as? String, "use app.get_manager")
        XCTAssertEqual(findings[1]["message"] as? String, "Legacy singleton.")
        XCTAssertEqual(findings[1]["replacement"] as? String, "app.create_manager(ctx)")
        XCTAssertEqual(findings[1]["new"] as? Bool, true)
        XCTAssertEqual(Set(json.keys), ["version", "mode", "findings", "baseline", "config", "uncheckable", "summary"])
        XCTAssertEqual((json["config"] as? [String: Any])?["loosened"] as? [String], [])
        XCTAssertEqual(json["summary"] as? [String: Int], ["files": 3, "findings": 2, "new": 2])
        let baseline = json["baseline"] as! [String: Any]
        XCTAssertEqual(baseline["grown"] as? [Int], [])
        XCTAssertEqual(baseline["loose"] as? [Int], [])
    }

    /// JSON strings: copied whole when nothing needs escaping, escaped when
    /// a path holds a quote, a backslash or a control character.
    func testJSONEscapesWhatJSONNeedsEscaped() throws {
        for name in ["app/plain.py", "app/quo\"te.py", "app/back\\slash.py", "app/tab\there.py"] {
            repo.write(name, "from app import get_manager\n")
        }
        let r = ssot(["check", "--no-baseline", "--format", "json", "app"], in: repo.path)
        XCTAssertEqual(r.status, 1, r.output)
        XCTAssertTrue(r.stdout.contains(#""path": "app/quo\"te.py""#), r.stdout)
        XCTAssertTrue(r.stdout.contains(#""path": "app/back\\slash.py""#), r.stdout)
        XCTAssertTrue(r.stdout.contains(#""path": "app/tab\there.py""#), r.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let paths = Set((json["findings"] as! [[String: Any]]).map { $0["path"] as! String })
        XCTAssertTrue(paths.isSuperset(of: ["app/plain.py", "app/quo\"te.py", "app/back\\slash.py", "app/tab\there.py"]), "\(paths)")
    }

    func testWorkingTreeBaselineAllowsAndNoBaselineIgnoresIt() throws {
        repo.write("app/bad.py", "from app.legacy import Manager\n")
        repo.write(".ssot-baseline", "1\tlegacy-import\tapp/bad.py\tfrom app.legacy import Manager\n")
        repo.git(["add", "-A"])
        let allowed = ssot(["check", "--all"], in: repo.path)
        XCTAssertEqual(allowed.status, 0, allowed.output)
        XCTAssertTrue(allowed.stdout.contains("1 finding allowed by the baseline"), allowed.stdout)
        XCTAssertEqual(ssot(["check", "--all", "--no-baseline"], in: repo.path).status, 1)
        repo.write("app/bad.py", "from app.legacy import Manager\nfrom app.legacy import Manager\n")
        XCTAssertEqual(ssot(["check", "--all"], in: repo.path).status, 1, "two occurrences exceed an allowance of one")
        repo.write("app/bad.py", "\n")
        let loose = ssot(["check", "--all", "--format", "json"], in: repo.path)
        XCTAssertEqual(loose.status, 0)
        let json = try JSONSerialization.jsonObject(with: Data(loose.stdout.utf8)) as! [String: Any]
        let entries = (json["baseline"] as! [String: Any])["loose"] as! [[String: Any]]
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries[0]["allowed"] as? Int, 1)
        XCTAssertEqual(entries[0]["found"] as? Int, 0)
    }

    /// Review of issue 12: in PATH mode every baseline entry used to count, so
    /// one left behind by a deletion allowed a violation in a new file of
    /// that path (the `ssot-files` hook runs PATH mode). A file git does not
    /// track is an added file: no entry allows it, in either mode.
    func testAStaleEntryAllowsNothingInAFileGitDoesNotTrack() throws {
        repo.write(".ssot-baseline", "1\tlegacy-import\tapp/old.py\tfrom app.legacy import Manager\n")
        repo.commitAll("baseline with an entry for a deleted file")
        repo.write("app/old.py", "from app.legacy import Manager\n")
        let named = ssot(["check", "app/old.py"], in: repo.path)
        XCTAssertEqual(named.status, 1, named.output)
        XCTAssertTrue(named.stdout.contains("Found 1 new finding"), named.stdout)
        let all = ssot(["check", "--all", "--format", "json"], in: repo.path)
        XCTAssertEqual(all.status, 0, "an untracked file is not part of --all: \(all.output)")
        XCTAssertTrue(all.stdout.contains("\"loose\": [{\"path\": \"app/old.py\""), "the entry is shown as loose: \(all.stdout)")
        // Once git tracks the file again, its entry is its allowance (the commit gate still refuses the added file).
        repo.git(["add", "app/old.py"])
        XCTAssertEqual(ssot(["check", "app/old.py"], in: repo.path).status, 0)
        XCTAssertEqual(ssot(["check", "--staged"], in: repo.path).status, 1, "an added file has no allowance in the gate")
    }

    /// SPEC 2: in the working-tree modes a symlink whose target is not a
    /// checked file of its own folder, and tracked bytecode, are warnings.
    func testALinkOutOfItsFolderAndTrackedBytecodeAreWarnings() throws {
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/app/out.py", withDestinationPath: "/etc/hostname")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/app/same.py", withDestinationPath: "clean.py")
        repo.write("app/evil.pyc", "\u{42}\r\r\n")
        repo.git(["add", "-A"])
        let r = ssot(["check", "--all"], in: repo.path)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stderr.contains("app/out.py: warning: a symlink to /etc/hostname, outside the tree: not checked"), r.stderr)
        XCTAssertTrue(r.stderr.contains("app/same.py: note: skipped: a symlink to app/clean.py, which is checked itself"), r.stderr)
        XCTAssertTrue(r.stderr.contains("app/evil.pyc: warning: compiled bytecode"), r.stderr)
        let named = ssot(["check", "app/out.py"], in: repo.path)
        XCTAssertTrue(named.stderr.contains("app/out.py: warning: a symlink to /etc/hostname"), named.stderr)
    }

    /// Second review of issue 12: a PATH argument through a symlinked folder,
    /// or spelled with a decomposed `é` next to the composed one, reached
    /// files outside the repository; a FIFO named as the config hung the run;
    /// `-C` through a symlink refused the repository's own files.
    func testPathsOutsideTheRepositoryAndFIFOsAreRefused() throws {
        let outside = TempDir("ssot-outside")
        outside.write("evil.py", "from app.legacy import Manager\n")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/lnk", withDestinationPath: outside.path)
        for arg in ["lnk/evil.py", "lnk", "lnk/"] {
            let r = ssot(["check", arg], in: repo.path)
            XCTAssertEqual(r.status, 2, "\(arg): \(r.output)")
            XCTAssertTrue(r.stderr.contains("is outside the repository"), r.stderr)
        }
        // The same folder under its decomposed name is another folder, outside.
        let parent = TempDir("ssot-nfc")
        let composed = parent.path + "/caf\u{E9}", decomposed = parent.path + "/cafe\u{301}"
        try FileManager.default.createDirectory(atPath: decomposed, withIntermediateDirectories: true)
        try "from app.legacy import Manager\n".write(toFile: decomposed + "/evil.py", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: composed, withIntermediateDirectories: true)
        runProcess(Tools.git, ["init", "-q", "-b", "main"], in: composed)
        try repo.read("ssot.toml")!.write(toFile: composed + "/ssot.toml", atomically: true, encoding: .utf8)
        let escape = ssot(["check", "../cafe\u{301}/evil.py"], in: composed)
        XCTAssertEqual(escape.status, 2, escape.output)
        // A link to a folder inside the repository is that folder, walked.
        repo.write("app/bad.py", "from app.legacy import Manager\n")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/inner", withDestinationPath: "app")
        let inner = ssot(["check", "inner"], in: repo.path)
        XCTAssertEqual(inner.status, 1, inner.output)
        XCTAssertTrue(inner.stdout.contains("app/bad.py:1:24"), inner.stdout)
        try FileManager.default.removeItem(atPath: repo.path + "/app/bad.py")
        // -C through a symlink to the repository: its files are inside.
        try FileManager.default.createSymbolicLink(atPath: outside.path + "/repo-link", withDestinationPath: repo.path)
        let linked = ssot(["check", "-C", outside.path + "/repo-link", "app/clean.py"], in: "/")
        XCTAssertEqual(linked.status, 0, linked.output)
        // A FIFO where the config is expected is not a config, and does not hold the run.
        XCTAssertEqual(mkfifo(outside.path + "/fifo", 0o600), 0)
        let fifo = ssot(["check", "--all", "--config", outside.path + "/fifo"], in: repo.path)
        XCTAssertEqual(fifo.status, 2, fifo.output)
        try FileManager.default.removeItem(atPath: repo.path + "/ssot.toml")
        XCTAssertEqual(mkfifo(repo.path + "/ssot.toml", 0o600), 0)
        XCTAssertEqual(ssot(["rules"], in: repo.path).status, 2)
    }

    func testMalformedBaselineExitsTwoWithTheLine() {
        repo.write(".ssot-baseline", "# ok\n1\tlegacy-import\tapp/bad.py\n")
        let r = ssot(["check", "--all"], in: repo.path)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains(".ssot-baseline:2: expected 4 tab-separated fields"), r.stderr)
    }

    func testBadConfigExitsTwoAndNamesTheFile() {
        repo.write("ssot.toml", "[[rule]]\nid = \"x\"\nkind = \"import\"\nbanned = \"app.legacy\"\n")
        let r = ssot(["check", "--all"], in: repo.path)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "ssot: error: ssot.toml:4:1: rule[1].banned: must be an array of strings, not a string\n")
        XCTAssertEqual(r.stdout, "")
    }

    func testNoConfigExitsTwo() {
        try? FileManager.default.removeItem(atPath: repo.path + "/ssot.toml")
        let r = ssot(["check", "--all"], in: repo.path)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("no ssot config"), r.stderr)
    }

    func testPyprojectConfigAndConfigOverride() {
        try? FileManager.default.removeItem(atPath: repo.path + "/ssot.toml")
        repo.write("pyproject.toml", "[project]\nname = \"x\"\n[tool.ssot]\n[[tool.ssot.rule]]\nid = \"r\"\nkind = \"import\"\nbanned = [\"os\"]\n")
        repo.write("app/os_user.py", "import os\n")
        XCTAssertEqual(ssot(["check", "app/os_user.py"], in: repo.path).status, 1)
        let other = TempDir()
        other.write("server.toml", "[[rule]]\nid = \"r\"\nkind = \"import\"\nbanned = [\"sys\"]\n")
        XCTAssertEqual(ssot(["check", "app/os_user.py", "--config", other.path + "/server.toml"], in: repo.path).status, 0)
    }

    func testUsageErrorsExitTwo() {
        XCTAssertEqual(ssot(["check"], in: repo.path).status, 2)
        XCTAssertEqual(ssot(["check", "--all", "app"], in: repo.path).status, 2)
        XCTAssertEqual(ssot(["check", "--all", "--format", "xml"], in: repo.path).status, 2)
        XCTAssertEqual(ssot(["check", "--all", "-C", "/no/such/dir"], in: repo.path).status, 2)
        XCTAssertEqual(ssot(["--help"], in: repo.path).status, 0)
    }

    func testBareRepositoryHasNoWorkingTreeExitThree() {
        let bare = GitRepo(bare: true)
        let r = ssot(["check", "--all"], in: bare.path)
        XCTAssertEqual(r.status, 3)
        XCTAssertTrue(r.stderr.contains("bare repository"), r.stderr)
    }

    func testHostileFilesNeverCrash() throws {
        repo.write("ssot.toml", "max-file-size = 4000000\n" + (repo.read("ssot.toml") ?? ""))
        repo.write("app/nul.py", "from app.legacy import A\n\0\nfrom app.legacy import B\n")
        repo.dir.write("app/utf8.py", Data([0x78, 0xFF, 0xFE, 0x0A] + Array("from app.legacy import C\n".utf8)))
        repo.write("app/deep.py", "from app.legacy import D\nx = " + String(repeating: "(", count: 100_000) + "\n")
        repo.write("app/long.py", "from app.legacy import E\ns = '" + String(repeating: "x", count: 2_000_000) + "'\n")
        repo.write("app/eof.py", "from app.legacy import F\nx = '''never closed")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/app/link.py", withDestinationPath: "/etc/passwd")
        repo.git(["add", "-A"])
        let r = ssot(["check", "--all", "--format", "json"], in: repo.path)
        XCTAssertEqual(r.status, 1, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let names = (json["findings"] as! [[String: Any]]).map { ($0["fingerprint"] as! String).split(separator: " ").last! }
        XCTAssertEqual(names.sorted(), ["A", "B", "C", "D", "E", "F"])
        XCTAssertTrue(r.stderr.contains("app/nul.py:2:1: warning: NUL byte"), r.stderr)
        XCTAssertTrue(r.stderr.contains("app/utf8.py:1:2: warning: invalid UTF-8"), r.stderr)
        XCTAssertTrue(r.stderr.contains("app/deep.py:2:205: warning: nested more than 200 levels deep"), r.stderr)
        XCTAssertTrue(r.stderr.contains("app/eof.py:2:5: warning: unterminated triple-quoted string literal"), r.stderr)
        XCTAssertTrue(r.stderr.contains("app/link.py: warning: a symlink to /etc/passwd, outside the tree: not checked"), r.stderr)
    }

    func testOversizedFileIsSkippedWithANote() {
        repo.write("ssot.toml", "max-file-size = 100\n" + (repo.read("ssot.toml") ?? ""))
        repo.write("app/big.py", "from app.legacy import A\n" + String(repeating: "# pad\n", count: 50))
        repo.git(["add", "-A"])
        let r = ssot(["check", "--all"], in: repo.path)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stderr.contains("app/big.py: warning: 325 bytes is over max-file-size (100): not checked"), r.stderr)
    }

    func testHostilePathNamesAreEscapedInText() {
        let name = "app/evil\u{1B}[31mred.py"
        repo.write(name, "from app.legacy import A\n")
        let r = ssot(["check", "--all-untracked-do-not-exist"], in: repo.path)
        XCTAssertEqual(r.status, 2)
        let text = ssot(["check", "app"], in: repo.path)
        XCTAssertEqual(text.status, 1)
        XCTAssertFalse(text.stdout.contains("\u{1B}"), "a terminal escape from a file name must not reach the terminal")
        XCTAssertTrue(text.stdout.contains("app/evil\\x1b[31mred.py:1:24:"), text.stdout)
    }

    func testTraceNamesEachPhase() {
        let r = ssot(["check", "--all"], in: repo.path, environment: ["SSOT_TRACE": "1"])
        XCTAssertEqual(r.status, 0, r.output)
        for phase in ["arguments", "list files (2)", "read and scan", "report"] {
            XCTAssertTrue(r.stderr.contains("ssot trace: \(phase): "), "\(phase) in:\n\(r.stderr)")
        }
        XCTAssertFalse(ssot(["check", "--all"], in: repo.path).stderr.contains("ssot trace"))
    }

    func testScanBenchMeasuresTheScanner() {
        let r = ssot(["scan-bench", "app", "--passes", "1"], in: repo.path)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.stdout.hasPrefix("2 files, 0 MB: best of 1 passes"), r.stdout)
        XCTAssertTrue(r.stdout.contains("MB/s on one core"), r.stdout)
        XCTAssertFalse(ssot(["--help"], in: repo.path).stdout.contains("scan-bench"), "a developer tool, hidden from help")
    }

    func testRulesExplainsTheConfig() {
        let r = ssot(["rules"], in: repo.path)
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("legacy-import (import)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Import instead from: app.canonical"), r.stdout)
        XCTAssertTrue(r.stdout.contains("legacy-singleton (singleton)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Use instead: app.create_manager(ctx)"), r.stdout)
    }
}
