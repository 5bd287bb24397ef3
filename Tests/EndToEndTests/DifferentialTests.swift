import Foundation
import TestSupport
import XCTest

/// ssot against CPython's own `ast` (scripts/ast_reference.py, an independent
/// implementation of SPEC section 2) over every .py and .pyi file of this
/// machine's Python installation, stdlib and site-packages. The target is
/// complete agreement on every file CPython can parse.
final class DifferentialTests: EndToEndCase {
    struct Outcome {
        var files = 0
        var unparsable = 0
        var expected = 0
        var missing: [String] = []
        var extra: [String] = []
    }

    func compare(root: String, python: String, config: String? = nil, timeLimit: Int = 600) throws -> Outcome {
        let config = config ?? Paths.package.appendingPathComponent("Tests/EndToEndTests/Fixtures/differential.toml").path
        let reference = runProcess(python, [Paths.package.appendingPathComponent("scripts/ast_reference.py").path, root, config])
        XCTAssertEqual(reference.status, 0, reference.stderr)
        // Under a time limit: a scan that hangs fails the test (timeout exits 124) instead of holding it.
        let ours = runProcess(Tools.timeout, ["\(timeLimit)", Paths.ssot.path, "check", "--all", "--no-baseline", "--format", "json",
                                                   "--config", config, "-C", root], in: root,
                              environment: ["GIT_CEILING_DIRECTORIES": (root as NSString).deletingLastPathComponent])
        XCTAssertTrue(ours.status == 0 || ours.status == 1, "exit \(ours.status) (124: timed out; above 128: a signal)\n\(ours.stderr)")
        let ref = try JSONSerialization.jsonObject(with: Data(reference.stdout.utf8)) as! [String: Any]
        let got = try JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as! [String: Any]
        let skip = Set(ref["unparsable"] as! [String])
        func key(_ f: [String: Any]) -> String { "\(f["path"]!):\(f["line"]!):\(f["column"]!) \(f["rule"]!) \(f["fingerprint"]!)" }
        var e: [String: Int] = [:], g: [String: Int] = [:]
        for f in ref["findings"] as! [[String: Any]] { e[key(f), default: 0] += 1 }
        for f in got["findings"] as! [[String: Any]] where !skip.contains(f["path"] as! String) { g[key(f), default: 0] += 1 }
        var outcome = Outcome(files: ref["files"] as! Int, unparsable: skip.count, expected: e.values.reduce(0, +))
        outcome.missing = e.filter { g[$0.key, default: 0] < $0.value }.keys.sorted()
        outcome.extra = g.filter { e[$0.key, default: 0] < $0.value }.keys.sorted()
        return outcome
    }

    /// One fixture folder of `Fixtures`, against the machine's python3.
    func assertAgrees(fixture: String, unparsable: Int, expected: Int, python: String = Pythons.python3,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let root = Paths.package.appendingPathComponent("Tests/EndToEndTests/Fixtures/" + fixture).path
        let outcome = try compare(root: root, python: python)
        XCTAssertEqual(outcome.unparsable, unparsable, file: file, line: line)
        XCTAssertEqual(outcome.expected, expected, file: file, line: line)
        XCTAssertEqual(outcome.missing, [], "findings CPython's ast has and ssot lacks", file: file, line: line)
        XCTAssertEqual(outcome.extra, [], "findings ssot has and CPython's ast lacks", file: file, line: line)
    }

    func testAgreesWithCPythonAstOnThePythonInstallation() throws {
        let stdlib = runProcess(Pythons.python3, ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let outcome = try compare(root: stdlib, python: Pythons.python3)
        XCTAssertGreaterThan(outcome.files, 10_000, "the installation should have thousands of files")
        XCTAssertGreaterThan(outcome.expected, 10_000, "the rules should fire thousands of times")
        XCTAssertEqual(outcome.missing, [], "findings CPython's ast has and ssot lacks")
        XCTAssertEqual(outcome.extra, [], "findings ssot has and CPython's ast lacks")
        print("differential: \(outcome.files) files, \(outcome.unparsable) unparsable by CPython, \(outcome.expected) findings, "
              + "\(outcome.missing.count) missing, \(outcome.extra.count) extra")
    }

    /// PEP 263 cookies (issue 11, item 2): Latin-1 files are decoded before
    /// they are scanned, with columns in characters as CPython counts them;
    /// a file in another encoding is not checked (and CPython's view of it
    /// is left out, as the reference does).
    func testAgreesWithCPythonOnCodingCookies() throws {
        try assertAgrees(fixture: "encodings", unparsable: 1, expected: 7)  // utf7.py is not read
    }

    /// Identifiers CPython normalises with NFKC (issue 11, item 1): fullwidth
    /// letters, ligatures, in imports, attribute chains and function scopes;
    /// a string literal is not normalised.
    func testAgreesWithCPythonOnNFKCIdentifiers() throws {
        try assertAgrees(fixture: "nfkc", unparsable: 0, expected: 10)
    }

    /// The same syntax tree is the same finding (issue 11, item 3):
    /// parenthesised references, escapes, f-strings without fields and
    /// keywords in dynamic imports, relative `import_module` and `__import__`
    /// levels, `fromlist`, the other `__import__`s, and star imports.
    func testAgreesWithCPythonOnSameTreeForms() throws {
        try assertAgrees(fixture: "sametree", unparsable: 0, expected: 127)
    }

    func testAgreesWithCPython313OnModernSyntax() throws {
        guard let python = Pythons.find("3.13") else { throw XCTSkip("CPython 3.13 is not installed (pyenv)") }
        let root = Paths.package.appendingPathComponent("Tests/EndToEndTests/Fixtures/modern").path
        let outcome = try compare(root: root, python: python)
        XCTAssertEqual(outcome.unparsable, 0)
        XCTAssertGreaterThan(outcome.expected, 20)
        XCTAssertEqual(outcome.missing, [])
        XCTAssertEqual(outcome.extra, [])
    }
}
