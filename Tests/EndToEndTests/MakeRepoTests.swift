import Foundation
import TestSupport
import XCTest

/// `ssot check --all` on monorepos built by scripts/make_repo.py must
/// report exactly the planted findings: none missing, none extra.
final class MakeRepoTests: EndToEndCase {
    typealias Key = String

    func keys(_ findings: [[String: Any]]) -> [Key: Int] {
        var out: [Key: Int] = [:]
        for f in findings {
            out["\(f["path"]!):\(f["line"]!) \(f["rule"]!) \(f["fingerprint"]!)", default: 0] += 1
        }
        return out
    }

    func check(files: Int, violating: Int, seed: Int, filler: String) throws {
        let tmp = TempDir("make-repo")
        let repo = tmp.path + "/repo"
        let made = runProcess(Pythons.python3, [Paths.package.appendingPathComponent("scripts/make_repo.py").path, repo, "--files", "\(files)",
                                         "--violating", "\(violating)", "--seed", "\(seed)", "--filler", filler])
        XCTAssertEqual(made.status, 0, made.stderr)
        let result = ssot(["check", "--all", "--no-baseline", "--format", "json", "-C", repo], in: tmp.path)
        XCTAssertEqual(result.status, 1, result.stderr)
        let got = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repo + ".expected.json"))) as! [String: Any]
        let gotKeys = keys(got["findings"] as! [[String: Any]])
        let expectedKeys = keys(expected["findings"] as! [[String: Any]])
        let missing = expectedKeys.filter { gotKeys[$0.key, default: 0] < $0.value }.keys.sorted()
        let extra = gotKeys.filter { expectedKeys[$0.key, default: 0] < $0.value }.keys.sorted()
        XCTAssertEqual(missing, [], "missing findings")
        XCTAssertEqual(extra, [], "extra findings")
        XCTAssertGreaterThan(expectedKeys.count, violating)
        let summary = got["summary"] as! [String: Int]
        XCTAssertEqual(summary["files"], expected["files"] as? Int)
    }

    func testThreeThousandFilesWithStdlibFiller() throws {
        try check(files: 3000, violating: 700, seed: 1, filler: "stdlib")
    }

    func testOtherSeeds() throws {
        try check(files: 800, violating: 400, seed: 7, filler: "stdlib")
        try check(files: 800, violating: 400, seed: 42, filler: "synthetic")
    }
}
