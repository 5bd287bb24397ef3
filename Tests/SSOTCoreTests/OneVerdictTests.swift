import SSOTCore
import TestSupport
import XCTest

/// Issue 11, item 4 (SPEC 2, "every mode gives the same verdict"): the
/// whole-tree scan, which lets its prefilter skip files, and the gate's
/// thorough scan find the same things in every file. `import_module("…unified"
/// "_manager")` was reported by `--staged` but not by `--all` or
/// `ssot baseline`, so adopted code could never be edited again.
final class OneVerdictTests: XCTestCase {
    let config = try! Config.parse("""
    source-roots = ["."]

    [[rule]]
    id = "ws-import"
    kind = "import"
    banned = ["app.ws.unified_manager", "app.ws.get_manager"]

    [[rule]]
    id = "ws-singleton"
    kind = "singleton"
    banned = ["app.ws.get_manager"]
    """, file: "ssot.toml")!

    func findings(_ text: String, thorough: Bool, path: String = "svc/x.py") -> [String] {
        let checker = FileChecker(config: config, thorough: thorough)
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { checker.check(path: path, bytes: $0) }.findings
            .map { "\($0.line):\($0.column) \($0.rule) \($0.fingerprint)" }
    }

    func testAdjacentLiteralsAreFoundInEveryMode() {
        let text = "import importlib\nm = importlib.import_module(\"app.ws.unified\" \"_manager\")\n"
        XCTAssertEqual(findings(text, thorough: true), ["2:29 ws-import import app.ws.unified_manager"])
        XCTAssertEqual(findings(text, thorough: false), findings(text, thorough: true))
        let builtin = "m = __import__('app.' 'ws' '.unified_manager')\n"
        XCTAssertEqual(findings(builtin, thorough: false), findings(builtin, thorough: true))
        XCTAssertEqual(findings(builtin, thorough: true).count, 1)
    }

    /// Second review: one long module imported with thousands of names made the
    /// findings' size the square of the file's; nested lambdas ran past the stack.
    func testHostileShapesAreUncheckableNotQuadraticOrFatal() {
        let checker = FileChecker(config: config, thorough: true)
        let long = Array(("from app.ws.unified_manager." + Array(repeating: "x", count: 1500).joined(separator: ".") + " import "
            + Array(repeating: "a", count: 5000).joined(separator: ",") + "\n").utf8)
        let report = long.withUnsafeBufferPointer { checker.check(path: "svc/x.py", bytes: $0) }
        XCTAssertTrue(report.uncheckable?.contains("many times its own size") ?? false, "\(String(describing: report.uncheckable))")
        XCTAssertTrue(report.findings.isEmpty)
        let lambdas = Array(("from app.ws import get_manager\nx = " + String(repeating: "lambda a=", count: 20_000) + "get_manager()"
            + String(repeating: ":0", count: 20_000) + "\n").utf8)
        let deep = lambdas.withUnsafeBufferPointer { checker.check(path: "svc/x.py", bytes: $0) }
        XCTAssertTrue(deep.uncheckable?.contains("lambdas nested more than 200 deep") ?? false, "\(String(describing: deep.uncheckable))")
    }

    /// Seeded random files built from the pieces that make and hide findings.
    func testRandomFilesGiveTheSameFindingsWithAndWithoutThePrefilter() {
        let pieces = [
            "import app.ws.unified_manager\n", "from app.ws import unified_manager\n", "from app.ws import get_manager as g\n",
            "g()\n", "get_manager()\n", "from app import ws\n", "ws.get_manager()\n", "import importlib\n",
            "importlib.import_module(\"app.ws.\" \"unified_manager\")\n", "importlib.import_module(\"app.ws.uni\"\n    \"fied_manager\")\n",
            "__import__(\"app\" \".ws.get_manager\")\n", "x = 'app.ws.unified_manager'\n", "# from app.ws import get_manager\n",
            "def f(get_manager):\n    return get_manager()\n", "from .ws import get_manager\n", "from . import ws\n",
            "from importlib import import_module as im\n", "im(\"app.ws.unified_\" \"manager\")\n", "\"\"\"doc\n", "'''\n",
            "f'{get_manager()}'\n", "class C:\n    get_manager = 1\n", "if x:\n    import app.ws.get_manager\n", "y = (\n", ")\n",
            // NFKC lookalikes (issue 11, item 1), and prose that folds to nothing banned.
            "from app.ws import ｇet_manager as g\n", "ｇet_manager()\n", "import ａpp.ws.ｕnified_manager\n",
            "from . import ｗs\n", "x = 'café … naïve ™'\n", "# ﬁle ｆｏｏ\n",
            // The same syntax tree (item 3): escapes, keywords, fromlist, parentheses, star imports.
            "from app.ws import *\n", "from . import *\n", "from app.ws import  \\\n *\n", "(g).x = 1\n", "(g)()\n",
            "importlib.import_module(\"app\\x2ews.unified\\x5fmanager\")\n", "importlib.import_module(name=f\"app.ws.unified_manager\")\n",
            "importlib.import_module(\".unified_manager\", \"app.ws\")\n", "__import__(\"app.ws\", fromlist=[\"get_manager\"])\n",
            "__import__(\"\", globals(), None, [\"get_manager\"], 1)\n", "import builtins\nbuiltins.__import__(\"app.ws.unified_manager\")\n",
        ]
        var rng = SplitMix(seed: 0x5507)
        var checked = 0
        for _ in 0..<3_000 {
            let n = Int(rng.next() % 8) + 1
            var text = ""
            for _ in 0..<n { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
            for path in ["svc/x.py", "app/ws/inner.py", "app/other.py"] {
                let fast = findings(text, thorough: false, path: path), full = findings(text, thorough: true, path: path)
                XCTAssertEqual(fast, full, "\(path):\n\(text)")
                if fast != full { return }
                checked += full.isEmpty ? 0 : 1
            }
        }
        XCTAssertGreaterThan(checked, 1_000, "the generator makes findings")
    }
}
