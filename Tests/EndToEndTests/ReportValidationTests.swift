import Foundation
import TestSupport
import XCTest

/// `--format sarif` against SARIF 2.1.0's object model (Microsoft's
/// `sarif-om`, from PyPI) and `--format gitlab` against GitLab's Code
/// Quality report format (a JSON Schema, checked with `jsonschema`), on
/// output with findings, a file that cannot be checked, and hostile paths.
final class ReportValidationTests: EndToEndCase {
    static let script = Paths.package.appendingPathComponent("Tests/EndToEndTests/Fixtures/validate_reports.py").path
    static let site = TempDir("ssot-validators")

    /// sarif-om installed from PyPI once per run, beside the test (jsonschema and attrs the machine has, or pip brings).
    static let installed: RunResult = runProcess(Pythons.python3, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                                                    "--target", site.path, "sarif-om==1.0.4", "jsonschema", "attrs"])

    func validate(_ kind: String, _ text: String) -> RunResult {
        let dir = TempDir("ssot-report")
        let file = dir.write("out.json", text).path
        defer { withExtendedLifetime(dir) {} }
        return runProcess(Pythons.python3, [ReportValidationTests.script, kind, file],
                          environment: ["PYTHONPATH": ReportValidationTests.site.path])
    }

    func testSARIFAndGitLabOutputValidate() throws {
        XCTAssertEqual(ReportValidationTests.installed.status, 0, ReportValidationTests.installed.output)
        let repo = GitRepo()
        repo.write("ssot.toml", "[[rule]]\nid = \"core\"\nkind = \"import\"\ncanonical = \"app.canonical\"\nbanned = [\"app.legacy\"]\n")
        repo.write("app/a.py", "from app.legacy import M, N\nimport app.legacy\n")
        repo.write("app/odd \"name\" <b>.py", "from app.legacy import M\n")
        repo.write("app/cookie.py", "# -*- coding: utf-7 -*-\nfrom app.legacy import M\n")
        repo.git(["add", "-A"])
        for (kind, format) in [("sarif", "sarif"), ("gitlab", "gitlab")] {
            let out = ssot(["check", "--all", "--no-baseline", "--format", format], in: repo.path)
            XCTAssertEqual(out.status, 1, out.output)
            let v = validate(kind, out.stdout)
            XCTAssertEqual(v.status, 0, "\(kind): \(v.output)\n\(out.stdout)")
            XCTAssertEqual(v.stdout, "ok\n")
        }
        // The validators do catch what is wrong.
        let sarif = ssot(["check", "--all", "--no-baseline", "--format", "sarif"], in: repo.path).stdout
        let broken = validate("sarif", sarif.replacingOccurrences(of: "\"message\":", with: "\"messages\":"))
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stdout.contains("Result requires 'message'"), broken.stdout)
        let gitlab = ssot(["check", "--all", "--no-baseline", "--format", "gitlab"], in: repo.path).stdout
        let bad = validate("gitlab", gitlab.replacingOccurrences(of: "\"severity\": \"", with: "\"severity\": \"x"))
        XCTAssertEqual(bad.status, 1, bad.output)
    }
}
