import Foundation
import SSOTCore
import TestSupport
import XCTest

/// Issue 11, item 9: no output format ever carries a raw control, C1 or
/// bidirectional/invisible format character from a hostile repository: not
/// its paths, source lines, fingerprints, messages or replacements, in any
/// mode, nor in what the server gate shows a pusher.
final class HostileOutputTests: EndToEndCase {
    static let esc = "\u{1B}"
    static let rlo = "\u{202E}"

    /// `tabs`: the text's own columns are tab-separated (the tightening lines).
    func assertClean(_ output: String, _ what: String, tabs: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        let bad = output.unicodeScalars.filter { $0 != "\n" && !(tabs && $0 == "\t") && TextEscape.isHostile($0) }
        XCTAssertTrue(bad.isEmpty, "\(what) carries \(bad.map { String($0.value, radix: 16) }):\n\(output)", file: file, line: line)
    }

    func testEveryFormatEscapesHostileText() throws {
        let repo = GitRepo()
        repo.write("pyproject.toml", """
        [tool.ssot]

        [[tool.ssot.rule]]
        id = "legacy-import"
        kind = "import"
        canonical = "app.canonical"
        banned = ["app.legacy"]
        message = "\\u001b]0;owned\\u0007 Import from \\u202Eapp.canonical.\\nAll checks passed!"

        [[tool.ssot.rule]]
        id = "legacy-singleton"
        kind = "singleton"
        banned = ["app.get_manager"]
        replacement = "app.make(\\u202Ectx\\u2066)"

        """)
        repo.write("app/__init__.py", "def get_manager(): pass\n")
        repo.write("app/ok.py", "x = 1\n")
        repo.commitAll("adopt")
        repo.write("app/e\(Self.esc)[2J\(Self.rlo)vil.py", """
        x = "\(Self.esc)[2J\(Self.rlo)\u{200B}"; from app.legacy import Manager
        import importlib
        importlib.import_module("app.legacy.\(Self.rlo)x\u{FEFF}")
        from app import get_manager
        get_manager()

        """)
        repo.git(["add", "-A"])
        for format in ["text", "json", "sarif", "github", "gitlab"] {
            for mode in [["--staged"], ["--all"], ["--no-baseline", "app"]] {
                let r = ssot(["check", "--format", format] + mode, in: repo.path)
                XCTAssertEqual(r.status, 1, "\(format) \(mode): \(r.output)")
                assertClean(r.stdout, "\(format) \(mode) stdout")
                assertClean(r.stderr, "\(format) \(mode) stderr")
            }
        }
        let text = ssot(["check", "--staged"], in: repo.path).stdout
        XCTAssertTrue(text.contains("\\x1b[2J\\u{202E}"), text)
        XCTAssertTrue(text.contains("\\x0aAll checks passed!"), "the message's newline cannot forge a line: \(text)")
        XCTAssertFalse(text.contains("\nAll checks passed!"), text)

        // The pusher's view, through a real push.
        let server = GitRepo(bare: true)
        repo.git(["remote", "add", "origin", "file://" + server.path])
        repo.git(["push", "-q", "origin", "HEAD~0:refs/heads/main"])
        repo.git(["reset", "-q", "--soft", "HEAD"])
        XCTAssertEqual(runProcess(Paths.package.appendingPathComponent("install.sh").path, ["--hook", "pre-receive", server.path],
                                  in: repo.path).status, 0)
        repo.git(["commit", "-q", "--no-verify", "-m", "hostile"])
        let push = repo.git(["push", "origin", "HEAD:refs/heads/e\(Self.rlo)x"], environment: ["SSOT_BIN": Paths.ssot.path])
        XCTAssertNotEqual(push.status, 0, push.output)
        let remote = push.stderr.split(separator: "\n").filter { $0.hasPrefix("remote:") }.joined(separator: "\n")
        XCTAssertTrue(remote.contains("legacy-import"), push.stderr)
        assertClean(remote, "the pusher's remote: lines")
    }

    /// Second review: `ssot rules`, a malformed baseline's error and the tightening
    /// message once printed repository text raw.
    func testRulesErrorsAndTighteningAreEscaped() throws {
        let repo = GitRepo()
        repo.write("ssot.toml", "[[rule]]\nid = \"r\"\nkind = \"import\"\nbanned = [\"app.legacy\"]\nmessage = \"\\u001b]0;owned\\u0007\"\n")
        repo.write("app/a.py", "from app.legacy import M\n")
        repo.write(".ssot-baseline", "1\tr\tapp/a.py\tfrom app.legacy import M\n1\tother-rule\tapp/a.py\t\"import x\\033]0;t\\007\"\n")
        repo.commitAll("adopt")
        let rules = ssot(["rules"], in: repo.path)
        XCTAssertEqual(rules.status, 0, rules.output)
        assertClean(rules.stdout, "ssot rules")
        XCTAssertTrue(rules.stdout.contains("\\x1b]0;owned\\x07"), rules.stdout)
        // Tightening names the entry it drops, fingerprint escaped.
        repo.write("app/a.py", "x = 1\n")
        repo.git(["add", "-A"])
        let tightened = ssot(["check", "--staged"], in: repo.path)
        XCTAssertEqual(tightened.status, 0, tightened.output)
        assertClean(tightened.output, "the tightening message", tabs: true)
        XCTAssertTrue(tightened.stderr.contains("import x\\x1b]0;t\\x07"), tightened.stderr)
        // A malformed baseline line quoted in an error.
        repo.git(["reset", "-q", "--hard"])
        repo.write(".ssot-baseline", "1\tr\tapp/a.py\t\u{1B}[2K\u{1B}]0;x\u{07}remote: accepted\r\n")
        repo.commitAll("broken")
        repo.write("app/a.py", "x = 2\n")
        repo.git(["add", "-A"])
        let broken = ssot(["check", "--staged"], in: repo.path)
        XCTAssertEqual(broken.status, 2, broken.output)
        assertClean(broken.stderr, "a malformed baseline's error")
    }

    func testTheEscapeItself() {
        XCTAssertEqual(TextEscape.escape("a\u{1B}b\u{9B}c\u{7F}d\te"), "a\\x1bb\\x9bc\\x7fd\\x09e")
        XCTAssertEqual(TextEscape.escape("x\u{202E}y\u{2066}z\u{FEFF}\u{200B}"), "x\\u{202E}y\\u{2066}z\\u{FEFF}\\u{200B}")
        XCTAssertEqual(TextEscape.escape("café ünïcode"), "café ünïcode")
    }
}
