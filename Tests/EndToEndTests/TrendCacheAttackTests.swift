import Foundation
import GitStore
@testable import SSOTEngine
import TestSupport
import XCTest

/// Attacks on `ssot trend` (a hostile review's finds, each seen to get
/// through before it was closed): a point cache with a valid checksum that
/// names a history the repository does not have, a count no measuring can
/// give, a commit whose time overflows, a cache folder that is a link or a
/// file.
final class TrendCacheAttackTests: TrendCase {
    func line() -> [ObjectID] {
        runProcess(Tools.git, ["rev-list", "--first-parent", "--reverse", "HEAD"], in: repo).stdout
            .split(separator: "\n").compactMap { ObjectID(hex: String($0)) }
    }

    func tree(_ commit: ObjectID) -> ObjectID {
        ObjectID(hex: runProcess(Tools.git, ["rev-parse", "\(commit)^{tree}"], in: repo).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    /// The point cache rewritten with `edit` applied to the point of `commit`, its checksum made valid.
    func craft(_ commit: ObjectID, _ edit: (inout CachedPoint) -> Void) throws {
        var records = PointCache.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: points))))!
        for (k, v) in records where k.commit == commit {
            var p = v
            edit(&p)
            records[k] = p
        }
        try Data(PointCache.encode(records.map { ($0.key.context, $0.value) })).write(to: URL(fileURLWithPath: points))
        XCTAssertNotNil(PointCache.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: points)))))
    }

    /// The run says the cache was discarded, measures the history the
    /// repository has, and leaves a cache the next run can trust.
    func assertDistrusted(_ why: String, want: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws {
        let (got, note) = try trend([], trace: true)
        XCTAssertTrue(note.contains("does not agree with the repository (\(why))"), note, file: file, line: line)
        XCTAssertEqual(NSDictionary(dictionary: got), NSDictionary(dictionary: want), file: file, line: line)
        let (again, trace) = try trend([], trace: true)
        XCTAssertFalse(trace.contains("does not agree"), trace, file: file, line: line)
        XCTAssertFalse(trace.contains(" 0 points from the cache"), trace, file: file, line: line)
        XCTAssertEqual(NSDictionary(dictionary: again), NSDictionary(dictionary: want), file: file, line: line)
    }

    /// A loop cut the walk to one commit (the tip naming itself as its
    /// parent) or forty, silently, on every warm run.
    func testAPointCacheWhoseParentsDoNotMatchTheRepositoryIsDiscarded() throws {
        let (want, _) = try trend([])
        let ids = line()
        XCTAssertEqual(ids.count, 80)
        try craft(ids[79]) { $0.commit.parent = ids[79] }
        try assertDistrusted("commit \(ids[79]) is not the one it names", want: want)
        try craft(ids[20]) { $0.commit.parent = ids[60] }
        try assertDistrusted("its first parents loop", want: want)
    }

    /// Another commit's tree at the tip, or at the commit a walk resumes
    /// from after new commits: the diff from it would have counted wrongly.
    func testAPointCacheNamingAnotherTreeIsDiscarded() throws {
        let (want, _) = try trend([])
        let ids = line()
        try craft(ids[79]) { $0.commit.tree = self.tree(ids[10]) }
        try assertDistrusted("commit \(ids[79]) is not the one it names", want: want)
        commit("netra_backend/app/later.py", "from netra_backend.app.websocket_core.unified_manager import Z\n")
        let (after, _) = try trend(["--no-cache"])
        try craft(ids[79]) { $0.commit.tree = self.tree(ids[10]) }
        try assertDistrusted("commit \(ids[79]) is not the one it names", want: after)
    }

    /// Counts no measuring can give (more files with findings than files it
    /// touches) fail the file's check as a whole, as a flipped byte does.
    func testImpossibleCountsAreADamagedCache() throws {
        let (want, _) = try trend([])
        let ids = line()
        var records = PointCache.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: points))))!
        for (k, v) in records where k.commit == ids[40] {
            var p = v
            p.counts[0].files = p.counts[0].touching + 1
            records[k] = p
        }
        try Data(PointCache.encode(records.map { ($0.key.context, $0.value) })).write(to: URL(fileURLWithPath: points))
        let (got, note) = try trend([], trace: true)
        XCTAssertTrue(note.contains("trend point cache \(points) is damaged"), note)
        XCTAssertEqual(NSDictionary(dictionary: got), NSDictionary(dictionary: want))
    }

    /// A fsck-clean commit dated at Int64's end, in a +1400 zone: adding the
    /// zone to the time overflowed and the run died on SIGILL.
    func testACommitAtTheEndOfTimeIsMeasuredNotACrash() throws {
        let tipTree = tree(line()[79])
        let head = runProcess(Tools.git, ["rev-parse", "HEAD"], in: repo).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for stamp in ["9223372036854775807 +1400", "-9223372036854775808 -1400"] {
            let body = "tree \(tipTree)\nparent \(head)\nauthor a <a> \(stamp)\ncommitter a <a> \(stamp)\n\nfar\n"
            let made = runProcess(Tools.git, ["hash-object", "-t", "commit", "-w", "--literally", "--stdin"], in: repo, stdin: body)
            XCTAssertEqual(made.status, 0, made.stderr)
            let far = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            for args in [["trend", far, "--format", "json"], ["trend", far, "--format", "text"], ["trend", far, "--svg", tmp.path + "/far.svg"],
                         ["report", "--rev", far, "--format", "json"]] {
                let r = ssot(args, in: repo)
                XCTAssertEqual(r.status, 0, "\(stamp) \(args): \(r.stderr)")
            }
        }
    }

    /// A `.git/ssot` that is a link to another folder was read through, and
    /// its points trusted; one that is a file was called a link.
    func testACacheFolderThatIsALinkOrAFileIsNeitherReadNorWritten() throws {
        let (want, _) = try trend([])
        let elsewhere = tmp.path + "/elsewhere"
        try FileManager.default.moveItem(atPath: repo + "/.git/ssot", toPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: repo + "/.git/ssot", withDestinationPath: elsewhere)
        let before = try Data(contentsOf: URL(fileURLWithPath: elsewhere + "/trend-points-v1.cache"))
        let (linked, note) = try trend([], trace: true)
        XCTAssertTrue(note.contains("is a symbolic link; ssot reads no cache through one"), note)
        XCTAssertTrue(note.contains(" 0 points from the cache"), note)
        XCTAssertTrue(note.contains("is a symbolic link, and ssot never writes through one"), note)
        XCTAssertEqual(NSDictionary(dictionary: linked), NSDictionary(dictionary: want))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: elsewhere + "/trend-points-v1.cache")), before)
        try FileManager.default.removeItem(atPath: repo + "/.git/ssot")
        FileManager.default.createFile(atPath: repo + "/.git/ssot", contents: Data("not a folder\n".utf8))
        let (filed, fileNote) = try trend([], trace: true)
        XCTAssertTrue(fileNote.contains("ssot is not a folder; ssot does not replace it"), fileNote)
        XCTAssertFalse(fileNote.contains("symbolic link"), fileNote)
        XCTAssertEqual(NSDictionary(dictionary: filed), NSDictionary(dictionary: want))
        XCTAssertEqual(try String(contentsOfFile: repo + "/.git/ssot"), "not a folder\n")
    }
}
