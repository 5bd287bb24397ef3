import PythonScan
import XCTest

/// Golden token dumps: one `kind text` per token, for each construct the
/// lexer must get right. A dump that changes is a behaviour change.
final class LexerTests: XCTestCase {
    func dump(_ source: String) -> String {
        PythonScanner.tokenDump(Array(source.utf8)).joined(separator: "\n")
    }

    func dump(_ bytes: [UInt8]) -> String {
        PythonScanner.tokenDump(bytes).joined(separator: "\n")
    }

    /// CPython's tokenizer: where blanks end in a backslash-newline, the first
    /// backslash's column is the indentation of what follows (third review).
    func testABackslashLineSetsTheIndentationOfTheNextLine() {
        let kinds = PythonScanner.tokenDump(Array("def f():\n    pass\n    \\\nw = None\nw\n".utf8))
        XCTAssertEqual(kinds, ["kwDef def", "name f", "lparen (", "rparen )", "colon :", "newline", "indent", "kwPass pass", "newline",
                               "name w", "equal =", "kwNone None", "newline", "dedent", "name w", "newline", "endmarker"])
        // A backslash in column 0 sets nothing (CPython's cont_line_col is 0, "unset"): `w` is in f.
        let zero = PythonScanner.tokenDump(Array("def f():\n    pass\n\\\n    w = None\n".utf8))
        XCTAssertFalse(zero.prefix(while: { $0 != "name w" }).contains("dedent"), "\(zero)")
        let crlf = PythonScanner.tokenDump(Array("if x:\r\n  \\\r\n\ty\r\n".utf8))
        XCTAssertEqual(crlf.filter { $0 == "indent" || $0 == "dedent" }, ["indent", "dedent"])
    }

    func testStringPrefixesAreOneTokenEach() {
        let src = #"a = r'\d' + b"x" + Rb'\x' + u'u' + BR"y" + '''t"""''' + """q'''"""\n"#
        XCTAssertEqual(dump(src.replacingOccurrences(of: "\\n", with: "\n")), """
        name a
        equal =
        string r'\\d'
        op +
        string b"x"
        op +
        string Rb'\\x'
        op +
        string u'u'
        op +
        string BR"y"
        op +
        string '''t\"\"\"'''
        op +
        string \"\"\"q'''\"\"\"
        newline
        endmarker
        """)
    }

    func testEscapedQuotesAndBackslashContinuationInStrings() {
        XCTAssertEqual(dump("x = 'it\\'s' 'a\\\nb'\n"), """
        name x
        equal =
        string 'it\\'s'
        string 'a\\
        b'
        newline
        endmarker
        """)
    }

    func testRawStringKeepsEscapedQuoteInside() {
        XCTAssertEqual(dump(#"p = r"\"" + x"# + "\n"), """
        name p
        equal =
        string r"\\""
        op +
        name x
        newline
        endmarker
        """)
    }

    func testNamesThatLookLikePrefixesAreNames() {
        XCTAssertEqual(dump("rb + fr + bu\n"), "name rb\nop +\nname fr\nop +\nname bu\nnewline\nendmarker")
    }

    func testFStringFieldsAreCodeAndLiteralTextIsNot() {
        XCTAssertEqual(dump(#"f"import os {a.b!r:>{width}} {{literal}} {c=}""# + "\n"), """
        fstringStart f"
        fieldOpen {
        name a
        dot .
        name b
        fieldOpen {
        name width
        fieldClose }
        fieldClose }
        fieldOpen {
        name c
        fieldClose }
        fstringEnd "
        newline
        endmarker
        """)
    }

    func testPEP701NestingWithSameQuotes() {
        XCTAssertEqual(dump(#"f"{f"{x["k"]}"}" + t'{y}'"# + "\n"), """
        fstringStart f"
        fieldOpen {
        fstringStart f"
        fieldOpen {
        name x
        lbracket [
        string "k"
        rbracket ]
        fieldClose }
        fstringEnd "
        fieldClose }
        fstringEnd "
        op +
        fstringStart t'
        fieldOpen {
        name y
        fieldClose }
        fstringEnd '
        newline
        endmarker
        """)
    }

    func testFStringEscapesNamedUnicodeAndBraces() {
        // `\N{...}` is an escape in f"…", a field in rf"…"; `\{` leaves the brace a field.
        XCTAssertEqual(dump(#"f"\N{DASH}" rf"\N{x}" f"\{y}""# + "\n"), """
        fstringStart f"
        fstringEnd "
        fstringStart rf"
        fieldOpen {
        name x
        fieldClose }
        fstringEnd "
        fstringStart f"
        fieldOpen {
        name y
        fieldClose }
        fstringEnd "
        newline
        endmarker
        """)
    }

    func testMultilineFieldAndTripleQuotedFString() {
        XCTAssertEqual(dump("s = f'''a\n{x +\n  y}\n'''\nz\n"), """
        name s
        equal =
        fstringStart f'''
        fieldOpen {
        name x
        op +
        name y
        fieldClose }
        fstringEnd '''
        newline
        name z
        newline
        endmarker
        """)
    }

    func testNotEqualInsideFieldIsAnOperatorNotAConversion() {
        XCTAssertEqual(dump(#"f"{a!=b}""# + "\n"), """
        fstringStart f"
        fieldOpen {
        name a
        op !=
        name b
        fieldClose }
        fstringEnd "
        newline
        endmarker
        """)
    }

    func testBracketsJoinLinesAndIndentationIsTracked() {
        XCTAssertEqual(dump("if (a and\n    b):\n\tx = [1,\n2]\n\n    # c\nelse: y\n"), """
        kwIf if
        lparen (
        name a
        kwAnd and
        name b
        rparen )
        colon :
        newline
        indent
        name x
        equal =
        lbracket [
        number 1
        comma ,
        number 2
        rbracket ]
        newline
        dedent
        kwElse else
        colon :
        name y
        newline
        endmarker
        """)
    }

    func testBackslashContinuationJoinsLines() {
        XCTAssertEqual(dump("from a \\\n    import b\n"), "kwFrom from\nname a\nkwImport import\nname b\nnewline\nendmarker")
    }

    func testCRLFAndLoneCRAreLineEnds() {
        XCTAssertEqual(dump("a\r\nb\rc\n"), "name a\nnewline\nname b\nnewline\nname c\nnewline\nendmarker")
    }

    func testFormFeedResetsIndentation() {
        XCTAssertEqual(dump("if x:\n  \u{0C}a\n"), "kwIf if\nname x\ncolon :\nnewline\nname a\nnewline\nendmarker")
    }

    func testBOMIsSkipped() {
        XCTAssertEqual(dump([0xEF, 0xBB, 0xBF] + Array("import x\n".utf8)), "kwImport import\nname x\nnewline\nendmarker")
    }

    func testSoftKeywordsStayNames() {
        XCTAssertEqual(dump("match = type\nlazy import x\n"), """
        name match
        equal =
        name type
        newline
        name lazy
        kwImport import
        name x
        newline
        endmarker
        """)
    }

    func testUnicodeIdentifiers() {
        XCTAssertEqual(dump("café = π·2\n"), "name café\nequal =\nname π·2\nnewline\nendmarker")
    }

    func testNumbers() {
        XCTAssertEqual(dump("1_000 0x_fF 1.5e-3j .5 1if x else 2\n"), """
        number 1_000
        number 0x_fF
        number 1.5e-3j
        number .5
        number 1
        kwIf if
        name x
        kwElse else
        number 2
        newline
        endmarker
        """)
    }

    func testEllipsisAndOperators() {
        XCTAssertEqual(dump("x: int = ...; y **= 2; z := w -> v\n"), """
        name x
        colon :
        name int
        equal =
        ellipsis ...
        semicolon ;
        name y
        augAssign **=
        number 2
        semicolon ;
        name z
        walrus :=
        name w
        arrow ->
        name v
        newline
        endmarker
        """)
    }

    // MARK: - Hostile input: never a crash or a hang, always a warning.

    func warnings(_ bytes: [UInt8]) -> [String] {
        PythonScanner.scan(bytes, module: .unknown).warnings.map(\.message)
    }

    func testNULByteWarnsAndScanningGoesOn() {
        let src: [UInt8] = Array("import a\n\0import b\n".utf8)
        let result = PythonScanner.scan(src, module: .unknown)
        XCTAssertEqual(result.imports.map(\.module), ["a", "b"])
        XCTAssertEqual(result.warnings.map(\.message), ["NUL byte"])
    }

    func testInvalidUTF8Warns() {
        let src: [UInt8] = Array("import a\nx\u{FF}".utf8.prefix(10)) + [0xFF, 0xFE] + Array(" = 1\nimport b\n".utf8)
        let result = PythonScanner.scan(src, module: .unknown)
        XCTAssertEqual(result.imports.map(\.module), ["a", "b"])
        XCTAssertTrue(result.warnings.contains { $0.message == "invalid UTF-8" })
    }

    func testDeeplyNestedBracketsAreSkippedWithAWarning() {
        let depth = 100_000
        let src = "import a\nx = " + String(repeating: "(", count: depth) + String(repeating: ")", count: depth) + "\nimport b\n"
        let result = PythonScanner.scan(Array(src.utf8), module: .unknown)
        XCTAssertEqual(result.imports.map(\.module), ["a", "b"])
        XCTAssertTrue(result.warnings.contains { $0.message.contains("nested more than 200 levels") })
    }

    func testDeeplyNestedBlocksAreSkippedWithAWarning() {
        var src = "import a\n"
        for level in 0..<1000 { src += String(repeating: " ", count: level) + "if x:\n" }
        src += String(repeating: " ", count: 1000) + "pass\nimport b\n"
        let result = PythonScanner.scan(Array(src.utf8), module: .unknown)
        XCTAssertEqual(result.imports.map(\.module), ["a", "b"])
        XCTAssertTrue(result.warnings.contains { $0.message.contains("nested more than 200 levels") })
    }

    func testUnclosedBracketsAtEndOfFile() {
        let src = "import a\nx = " + String(repeating: "[", count: 100_000)
        XCTAssertEqual(warnings(Array(src.utf8)),
                       ["nested more than 200 levels deep; the inside was not scanned", "unclosed bracket at end of file"])
    }

    func testTwoMegabyteLine() {
        var src = "import a\nx = [" + String(repeating: "get(), ", count: 300_000) + "]\nimport b\n"
        src += "s = '" + String(repeating: "y", count: 2_000_000) + "'\n"
        let result = PythonScanner.scan(Array(src.utf8), module: .unknown)
        XCTAssertEqual(result.imports.map(\.module), ["a", "b"])
        XCTAssertEqual(result.warnings, [])
    }

    func testUnterminatedStringAtEndOfFile() {
        XCTAssertEqual(warnings(Array("import a\nx = '''abc".utf8)), ["unterminated triple-quoted string literal"])
        XCTAssertEqual(warnings(Array("x = 'abc".utf8)), ["unterminated string literal"])
        XCTAssertEqual(warnings(Array("x = f'{a".utf8)).first, "unterminated f-string at end of file")
    }

    func testUnterminatedSingleQuotedStringEndsAtItsLine() {
        let result = PythonScanner.scan(Array("x = 'abc\nimport b\n".utf8), module: .unknown)
        XCTAssertEqual(result.imports.map(\.module), ["b"])
        XCTAssertEqual(result.warnings.map(\.message), ["unterminated string literal"])
    }

    func testEveryPrefixOfARealFileScansWithoutCrashing() {
        let src = Array("""
        from a import (b as c,
            d)
        x = f"{c!r:{d}}" if (y := [z for z in range(3)]) else lambda q=1: q
        match x:
            case {"k": [v, *rest]} if v: pass
        """.utf8)
        for cut in 0...src.count { _ = PythonScanner.scan(Array(src[0..<cut]), module: .unknown) }
    }
}
