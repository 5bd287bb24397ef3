import Foundation
import GitStore
import SSOTCore
import SSOTEngine
import SSOTReport
import XCTest

/// Every format renders a verdict and a push as asked, from the one
/// `ReportFormat.reporter` switch.
final class ReporterTests: XCTestCase {
    typealias R = MemoryRepo

    func rejected(_ mode: CheckMode = .staged) throws -> Verdict {
        let parent = try R.side(["app/a.py": R.clean])
        var proposed = parent
        proposed["app/a.py"] = MemorySides.File(R.clean + R.legacy)
        return try XCTUnwrap(R.judge(parent, proposed, mode: mode)).verdict
    }

    func testEveryFormatRendersTheNewFinding() throws {
        let verdict = try rejected()
        for format in ReportFormat.allCases {
            let out = format.reporter.render(verdict, .of(verdict, colour: Colour(on: false)))
            switch format {
            case .text:
                XCTAssertTrue(out.contains("app/a.py:2:24: legacy-import"), out)
                XCTAssertTrue(out.contains("To commit:"), "the staged mode's next steps: \(out)")
            case .json, .sarif:
                let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
                XCTAssertNotNil(object, "\(format) is JSON")
                XCTAssertTrue(out.contains("app/a.py"))
            case .github:
                XCTAssertTrue(out.hasPrefix("::error file=app/a.py,line=2,col=24"), out)
            case .gitlab:
                let issues = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]]
                XCTAssertEqual(issues?.count, 1, out)
            }
        }
    }

    /// Review of issue 12: a change refused only for a file the gate cannot
    /// check exited 1 with no SARIF result, so an uploaded report showed nothing.
    func testSARIFListsTheFilesTheGateCannotCheck() throws {
        let parent = try R.side(["app/a.py": R.clean])
        var proposed = parent
        proposed["app/evil.pyc"] = MemorySides.File(bytes: [0x42, 0x0D, 0x0D, 0x0A])
        let verdict = try XCTUnwrap(R.judge(parent, proposed)).verdict
        let out = SARIFReport().render(verdict, .of(verdict, colour: Colour(on: false)))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let results = try XCTUnwrap(((object["runs"] as? [[String: Any]])?.first)?["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["ruleId"] as? String }, ["cannot-check"])
        XCTAssertTrue(out.contains("app/evil.pyc"))
    }

    /// SPEC 7: GitLab's Code Quality issues, every finding with a fingerprint
    /// unique in the report and kept when the finding moves.
    func testGitLabIssuesHaveStableUniqueFingerprints() throws {
        let parent = try R.side(["app/a.py": R.legacy])
        var proposed = parent
        proposed["app/a.py"] = MemorySides.File(R.legacy + R.legacy + "x = '\u{1B}[2J'\n")
        proposed["app/evil.pyc"] = MemorySides.File(bytes: [0x42])
        let verdict = try XCTUnwrap(R.judge(parent, proposed)).verdict
        func issues(_ v: Verdict) throws -> [[String: Any]] {
            let out = GitLabReport().render(v, .of(v, colour: Colour(on: false)))
            XCTAssertFalse(out.contains("\u{1B}"))
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
        }
        let list = try issues(verdict)
        XCTAssertEqual(list.map { $0["check_name"] as? String }, ["legacy-import", "legacy-import", "cannot-check"])
        XCTAssertEqual(list.map { $0["severity"] as? String }, ["major", "major", "critical"], "two of one key over an allowance of one: both are new")
        let prints = list.compactMap { $0["fingerprint"] as? String }
        XCTAssertEqual(Set(prints).count, 3)
        XCTAssertTrue(prints.allSatisfy { $0.count == 32 })
        XCTAssertEqual((list[0]["location"] as? [String: Any])?["path"] as? String, "app/a.py")
        XCTAssertEqual(((list[0]["location"] as? [String: Any])?["lines"] as? [String: Any])?["begin"] as? Int, 1)
        // Moved down two lines: the same fingerprints.
        var moved = proposed
        moved["app/a.py"] = MemorySides.File("\n\n" + R.legacy + R.legacy)
        let again = try issues(try XCTUnwrap(R.judge(parent, moved)).verdict)
        XCTAssertEqual(Array(again.compactMap { $0["fingerprint"] as? String }.prefix(2)), Array(prints.prefix(2)))
    }

    /// SPEC 7: GitHub shows 10 annotations of a kind per step; the rest go to the log, with one notice.
    func testGitHubAnnotatesTenOfAKindAndCountsTheRest() throws {
        let parent = try R.side(["app/a.py": R.clean])
        var proposed = parent
        proposed["app/a.py"] = MemorySides.File(String(repeating: R.legacy, count: 25))
        let verdict = try XCTUnwrap(R.judge(parent, proposed)).verdict
        let out = GitHubReport().render(verdict, .of(verdict, colour: Colour(on: false)))
        let lines = out.split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.hasPrefix("::error ") }.count, 10)
        XCTAssertEqual(lines.filter { $0.hasPrefix("ssot: error: app/a.py:") }.count, 15)
        XCTAssertEqual(lines.filter { $0.hasPrefix("::warning ") && $0.contains("15 errors more") }.count, 1, out)
        XCTAssertTrue(out.hasSuffix("ssot: 25 new findings, 0 grown baseline entries (1 files scanned)\n"), out)
    }

    /// A file named with bytes that are not UTF-8 is its own bytes in a SARIF URI.
    func testSARIFURIsAreTheFilesBytes() {
        XCTAssertEqual(SARIFReport.uri(PathKey.key([0x78, 0xFF] + Array(".py".utf8))), "x%FF.py")
        XCTAssertEqual(SARIFReport.uri("a b/c\u{E9}.py"), "a%20b/c%C3%A9.py")
    }

    func testTheNextStepsFollowTheMode() throws {
        XCTAssertTrue(NextSteps.of(try rejected(.preReceive)).contains("push again"))
        XCTAssertTrue(NextSteps.of(try rejected(.range)).contains("To commit:"))
        XCTAssertTrue(NextSteps.of(try rejected(.all)).contains("Fix each finding"))
    }

    func testAPushIsReportedPerRefInTheFormatAsked() throws {
        var ref = RefOutcome(update: RefUpdate(old: RefUpdate.zero, new: String(repeating: "a", count: 40), ref: "refs/heads/x\u{1B}[2J"))
        ref.verdict = try rejected(.preReceive)
        let push = PushOutcome(refs: [ref], gitDir: "/srv/git/app.git", settings: ServerSettings())
        let sarif = PreReceiveReport(format: .sarif).render(push, environment: ["GL_ID": "user-1"])
        XCTAssertTrue(sarif.contains("\"version\": \"2.1.0\""), "SARIF, not text, inside the push's report")
        XCTAssertFalse(sarif.contains("\u{1B}"), "a ref name reaches the pusher escaped")
        XCTAssertTrue(sarif.contains("ssot: the push is refused"))
        XCTAssertTrue(sarif.contains("GL-HOOK-ERR:"))
        let text = PreReceiveReport(format: .text).render(push, environment: [:])
        XCTAssertTrue(text.contains("push again"))
        XCTAssertFalse(text.contains("GL-HOOK-ERR:"))
    }

    func testWhatTighteningDidIsSaid() {
        let change = BaselineChange(key: BaselineKey(path: "app/a.py", rule: "legacy-import", fingerprint: "from app.legacy import Manager"),
                                    before: 2, after: 1)
        XCTAssertNil(TighteningReport.render(.nothing, file: ".ssot-baseline"))
        XCTAssertTrue(TighteningReport.render(.warned([change]), file: ".ssot-baseline")!.contains("tighten = \"warn\""))
        XCTAssertTrue(TighteningReport.render(.notStaged([change]), file: ".ssot-baseline")!.contains("git commit PATH"))
        let staged = TighteningReport.render(.staged([change], workTreeLeftAlone: true), file: ".ssot-baseline")!
        XCTAssertTrue(staged.contains("2 → 1"))
        XCTAssertTrue(staged.contains("unstaged edits"))
    }
}
