import GitStore
import SSOTCore
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

    func testTheCacheFileRoundTripsAndRefusesEveryDamagedByte() {
        let a = YieldKey(blob: ObjectID(bytes: [UInt8](repeating: 7, count: 20))!, context: 0xDEAD_BEEF)
        let b = YieldKey(blob: ObjectID(bytes: [UInt8](repeating: 9, count: 20))!, context: 1)
        let bytes = YieldCache.encode([(a, FileYield(counts: [1, 2, 0, 3], unchecked: true)), (b, .nothing)])
        XCTAssertEqual(YieldCache.decode(bytes), [a: FileYield(counts: [1, 2, 0, 3], unchecked: true), b: .nothing])
        for i in bytes.indices {
            var bad = bytes
            bad[i] ^= 0x01
            XCTAssertNil(YieldCache.decode(bad), "byte \(i) flipped was trusted")
        }
        for cut in [0, 8, 23, 24, bytes.count - 1] { XCTAssertNil(YieldCache.decode(Array(bytes.prefix(cut))), "cut at \(cut)") }
        XCTAssertNil(YieldCache.decode(bytes + [0]))
    }

    func testTheFormatsEscapeWhatTheyCannotTrust() {
        XCTAssertEqual(TrendSVG.xml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;")
        XCTAssertFalse(TrendSVG.xml("x\u{202E}y\u{1B}[2J").unicodeScalars.contains { $0 == "\u{202E}" || $0 == "\u{1B}" })
        XCTAssertEqual(TrendFormat.csvCell("=cmd()"), "'=cmd()")
        XCTAssertEqual(TrendFormat.csvCell("a,\"b\""), "\"a,\"\"b\"\"\"")
    }
}
