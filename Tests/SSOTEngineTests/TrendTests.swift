import GitStore
import SSOTCore
import TestSupport
@testable import SSOTEngine
@testable import SSOTReport
import XCTest

/// `ssot trend`'s parts in process, without git (SPEC 10): the commits
/// `--every` keeps, the goal's straight-line estimate, the cache file's
/// round trip and its refusal of damaged bytes, and the formats' escaping.
final class TrendTests: XCTestCase {
    func commit(_ n: Int, hours: Int) -> HistoryCommit {
        let id = ObjectID(bytes: [UInt8](repeating: UInt8(n), count: 20))!
        return HistoryCommit(id: id, tree: id, time: 1_735_732_800 + Int64(hours) * 3600, offsetMinutes: 0)
    }

    func testEveryKeepsTheNewestAndTheLastOfEachDayOrWeek() {
        // Every 8 hours from Wednesday 2025-01-01 12:00 UTC, for 30 commits (ten days).
        let commits = (0..<30).map { commit($0, hours: 8 * $0) }
        XCTAssertEqual(TrendRun.select(commits, .commits(1)).count, 30)
        XCTAssertEqual(TrendRun.select(commits, .commits(10)).map(\.time), [9, 19, 29].map { commits[$0].time })
        let days = TrendRun.select(commits, .day)
        XCTAssertEqual(days.count, Set(commits.map { CalendarDay(unixTime: $0.time).days }).count)
        XCTAssertEqual(days.last, commits.last)
        // Weeks start on Monday: Wed 1st–Sun 5th, Mon 6th–Sun 12th (the rest).
        let weeks = TrendRun.select(commits, .week)
        XCTAssertEqual(weeks.count, 2)
        XCTAssertEqual(CalendarDay(unixTime: weeks[0].time).description, "2025-01-05")
    }

    func point(_ day: Int, files: Int) -> Trend.Point {
        var c = Trend.Count()
        c.files = files
        return Trend.Point(commit: "c\(day)", time: Int64(day) * 86_400, day: CalendarDay(days: day), rules: ["r": c], unchecked: 0)
    }

    func testTheEstimateFollowsTheRecentSlopeFromTheLastPoint() {
        var rule = Rule(id: "r", kind: .import, banned: ["a"])
        rule.goalFiles = 50
        var t = Trend(revision: "x", rulesAt: "HEAD")
        t.rules = [Trend.RuleInfo(rule)]
        // 10 files fewer a day for the last 60 days, after a rise long before: 150 left, 10 days to go.
        t.points = [point(0, files: 0), point(100, files: 900)] + (0...60).map { point(200 + $0, files: 750 - 10 * $0) }
        XCTAssertEqual(t.estimate(t.rules[0]), CalendarDay(days: 270))
        // Rising: no estimate; reached: none either.
        t.points = (0...10).map { point($0, files: 100 + $0) }
        XCTAssertNil(t.estimate(t.rules[0]))
        t.points = [point(0, files: 80), point(1, files: 40)]
        XCTAssertNil(t.estimate(t.rules[0]))
    }

    /// Every single flipped bit, every cut and one byte too many: refused.
    func assertRefusesDamage<T>(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line, _ decode: ([UInt8]) -> T?) {
        for i in bytes.indices {
            var bad = bytes
            bad[i] ^= 0x01
            XCTAssertNil(decode(bad), "byte \(i) flipped was trusted", file: file, line: line)
        }
        for cut in [0, 8, 23, 24, bytes.count - 1] { XCTAssertNil(decode(Array(bytes.prefix(cut))), "cut at \(cut)", file: file, line: line) }
        XCTAssertNil(decode(bytes + [0]), file: file, line: line)
    }

    func testTheCacheFileRoundTripsAndRefusesEveryDamagedByte() {
        let a = YieldKey(blob: ObjectID(bytes: [UInt8](repeating: 7, count: 20))!, context: 0xDEAD_BEEF)
        let b = YieldKey(blob: ObjectID(bytes: [UInt8](repeating: 9, count: 20))!, context: 1)
        let bytes = YieldCache.encode([(a, FileYield(counts: [1, 2, 0, 3], unchecked: true)), (b, .nothing)])
        XCTAssertEqual(YieldCache.decode(bytes), [a: FileYield(counts: [1, 2, 0, 3], unchecked: true), b: .nothing])
        assertRefusesDamage(bytes) { YieldCache.decode($0) }
    }

    func testThePointCacheRoundTripsAndRefusesEveryDamagedByte() {
        var rule = Rule(id: "r-one", kind: .import, banned: ["a"])
        rule.goalFiles = 3
        rule.goalDate = CalendarDay(days: 20_000)
        let rules = [Trend.RuleInfo(rule), Trend.RuleInfo(Rule(id: "r-two", kind: .singleton, banned: ["b.c"]))]
        var c = Trend.Count()
        c.findings = 4
        c.files = 2
        c.canonical = 9
        c.touching = 5
        c.allowance = 7
        let parent = commit(1, hours: 0)
        var child = commit(2, hours: 5)
        child.parent = parent.id
        let a = CachedPoint(commit: parent, rules: rules, counts: [c, Trend.Count()], unchecked: 1, notes: ["a note"])
        let b = CachedPoint(commit: child, rules: rules, counts: [Trend.Count(), c], unchecked: 0, notes: [])
        let bytes = PointCache.encode([(11, a), (11, b), (12, a)])
        let decoded = PointCache.decode(bytes)
        XCTAssertEqual(decoded, [PointCache.Key(context: 11, commit: parent.id): a, PointCache.Key(context: 11, commit: child.id): b,
                                 PointCache.Key(context: 12, commit: parent.id): a])
        XCTAssertEqual(decoded?[PointCache.Key(context: 11, commit: child.id)]?.point.rules["r-two"], c)
        assertRefusesDamage(bytes) { PointCache.decode($0) }
        // The key's context tells one config from another, and from --rules-at each.
        var config = Config()
        config.rules = [rule]
        var other = config
        other.exclude = [try! Glob("tests/**")]
        XCTAssertNotEqual(PointCache.context(fixed: config), PointCache.context(fixed: other))
        XCTAssertNotEqual(PointCache.context(fixed: config), PointCache.eachContext)
    }

    func testTheFormatsEscapeWhatTheyCannotTrust() {
        XCTAssertEqual(TrendSVG.xml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;")
        XCTAssertFalse(TrendSVG.xml("x\u{202E}y\u{1B}[2J").unicodeScalars.contains { $0 == "\u{202E}" || $0 == "\u{1B}" })
        XCTAssertEqual(TrendFormat.csvCell("=cmd()"), "'=cmd()")
        XCTAssertEqual(TrendFormat.csvCell("a,\"b\""), "\"a,\"\"b\"\"\"")
    }

    /// The CSV writes its numbers itself: as `String` and `Figures.fixed` would.
    func testTheCSVNumbersAreTheOnesTheFormattersWrite() {
        func digits(_ n: Int) -> String {
            var b = ByteBuffer(capacity: 32)
            b.digits(n)
            return b.finish()
        }
        func hundredths(_ x: Double) -> String {
            var b = ByteBuffer(capacity: 32)
            b.hundredths(x)
            return b.finish()
        }
        for n in [0, 7, 9, 10, 99, 100, 12_345, 1_000_000, Int.max, Int.min, -5, -10] {
            XCTAssertEqual(digits(n), String(n))
        }
        for x in [0, 0.004, 0.005, 1, 33.333, 66.666_666, 99.995, 99.994, 100, 12.5, -1, 1e16] {
            XCTAssertEqual(hundredths(x), Figures.fixed(x, 2), "\(x)")
        }
        // A buffer that starts too small grows and keeps what it held.
        var b = ByteBuffer(capacity: 1)
        var expected = ""
        for n in 0..<5_000 {
            b.digits(n * 7919)
            b.byte(0x2C)
            b.text("é")
            expected += "\(n * 7919),é"
        }
        let written = b.finish()
        XCTAssertEqual(written, expected)
    }
}

/// The walk and the scan beside it, in process on a real repository: a
/// history of many windows gives what one window gives, and a blob the
/// window before is still scanning is not scheduled again.
final class TrendWindowTests: XCTestCase {
    func testManyWindowsMeasureWhatOneDoesAndScanEachBlobOnce() throws {
        let repo = GitRepo()
        repo.write("pyproject.toml", """
        [tool.ssot]
        [[tool.ssot.rule]]
        id = "legacy-manager"
        kind = "import"
        banned = ["app.legacy.Manager"]
        canonical = "app.core.Manager"
        message = "use app.core.Manager"
        """)
        let bad = "from app.legacy import Manager\n", good = "from app.core import Manager\n"
        repo.write("app/a.py", bad)
        repo.write("app/b.py", good)
        repo.commitAll("base")
        // The two files swap their texts back and forth: every commit's old and new blobs
        // are ones an earlier commit had, two distinct blobs a path, four in all.
        for k in 1...12 {
            repo.write("app/a.py", k % 2 == 1 ? good : bad)
            repo.write("app/b.py", k % 2 == 1 ? bad : good)
            repo.commitAll("swap \(k)")
        }
        func measured(window: Int) throws -> (Trend, TrendRun.Stats) {
            var run = TrendRun()
            run.cache = false
            run.window = window
            let (trend, stats, _) = try run.run(CheckContext(directory: repo.path, environment: [:]))
            return (trend, stats)
        }
        let (one, oneStats) = try measured(window: 256)
        XCTAssertEqual(one.points.count, 13)
        XCTAssertEqual(one.points.map { $0.rules["legacy-manager"]?.findings }, Array(repeating: 1, count: 13))
        XCTAssertEqual(oneStats.scanned, 4)
        for window in [1, 2, 3] {
            let (many, stats) = try measured(window: window)
            XCTAssertEqual(many.points, one.points, "window \(window)")
            XCTAssertEqual(stats.scanned, 4, "window \(window): each blob at its path scanned once")
        }
    }
}
