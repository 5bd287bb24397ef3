import SSOTCore
import XCTest

final class ConfigTests: XCTestCase {
    func parseError(_ text: String, file: String = "ssot.toml") -> String {
        do {
            _ = try Config.parse(text, file: file)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testDefaults() throws {
        let c = try Config.parse("", file: "ssot.toml")!
        XCTAssertEqual(c.baseline, ".ssot-baseline")
        XCTAssertEqual(c.sourceRoots, [""])
        XCTAssertEqual(c.include.map(\.pattern), ["**/*.py", "**/*.pyi"])
        XCTAssertEqual(c.maxFileSize, 1_048_576)
        XCTAssertEqual(c.typeChecking, .check)
        XCTAssertFalse(c.inlineIgnores)
        XCTAssertEqual(c.tighten, .stage)
        XCTAssertNil(c.server.refs, "an unset server key stays unset, so it cannot override the server's git config")
        XCTAssertTrue(c.server.isEmpty)
    }

    func testEveryKeyInPyproject() throws {
        let c = try Config.parse("""
        [project]
        name = "x"

        [tool.ssot]
        baseline = "ci/ssot-baseline"
        source-roots = ["./src/", "."]
        include = ["**/*.py"]
        exclude = ["build"]
        max-file-size = 2048
        type-checking = "ignore"
        inline-ignores = true
        tighten = "warn"

        [[tool.ssot.rule]]
        id = "a-b"
        kind = "singleton"
        banned = ["m.get"]
        replacement = "m.make()"

        [tool.ssot.server]
        refs = ["refs/heads/main"]
        default-branch = "refs/heads/main"
        bypass-users = ["alice"]
        audit-log = "ssot-audit.log"
        user-variable = "SSOT_USER"
        """, file: "pyproject.toml")!
        XCTAssertEqual(c.file, "pyproject.toml")
        XCTAssertEqual(c.baseline, "ci/ssot-baseline")
        XCTAssertEqual(c.sourceRoots, ["src", ""])
        XCTAssertEqual(c.exclude.map(\.pattern), ["build"])
        XCTAssertEqual(c.maxFileSize, 2048)
        XCTAssertEqual(c.typeChecking, .ignore)
        XCTAssertTrue(c.inlineIgnores)
        XCTAssertEqual(c.tighten, .warn)
        XCTAssertEqual(c.rules.map(\.id), ["a-b"])
        XCTAssertEqual(c.rules[0].replacement, "m.make()")
        XCTAssertEqual(c.server.defaultBranch, "refs/heads/main")
        XCTAssertEqual(c.server.bypassUsers, ["alice"])
        XCTAssertEqual(c.server.auditLog, "ssot-audit.log")
        XCTAssertEqual(c.server.userVariable, "SSOT_USER")
        XCTAssertEqual(c.server.refs?.map(\.pattern), ["refs/heads/main"])
    }

    func testPyprojectWithoutToolSsotIsNotAdopted() throws {
        XCTAssertNil(try Config.parse("[project]\nname = \"x\"\n[tool.ruff]\nline-length = 100\n", file: "pyproject.toml"))
    }

    func testSyntaxErrorNamesFileLineAndColumn() {
        XCTAssertEqual(parseError("baseline = \"x\"\nsource-roots = [\n"),
                       "ssot.toml:2:18: invalid TOML: Error while parsing array: encountered end-of-file")
    }

    /// toml++ through CTOML (issue 16): every TOML value kind comes back with
    /// its type, and what TOML allows in strings arrives decoded.
    func testEveryTOMLValueKindIsReadWithItsType() throws {
        XCTAssertEqual(parseError("max-file-size = 1.5\n"), "ssot.toml:1:1: max-file-size: must be a positive integer (bytes)")
        XCTAssertEqual(parseError("max-file-size = -5\n"), "ssot.toml:1:1: max-file-size: must be a positive integer (bytes)")
        XCTAssertEqual(parseError("baseline = 1979-05-27T07:32:00Z\n"), "ssot.toml:1:1: baseline: must be a string, not a date or time")
        XCTAssertEqual(parseError("baseline = [1, true]\n"), "ssot.toml:1:1: baseline: must be a string, not an array")
        let c = try XCTUnwrap(Config.parse(#"""
        baseline = "b\u00e9.txt"
        max-file-size = 9_223_372_036_854_775_807
        inline-ignores = true
        [[rule]]
        id = "a"
        kind = "import"
        banned = ["x.y", 'z']
        [[rule]]
        id = "b"
        kind = "singleton"
        banned = ["""z.get"""]

        """#, file: "ssot.toml"))
        XCTAssertEqual(c.baseline, "bé.txt")
        XCTAssertEqual(c.maxFileSize, Int.max)
        XCTAssertTrue(c.inlineIgnores)
        XCTAssertEqual(c.rules.map(\.banned), [["x.y", "z"], ["z.get"]])
        XCTAssertNotNil(try Config.parse("", file: "ssot.toml"), "an empty ssot.toml is a config with no rules")
        XCTAssertEqual(parseError("a = 1\na = 2\n"), "ssot.toml:2:5: invalid TOML: Error while parsing key-value pair: cannot redefine existing integer 'a'")
    }

    /// Second review of issue 12: a key of 20,000 dotted parts crashed toml++
    /// (its table destructor recursed past the stack), a pushed config of
    /// 50 MB held the gate for seconds, and a decomposed `é` in a path was a
    /// different file that compared equal in the loosening check.
    func testHostileConfigsAreConfigErrors() throws {
        XCTAssertEqual(parseError(Array(repeating: "a", count: 20_000).joined(separator: ".") + " = 1\n"),
                       "ssot.toml:1:256: invalid TOML: a key of more than 128 dotted parts")
        XCTAssertEqual(parseError("[" + Array(repeating: "a", count: 100_000).joined(separator: ".") + "]\n"),
                       "ssot.toml:1:257: invalid TOML: a key of more than 128 dotted parts")
        let dotted = String(repeating: ".", count: 500)
        XCTAssertNotNil(try Config.parse("[[rule]]\nid = \"a\"\nkind = \"import\"\nbanned = [\"x\"]\nmessage = \"\(dotted)\"\n"
                                         + "replacement = '''\n\(dotted)'''\n# \(dotted)\n", file: "ssot.toml"),
                        "dots in strings and comments are not a key's")
        XCTAssertEqual(parseError("# " + String(repeating: "x", count: 2 << 20) + "\n"),
                       "ssot.toml:1:1: 2097155 bytes is more than a config may hold (1048576)")
        XCTAssertEqual(parseError("exclude = [\"cafe\u{301}/**\"]\n"),
                       "ssot.toml:1:1: exclude: \"cafe\u{301}/**\" is not in Unicode NFC, the form ssot keys paths by: write it composed")
        XCTAssertEqual(parseError("source-roots = [\"a\\u0000b\"]\n"), "ssot.toml:1:1: source-roots: \"a\\x00b\" holds a control character")
        XCTAssertEqual(parseError("baseline = \"ssot.toml\"\n"),
                       "ssot.toml:1:1: baseline: \"ssot.toml\" is a config file; the baseline must be a file of its own")
        XCTAssertNotNil(try Config.parse("exclude = [\"caf\u{E9}/**\"]\n", file: "ssot.toml"), "composed is fine")
    }

    /// Banned and canonical names are read in NFKC, as Python reads the
    /// identifiers they must match: a decomposed `é` crashed the matcher
    /// (`hasPrefix` is canonical equivalence; the index after it counted bytes).
    func testNamesAreReadAsPythonReadsThem() throws {
        let c = try XCTUnwrap(Config.parse("[[rule]]\nid = \"r\"\nkind = \"import\"\nbanned = [\"app.cafe\\u0301\"]\ncanonical = \"app.\\uFF4Eew\"\n", file: "ssot.toml"))
        XCTAssertEqual(Array(c.rules[0].banned[0].utf8), Array("app.caf\u{E9}".utf8))
        XCTAssertEqual(c.rules[0].canonical, "app.new")
        let checker = FileChecker(config: c)
        func found(_ source: String) -> Int {
            Array(source.utf8).withUnsafeBufferPointer { checker.check(path: "x.py", bytes: $0) }.findings.count
        }
        XCTAssertEqual(found("import app.caf\u{E9}\n"), 1)
        XCTAssertEqual(found("import app.caf\u{E9}x\n"), 0, "a longer name is not under the banned one")
        XCTAssertEqual(found("from app.caf\u{E9} import M\n"), 1)
    }

    func testUnknownKeyNamesItsLine() {
        XCTAssertEqual(parseError("[tool.ssot]\nbaseline = \"b\"\n  sorce-roots = [\".\"]\n", file: "pyproject.toml"),
                       "pyproject.toml:3:3: tool.ssot.sorce-roots: unknown key (expected one of: baseline, exclude, include, inline-ignores, max-file-size, rule, server, source-roots, tighten, type-checking)")
    }

    func testUnknownRuleKey() {
        XCTAssertEqual(parseError("[[rule]]\nid = \"a\"\nkind = \"import\"\nbanned = [\"x\"]\n\n[[rule]]\nid = \"b\"\nkind = \"import\"\nbaned = [\"y\"]\n"),
                       "ssot.toml:9:1: rule[2].baned: unknown key (expected one of: allow-in, banned, canonical, goal-date, goal-files, id, kind, message, replacement)")
    }

    func testWrongTypes() {
        XCTAssertEqual(parseError("max-file-size = \"big\"\n"), "ssot.toml:1:1: max-file-size: must be a positive integer (bytes)")
        XCTAssertEqual(parseError("inline-ignores = \"yes\"\n"), "ssot.toml:1:1: inline-ignores: must be true or false")
        XCTAssertEqual(parseError("exclude = \"build\"\n"), "ssot.toml:1:1: exclude: must be an array of strings, not a string")
        XCTAssertEqual(parseError("include = [\"a\", 3]\n"), "ssot.toml:1:1: include: item 2 must be a string, not an integer")
        XCTAssertEqual(parseError("tighten = \"always\"\n"), "ssot.toml:1:1: tighten: must be \"stage\", \"warn\" or \"off\", not \"always\"")
    }

    func testRuleValidation() {
        let rule = { (body: String) in "[[rule]]\n" + body }
        XCTAssertEqual(parseError(rule("id = \"Bad_Id\"\nkind = \"import\"\nbanned = [\"x\"]\n")),
                       "ssot.toml:2:1: rule[1].id: \"Bad_Id\" is not a kebab-case id (lowercase letters, digits and single dashes)")
        XCTAssertEqual(parseError(rule("id = \"a\"\nkind = \"import\"\nbanned = []\n")),
                       "ssot.toml:4:1: rule[1].banned: must name at least one module or name")
        XCTAssertEqual(parseError(rule("id = \"a\"\nkind = \"module\"\nbanned = [\"x\"]\n")),
                       "ssot.toml:3:1: rule[1].kind: must be \"import\" or \"singleton\", not \"module\"")
        XCTAssertEqual(parseError(rule("id = \"a\"\nkind = \"import\"\nbanned = [\"x..y\"]\n")),
                       "ssot.toml:4:1: rule[1].banned: \"x..y\" is not a dotted Python name")
        // Attack (a hostile review's find): a canonical module the rule itself bans counted each import on both sides.
        XCTAssertEqual(parseError(rule("id = \"a\"\nkind = \"import\"\nbanned = [\"old.mod\"]\ncanonical = \"old.mod\"\n")),
                       "ssot.toml:5:1: rule[1].canonical: \"old.mod\" is banned by the rule itself (\"old.mod\"); name a module outside its banned list")
        XCTAssertTrue(parseError(rule("id = \"a\"\nkind = \"import\"\nbanned = [\"x\", \"old\"]\ncanonical = \"old.new\"\n"))
            .contains("\"old.new\" is banned by the rule itself (\"old\")"))
        XCTAssertEqual(parseError(rule("id = \"a\"\nkind = \"import\"\nbanned = [\"old.mod\"]\ncanonical = \"old\"\n")), "no error")
        XCTAssertEqual(parseError(rule("id = \"a\"\nkind = \"import\"\nbanned = [\"old.mod\"]\ncanonical = \"old.modern\"\n")), "no error")
        XCTAssertEqual(parseError(rule("kind = \"import\"\nbanned = [\"x\"]\n")), "ssot.toml:1:1: rule[1]: a rule needs an id")
        XCTAssertEqual(parseError(rule("id = \"a\"\nkind = \"import\"\nbanned = [\"x\"]\n") + rule("id = \"a\"\nkind = \"import\"\nbanned = [\"y\"]\n")),
                       "ssot.toml:6:1: rule[2].id: duplicate rule id \"a\" (also rule 1)")
    }

    func testCRLFConfigLocatesKeys() {
        XCTAssertEqual(parseError("[[rule]]\r\nid = \"a\"\r\nkind = \"import\"\r\nbanned = []\r\n"),
                       "ssot.toml:4:1: rule[1].banned: must name at least one module or name")
    }

    func testBadGlob() {
        XCTAssertEqual(parseError("exclude = [\"gen/[ab\"]\n"), "ssot.toml:1:1: exclude: unclosed '[' in glob \"gen/[ab\"")
    }

    func testPathsMustStayInsideTheRepository() {
        XCTAssertEqual(parseError("baseline = \"../outside\"\n"), "ssot.toml:1:1: baseline: \"../outside\" must be a path inside the repository")
    }
}

final class GlobTests: XCTestCase {
    func testMatching() throws {
        let cases: [(String, String, Bool)] = [
            ("**/*.py", "a.py", true), ("**/*.py", "a/b/c.py", true), ("**/*.py", "a/b/c.pyc", false),
            ("app/ws/**", "app/ws/x.py", true), ("app/ws/**", "app/wsx/x.py", false), ("app/ws/**", "app/ws/a/b.py", true),
            ("migrations", "app/migrations/0001.py", true), ("build", "rebuild/x.py", false),
            ("*_pb2.py", "a/b/x_pb2.py", true), ("tests/test_?.py", "tests/test_a.py", true),
            ("tests/test_[ab].py", "tests/test_c.py", false), ("tests/test_[!ab].py", "tests/test_c.py", true),
            ("a/**/z.py", "a/z.py", true), ("a/**/z.py", "a/b/c/z.py", true), ("/root.py", "root.py", true),
            ("app/ws/**", "app/ws", true), ("app/ws/**", "app/w", false), ("app/ws/x.py", "app/ws/x.py/inner", true),
            ("**/*.py", "pkg.py/readme.txt", true), ("**/*.py", "a/b.pyc/c", false),
        ]
        for (pattern, path, expected) in cases {
            XCTAssertEqual(try Glob(pattern).matches(path), expected, "\(pattern) ~ \(path)")
        }
    }
}
