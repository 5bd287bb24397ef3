import SSOTCore
import SSOTReport
import XCTest

/// `ssot report`'s arithmetic (SPEC 9) on findings whose counts are known by
/// construction, and its formats: byte-identical JSON, escaped markdown
/// under 1 MiB.
final class ReportTests: XCTestCase {
    let config = try! Config.parse("""
        [[rule]]
        id = "ws"
        kind = "import"
        canonical = "app.canonical"
        banned = ["app.legacy"]
        goal-files = 1
        goal-date = "2027-01-31"

        [[rule]]
        id = "single"
        kind = "singleton"
        banned = ["app.get"]
        replacement = "app.create(ctx)"
        """, file: "ssot.toml")!

    func finding(_ path: String, _ rule: String, _ n: Int = 1) -> [Finding] {
        (0..<n).map { i in
            Finding(path: path, line: i + 1, column: 1, rule: rule, fingerprint: "from app.legacy import X\(i)", message: "", replacement: nil)
        }
    }

    func testShadowsBanTheCanonicalModuleAndTheReplacementsCallable() {
        XCTAssertEqual(MigrationReport.shadow(of: config.rules[0])?.banned, ["app.canonical"])
        XCTAssertEqual(MigrationReport.shadow(of: config.rules[1])?.banned, ["app.create"])
        XCTAssertEqual(MigrationReport.shadow(of: config.rules[1])?.kind, .singleton)
    }

    func testComplianceFileComplianceAllowanceAndLooseness() {
        // a.py: 3 legacy; b.py: 1 legacy + 2 canonical; c.py, d.py: 2 canonical each. Compliance 6/(6+4) = 60%;
        // files touching the rule: 4, of which 2 have no legacy finding: 50%.
        let shadow = MigrationReport.shadowID("ws")
        let findings = finding("a.py", "ws", 3) + finding("b.py", "ws") + finding("b.py", shadow, 2)
            + finding("c.py", shadow, 2) + finding("d.py", shadow, 2)
        var counts: [BaselineKey: Int] = [:]
        for f in finding("a.py", "ws", 3) { counts[f.key] = 1 }
        counts[BaselineKey(path: "gone.py", rule: "ws", fingerprint: "from app.legacy import Y")] = 2
        let s = MigrationReport.standings(config, findings: findings, baseline: Baseline(counts: counts), fixable: ["ws": 2],
                                          today: CalendarDay("2026-12-02"))[0]
        XCTAssertEqual([s.legacy, s.legacyFiles, s.canonical, s.touching, s.allowance, s.loose, s.fixable], [4, 2, 6, 4, 5, 2, 2])
        XCTAssertEqual(s.compliance, 60)
        XCTAssertEqual(s.fileCompliance, 50)
        XCTAssertEqual(s.goal, .open, "2 files against a goal of 1, and no rate without --base")
    }

    func testTouchingFilesAreTheUnionOfLegacyShadowAndCountedFiles() {
        // Legacy in a.py and b.py, shadow findings in b.py and c.py, counted canonical imports in c.py and e.py:
        // five files touch the rule, a.py, b.py, c.py, e.py and nothing twice.
        let shadow = MigrationReport.shadowID("ws")
        let findings = finding("a.py", "ws", 2) + finding("b.py", "ws") + finding("b.py", shadow) + finding("c.py", shadow, 3)
        let s = MigrationReport.standings(config, findings: findings, canonical: ["ws": ["c.py": 2, "e.py": 5]],
                                          baseline: Baseline(), fixable: [:], today: nil)[0]
        XCTAssertEqual([s.legacy, s.legacyFiles, s.canonical, s.touching], [3, 2, 11, 4])
        XCTAssertEqual(s.fileCompliance, 50)
    }

    func testPlacesCountFindingsAndFilesByFolderToTheDepth() {
        let findings = finding("a/b/c/x.py", "ws", 2) + finding("a/b/d/y.py", "single") + finding("a/b/z.py", "ws", 3)
            + finding("top.py", "ws") + finding("q/r.py", MigrationReport.shadowID("ws"), 9)
        let places = MigrationReport.places(findings, legacyRules: ["ws", "single"], depth: 2, top: 10)
        XCTAssertEqual(places.folders, [.init(path: "a/b", findings: 6, files: 3), .init(path: ".", findings: 1, files: 1)],
                       "shadow findings are not legacy ones")
        XCTAssertEqual(places.files.map(\.path), ["a/b/z.py", "a/b/c/x.py", "a/b/d/y.py", "top.py"])
        XCTAssertEqual(MigrationReport.places(findings, legacyRules: ["ws"], depth: 1, top: 1).folders,
                       [.init(path: "a", findings: 5, files: 2)])
    }

    /// Folders are git's: split at each `/` byte, even where a combining
    /// mark after it would make `/` part of one Character.
    func testAFolderIsSplitAtTheSlashByteAsGitSplitsIt() {
        XCTAssertEqual(MigrationReport.folder(of: "a/\u{301}b/c.py", depth: 1), "a")
        XCTAssertEqual(MigrationReport.folder(of: "a/\u{301}b/c.py", depth: 2), "a/\u{301}b")
        XCTAssertEqual(MigrationReport.folder(of: "x.py", depth: 3), ".")
        XCTAssertEqual(MigrationReport.folder(of: "a/b/c/d/e.py", depth: 3), "a/b/c")
    }

    func testGoalStatusFromTheRateSinceTheBase() {
        var s = MigrationReport.Standing(rule: "ws", kind: .import)
        s.legacyFiles = 31
        s.goalFiles = 1
        s.goalDate = CalendarDay("2027-01-31")
        let today = CalendarDay("2026-12-02")!   // 60 days before the goal: 30 files to go
        XCTAssertEqual(MigrationReport.goalStatus(s, today: today, rate: 0.5), .onTrack)
        XCTAssertEqual(MigrationReport.goalStatus(s, today: today, rate: 0.4), .behind)
        XCTAssertEqual(MigrationReport.goalStatus(s, today: CalendarDay("2027-02-01"), rate: 9), .behind, "the date has passed")
        s.legacyFiles = 1
        XCTAssertEqual(MigrationReport.goalStatus(s, today: today, rate: nil), .reached)
    }

    func testCalendarDays() {
        XCTAssertEqual(CalendarDay("1970-01-01")?.days, 0)
        XCTAssertEqual(CalendarDay("2024-03-01")!.days - CalendarDay("2024-02-28")!.days, 2, "a leap year")
        XCTAssertNil(CalendarDay("2023-02-29"))
        XCTAssertNil(CalendarDay("2027-1-31"))
        XCTAssertEqual(CalendarDay(unixTime: 1_764_633_600).description, "2025-12-02")
        XCTAssertEqual(CalendarDay(unixTime: -1).description, "1969-12-31")
        XCTAssertThrowsError(try Config.parse("[[rule]]\nid = \"x\"\nkind = \"import\"\nbanned = [\"a\"]\ngoal-date = 2027-01-31\n", file: "ssot.toml")) {
            XCTAssertTrue("\($0)".contains("write the date as a string"), "\($0)")
        }
    }

    func report() -> MigrationReport {
        var r = MigrationReport(revision: "working tree", depth: 2)
        r.standings = MigrationReport.standings(config, findings: finding("app/x.py", "ws", 2), baseline: Baseline(), fixable: [:],
                                                today: CalendarDay("2026-12-02"))
        r.folders = [MigrationReport.Place(path: "app|<b>`x`</b>", findings: 2, files: 1)]
        r.files = [MigrationReport.Place(path: "app/x.py", findings: 2, files: 1)]
        return r
    }

    func testJSONIsSortedVersionedAndTheSameEveryTime() {
        let a = MigrationFormat.json.render(report()), b = MigrationFormat.json.render(report())
        XCTAssertEqual(a, b)
        XCTAssertTrue(a.hasPrefix("{\"base\":null,\"depth\":2,\"files\":[{\"findings\":2,\"path\":\"app/x.py\"}]"), a)
        XCTAssertTrue(a.hasSuffix("\"scanned\":0,\"unchecked\":[],\"version\":1}\n"), a)
        XCTAssertTrue(a.contains("{\"allowance\":0,\"canonical\":0,\"compliance\":0.00,\"file_compliance\":0.00,\"files\":1,\"findings\":2,"
            + "\"fixable\":0,\"goal\":{\"date\":\"2027-01-31\",\"files\":1,\"status\":\"reached\"},\"id\":\"ws\""), a)
    }

    func testMarkdownEscapesRepositoryTextAndStaysUnderOneMebibyte() {
        let md = MigrationFormat.markdown.render(report())
        // A path is a code span: a `|` escaped for the table, the fence longer than its backticks.
        XCTAssertTrue(md.contains("| ``app\\|<b>`x`</b>`` | 2 | 1 |"), md)
        var huge = report()
        huge.files = (0..<60_000).map { MigrationReport.Place(path: "pkg/folder_\($0)/module_\($0).py", findings: 1, files: 1) }
        let big = MigrationFormat.markdown.render(huge)
        XCTAssertLessThanOrEqual(big.utf8.count, 1 << 20)
        XCTAssertTrue(big.contains("ssot cut this summary at GitHub's 1 MiB limit: "), String(big.suffix(300)))
        XCTAssertTrue(big.contains(" of 60000 files left out"), String(big.suffix(300)))
        XCTAssertEqual(big.components("<details>"), big.components("</details>"))
    }

    /// Attack (a hostile review's find): thousands of rules with long ids and
    /// a base went past 1 MiB in the rule tables, which were never cut, and
    /// the cut closed a `<details>` it had not opened: a breakout of the
    /// summary it is pasted into.
    func testEveryPartIsCutToTheCapAndNoDetailsIsLeftUnbalanced() {
        var r = report()
        let ids = (0..<4_000).map { "r\($0)-" + String(repeating: "a", count: 150) }
        r.standings = ids.map { id in
            var s = r.standings[0]
            s.rule = id
            return s
        }
        r.base = "0123456789abcdef"
        for id in ids { r.changes[id] = MigrationReport.Change(legacy: 0, legacyFiles: 0, compliance: nil, newCode: nil, newCodeFiles: 0) }
        r.files = (0..<5_000).map { MigrationReport.Place(path: "pkg/f\($0).py", findings: 1, files: 1) }
        let md = MigrationFormat.markdown.render(r)
        XCTAssertLessThanOrEqual(md.utf8.count, 1 << 20)
        XCTAssertEqual(md.components("<details>"), md.components("</details>"))
        let note = String(md.suffix(400))
        XCTAssertTrue(note.contains("of 4000 rules since the base") || note.contains("the rules since the base (4000)"), note)
        XCTAssertTrue(note.contains("the folders (1)") && note.contains("the files (5000)"), note)
    }

    /// Attack: file names that GitHub turns into mentions and links (`@octocat`, `www.…`, `a@b.com`) stay text.
    func testPathsCannotMentionOrLink() {
        var r = report()
        r.files = ["@octocat.py", "@@team/y.py", "www.evil.com/track.py", "a@b.com.py", "` `x.py"].map {
            MigrationReport.Place(path: $0, findings: 1, files: 1)
        }
        let md = MigrationFormat.markdown.render(r)
        for (path, span) in [("@octocat.py", "`@octocat.py`"), ("www.evil.com/track.py", "`www.evil.com/track.py`"),
                             ("a@b.com.py", "`a@b.com.py`"), ("` `x.py", "`` ` `x.py ``")] {
            XCTAssertTrue(md.contains("| \(span) | 1 |"), "\(path): \(md)")
        }
    }
}

extension String {
    /// How many times `s` occurs.
    func components(_ s: String) -> Int {
        var n = 0, rest = Substring(self)
        while let r = rest.firstRange(of: s) {
            n += 1
            rest = rest[r.upperBound...]
        }
        return n
    }
}
