import SSOTCore
import XCTest

final class BaselineTests: XCTestCase {
    func key(_ path: String, _ rule: String = "r", _ fp: String = "import a") -> BaselineKey {
        BaselineKey(path: path, rule: rule, fingerprint: fp)
    }

    func testSerialisedSortedBytewiseWithHeader() {
        let b = Baseline(counts: [key("b.py"): 1, key("a.py", "z"): 2, key("a.py", "b", "use x"): 3, key("B.py"): 1])
        XCTAssertEqual(b.serialized(), """
        # ssot baseline: known violations that may remain. Entries may only be removed.
        1\tr\tB.py\timport a
        3\tb\ta.py\tuse x
        2\tz\ta.py\timport a
        1\tr\tb.py\timport a

        """)
    }

    func testRoundTripWithQuotedPaths() throws {
        let paths = ["tab\there.py", "new\nline.py", "quo\"te.py", "back\\slash.py", "esc\u{1B}[31m.py", "café.py"]
        var counts: [BaselineKey: Int] = [:]
        for p in paths { counts[key(p)] = 2 }
        let b = Baseline(counts: counts)
        let text = b.serialized()
        XCTAssertTrue(text.contains("\t\"tab\\there.py\"\t"))
        XCTAssertTrue(text.contains("\t\"esc\\033[31m.py\"\t"))
        XCTAssertTrue(text.contains("\tcafé.py\t"))
        XCTAssertEqual(try Baseline.parse(Array(text.utf8), file: ".ssot-baseline"), b)
    }

    /// Issue 11, item 6: a fingerprint with a newline once wrote forged lines
    /// (`50\t…\tuse …`) into the baseline; each entry is one line now.
    func testAFingerprintWithControlCharactersIsQuotedAndCannotForgeLines() throws {
        let forged = "import a\n50\tlegacy-singleton\tapp/x.py\tuse app.get_manager"
        let counts = [BaselineKey(path: "app/x.py", rule: "legacy-import", fingerprint: forged): 1,
                      BaselineKey(path: "app/y.py", rule: "legacy-import", fingerprint: "import \"q\\b\u{1B}"): 1]
        let b = Baseline(counts: counts)
        let text = b.serialized()
        XCTAssertEqual(text.split(separator: "\n").count, 1 + counts.count, "one line per entry:\n\(text)")
        XCTAssertTrue(text.contains("\t\"import a\\n50\\tlegacy-singleton\\tapp/x.py\\tuse app.get_manager\"\n"), text)
        XCTAssertEqual(try Baseline.parse(Array(text.utf8), file: ".ssot-baseline"), b)
        XCTAssertThrowsError(try Baseline.parse(Array("1\tr\tp.py\t\"import a\\q\"\n".utf8), file: "b"))
    }

    func testC1ControlsAndBidiCharactersAreQuotedToo() throws {
        let b = Baseline(counts: [BaselineKey(path: "app/e\u{202E}x.py", rule: "r", fingerprint: "import a.\u{85}b\u{2066}"): 1])
        let text = b.serialized()
        XCTAssertTrue(text.contains("\t\"app/e\\342\\200\\256x.py\"\t\"import a.\\302\\205b\\342\\201\\246\"\n"), text)
        XCTAssertFalse(text.unicodeScalars.contains { $0 != "\n" && $0 != "\t" && TextEscape.isHostile($0) })
        XCTAssertEqual(try Baseline.parse(Array(text.utf8), file: ".ssot-baseline"), b)
    }

    func testReadsAnyOrderCommentsBlankLinesAndCRLF() throws {
        let text = "# header\r\n\r\n1\tr\tb.py\timport a\r\n# note\n2\tr\ta.py\tfrom a import b\n"
        let b = try Baseline.parse(Array(text.utf8), file: "f")
        XCTAssertEqual(b.allowed(key("a.py", "r", "from a import b")), 2)
        XCTAssertEqual(b.allowed(key("b.py")), 1)
        XCTAssertEqual(b.allowed(key("c.py")), 0)
    }

    func testMalformedLinesNameTheirLineNumber() {
        let cases: [(String, String)] = [
            ("1\tr\ta.py\n", "f:1: expected 4 tab-separated fields (count, rule, path, fingerprint), found 3"),
            ("# ok\nx\tr\ta.py\timport a\n", "f:2: count \"x\" is not a positive integer"),
            ("0\tr\ta.py\timport a\n", "f:1: count \"0\" is not a positive integer"),
            ("1\tR!\ta.py\timport a\n", "f:1: rule \"R!\" is not a rule id"),
            ("1\tr\t\"a.py\timport a\n", "f:1: path \"a.py is badly quoted"),
            ("1\tr\ta.py\tbogus\n", "f:1: fingerprint \"bogus\" does not start with import, from or use"),
            // An empty field on the first line is not taken for the (empty) previous line's.
            ("1\t\ta.py\timport a\n", "f:1: rule \"\" is not a rule id"),
            ("1\tr\t\timport a\n", "f:1: path is empty"),
            ("1\tr\ta.py\timport a\n1\tr\ta.py\timport a\n", "f:2: duplicate entry (also on line 1); merge the two counts or run `ssot baseline`"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try Baseline.parse(Array(text.utf8), file: "f")) { error in
                XCTAssertEqual("\(error)", message)
            }
        }
        XCTAssertThrowsError(try Baseline.parse([0xFF, 0x0A], file: "f"))
    }

    func testPartialParseReadsAndChecksOnlyTheWantedPathsLines() throws {
        let text = "1\tr\ta.py\timport a\n2\tr\tb.py\timport a\n3\tr\t\"q\\tz.py\"\timport a\n"
        let partial = try Baseline.parse(Array(text.utf8), file: "f", paths: ["b.py", "q\tz.py"])
        XCTAssertTrue(partial.isPartial)
        XCTAssertEqual(partial.allowed(key("b.py")), 2)
        XCTAssertEqual(partial.allowed(key("q\tz.py")), 3)
        XCTAssertEqual(partial.allowed(key("a.py")), 0)
        XCTAssertEqual(partial.counts.count, 2)
        XCTAssertEqual(partial.entries(of: "b.py").map(\.count), [2])
        // A wanted path's bad line is an error with its line number, CRLF or not.
        XCTAssertThrowsError(try Baseline.parse(Array((text + "x\tr\tb.py\timport b\r\n").utf8), file: "f", paths: ["b.py"])) { error in
            XCTAssertEqual("\(error)", "f:4: count \"x\" is not a positive integer")
        }
        XCTAssertThrowsError(try Baseline.parse(Array((text + "1\tr\tb.py\timport a\n").utf8), file: "f", paths: ["b.py"])) { error in
            XCTAssertEqual("\(error)", "f:4: duplicate entry (also on line 2); merge the two counts or run `ssot baseline`")
        }
        XCTAssertThrowsError(try Baseline.parse(Array(text.utf8) + [0x31, 0x09, 0x72, 0x09, 0x62, 0x2E, 0x70, 0x79, 0x09, 0x75, 0x73, 0x65, 0x20, 0xFF],
                                                file: "f", paths: ["b.py"])) { error in
            XCTAssertEqual("\(error)", "f:4: not UTF-8 text")
        }
        // Every line is split into its four fields and its count read...
        for (bad, message) in [("no tabs here", "f:4: expected 4 tab-separated fields (count, rule, path, fingerprint), found 1"),
                               ("x\tr\tc.py\timport a", "f:4: count \"x\" is not a positive integer"),
                               ("1\tr\tc.py\timport a\tmore", "f:4: expected 4 tab-separated fields (count, rule, path, fingerprint), found 5")] {
            XCTAssertThrowsError(try Baseline.parse(Array((text + bad + "\n").utf8), file: "f", paths: ["b.py"])) { error in
                XCTAssertEqual("\(error)", message)
            }
        }
        // The first error in the file's order wins, whether it is a wanted line's or a broken line's.
        XCTAssertThrowsError(try Baseline.parse(Array(("1\tBad\tb.py\timport a\n" + text + "garbage\n").utf8), file: "f",
                                                paths: ["b.py"])) { error in
            XCTAssertEqual("\(error)", "f:1: rule \"Bad\" is not a rule id")
        }
        XCTAssertThrowsError(try Baseline.parse(Array(("garbage\n" + text + "1\tBad\tb.py\timport a\n").utf8), file: "f",
                                                paths: ["b.py"])) { error in
            XCTAssertEqual("\(error)", "f:1: expected 4 tab-separated fields (count, rule, path, fingerprint), found 1")
        }
        // ...but the rest of other paths' lines is not read: it was checked when the baseline was committed.
        let elsewhere = "# c\n\n \t\n1\tNot-Kebab\tc.py\tsomething\n1\tr\td.py\t\u{FF}\n" + text
        XCTAssertEqual(try Baseline.parse(Array(elsewhere.utf8), file: "f", paths: ["b.py"]).counts, [key("b.py"): 2])
        XCTAssertThrowsError(try Baseline.parse(Array(elsewhere.utf8), file: "f"))
        XCTAssertTrue(try Baseline.parse(Array(elsewhere.utf8), file: "f", paths: []).counts.isEmpty)
        let plan = TighteningPlan(dropped: [key("a.py")], kept: [key("b.py"): 1])
        XCTAssertEqual(try Baseline.parse(Array(text.utf8), file: "f").applying(plan).serialized(),
                       Baseline.header + "\n1\tr\tb.py\timport a\n3\tr\t\"q\\tz.py\"\timport a\n")
    }

    func testGateMarksEveryOccurrenceOfAnExceededKey() {
        var findings = [1, 2, 3].map { Finding(path: "a.py", line: $0, column: 1, rule: "r", fingerprint: "import a", message: "", replacement: nil) }
        findings.append(Finding(path: "a.py", line: 9, column: 1, rule: "r", fingerprint: "import b", message: "", replacement: nil))
        let b = Baseline(counts: [key("a.py"): 2, key("a.py", "r", "import b"): 1])
        Gate.markNew(&findings, allowed: b.allowed)
        XCTAssertEqual(findings.map(\.new), [true, true, true, false])
        XCTAssertEqual(Gate.loose(Baseline(counts: [key("a.py", "r", "import b"): 3]), findings: findings, paths: ["a.py"]),
                       [BaselineChange(key: key("a.py", "r", "import b"), before: 3, after: 1)])
    }
}

/// The partial read against its definition, on random baselines, errors
/// included: every line that is not a comment must be four fields with a
/// numeric count; the lines of the asked paths (and every C-quoted one,
/// whose path must be decoded to know) are checked as a full parse checks
/// them; the first failure in the file's order is the error. The reference
/// is written from that definition, one line at a time, with the full
/// parse for each line's message.
final class BaselinePartialPropertyTests: XCTestCase {
    enum Outcome: Equatable {
        case entries([BaselineKey: Int])
        /// nil `message`: any message for that line. A line that is not four
        /// fields is named for its shape, where a full parse, which checks
        /// UTF-8 first, may name its encoding.
        case error(line: Int, message: String?)

        static func == (a: Outcome, b: Outcome) -> Bool {
            switch (a, b) {
            case let (.entries(x), .entries(y)): return x == y
            case let (.error(l, m), .error(k, n)): return l == k && (m == nil || n == nil || m == n)
            default: return false
            }
        }
    }

    static func reference(_ bytes: [UInt8], wanted: Set<String>) -> Outcome {
        guard !wanted.isEmpty else { return .entries([:]) }
        var counts: [BaselineKey: Int] = [:]
        var firstLine: [BaselineKey: Int] = [:]
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (n, raw) in lines.enumerated() {
            var line = Array(raw)
            if line.last == 0x0D { line.removeLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) || line.first == 0x23 { continue }
            // The full parse of this line alone, renumbered, says what is wrong with it.
            func checked() -> (entry: (BaselineKey, Int)?, error: Outcome?) {
                do {
                    let one = try Baseline.parse(line, file: "f")
                    return (one.counts.first.map { ($0.key, $0.value) }, nil)
                } catch let error as BaselineError {
                    return (nil, .error(line: n + 1, message: error.message))
                } catch {
                    return (nil, .error(line: n + 1, message: "\(error)"))
                }
            }
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
            guard fields.count == 4, !fields[0].isEmpty, fields[0].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                if case let .error(line, message)? = checked().error {
                    return .error(line: line, message: message == "not UTF-8 text" ? nil : message)
                }
                continue
            }
            let path = String(decoding: fields[2], as: UTF8.self)
            guard fields[2].first == 0x22 || wanted.contains(path) else { continue }
            let (entry, error) = checked()
            if let error { return error }
            guard let (key, count) = entry, wanted.contains(key.path) else { continue }
            if let first = firstLine[key] {
                return .error(line: n + 1, message: "duplicate entry (also on line \(first)); merge the two counts or run `ssot baseline`")
            }
            firstLine[key] = n + 1
            counts[key] = count
        }
        return .entries(counts)
    }

    func testPartialReadAgreesWithItsDefinition() {
        var rng = SystemRandomNumberGenerator()
        let paths = ["a.py", "b/c.py", "\"q\\tz.py\"", "d e.py", "é.py", "\"bad", ""]
        let unquoted = ["a.py", "b/c.py", "q\tz.py", "d e.py", "é.py"]
        let rules = ["r", "rule-two", "Bad", ""]
        let prints = ["import a", "from a import b", "use a.b", "nothing", "", "import \u{FF}"]
        var outcomes = (succeeded: 0, failed: 0)
        for _ in 0..<5000 {
            var lines: [String] = []
            for _ in 0..<Int.random(in: 0...10, using: &rng) {
                switch Int.random(in: 0..<12, using: &rng) {
                case 0: lines.append("# comment")
                case 1: lines.append("")
                case 2: lines.append(" \t ")
                case 3: lines.append(Int.random(in: 0..<4, using: &rng) == 0 ? "garbage" : "1\tr\ta.py\timport a")
                default:
                    let count = ["1", "2", "0", "x", "12", "1", "1"].randomElement(using: &rng)!
                    var line = [count, rules.randomElement(using: &rng)!, paths.randomElement(using: &rng)!,
                                prints.randomElement(using: &rng)!].joined(separator: "\t")
                    if Int.random(in: 0..<20, using: &rng) == 0 { line += "\tmore" }
                    lines.append(line)
                }
            }
            let text = lines.joined(separator: Bool.random(using: &rng) ? "\n" : "\r\n") + (Bool.random(using: &rng) ? "\n" : "")
            var bytes = Array(text.utf8)
            if Int.random(in: 0..<10, using: &rng) == 0, !bytes.isEmpty { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = 0xFF }
            let wanted = Set(unquoted.filter { _ in Bool.random(using: &rng) })
            let expected = BaselinePartialPropertyTests.reference(bytes, wanted: wanted)
            let got: Outcome
            do {
                got = .entries(try Baseline.parse(bytes, file: "f", paths: wanted).counts)
            } catch let error as BaselineError {
                got = .error(line: error.line, message: error.message)
            } catch {
                got = .error(line: 0, message: "\(error)")
            }
            XCTAssertEqual(got, expected, "\(String(decoding: bytes, as: UTF8.self).debugDescription) \(wanted)")
            if case .entries = expected { outcomes.succeeded += 1 } else { outcomes.failed += 1 }
        }
        XCTAssertGreaterThan(outcomes.succeeded, 500)
        XCTAssertGreaterThan(outcomes.failed, 500)
    }
}

/// Paths that are not UTF-8 (issue 11, item 11) round-trip through the
/// baseline's C-quoted form as git writes it.
final class BaselinePathKeyTests: XCTestCase {
    func testKeysOfPathsThatAreNotUTF8AreWrittenAsGitQuotesThem() throws {
        // Keys as GitStore's PathKey makes them: NUL and octal digits for a byte that is not UTF-8.
        let b = Baseline(counts: [BaselineKey(path: "x\u{0}377.py", rule: "r", fingerprint: "import a"): 1,
                                  BaselineKey(path: "x\u{0}376.py", rule: "r", fingerprint: "import a"): 2,
                                  BaselineKey(path: "x\\377.py", rule: "r", fingerprint: "import a"): 3])
        let text = b.serialized()
        XCTAssertTrue(text.contains("1\tr\t\"x\\377.py\"\timport a\n"), text)
        XCTAssertTrue(text.contains("3\tr\t\"x\\\\377.py\"\timport a\n"), text)
        let back = try Baseline.parse(Array(text.utf8), file: ".ssot-baseline")
        XCTAssertEqual(back.counts, b.counts)
        XCTAssertEqual(TextEscape.escape("x\u{0}377.py"), "x\\377.py", "shown as git shows it")
    }
}
