import CPrefilter
@testable import SSOTCore
import PythonScan
import XCTest

/// The prefilter's one-pass SIMD search (prefilter.c) against the plain
/// definition: some needle occurs with no name character on either side.
final class PrefilterTests: XCTestCase {
    static func isName(_ c: UInt8) -> Bool {
        (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c >= 0x80
    }

    static func reference(_ text: [UInt8], _ needles: [[UInt8]]) -> Bool {
        for needle in needles where !needle.isEmpty && needle.count <= text.count {
            for at in 0...(text.count - needle.count) where Array(text[at..<(at + needle.count)]) == needle {
                let before = at > 0 ? text[at - 1] : 0x20
                let after = at + needle.count < text.count ? text[at + needle.count] : 0x20
                if !isName(before) && !isName(after) { return true }
            }
        }
        return false
    }

    func check(_ text: [UInt8], _ needles: [String], file: StaticString = #filePath, line: UInt = #line) {
        let words = WordSet(needles)
        let got = text.withUnsafeBufferPointer { words.containsAny($0) }
        XCTAssertEqual(got, PrefilterTests.reference(text, needles.map { Array($0.utf8) }),
                       "\(String(decoding: text, as: UTF8.self).debugDescription) \(needles)", file: file, line: line)
    }

    func testWholeWordsOnly() {
        let needles = ["path", "getLogger", "exit"]
        check(Array("import os.path\n".utf8), needles)
        check(Array("import pathlib\nx = mypath\n_path = 1\npath2 = 3\n".utf8), needles)
        check(Array("logging.getLogger(__name__)".utf8), needles)
        check(Array("sys.exité()".utf8), needles, line: #line)
        check(Array("exit".utf8), needles)
        check(Array("xexit".utf8), needles)
        check(Array("".utf8), needles)
        check(Array("path".utf8), [])
    }

    /// Needles at every position around the 16- and 32-byte blocks and the
    /// end of the buffer, beside every kind of byte, and more needles than
    /// one pass takes; with the AVX2 pass (where the processor has it) and
    /// with the SSE2 pass.
    func testRandomTextsAgreeWithTheDefinition() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab_.( \n\t9Zé".utf8) + [0x00, 0xFF]
        let sets: [[String]] = [["ab"], ["ba", "a_b", "b9"], ["abba", "a", "b", "Z"],
                                (0..<20).map { "ab" + String(repeating: "a", count: $0) }]
        defer { ssot_prefilter_allow_avx2(1) }
        for avx2 in [1, 0] {
            ssot_prefilter_allow_avx2(Int32(avx2))
            for _ in 0..<3000 {
                let length = Int.random(in: 0..<160, using: &rng)
                let text = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
                check(text, sets.randomElement(using: &rng)!)
            }
        }
    }

    func testFromImportNamesAreUnderBannedNamesAsIfJoined() {
        let cases = [("a.b", "c"), ("a", "b"), ("a.bc", "d"), ("app.ws", "get_manager"), ("x", "y")]
        let banned = ["a", "a.b", "a.b.c", "a.b.cd", "a.bc", "a.b.c.d", "app.ws.get_manager", "app.ws.get", "x.y", "x.yz", "ab", ""]
        for (module, name) in cases {
            for b in banned {
                XCTAssertEqual(String.isUnder(module: module, name: name, b), (module + "." + name).isUnder(b), "\(module) \(name) \(b)")
            }
        }
    }

    func testLineIndexIsTheSameWithAndWithoutCarriageReturns() {
        let lf = Array("a\nbb\n\nccc\nd".utf8)
        let mixed = Array("a\r\nbb\r\r\nccc\nd".utf8)
        let one = lf.withUnsafeBufferPointer { LineIndex($0) }
        XCTAssertEqual(one.lineStarts, [0, 2, 5, 6, 10])
        let two = mixed.withUnsafeBufferPointer { LineIndex($0) }
        XCTAssertEqual(two.lineStarts, [0, 3, 6, 8, 12])
        XCTAssertEqual(Array("x\n".utf8).withUnsafeBufferPointer { LineIndex($0) }.lineStarts, [0, 2])
    }
}

/// The prefilter's rule: a banned `F.….L` needs `L` as a word, and `F` as a
/// word or the file in package `F` (relative imports).
final class PrefilterRuleTests: XCTestCase {
    func prefilter(inlineIgnores: Bool = false) throws -> Prefilter {
        let toml = """
        inline-ignores = \(inlineIgnores)
        [[rule]]
        id = "legacy"
        kind = "import"
        banned = ["app.ws.legacy", "tools"]
        [[rule]]
        id = "single"
        kind = "singleton"
        banned = ["other.get_manager"]
        """
        return Prefilter(config: try XCTUnwrap(ConfigLoader.parse(Array(toml.utf8), file: "ssot.toml")))
    }

    func passes(_ text: String, package: String? = nil, inlineIgnores: Bool = false) throws -> Bool {
        let p = try prefilter(inlineIgnores: inlineIgnores)
        var asked = 0
        let result = Array(text.utf8).withUnsafeBufferPointer { p.mightMatch($0, package: { asked += 1; return package }) }
        XCTAssertLessThanOrEqual(asked, 1, "the package is asked for once at most")
        return result
    }

    func testFirstAndLastSegmentsOrTheFilesPackage() throws {
        XCTAssertTrue(try passes("from app.ws import legacy\n"))
        XCTAssertTrue(try passes("import app.ws.legacy as l\n"))
        XCTAssertTrue(try passes("m = importlib.import_module('app.ws.legacy')\n"))
        XCTAssertFalse(try passes("legacy = 1  # no import of it\n"), "the last segment alone, outside the package")
        XCTAssertTrue(try passes("from .ws import legacy\n", package: "app"), "a relative import inside package app")
        XCTAssertFalse(try passes("from .ws import legacy\n", package: "lib"))
        XCTAssertFalse(try passes("from app.ws import canonical\n"), "the first segment alone")
        XCTAssertTrue(try passes("import tools\n"), "a one-part name is its own first and last segment")
        XCTAssertFalse(try passes("import toolsx\n"))
        XCTAssertTrue(try passes("from other import get_manager\nget_manager()\n"))
        XCTAssertFalse(try passes("from app import get_manager\n"), "each last segment goes with its own first")
        XCTAssertFalse(try passes("x = 1  # ssot: ignore[legacy] reason\n"))
        XCTAssertTrue(try passes("x = 1  # ssot: ignore[legacy] reason\n", inlineIgnores: true))
    }
}
