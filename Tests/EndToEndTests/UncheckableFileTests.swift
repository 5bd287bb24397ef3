import Foundation
import TestSupport
import XCTest

/// Issue 11, items 2 and 5: a changed file the gate cannot check rejects the
/// change (SPEC 2), where it once gave "0 files scanned" and passed; the
/// working-tree modes only warn.
extension PreCommitTests {
    /// What CPython makes of the file: the modules its imports name.
    func cpythonImports(_ path: String) -> String {
        runProcess(Pythons.python3, ["-c", """
        import ast, sys
        tree = ast.parse(open(sys.argv[1], 'rb').read())
        print(sorted({a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
                     | {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}))
        """, path]).stdout
    }

    func testAFileInAnEncodingSsotDoesNotReadIsRefused() {
        for (name, text) in [("utf7.py", "# coding: utf-7\nx = 1\n+AGY-rom app.legacy import Manager\n"),
                             ("escape.py", "# coding: unicode_escape\n# \\u000afrom app.legacy import Manager\n")] {
            repo.git(["reset", "-q", "--hard", "HEAD"])
            repo.write("app/" + name, text)
            XCTAssertTrue(cpythonImports(repo.path + "/app/" + name).contains("app.legacy"), "CPython runs the hidden import")
            repo.git(["add", "-A"])
            assertRejected(commit(), ["app/\(name): cannot-check declares the encoding", "not checked"])
            let all = ssot(["check", "--all"], in: repo.path)
            XCTAssertEqual(all.status, 0, "--all only warns: \(all.output)")
            XCTAssertTrue(all.stderr.contains("app/\(name):1: warning: declares the encoding"), all.stderr)
        }
    }

    func testALatin1FileIsDecodedAndChecked() {
        let bytes = [UInt8]("# coding: latin-1\nx = 'caf".utf8) + [0xE9] + [UInt8]("'; from app.legacy import Manager\n".utf8)
        FileManager.default.createFile(atPath: repo.path + "/app/latin.py", contents: Data(bytes))
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/latin.py:2:36: legacy-import", "x = 'café'; from app.legacy import Manager"])
    }

    func testASymlinkOutOfTheTreeIsRefusedAndOneToACheckedFileIsNot() throws {
        let outside = TempDir()
        outside.write("payload.py", "from app.legacy import Manager\n")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/app/evil.py", withDestinationPath: outside.path + "/payload.py")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/evil.py: cannot-check a symlink to", "outside the tree"])
        repo.git(["rm", "-q", "--cached", "app/evil.py"])
        try FileManager.default.removeItem(atPath: repo.path + "/app/evil.py")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/app/notes.py", withDestinationPath: "../docs/notes.txt")
        repo.write("docs/notes.txt", "from app.legacy import Manager\n")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/notes.py: cannot-check a symlink to ../docs/notes.txt, outside its own folder"])
        repo.git(["rm", "-q", "--cached", "app/notes.py"])
        try FileManager.default.removeItem(atPath: repo.path + "/app/notes.py")
        // Its own folder by a path: refused, and said so (it was called "outside its own folder").
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/app/dot.py", withDestinationPath: "./clean.py")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/dot.py: cannot-check a symlink to ./clean.py, a file of its own folder named by a path"])
        repo.git(["rm", "-q", "--cached", "app/dot.py"])
        try FileManager.default.removeItem(atPath: repo.path + "/app/dot.py")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/app/alias.py", withDestinationPath: "clean.py")
        repo.git(["add", "-A"])
        let ok = commit()
        XCTAssertEqual(ok.status, 0, ok.output)
        XCTAssertTrue(ok.stderr.contains("a symlink to app/clean.py, which is checked itself"), ok.stderr)
    }

    /// Attack (a hostile review's find): a tracked file whose folder became a
    /// link in the work tree was read from wherever the link pointed, by
    /// `check --all` and `report`; only a link at the file itself was refused.
    func testAFolderThatBecameALinkIsNotReadThrough() throws {
        repo.write("app/d/secret.py", "x = 1\n")
        repo.git(["add", "-A"])
        repo.commitAll("a folder")
        let outside = TempDir()
        outside.write("secret.py", "from app.legacy import Manager\nfrom app.legacy import Manager as M2\n")
        try FileManager.default.removeItem(atPath: repo.path + "/app/d")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/app/d", withDestinationPath: outside.path)
        let all = ssot(["check", "--all", "--format", "json"], in: repo.path)
        XCTAssertFalse(all.stdout.contains("app/d/secret.py\", \"line\""), all.stdout)
        XCTAssertTrue(all.stderr.contains("app/d/secret.py: warning: a folder on its path is a symbolic link"), all.stderr)
        let report = ssot(["report", "--format", "json"], in: repo.path)
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("\"unchecked\":[{\"path\":\"app/d/secret.py\",\"reason\":\"a folder on its path is a symbolic link"),
                      report.stdout)
        // A link at the file itself is judged as before.
        try FileManager.default.removeItem(atPath: repo.path + "/app/d")
        try FileManager.default.createDirectory(atPath: repo.path + "/app/d", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/app/d/secret.py", withDestinationPath: outside.path + "/secret.py")
        XCTAssertTrue(ssot(["check", "--all"], in: repo.path).stderr.contains("outside the tree"))
    }

    /// Attacks of the second review: a link to a link (to a FIFO, /dev/zero or a file outside) had its
    /// target opened through the second link; a link to an untracked file was "checked itself" and its
    /// findings vanished; a tracked file that is now a FIFO was only skipped. Each is now uncheckable, named.
    func testLinksLeanOnlyOnTrackedRegularFilesAndAFifoIsNamed() throws {
        let outside = TempDir()
        outside.write("payload.py", "from app.legacy import Manager\n")
        for name in ["k1.py", "k2.py", "k3.py", "k4.py"] { repo.write("app/" + name, "x = 1\n") }
        repo.git(["add", "-A"])
        repo.commitAll("four files")
        let app = repo.path + "/app/"
        for name in ["k1.py", "k2.py", "k3.py", "k4.py"] { try FileManager.default.removeItem(atPath: app + name) }
        try FileManager.default.createSymbolicLink(atPath: app + "ev.py", withDestinationPath: outside.path + "/payload.py")
        try FileManager.default.createSymbolicLink(atPath: app + "k1.py", withDestinationPath: "ev.py")
        try FileManager.default.createSymbolicLink(atPath: app + "k2.py", withDestinationPath: "untracked.py")
        repo.write("app/untracked.py", "from app.legacy import Manager\n")
        XCTAssertEqual(mkfifo(app + "k3.py", 0o644), 0)
        try FileManager.default.createDirectory(atPath: app + "k4.py", withIntermediateDirectories: false)
        let all = runProcess(Tools.timeout, ["60", Paths.ssot.path, "check", "--all"], in: repo.path)
        XCTAssertEqual(all.status, 0, all.output)
        for line in ["app/k1.py: warning: a symlink to ev.py, which is not a checked Python file of the tree",
                     "app/k2.py: warning: a symlink to untracked.py, which is not a checked Python file of the tree",
                     "app/k3.py: warning: not a regular file in the work tree", "app/k4.py: warning: not a regular file in the work tree"] {
            XCTAssertTrue(all.stderr.contains(line), line + "\n" + all.stderr)
        }
        // PATH mode: the files named are the ones checked; a link leans on its target only when that is named too.
        let alone = ssot(["check", "app/k2.py"], in: repo.path)
        XCTAssertTrue(alone.stderr.contains("app/k2.py: warning: a symlink to untracked.py, which is not a checked Python file"), alone.stderr)
        let both = ssot(["check", "app/k2.py", "app/untracked.py"], in: repo.path)
        XCTAssertTrue(both.stderr.contains("a symlink to app/untracked.py, which is checked itself"), both.stderr)
        XCTAssertTrue(both.stdout.contains("app/untracked.py:1:"), both.stdout)
        let json = ssot(["report", "--format", "json"], in: repo.path).stdout
        for name in ["k1", "k2", "k3", "k4"] { XCTAssertTrue(json.contains("{\"path\":\"app/\(name).py\",\"reason\":"), name + json) }
        // Markdown: the reason, which holds the link's target, is a code span too.
        try FileManager.default.removeItem(atPath: app + "k1.py")
        try FileManager.default.createSymbolicLink(atPath: app + "k1.py", withDestinationPath: "/x @octocat https://evil.example/")
        let md = ssot(["report", "--format", "markdown"], in: repo.path).stdout
        XCTAssertTrue(md.contains("| `app/k1.py` | `a symlink to /x @octocat https://evil.example/, outside the tree: not checked` |"), md)
        // JSON: a link target whose bytes are not UTF-8 is git's \377, never U+0000.
        try FileManager.default.removeItem(atPath: app + "k1.py")
        let target: [CChar] = [0x2F, 0x71, -1, 0]  // "/q\xFF"
        XCTAssertEqual(symlink(target, app + "k1.py"), 0)
        let bad = ssot(["report", "--format", "json"], in: repo.path).stdout
        XCTAssertFalse(bad.contains("\\u0000"), bad)
        XCTAssertTrue(bad.contains("a symlink to /q\\\\377"), bad)
    }

    /// Attack of the third look: the work tree's config and baseline were
    /// opened through a link, so `pyproject.toml -> /elsewhere` set the rules
    /// (and a baseline linked out showed the file's text in its error).
    func testAConfigOrBaselineLinkedOutOfTheTreeIsRefused() throws {
        let outside = TempDir()
        outside.write("pyproject.toml", "[tool.ssot]\n\n[[tool.ssot.rule]]\nid = \"evil\"\nkind = \"import\"\nbanned = [\"os\"]\n")
        outside.write("bl", "secret text\n")
        let app = repo.path + "/"
        try FileManager.default.moveItem(atPath: app + "pyproject.toml", toPath: outside.path + "/mine.toml")
        try FileManager.default.createSymbolicLink(atPath: app + "pyproject.toml", withDestinationPath: outside.path + "/pyproject.toml")
        for args in [["check", "--all"], ["report"], ["fix", "--check"]] {
            let r = ssot(args, in: repo.path)
            XCTAssertEqual(r.status, 2, "\(args): \(r.output)")
            XCTAssertTrue(r.stderr.contains("pyproject.toml is a symbolic link, or a folder on its path is one; ssot reads no file of the work tree through one"),
                          "\(args): \(r.stderr)")
            XCTAssertFalse(r.output.contains("evil"), r.output)
        }
        try FileManager.default.removeItem(atPath: app + "pyproject.toml")
        try FileManager.default.moveItem(atPath: outside.path + "/mine.toml", toPath: app + "pyproject.toml")
        try FileManager.default.removeItem(atPath: app + ".ssot-baseline")
        try FileManager.default.createSymbolicLink(atPath: app + ".ssot-baseline", withDestinationPath: outside.path + "/bl")
        let r = ssot(["check", "--all"], in: repo.path)
        XCTAssertEqual(r.status, 2, r.output)
        XCTAssertTrue(r.stderr.contains(".ssot-baseline is a symbolic link"), r.stderr)
        XCTAssertFalse(r.output.contains("secret text"), r.output)
    }

    func testAFileOverMaxFileSizeIsRefused() {
        // A megabyte of comment hides a violation on line 1.
        repo.write("app/big.py", "from app.legacy import Manager\n" + String(repeating: "# padding padding padding padding\n", count: 32_000))
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/big.py: cannot-check", "is over max-file-size (1048576)"])
        let all = ssot(["check", "--all"], in: repo.path)
        XCTAssertEqual(all.status, 0, all.output)
        XCTAssertTrue(all.stderr.contains("app/big.py: warning:"), all.stderr)
    }

    /// Bytecode is refused wherever it stands: outside `__pycache__` Python
    /// imports it when no source stands beside it, and inside as a module of the
    /// `__pycache__` namespace package (found by the second hostile review;
    /// SPEC 2 exempted `__pycache__`).
    func testBytecodeIsRefusedEvenInPycache() throws {
        let source = TempDir()
        source.write("evil.py", "from app.legacy import Manager\nprint('banned import ran')\n")
        let compiled = runProcess(Pythons.python3, ["-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2])",
                                                   source.path + "/evil.py", repo.path + "/app/evil.pyc"])
        XCTAssertEqual(compiled.status, 0, compiled.stderr)
        repo.git(["add", "-f", "-A"])
        assertRejected(commit(), ["app/evil.pyc: cannot-check compiled bytecode"])
        repo.git(["rm", "-q", "--cached", "app/evil.pyc"])
        try FileManager.default.createDirectory(atPath: repo.path + "/app/__pycache__", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: repo.path + "/app/evil.pyc", toPath: repo.path + "/app/__pycache__/evil.pyc")
        // What CPython does with it: a sourceless module of the namespace package.
        let ran = runProcess(Pythons.python3, ["-c", "import app.__pycache__.evil"], in: repo.path)
        XCTAssertTrue(ran.stdout.contains("banned import ran"), ran.output)
        repo.git(["add", "-f", "-A"])
        assertRejected(commit(), ["app/__pycache__/evil.pyc: cannot-check compiled bytecode"])
    }
}
