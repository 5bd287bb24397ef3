import Foundation
import TestSupport
import XCTest

/// A bare server repository with ssot adopted on `main` and the pre-receive
/// hook installed by `./install.sh --hook pre-receive`, and a clone that
/// pushes to it over `file://`: what every server-gate test starts from.
/// The server's own settings are in its git config (SPEC 1.1).
final class PushFixture {
    let server = GitRepo(bare: true)
    let work = GitRepo()
    var env: [String: String] { ["SSOT_BIN": Paths.ssot.path] }

    init(file: StaticString = #filePath, line: UInt = #line) {
        work.write("pyproject.toml", PreCommitTests.config)
        server.git(["config", "ssot.bypassUsers", "alice"])
        server.git(["config", "ssot.auditLog", "ssot-audit.log"])
        work.write("app/__init__.py", "def get_manager(): pass\n")
        work.write("app/legacy.py", "class Manager: pass\n")
        work.write("app/canonical.py", "from app.legacy import Manager\n")
        work.write("app/old.py", "from app.legacy import Manager\n")
        work.write("app/clean.py", "from app.canonical import Manager\n")
        work.git(["add", "-A"])
        XCTAssertEqual(ssot(["baseline"], in: work.path).status, 0, file: file, line: line)
        work.commitAll("adopt")
        work.git(["remote", "add", "origin", "file://" + server.path])
        XCTAssertEqual(push(["origin", "main"]).status, 0, file: file, line: line)
        let install = runProcess(Paths.package.appendingPathComponent("install.sh").path, ["--hook", "pre-receive", server.path],
                                 in: work.path)
        XCTAssertEqual(install.status, 0, install.output, file: file, line: line)
    }

    @discardableResult
    func push(_ args: [String], environment: [String: String] = [:]) -> RunResult {
        work.git(["push"] + args, environment: env.merging(environment) { $1 })
    }

    func serverRef(_ ref: String = "refs/heads/main") -> String {
        server.git(["rev-parse", "--verify", "-q", ref]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `file` and commits everything, without the local hook.
    func commit(_ file: String, _ text: String, _ message: String = "change") {
        work.write(file, text)
        work.git(["add", "-A"])
        work.git(["commit", "-q", "--no-verify", "-m", message])
    }

    /// The baseline with one more entry: growth.
    func grownBaseline(_ path: String = "app/clean.py") -> String {
        (work.read(".ssot-baseline") ?? "") + "1\tlegacy-import\t\(path)\tfrom app.legacy import Manager\n"
    }

    /// The audit log's lines, parsed.
    func auditEntries() throws -> [[String: Any]] {
        let log = try String(contentsOfFile: server.path + "/ssot-audit.log", encoding: .utf8)
        return try log.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }
}

/// The ways a config can loosen the rules (SPEC 4, step 5), as edits of
/// `PreCommitTests.config`, each with the words the gate must say.
enum Loosenings {
    struct Case {
        var name: String
        /// The new `pyproject.toml` (nil: leave it), and other files to write.
        var pyproject: String?
        var files: [String: String] = [:]
        var expected: String
    }

    static func edit(_ a: String, _ b: String) -> String {
        precondition(PreCommitTests.config.contains(a), a)
        return PreCommitTests.config.replacingOccurrences(of: a, with: b)
    }

    static func top(_ line: String) -> String { edit("baseline = \".ssot-baseline\"\n", "baseline = \".ssot-baseline\"\n" + line + "\n") }

    static let cases: [Case] = [
        Case(name: "config removed", pyproject: "[project]\nname = \"demo\"\n", expected: "the ssot config was removed"),
        Case(name: "empty ssot.toml", files: ["ssot.toml": ""], expected: "rule legacy-import removed"),
        Case(name: "rule removed", pyproject: edit("""
            [[tool.ssot.rule]]
            id = "legacy-singleton"
            kind = "singleton"
            banned = ["app.get_manager"]
            replacement = "app.create_manager(ctx)"
            message = "Legacy singleton."

            """, ""), expected: "rule legacy-singleton removed"),
        Case(name: "banned name removed", pyproject: edit("banned = [\"app.legacy\"]", "banned = [\"app.other\"]"),
             expected: "rule legacy-import: banned name app.legacy removed"),
        Case(name: "rule renamed", pyproject: edit("id = \"legacy-import\"", "id = \"legacy-import-2\""), expected: "rule legacy-import removed"),
        Case(name: "kind changed", pyproject: edit("kind = \"import\"", "kind = \"singleton\""),
             expected: "rule legacy-import: kind changed from import to singleton"),
        Case(name: "allow-in gained", pyproject: edit("allow-in = [\"app/legacy.py\"]", "allow-in = [\"app/legacy.py\", \"app/evil.py\"]"),
             expected: "rule legacy-import: allow-in gained app/evil.py"),
        Case(name: "exclude gained", pyproject: top("exclude = [\"app/evil.py\"]"), expected: "exclude gained app/evil.py"),
        Case(name: "include lost", pyproject: top("include = [\"**/*.pyi\"]"), expected: "include lost **/*.py"),
        Case(name: "source-roots", pyproject: top("source-roots = [\"src\"]"), expected: "source-roots changed from [\".\"] to [\"src\"]"),
        Case(name: "max-file-size", pyproject: top("max-file-size = 10"), expected: "max-file-size lowered from 1048576 to 10"),
        Case(name: "type-checking", pyproject: top("type-checking = \"ignore\""), expected: "type-checking turned to \"ignore\""),
        Case(name: "inline-ignores", pyproject: top("inline-ignores = true"), expected: "inline-ignores turned on"),
        Case(name: "baseline moved", pyproject: edit("baseline = \".ssot-baseline\"", "baseline = \"elsewhere\""),
             expected: "baseline moved from .ssot-baseline to elsewhere"),
        Case(name: "malformed", pyproject: PreCommitTests.config + "\n[tool.ssot.oops\n", expected: "the proposed config cannot be read"),
    ]

    static func apply(_ c: Case, to repo: GitRepo) {
        if let p = c.pyproject { repo.write("pyproject.toml", p) }
        for (path, text) in c.files { repo.write(path, text) }
        repo.git(["add", "-A"])
    }
}
