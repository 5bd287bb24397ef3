import Foundation
import TestSupport
import XCTest

/// Issue 11, item 3: spellings of a banned import or use that CPython's
/// compiler reads as the plain form. Each one imports `app.legacy` when
/// CPython runs it (shown below, line by line), and each is refused by the
/// gate as the plain statement would be.
extension PreCommitTests {
    static let sameTreeImports = [
        #"importlib.import_module(("app.legacy"))"#,
        #"importlib.import_module(name="app.legacy")"#,
        #"importlib.import_module(".legacy", "app")"#,
        #"importlib.import_module(".legacy", package="app")"#,
        #"importlib.import_module("app\x2elegacy")"#,
        #"importlib.import_module("app\u002elegacy")"#,
        #"importlib.import_module("app\056legacy")"#,
        #"importlib.import_module(f"app.legacy")"#,
        #"importlib.import_module(F"app" ".legacy")"#,
        #"(importlib.import_module)("app.legacy")"#,
        #"__import__("app", fromlist=["legacy"])"#,
        #"__import__("app", None, None, ("legacy",), 0)"#,
        #"builtins.__import__("app.legacy")"#,
        #"importlib.__import__("app.legacy")"#,
        #"__builtins__.__import__("app.legacy")"#,
        #"importlib.import_module.__call__("app.legacy")"#,
        #"__import__.__call__.__call__("app.legacy")"#,
    ]

    func testSameTreeDynamicImportsRunInCPythonAndAreRefused() {
        let body = PreCommitTests.sameTreeImports.joined(separator: "\n")
        repo.write("app/sneak.py", "import builtins\nimport importlib\n" + body + "\n")
        // What CPython does with each line: it imports app.legacy.
        let probe = """
        import sys; sys.path.insert(0, sys.argv[1])
        import builtins, importlib
        for line in sys.argv[2].split("\\n"):
            for m in [m for m in sys.modules if m.startswith("app")]: del sys.modules[m]
            exec(line, {"importlib": importlib, "builtins": builtins, "__builtins__": builtins})
            print("app.legacy" in sys.modules)
        """
        let ran = runProcess(Pythons.python3, ["-c", probe, repo.path, body])
        XCTAssertEqual(ran.stdout, String(repeating: "True\n", count: PreCommitTests.sameTreeImports.count), ran.output)
        repo.git(["add", "-A"])
        let expected = PreCommitTests.sameTreeImports.indices.map { "app/sneak.py:\($0 + 3):" }
        let r = commit()
        assertRejected(r, expected + ["Found \(PreCommitTests.sameTreeImports.count) new findings"])
        let json = ssot(["check", "--staged", "--format", "json"], in: repo.path)
        XCTAssertEqual(json.stdout.components(separatedBy: "\"from app import legacy\"").count - 1, 2, json.stdout)
        XCTAssertEqual(json.stdout.components(separatedBy: "\"import app.legacy\"").count - 1,
                       PreCommitTests.sameTreeImports.count - 2, json.stdout)
        // `--all`, with its prefilter, gives the same verdict.
        let all = ssot(["check", "--no-baseline", "app/sneak.py"], in: repo.path)
        XCTAssertTrue(all.stdout.contains("Found \(PreCommitTests.sameTreeImports.count) new findings"), all.output)
    }

    func testParenthesisedUsesAndStarImportsAreRefused() {
        let text = """
        from app import get_manager as g
        (g)()
        ((g)).__call__()
        (g).x = 1

        """
        repo.write("app/paren.py", text)
        repo.write("app/star.py", "from app import *\nget_manager()\n")
        let seen = runProcess(Pythons.python3, ["-c", "import ast,sys; print(ast.dump(ast.parse('(g).x = 1').body[0].targets[0].value))"])
        XCTAssertEqual(seen.stdout, "Name(id='g', ctx=Load())\n", "an attribute store reads the name, binds nothing")
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/paren.py:1:", "app/paren.py:2:2:", "app/paren.py:3:3:", "app/paren.py:4:2:",
                                  "app/star.py:1:17:", "app/star.py:2:1:", "from app import *", "use app.get_manager"])
    }

    /// A `\N{…}` escape names a character by its Unicode name; ssot has no
    /// table of names, so the file is one the gate cannot check: refused.
    func testANamedEscapeInADynamicImportFailsClosed() {
        repo.write("app/named.py", "import importlib\nimportlib.import_module(\"app\\N{FULL STOP}legacy\")\n")
        let ran = runProcess(Pythons.python3, ["-c", "import sys; sys.path.insert(0, sys.argv[1]); import runpy;"
            + " runpy.run_path(sys.argv[1] + '/app/named.py'); print('app.legacy' in sys.modules)", repo.path])
        XCTAssertEqual(ran.stdout, "True\n", ran.output)
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/named.py", "\\N{…}", "not checked"])
    }

    /// The third hostile review: a backslash line that indents the next
    /// statement into the block above, and a bare annotation taken for a
    /// binding, each hid a use that CPython runs.
    func testABackslashIndentedRebindingAndABareAnnotationHideNoUse() {
        repo.write("app/indent.py", "import app as w\ndef f():\n    pass\n    \\\nw = None\nw.get_manager()\n")
        repo.write("app/annotated.py", "import app as w\nw: int\nw.get_manager()\n")
        let probe = "import ast,sys; t=ast.parse(open(sys.argv[1]).read()); print(len(t.body), type(t.body[1].body[-1]).__name__)"
        let seen = runProcess(Pythons.python3, ["-c", probe, repo.path + "/app/indent.py"])
        XCTAssertEqual(seen.stdout, "3 Assign\n", "CPython puts `w = None` inside f: " + seen.output)
        repo.git(["add", "-A"])
        assertRejected(commit(), ["app/indent.py:6:1: legacy-singleton", "app/annotated.py:3:1: legacy-singleton"])
    }
}
