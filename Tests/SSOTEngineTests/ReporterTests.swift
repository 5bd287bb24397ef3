import Foundation
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
