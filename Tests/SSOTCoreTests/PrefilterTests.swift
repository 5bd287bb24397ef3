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
        let prefilter = Prefilter(needles: needles)
        let got = text.withUnsafeBufferPointer { prefilter.mightMatch($0) }
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

    /// Needles at every position around the 16-byte blocks and the end of
    /// the buffer, beside every kind of byte, and more needles than one pass takes.
    func testRandomTextsAgreeWithTheDefinition() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab_.( \n\t9Zé".utf8) + [0x00, 0xFF]
        let sets: [[String]] = [["ab"], ["ba", "a_b", "b9"], ["abba", "a", "b", "Z"],
                                (0..<20).map { "ab" + String(repeating: "a", count: $0) }]
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<80, using: &rng)
            let text = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
            check(text, sets.randomElement(using: &rng)!)
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
