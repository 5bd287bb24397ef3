import SSOTCore
import SSOTReport
import XCTest
@testable import SSOTEngine

/// Each reason `ssot fix` leaves a finding (SPEC 8), at the position a
/// marker shows, and the file left exactly as it was.
final class FixRefusalTests: XCTestCase {
    var fixture = FixFixture()

    func assertReasons(_ marked: String, _ expected: [String: String], path: String = "app/routes/chat.py",
                       file: StaticString = #filePath, line: UInt = #line) {
        let (source, at) = FixFixture.markers(marked)
        let result = fixture.fix(path, source)
        var got: [String: String] = [:]
        for (marker, position) in at { got[marker] = result.decisions[position] ?? "no finding" }
        XCTAssertEqual(got, expected, file: file, line: line)
        XCTAssertEqual(result.text, source, "the file is left as it was", file: file, line: line)
    }

    func testANameTheCanonicalModuleDoesNotExportIsNotExported() {
        // The canonical module binds IsolatedWebSocketManager only as _Isolated: a private name is no export.
        assertReasons("from app.ws.manager import 1️⃣IsolatedWebSocketManager, 2️⃣_helper\n",
                      ["1️⃣": "not exported", "2️⃣": "not exported"])
        let details = fixture.fix("app/routes/chat.py", "from app.ws.manager import IsolatedWebSocketManager, _helper\n").fix
            .decisions.map(\.detail)
        XCTAssertEqual(details, ["app.ws.canonical binds it only as _Isolated, a private name", "app.ws.canonical does not bind it"])
    }

    func testASameNamedOtherObjectIsADifferentObject() {
        // manager.Connection and canonical.Connection are two classes.
        assertReasons("from app.ws.manager import 1️⃣Connection\n", ["1️⃣": "different object"])
    }

    func testModuleImportsAreReported() {
        assertReasons("import 1️⃣app.ws.manager\nimport 2️⃣app.ws.manager as m\nfrom app.ws import 3️⃣manager\n",
                      ["1️⃣": "module import", "2️⃣": "module import", "3️⃣": "module import"])
    }

    func testAnImportGuardedByExceptImportErrorIsLeft() {
        assertReasons("""
            try:
                from app.ws.manager import 1️⃣WebSocketManager
            except ImportError:
                WebSocketManager = None
            try:
                from app.ws.manager import 2️⃣UnifiedWebSocketManager
            except (KeyError, ModuleNotFoundError):
                pass
            try:
                from app.ws.manager import 3️⃣Unified
            except:
                pass

            """, ["1️⃣": "guarded", "2️⃣": "guarded", "3️⃣": "guarded"])
    }

    func testATryThatCatchesSomethingElseIsNotAGuard() {
        let out = fixture.fix("app/routes/chat.py", "try:\n    from app.ws.manager import Unified\nexcept KeyError:\n    pass\n")
        XCTAssertEqual(out.text, "try:\n    from app.ws.canonical import UnifiedWebSocketManager as Unified\nexcept KeyError:\n    pass\n")
    }

    func testDynamicAndStarImportsAreReported() {
        assertReasons("""
            import importlib
            m = importlib.import_module(1️⃣"app.ws.manager")
            n = __import__(2️⃣"app.ws.manager", fromlist=["Connection"])
            from app.ws.manager import 3️⃣*

            """, ["1️⃣": "dynamic", "2️⃣": "dynamic", "3️⃣": "star import"])
    }

    func testSingletonImportsAndUsesAreListedNotRewritten() {
        assertReasons("from app.ws import 1️⃣get_manager\n\ndef f():\n    return 2️⃣get_manager()\n",
                      ["1️⃣": "singleton use", "2️⃣": "singleton use"])
        let d = fixture.fix("app/routes/chat.py", "from app.ws import get_manager\nget_manager()\n").fix.decisions
        XCTAssertTrue(d.allSatisfy { $0.detail.contains("app.ws.create_manager(ctx)") }, "\(d.map(\.detail))")
    }

    func testWhatTheTextCannotDecideIsUnresolvedNeverAGuess() {
        assertReasons("""
            from app.ws.manager import 1️⃣Codec, 2️⃣Mode, 3️⃣Reset, 4️⃣Loop, 5️⃣Main, 6️⃣Missing

            """, ["1️⃣": "unresolved", "2️⃣": "unresolved", "3️⃣": "unresolved", "4️⃣": "unresolved",
                  "5️⃣": "unresolved", "6️⃣": "unresolved"])
        let details = fixture.fix("app/routes/chat.py", "from app.ws.manager import Codec, Mode, Reset, Loop\n").fix.decisions
            .map(\.detail).sorted()
        XCTAssertEqual(details, [
            "app.ws.cycle_a.Loop is part of an import cycle",
            "app.ws.manager.Codec is bound inside a `try` statement",
            "app.ws.manager.Mode is bound differently by the branches of an `if`",
            "app.ws.manager.Reset is rebound by a function that declares it `global`",
        ])
    }

    func testANameReboundAfterItsImportIsWhatItWasReboundTo() {
        // Rebound = UnifiedWebSocketManager; Rebound = IsolatedWebSocketManager: the second wins.
        assertReasons("from app.ws.manager import 1️⃣Rebound\n", ["1️⃣": "not exported"])
    }

    func testAStarImportOrModuleGetattrInTheLegacyModuleMakesItsNamesUnknown() {
        fixture.files["app/ws/manager.py"] = "from app.ws.unified import *\nfrom app.ws.unified import UnifiedWebSocketManager as U\n"
        let out = fixture.fix("app/routes/chat.py", "from app.ws.manager import U, UnifiedWebSocketManager\n")
        XCTAssertEqual(out.decisions, ["1:28": "fixed", "1:31": "unresolved"])
        XCTAssertEqual(out.text, "from app.ws.manager import UnifiedWebSocketManager\nfrom app.ws.canonical import UnifiedWebSocketManager as U\n")
        fixture.files["app/ws/manager.py"] = "def __getattr__(name): ...\n"
        assertReasons("from app.ws.manager import 1️⃣UnifiedWebSocketManager\n", ["1️⃣": "unresolved"])
    }

    func testARuleWithoutACanonicalModuleSaysSo() {
        fixture.configText = "[[rule]]\nid = \"ws-import\"\nkind = \"import\"\nbanned = [\"app.ws.manager\"]\n"
        assertReasons("from app.ws.manager import 1️⃣WebSocketManager\n", ["1️⃣": "no canonical module"])
    }

    func testTheCanonicalModuleItselfIsNotRewritten() {
        fixture.configText = FixFixture.config.replacingOccurrences(of: "allow-in = [\"app/ws/**\"]\n", with: "")
        assertReasons("from app.ws.manager import 1️⃣WebSocketManager\n", ["1️⃣": "unresolved"], path: "app/ws/canonical.py")
    }

    func testAFileTheCanonicalModuleLoadsIsNotPointedAtIt() {
        // canonical → app.routes.shared: `from app.ws.canonical import …` there would be an import cycle.
        fixture.files["app/ws/canonical.py"]! += "\nfrom app.routes.shared import settings\n"
        fixture.files["app/routes/__init__.py"] = ""
        let out = fixture.fix("app/routes/shared.py", "from app.ws.manager import WebSocketManager\nsettings = 1\n")
        XCTAssertEqual(out.decisions, ["1:28": "unresolved"])
        XCTAssertEqual(out.fix.decisions.first?.detail,
                       "app.ws.canonical loads this module (imported by app.ws.canonical): importing from it here would be circular")
    }

    func testAReExportChainLongerThanTheHopLimitIsUnresolvedNotACrash() {
        // app/ws/manager.py → chain0 → chain1 → … → chain299, which defines the class.
        fixture.files["app/ws/manager.py"] = "from app.ws.chain0 import Deep\n"
        for i in 0..<300 { fixture.files["app/ws/chain\(i).py"] = "from app.ws.chain\(i + 1) import Deep\n" }
        fixture.files["app/ws/chain300.py"] = "class Deep: ...\n"
        fixture.files["app/ws/canonical.py"] = "from app.ws.chain300 import Deep\n"
        let out = fixture.fix("app/routes/chat.py", "from app.ws.manager import Deep\n")
        XCTAssertEqual(out.decisions, ["1:28": "unresolved"])
        XCTAssertTrue(out.fix.decisions[0].detail.contains("more than 100 re-exports"), out.fix.decisions[0].detail)
        // Within the limit the same chain is followed.
        fixture.files["app/ws/manager.py"] = "from app.ws.chain250 import Deep\n"
        XCTAssertEqual(fixture.fix("app/routes/chat.py", "from app.ws.manager import Deep\n").text,
                       "from app.ws.canonical import Deep\n")
    }

    func testAStatementBindingOneNameTwiceIsLeft() {
        assertReasons("from app.ws.manager import 1️⃣WebSocketManager as X, 2️⃣Connection as X\n",
                      ["1️⃣": "unresolved", "2️⃣": "unresolved"])
    }

    func testANameThatIsAlsoASubmoduleIsUnresolved() {
        // canonical.helper is bound and is a submodule: importing app.ws.canonical.helper anywhere replaces it.
        fixture.files["app/ws/canonical.py"] = nil
        fixture.files["app/ws/canonical/__init__.py"] = "from app.ws.unified import UnifiedWebSocketManager as helper\n"
        fixture.files["app/ws/canonical/helper.py"] = ""
        fixture.files["app/ws/manager.py"] = "from app.ws.unified import UnifiedWebSocketManager as helper\n"
        assertReasons("from app.ws.manager import 1️⃣helper\n", ["1️⃣": "unresolved"])
        fixture.files["app/ws/manager/__init__.py"] = fixture.files["app/ws/manager.py"]
        fixture.files["app/ws/manager.py"] = nil
        fixture.files["app/ws/manager/helper.py"] = ""
        assertReasons("from app.ws.manager import 1️⃣helper\n", ["1️⃣": "unresolved"])
    }

    func testWritesThroughTheModuleNamespaceMakeAllItsNamesUnknown() {
        for trick in ["setattr(sys.modules[__name__], 'X', 1)", "vars()['X'] = 1", "locals()['X'] = 1", "exec('X = 1')",
                      "sys.modules[__name__] = object()", "globals().update(X=1)"] {
            fixture.files["app/ws/manager.py"] = "import sys\nfrom app.ws.unified import UnifiedWebSocketManager\n\(trick)\n"
            assertReasons("from app.ws.manager import 1️⃣UnifiedWebSocketManager\n", ["1️⃣": "unresolved"])
        }
    }

    func testEverydayCodeAboutOtherObjectsInFunctionsIsNoNamespaceWrite() {
        // setattr(self, …), self.__class__ and sys.modules.get(…) in a function: urllib.request has them.
        fixture.files["app/ws/canonical.py"]! += """

            import sys
            class Holder:
                def set(self, k, v):
                    setattr(self, k, v)
                    return self.__class__, vars(self), sys.modules.get(k)

            """
        XCTAssertEqual(fixture.fix("app/routes/chat.py", "from app.ws.manager import UnifiedWebSocketManager\n").text,
                       "from app.ws.canonical import UnifiedWebSocketManager\n")
        // A function that reaches the module itself does count, wherever it is.
        fixture.files["app/ws/manager.py"]! += "\nimport sys\ndef _patch():\n    setattr(sys.modules[__name__], 'UnifiedWebSocketManager', 1)\n"
        assertReasons("from app.ws.manager import 1️⃣UnifiedWebSocketManager\n", ["1️⃣": "unresolved"])
    }

    func testANameAssignedFromAnotherModuleIsUnknown() {
        // The canonical module patches the legacy one after importing from it.
        fixture.files["app/ws/canonical.py"]! += "\nfrom app.ws import manager as _m\n_m.UnifiedWebSocketManager = Connection\n"
        assertReasons("from app.ws.manager import 1️⃣UnifiedWebSocketManager\n", ["1️⃣": "unresolved"])
    }

    func testAComputedImportInTheCanonicalModuleBlocksRewrites() {
        fixture.files["app/ws/canonical.py"]! += "\nimport importlib\nplugin = importlib.import_module(NAME)\n"
        assertReasons("from app.ws.manager import 1️⃣UnifiedWebSocketManager\n", ["1️⃣": "unresolved"])
        // A literal name is a load like an import: the file it names is not pointed at the canonical module.
        fixture.files["app/ws/canonical.py"] = FixFixture.tree["app/ws/canonical.py"]! + "\nimport importlib\nimportlib.import_module(\"app.routes.chat\")\n"
        assertReasons("from app.ws.manager import 1️⃣UnifiedWebSocketManager\n", ["1️⃣": "unresolved"])
        XCTAssertEqual(fixture.fix("app/routes/other.py", "from app.ws.manager import UnifiedWebSocketManager\n").text,
                       "from app.ws.canonical import UnifiedWebSocketManager\n")
    }

    func testHostileShapesCostLinearTimeAndNestingIsBounded() {
        // 100,000 comments between two imports of one block, and 5,000 import statements with a comment each:
        // once quadratic (14 s and 1.7 s), now linear.
        let comments = "from app.ws.canonical import Connection as C\n" + String(repeating: "# c\n", count: 100_000)
            + "from app.ws.manager import Connection, UnifiedWebSocketManager\n"
        XCTAssertTrue(fixture.fix("app/routes/a.py", comments).text.contains("from app.ws.canonical import Connection as C, UnifiedWebSocketManager\n"))
        let many = (0..<5_000).map { "from app.ws.manager import UnifiedWebSocketManager as U\($0)  # c\($0)\n" }.joined()
        XCTAssertTrue(fixture.fix("app/routes/b.py", many).text.hasPrefix("from app.ws.canonical import UnifiedWebSocketManager as U0  # c0\n"))
        // A legacy module nested past CPython's limit is not walked into, and vouches for nothing.
        fixture.files["app/ws/manager.py"] = "from app.ws.unified import UnifiedWebSocketManager\n"
            + (0..<300).map { String(repeating: " ", count: $0) + "if x:\n" }.joined() + String(repeating: " ", count: 300) + "pass\n"
        assertReasons("from app.ws.manager import 1️⃣UnifiedWebSocketManager\n", ["1️⃣": "unresolved"])
    }

    func testAFileThatDoesNotScanCleanlyIsNeverRewritten() {
        assertReasons("from app.ws.manager import 1️⃣UnifiedWebSocketManager\nx = (\n", ["1️⃣": "unresolved"])
        assertReasons("from app.ws.manager import 1️⃣UnifiedWebSocketManager\ns = 'open\n", ["1️⃣": "unresolved"])
    }

    func testTheSummaryIsTheMigrationPlan() {
        let a = fixture.fix("app/routes/a.py", "from app.ws.manager import IsolatedWebSocketManager, WebSocketManager\n").fix
        let b = fixture.fix("app/routes/b.py", "from app.ws.manager import IsolatedWebSocketManager, _helper, Connection\n").fix
        let outcome = FixRun.Outcome(files: [a, b], baselinePath: ".ssot-baseline", baselineBefore: Baseline(), wrote: true)
        let text = FixReport.text(outcome, colour: Colour(on: false))
        XCTAssertTrue(text.contains("Fixed 1 finding in 1 file.\nLeft 4 findings in 2 files:\n"), text)
        XCTAssertTrue(text.contains("  not exported              3  the canonical module does not bind that object\n"), text)
        XCTAssertTrue(text.contains("  different object          1  "), text)
        XCTAssertTrue(text.contains("""
            To unblock 3 findings, export from the canonical module (findings, files):
              app.ws.canonical: IsolatedWebSocketManager (defined in app.ws.unified)  2 in 2 files
              app.ws.canonical: _helper (defined in app.ws.unified)  1 in 1 file

            """), text)
    }
}
