import Foundation
import TestSupport
import XCTest

/// `ssot report` with the real binary on a history made with the real
/// `git` (SPEC 9), whose counts are known by construction.
final class ReportCommandTests: EndToEndCase {
    static let config = """
        [[rule]]
        id = "core"
        kind = "import"
        canonical = "app.canonical"
        banned = ["app.legacy"]
        allow-in = ["app/legacy.py", "app/canonical.py"]
        goal-files = 1
        goal-date = "2999-12-31"

        """

    var repo: GitRepo!

    /// a1…a4 import the legacy module, b1…b6 the canonical one, c1 both:
    /// legacy 5 in 5 files, canonical 7, 11 files touching the rule.
    override func setUpWithError() throws {
        try super.setUpWithError()
        repo = GitRepo()
        repo.write("ssot.toml", ReportCommandTests.config)
        repo.write("app/__init__.py", "")
        repo.write("app/legacy.py", "class M:\n    pass\n")
        repo.write("app/canonical.py", "from app.legacy import M\n")
        for i in 1...4 { repo.write("app/a\(i).py", "from app.legacy import M\n") }
        for i in 1...6 { repo.write("app/b\(i).py", "from app.canonical import M\n") }
        repo.write("app/c1.py", "from app.legacy import M\nfrom app.canonical import M as N\n")
        repo.git(["add", "-A"])
        XCTAssertEqual(ssot(["baseline"], in: repo.path).status, 0)
        repo.commitAll("start")
    }

    struct Rules: Decodable {
        struct Rule: Decodable {
            var allowance: Int
            var canonical: Int
            var compliance: Double?
            var file_compliance: Double?
            var files: Int
            var findings: Int
            var fixable: Int
            var loose: Int
            var touching: Int
            var goal: Goal?
            var change: Change?
        }
        struct Goal: Decodable { var status: String? }
        struct Change: Decodable {
            var compliance_points: Double?
            var files: Int
            var findings: Int
            var new_code_compliance: Double?
            var new_code_files: Int
        }
        var rules: [Rule]
        var revision: String
        var base: String?
        var version: Int
    }

    func json(_ args: [String]) throws -> (Rules, String) {
        let r = ssot(["report", "--format", "json"] + args, in: repo.path)
        XCTAssertEqual(r.status, 0, r.output)
        return (try JSONDecoder().decode(Rules.self, from: Data(r.stdout.utf8)), r.stdout)
    }

    func testExactCountsOfTheWorkingTreeAndOfACommit() throws {
        let (now, text) = try json([])
        let rule = now.rules[0]
        XCTAssertEqual([rule.findings, rule.files, rule.canonical, rule.touching, rule.allowance, rule.loose, rule.fixable],
                       [5, 5, 7, 11, 5, 0, 5])
        XCTAssertEqual(rule.compliance, 58.33)       // 7 / (7 + 5)
        XCTAssertEqual(rule.file_compliance, 54.55)  // 6 of 11 files
        XCTAssertEqual(rule.goal?.status, "open")
        XCTAssertEqual(now.version, 1)
        // Byte-identical on the same tree, and the same numbers read from git objects.
        XCTAssertEqual(try json([]).1, text)
        let (head, _) = try json(["--rev", "HEAD"])
        XCTAssertEqual(head.rules[0].findings, 5)
        XCTAssertEqual(head.revision, repo.head())
        let table = ssot(["report"], in: repo.path)
        XCTAssertTrue(table.stdout.contains("core       5      5          7       58.3%        54.5%        5      0        5  ≤ 1 files by 2999-12-31: open"),
                      table.stdout)
        let md = ssot(["report", "--format", "markdown"], in: repo.path)
        XCTAssertTrue(md.stdout.contains("| core | 5 | 5 | 7 | 58.3% | 54.5% | 5 | 0 | 5 |"), md.stdout)
    }

    func testTheChangeSinceABaseAndTheComplianceOfNewCode() throws {
        // a1 and a2 move to the canonical module; a new file d1 adds one of each.
        repo.write("app/a1.py", "from app.canonical import M\n")
        repo.write("app/a2.py", "from app.canonical import M\n")
        repo.write("app/d1.py", "from app.canonical import M\nfrom app.legacy import M as L\n")
        repo.git(["add", "-A"])
        XCTAssertEqual(ssot(["baseline", "--allow-growth"], in: repo.path).status, 0)
        let base = repo.head()
        repo.commitAll("move two")
        let (r, _) = try json(["--rev", "HEAD", "--base", base])
        let rule = r.rules[0]
        XCTAssertEqual([rule.findings, rule.files, rule.canonical], [4, 4, 10])
        XCTAssertEqual(rule.change?.findings, -1)
        XCTAssertEqual(rule.change?.files, -1)
        XCTAssertEqual(rule.change?.compliance_points, 13.1)  // 10/14 = 71.43% against 7/12 = 58.33%
        XCTAssertEqual(rule.change?.new_code_compliance, 75)   // a1, a2, d1: 3 canonical, 1 legacy
        XCTAssertEqual(rule.change?.new_code_files, 3)
        XCTAssertEqual(r.base, base)
        // The working tree against the same base reads the same.
        let (w, _) = try json(["--base", base])
        XCTAssertEqual(w.rules[0].change?.new_code_files, 3)
        XCTAssertEqual(w.rules[0].change?.compliance_points, 13.1)
    }

    /// A hostile review's find: a file ssot cannot check dropped out of every
    /// count, said only on stderr. The report names it in each format.
    func testAFileThatCannotBeCheckedIsNamedNotLeftOut() throws {
        repo.write("ssot.toml", ReportCommandTests.config.replacingOccurrences(of: "[[rule]]", with: "max-file-size = 200\n\n[[rule]]"))
        repo.write("app/big.py", String(repeating: "from app.legacy import M\n", count: 20))
        repo.git(["add", "-A"])
        let json = ssot(["report", "--format", "json"], in: repo.path)
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertTrue(json.stdout.contains("\"unchecked\":[{\"path\":\"app/big.py\",\"reason\":\""), json.stdout)
        XCTAssertTrue(json.stdout.contains("max-file-size"), json.stdout)
        let md = ssot(["report", "--format", "markdown"], in: repo.path)
        XCTAssertTrue(md.stdout.contains("**1 file could not be checked:**"), md.stdout)
        XCTAssertTrue(md.stdout.contains("| `app/big.py` |"), md.stdout)
        let text = ssot(["report"], in: repo.path)
        XCTAssertTrue(text.stdout.contains("1 file could not be checked"), text.stdout)
        XCTAssertTrue(text.stdout.contains("  app/big.py: "), text.stdout)
    }

    func testABadRevisionIsAUsageError() {
        let r = ssot(["report", "--rev", "no-such-branch"], in: repo.path)
        XCTAssertEqual(r.status, 2, r.output)
        XCTAssertTrue(r.stderr.contains("no such commit"), r.stderr)
    }
}
