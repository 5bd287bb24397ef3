import Foundation
import TestSupport
import XCTest

/// What the trend tests share: a history made by scripts/make_history.py,
/// whose counts per commit are known by construction, and the real binary.
class TrendCase: EndToEndCase {
    var tmp: TempDir!
    var repo: String { tmp.path + "/repo" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        tmp = TempDir("trend")
        let made = runProcess(Pythons.python3, [Paths.package.appendingPathComponent("scripts/make_history.py").path, repo,
                                                "--commits", "80", "--files", "400", "--seed", "3"])
        XCTAssertEqual(made.status, 0, made.stderr)
    }

    func expected() throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repo + ".expected.json"))) as! [[String: Any]]
    }

    func trend(_ args: [String], in dir: String? = nil, trace: Bool = false) throws -> (json: [String: Any], stderr: String) {
        let r = ssot(["trend", "--format", "json"] + args, in: dir ?? repo, environment: trace ? ["SSOT_TRACE": "1"] : [:])
        XCTAssertEqual(r.status, 0, r.stderr)
        return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any], r.stderr)
    }

    /// Every field of every commit against the generator's own count.
    func assertMatches(_ got: [String: Any], _ want: [[String: Any]], file: StaticString = #filePath, line: UInt = #line) {
        let commits = got["commits"] as! [[String: Any]]
        XCTAssertEqual(commits.count, want.count, file: file, line: line)
        for (g, e) in zip(commits, want) {
            XCTAssertEqual(g["commit"] as? String, e["commit"] as? String, file: file, line: line)
            XCTAssertEqual(g["unchecked"] as? Int, e["unchecked"] as? Int, "unchecked at \(g["commit"]!)", file: file, line: line)
            let rules = Dictionary(uniqueKeysWithValues: (g["rules"] as! [[String: Any]]).map { ($0["id"] as! String, $0) })
            for (id, counts) in e["rules"] as! [String: [String: Any]] {
                for (key, value) in counts {
                    XCTAssertEqual("\(rules[id]?[key] ?? "missing")", "\(value is NSNull ? "<null>" : value)",
                                   "\(id).\(key) at \(g["commit"]!)", file: file, line: line)
                }
            }
        }
    }

    var yields: String { repo + "/.git/ssot/trend-v1.cache" }
    var points: String { repo + "/.git/ssot/trend-points-v1.cache" }

    func commit(_ path: String, _ text: String) {
        FileManager.default.createFile(atPath: repo + "/" + path, contents: Data(text.utf8))
        XCTAssertEqual(runProcess(Tools.git, ["add", "-A"], in: repo).status, 0)
        XCTAssertEqual(runProcess(Tools.git, ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", path], in: repo).status, 0)
    }
}

/// `ssot trend` (SPEC 10) with the real binary.
final class TrendCommandTests: TrendCase {
    func testEveryCommitsCountsAreTheConstructedOnes() throws {
        let (got, _) = try trend([])
        assertMatches(got, try expected())
        XCTAssertEqual(got["version"] as? Int, 1)
        XCTAssertEqual(got["rules_at"] as? String, "HEAD")
        // The debt rose and fell, and the baseline was tightened: the history has something to show.
        let files = (got["commits"] as! [[String: Any]]).map { (($0["rules"] as! [[String: Any]])[0]["files"] as! Int) }
        XCTAssertGreaterThan(files.max()!, files.last!)
    }

    func testTheCacheScansNothingTheSecondTimeAndOnlyNewBlobsAfterNewCommits() throws {
        let (cold, coldTrace) = try trend([], trace: true)
        XCTAssertTrue(FileManager.default.fileExists(atPath: yields))
        XCTAssertTrue(FileManager.default.fileExists(atPath: points))
        XCTAssertFalse(coldTrace.contains(" 0 blobs scanned"), coldTrace)
        XCTAssertTrue(coldTrace.contains(" 0 points from the cache"), coldTrace)
        // The second run reads every commit's point from the cache: no blob, no tree.
        let (warm, warmTrace) = try trend([], trace: true)
        XCTAssertTrue(warmTrace.contains(" 0 blobs scanned"), warmTrace)
        XCTAssertTrue(warmTrace.contains(" 80 points from the cache"), warmTrace)
        XCTAssertEqual(NSDictionary(dictionary: cold), NSDictionary(dictionary: warm))
        // Two new commits: one new file and one edit, so exactly two new blobs, and the 80 old points.
        commit("netra_backend/app/new_one.py", "from netra_backend.app.websocket_core.unified_manager import X\n")
        commit("netra_backend/app/new_one.py", "from netra_backend.app.websocket_core.canonical_imports import X\n")
        let (after, afterTrace) = try trend([], trace: true)
        XCTAssertTrue(afterTrace.contains(" 2 blobs scanned"), afterTrace)
        XCTAssertTrue(afterTrace.contains(" 80 points from the cache"), afterTrace)
        let commits = after["commits"] as! [[String: Any]]
        XCTAssertEqual(commits.count, 82)
        let rule = { (c: [String: Any]) in (c["rules"] as! [[String: Any]])[0] }
        XCTAssertEqual(rule(commits[80])["findings"] as! Int, rule(commits[79])["findings"] as! Int + 1)
        XCTAssertEqual(rule(commits[81])["canonical"] as! Int, rule(commits[79])["canonical"] as! Int + 1)
        assertMatches(["commits": Array(commits.prefix(80))], try expected())
        // --no-cache gives the same numbers and touches no cache.
        let (nocache, nocacheTrace) = try trend(["--no-cache"], trace: true)
        XCTAssertFalse(nocacheTrace.contains(" 0 blobs scanned"))
        XCTAssertTrue(nocacheTrace.contains(" 0 points from the cache"), nocacheTrace)
        XCTAssertEqual(NSDictionary(dictionary: nocache), NSDictionary(dictionary: after))
    }

    /// A walk resumed from a cached commit counts what a change replaced by
    /// its blob: with the yields gone, those blobs are scanned again, and
    /// every selection of commits agrees with a run without any cache.
    func testAWalkResumedFromCachedPointsAgreesWithAColdOne() throws {
        // The cached tip has a file that does not parse and a tightened baseline: both carry over.
        commit("netra_backend/app/broken_now.py", "from netra_backend.app.websocket_core.unified_manager import (X,\n")
        let (before, _) = try trend([])
        let tip = (before["commits"] as! [[String: Any]]).last!
        XCTAssertGreaterThan(tip["unchecked"] as! Int, 0)
        XCTAssertNotNil(((tip["rules"] as! [[String: Any]])[0]["allowance"] as? Int))
        try FileManager.default.removeItem(atPath: yields)
        commit("netra_backend/app/new_two.py", "from netra_backend.app.websocket_core.unified_manager import Y\n")
        let changed = runProcess(Tools.git, ["ls-files", "netra_backend/app/*.py"], in: repo).stdout.split(separator: "\n").first.map(String.init)!
        commit(changed, "import os\n")
        let (resumed, trace) = try trend([], trace: true)
        XCTAssertTrue(trace.contains(" 81 points from the cache"), trace)
        XCTAssertEqual(NSDictionary(dictionary: resumed), NSDictionary(dictionary: try trend(["--no-cache"]).json))
        for args in [["--every", "3"], ["--every", "day"], ["--since", "HEAD~7"], ["--rules-at", "each"], ["--every", "5", "--rules-at", "each"]] {
            let first = try trend(args).json, second = try trend(args).json
            XCTAssertEqual(NSDictionary(dictionary: first), NSDictionary(dictionary: try trend(args + ["--no-cache"]).json), "\(args)")
            XCTAssertEqual(NSDictionary(dictionary: second), NSDictionary(dictionary: first), "\(args)")
        }
    }

    func testADamagedCacheIsDiscardedWithANoteNeverTrusted() throws {
        let (good, _) = try trend([])
        let saved = try Data(contentsOf: URL(fileURLWithPath: points))
        // The yields: read when a commit's point is not cached.
        for damage in [{ (b: inout [UInt8]) in b[b.count / 2] ^= 0x5A }, { $0 = [] }, { $0 = [UInt8](repeating: 0x41, count: 4096) }] {
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: yields)))
            damage(&bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: yields))
            try FileManager.default.removeItem(atPath: points)
            let (again, note) = try trend([], trace: true)
            XCTAssertTrue(note.contains("the trend cache \(yields) is damaged; it was discarded"), note)
            XCTAssertFalse(note.contains(" 0 blobs scanned"), note)
            XCTAssertEqual(NSDictionary(dictionary: good), NSDictionary(dictionary: again))
        }
        // The points: a flipped count, nothing, garbage; the yields are still good, so nothing is scanned.
        for damage in [{ (b: inout [UInt8]) in b[b.count / 2] ^= 0x01 }, { $0 = [] }, { $0 = [UInt8](repeating: 0x41, count: 4096) }] {
            var bytes = [UInt8](saved)
            damage(&bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: points))
            let (again, note) = try trend([], trace: true)
            XCTAssertTrue(note.contains("the trend point cache \(points) is damaged; it was discarded"), note)
            XCTAssertTrue(note.contains(" 0 points from the cache"), note)
            XCTAssertTrue(note.contains(" 0 blobs scanned"), note)
            XCTAssertEqual(NSDictionary(dictionary: good), NSDictionary(dictionary: again))
        }
    }

    /// Attack: a FIFO planted at the cache's path stalled the run in open(2) (a hostile review's find).
    func testAFIFOAtTheCachePathIsNotWaitedOn() throws {
        let (good, _) = try trend([])
        for path in [points, yields] {
            try FileManager.default.removeItem(atPath: path)
            XCTAssertEqual(mkfifo(path, 0o644), 0)
            let r = runProcess(Tools.timeout, ["20", Paths.ssot.path, "trend", "--format", "json"], in: repo)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("\(path) is not a regular file"), r.stderr)
            XCTAssertEqual(NSDictionary(dictionary: good),
                           NSDictionary(dictionary: try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]))
        }
    }

    func testTwoRunsAtOnceLeaveAUsableCache() throws {
        let group = DispatchGroup()
        var results: [RunResult] = []
        let lock = NSLock()
        for _ in 0..<3 {
            group.enter()
            DispatchQueue.global().async {
                let r = ssot(["trend", "--format", "csv"], in: self.repo)
                lock.lock(); results.append(r); lock.unlock()
                group.leave()
            }
        }
        group.wait()
        for r in results { XCTAssertEqual(r.status, 0, r.stderr) }
        XCTAssertEqual(Set(results.map(\.stdout)).count, 1)
        let (_, trace) = try trend([], trace: true)
        XCTAssertFalse(trace.contains("damaged"), trace)
        XCTAssertTrue(trace.contains(" 0 blobs scanned"), trace)
        XCTAssertTrue(trace.contains(" 80 points from the cache"), trace)
        try FileManager.default.removeItem(atPath: points)
        let (_, yieldsTrace) = try trend([], trace: true)
        XCTAssertFalse(yieldsTrace.contains("damaged"), yieldsTrace)
        XCTAssertTrue(yieldsTrace.contains(" 0 blobs scanned"), yieldsTrace)
    }

    func testEverySinceAndCSV() throws {
        let want = try expected()
        let (every, _) = try trend(["--every", "10"])
        // Every tenth counted back from the newest: the newest is always there.
        let picked = stride(from: want.count - 1, through: 0, by: -10).reversed().map { want[$0] }
        assertMatches(every, picked)
        let since = want[50]["commit"] as! String
        let (fromRev, _) = try trend(["--since", since])
        assertMatches(fromRev, Array(want[50...]))
        // Commits are four hours apart from 2025-01-01 12:00 UTC: the 13th on is 2025-01-03.
        let (fromDate, _) = try trend(["--since", "2025-01-03"])
        assertMatches(fromDate, Array(want[9...]))
        let (days, _) = try trend(["--every", "day"])
        XCTAssertEqual((days["commits"] as! [[String: Any]]).count, Set((0..<80).map { (12 + 4 * $0) / 24 }).count)
        let csv = ssot(["trend", "--format", "csv"], in: repo)
        XCTAssertEqual(csv.status, 0)
        let lines = csv.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "commit,date,rule,findings,files,canonical,compliance,file_compliance,allowance,unchecked")
        XCTAssertEqual(lines.count, 1 + 2 * 80)
        XCTAssertTrue(lines[1].hasPrefix("\(want[0]["commit"]!),2025-01-01,websocket-canonical-import,"), String(lines[1]))
        let text = ssot(["trend"], in: repo)
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.stdout.contains("80 commits measured, 2025-01-01 to 2025-01-14"), text.stdout)
        XCTAssertTrue(text.stdout.contains("\nwebsocket-canonical-import: "), text.stdout)
        XCTAssertTrue(text.stdout.contains("goal 50 by 2026-03-31"), text.stdout)
        XCTAssertFalse(text.stdout.contains("\\x"), text.stdout)
        // A negative count is a bad value, not a missing one.
        XCTAssertTrue(ssot(["trend", "--every", "-3"], in: repo).stderr.contains("--every is a number of commits (1 or more)"))
        for bad in [["--every", "0"], ["--every", "month"], ["--rules-at", "tip"], ["--since", "not-a-thing"]] {
            let r = ssot(["trend"] + bad, in: repo)
            XCTAssertNotEqual(r.status, 0, "\(bad)")
            XCTAssertFalse(r.stderr.isEmpty, "\(bad)")
        }
    }

    /// The plain trend lines skip ArgumentParser (TrendArguments); with `-C`,
    /// which that reader leaves to ArgumentParser, each line must print the
    /// same, and every line it does not read gets ArgumentParser's message.
    func testTrendsCommandLinesMeanTheSameReadEitherWay() throws {
        let tip = runProcess(Tools.git, ["rev-parse", "HEAD~3"], in: repo).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let svg = tmp.path + "/t.svg"
        let lines: [[String]] = [
            ["trend"], ["trend", "--format", "csv"], ["trend", "--format=json", "--every", "7"],
            ["trend", tip, "--since", "2025-01-03", "--every=day"], ["trend", "--rules-at", "each", "--format", "csv"],
            ["trend", "--no-cache", "--every", "week", "HEAD~1"], ["trend", "--svg", svg, "--format", "csv"],
        ]
        for line in lines {
            let fast = ssot(line, in: repo, environment: ["SSOT_TRACE": "1"])
            let parsed = ssot(line + ["-C", repo], in: tmp.path, environment: ["SSOT_TRACE": "1"])
            XCTAssertEqual(fast.status, 0, "\(line): \(fast.stderr)")
            XCTAssertEqual(fast.stdout, parsed.stdout, "\(line)")
            XCTAssertTrue(fast.stderr.contains("arguments (a trend's)"), "\(line) was not read by TrendArguments")
            XCTAssertFalse(parsed.stderr.contains("arguments (a trend's)"), "\(line) with -C")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: svg))
        // Lines the reader leaves to ArgumentParser, each with its own message.
        let refused: [([String], String)] = [
            (["trend", "--every", "0"], "--every is a number of commits"),
            (["trend", "--every", "-3"], "--every is a number of commits"),
            (["trend", "--rules-at", "tip"], "--rules-at is HEAD or each"),
            (["trend", "--format", "xml"], "xml"),
            (["trend", "--since", "2025-01-03", "--since", "2025-01-04"], ""),
            (["trend", "HEAD", "HEAD~1"], "HEAD~1"),
            (["trend", "--bogus"], "--bogus"),
            (["trend", "--format"], "--format"),
            // A review's find: an empty attached value is a missing one, refused before any walk.
            (["trend", "--since="], "Missing value for '--since"),
            (["trend", "--svg="], "Missing value for '--svg"),
        ]
        for (line, message) in refused {
            let r = ssot(line, in: repo, environment: ["SSOT_TRACE": "1"])
            XCTAssertFalse(r.stderr.contains("arguments (a trend's)"), "\(line)")
            if message.isEmpty {
                // ArgumentParser takes the last of a repeated option.
                XCTAssertEqual(r.status, 0, "\(line): \(r.stderr)")
            } else {
                XCTAssertEqual(r.status, 2, "\(line): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains(message), "\(line): \(r.stderr)")
            }
        }
        let help = ssot(["trend", "--help"], in: repo)
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: ssot trend"), help.stdout)
    }

    /// On a terminal, commits done of how many and the time left, redrawn
    /// in place and erased at the end; on a pipe, nothing at all.
    func testProgressGoesToATerminalOnly() throws {
        let script = """
        import os, pty, subprocess, sys
        master, slave = pty.openpty()
        r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        out = b""
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            out += data
        sys.stdout.write(repr(out.decode()))
        sys.exit(r.returncode)
        """
        let onTerminal = runProcess(Pythons.python3, ["-c", script, Paths.ssot.path, "trend", "--no-cache", "--format", "csv"], in: repo)
        XCTAssertEqual(onTerminal.status, 0, onTerminal.stderr)
        XCTAssertTrue(onTerminal.stdout.contains("ssot trend: 80 of 80 commits, about 0 s left"), onTerminal.stdout)
        XCTAssertTrue(onTerminal.stdout.hasSuffix("\\r\\x1b[K'"), onTerminal.stdout)
        let onPipe = ssot(["trend", "--no-cache", "--format", "csv"], in: repo)
        XCTAssertEqual(onPipe.status, 0)
        XCTAssertEqual(onPipe.stderr, "")
    }

    func testABareRepositoryAndAShallowClone() throws {
        let bare = tmp.path + "/bare.git"
        XCTAssertEqual(runProcess(Tools.git, ["clone", "-q", "--bare", repo, bare]).status, 0)
        let (fromBare, _) = try trend([], in: bare)
        assertMatches(fromBare, try expected())
        XCTAssertFalse(FileManager.default.fileExists(atPath: repo + "/.git/ssot") && false)
        let shallow = tmp.path + "/shallow"
        XCTAssertEqual(runProcess(Tools.git, ["clone", "-q", "--depth", "5", "file://" + repo, shallow]).status, 0)
        let (got, note) = try trend([], in: shallow)
        XCTAssertTrue(note.contains("shallow clone"), note)
        let commits = got["commits"] as! [[String: Any]]
        XCTAssertEqual(commits.count, 5)
        XCTAssertNotNil(got["shallow_at"] as? String)
        assertMatches(got, Array(try expected().suffix(5)))
    }

    func testRulesAtEachFollowsTheCommitsOwnConfig() throws {
        // A new rule added at the tip: measured only there with --rules-at each, throughout by default.
        let git = { (a: [String]) in runProcess(Tools.git, a, in: self.repo) }
        var config = try String(contentsOfFile: repo + "/pyproject.toml")
        config += "\n[[tool.ssot.rule]]\nid = \"plain-modules\"\nkind = \"import\"\nbanned = [\"netra_backend.app.websocket_core.canonical_imports\"]\n"
        try config.write(toFile: repo + "/pyproject.toml", atomically: true, encoding: .utf8)
        git(["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-am", "a rule"])
        let (each, _) = try trend(["--rules-at", "each"])
        let commits = each["commits"] as! [[String: Any]]
        XCTAssertEqual((commits[79]["rules"] as! [[String: Any]]).count, 2)
        XCTAssertEqual((commits[80]["rules"] as! [[String: Any]]).count, 3)
        let (head, _) = try trend([])
        XCTAssertEqual(((head["commits"] as! [[String: Any]])[0]["rules"] as! [[String: Any]]).count, 3)
        XCTAssertNotEqual(ssot(["trend", "--rules-at", "each", "--config", repo + "/pyproject.toml"], in: repo).status, 0)
    }

    func testTheSVGIsSelfContainedSmallAndWellFormed() throws {
        let svg = tmp.path + "/trend.svg"
        XCTAssertEqual(ssot(["trend", "--svg", svg, "--format", "csv"], in: repo).status, 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: svg))
        XCTAssertLessThan(data.count, 100_000)
        let text = String(decoding: data, as: UTF8.self)
        for banned in ["<script", "href", "url(", "@import", "<foreignObject", "on" + "load="] {
            XCTAssertFalse(text.contains(banned), banned)
        }
        // Well-formed XML, by Python's own parser (an independent reader).
        let parsed = runProcess(Pythons.python3, ["-c", "import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); "
                                                  + "print(r.tag)", svg])
        XCTAssertEqual(parsed.status, 0, parsed.stderr)
        XCTAssertEqual(parsed.stdout, "{http://www.w3.org/2000/svg}svg\n")
        XCTAssertTrue(text.contains("goal: 50 files by 2026-03-31"))
        XCTAssertTrue(text.contains("baseline tightened"))
        // A longer history stays small: 1,500 commits.
        let big = tmp.path + "/big"
        XCTAssertEqual(runProcess(Pythons.python3, [Paths.package.appendingPathComponent("scripts/make_history.py").path, big,
                                                    "--commits", "1500", "--files", "300"]).status, 0)
        XCTAssertEqual(ssot(["trend", "--svg", tmp.path + "/big.svg", "--format", "csv"], in: big).status, 0)
        XCTAssertLessThan(try Data(contentsOf: URL(fileURLWithPath: tmp.path + "/big.svg")).count, 100_000)
    }
}
