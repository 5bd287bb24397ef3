import Foundation
import TestSupport
import XCTest

/// `action.yml` (issue 14): a composite action whose scripts take every
/// value from the environment (an expression pasted into a `run:` script is
/// how a branch name becomes a command), and whose steps run the gate, the
/// report into the job summary, and the SARIF upload.
final class ActionTests: EndToEndCase {
    func testTheActionIsCompositeAndItsScriptsPasteNoExpressions() {
        let check = """
            import sys, yaml
            action = yaml.safe_load(open(sys.argv[1]))
            assert action["runs"]["using"] == "composite", action["runs"]["using"]
            steps = action["runs"]["steps"]
            for step in steps:
                assert "${{" not in step.get("run", ""), "an expression in a script: " + step.get("name", "")
            runs = " ".join(step.get("run", "") for step in steps)
            for needed in ['check --range "$BASE...HEAD" --format github', 'report --base "$BASE" --format markdown >> "$GITHUB_STEP_SUMMARY"',
                           '--format sarif']:
                assert needed in runs, needed
            assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif@") for step in steps)
            print("ok")
            """
        let r = runProcess(Pythons.python3, ["-c", check, Paths.package.appendingPathComponent("action.yml").path])
        XCTAssertEqual(r.stdout, "ok\n", r.output)
    }
}
