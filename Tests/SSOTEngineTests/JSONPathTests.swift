import SSOTCore
@testable import SSOTReport
import XCTest

/// Paths in JSON (a hostile review's find): a path key's NUL, which stands
/// for a byte in ssot, came out as U+0000 followed by octal digits.
final class JSONTextTests: XCTestCase {
    func testAPathIsItsOwnCharactersOrGitsQuotedBytesNeverANul() {
        // NFD, as macOS names files: valid UTF-8, kept exactly (the key holds it as octal, to keep it apart from the NFC name).
        let nfd = CQuote.pathKey(Array("e\u{0301}x.py".utf8))
        XCTAssertTrue(nfd.utf8.contains(0))
        // Bytes, not strings: Swift's == would take the NFC name for the NFD one.
        XCTAssertEqual(Array(JSONText.path(nfd).utf8), Array("\"e\u{0301}x.py\"".utf8))
        // Bytes that are not UTF-8: git's quoted form, as `git ls-files` prints it.
        let bad = CQuote.pathKey([0x62, 0x61, 0x64, 0xFF, 0xFE, 0x2E, 0x70, 0x79])
        XCTAssertEqual(JSONText.path(bad), #""\"bad\\377\\376.py\"""#)
        XCTAssertEqual(JSONText.path("plain/café.py"), "\"plain/café.py\"")
        for p in [nfd, bad] { XCTAssertFalse(JSONText.path(p).contains("\\u0000"), p) }
    }

    /// GitHub finds a file by its name: an NFD name's annotation gives its characters, not git's octal.
    func testAnAnnotationNamesTheFileByItsCharacters() {
        let nfd = CQuote.pathKey(Array("e\u{0301}x.py".utf8))
        let a = GitHubReport.Annotation(file: nfd, line: 1, column: 1, title: "t", message: "m")
        XCTAssertTrue(Array(a.command.utf8).starts(with: Array("file=e\u{0301}x.py,".utf8)), a.command)
        XCTAssertNil(JSONText.characters(ofPath: CQuote.pathKey([0x61, 0xFF])))
    }
}
