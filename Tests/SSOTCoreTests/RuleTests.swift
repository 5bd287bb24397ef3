import SSOTCore
import XCTest

/// Each rule form of SPEC section 2: a case where it fires and one where it must not.
final class RuleTests: XCTestCase {
    let config: Config = {
        let toml = """
        source-roots = [".", "src"]
        [[rule]]
        id = "ws-import"
        kind = "import"
        canonical = "app.ws.canonical"
        banned = ["app.ws.legacy", "app.ws.old"]
        allow-in = ["app/ws/**"]
        message = "Use the canonical module."

        [[rule]]
        id = "ws-singleton"
        kind = "singleton"
        banned = ["app.ws.get_manager"]
        replacement = "app.ws.create_manager(ctx)"
        message = "Legacy singleton."
        """
        return try! Config.parse(toml, file: "ssot.toml")!
    }()

    func findings(_ source: String, path: String = "app/routes/chat.py", config: Config? = nil) -> [String] {
        let checker = FileChecker(config: config ?? self.config)
        let bytes = Array(source.utf8)
        return bytes.withUnsafeBufferPointer { checker.check(path: path, bytes: $0) }.findings.map {
            "\($0.line):\($0.column) \($0.rule) \($0.fingerprint)"
        }
    }

    func testImportOfABannedModule() {
        XCTAssertEqual(findings("import app.ws.legacy\nimport app.ws.legacy.sub as s\n"), [
            "1:8 ws-import import app.ws.legacy", "2:8 ws-import import app.ws.legacy.sub",
        ])
    }

    func testImportOfAModuleThatOnlySharesAPrefixIsNot() {
        XCTAssertEqual(findings("import app.ws.legacy_v2\nfrom app.ws.legacy2 import X\nimport app.ws\n"), [])
    }

    func testFromImportOnePerName() {
        XCTAssertEqual(findings("from app.ws.legacy import (A,\n    B as b)\n"), [
            "1:28 ws-import from app.ws.legacy import A", "2:5 ws-import from app.ws.legacy import B",
        ])
    }

    func testFromImportOfABannedSubmodule() {
        XCTAssertEqual(findings("from app.ws import legacy, canonical\n"), ["1:20 ws-import from app.ws import legacy"])
    }

    /// A star import of a banned module is an import finding; one of the
    /// module holding a banned singleton is that rule's finding (SPEC 2).
    func testStarImport() {
        XCTAssertEqual(findings("from app.ws.old import *\nfrom app.ws import *\n"),
                       ["1:24 ws-import from app.ws.old import *", "2:20 ws-singleton from app.ws import *"])
    }

    func testDynamicImports() {
        XCTAssertEqual(findings("import importlib\nm = importlib.import_module('app.ws.legacy')\n__import__(\"app.ws.old.x\")\nimportlib.import_module('app.ws.canonical')\n"), [
            "2:29 ws-import import app.ws.legacy", "3:12 ws-import import app.ws.old.x",
        ])
    }

    func testRelativeImportsAreResolvedFirst() {
        XCTAssertEqual(findings("from ..ws.legacy import A\nfrom ..ws import old\nfrom . import legacy\n", path: "app/routes/chat.py"), [
            "1:25 ws-import from app.ws.legacy import A", "2:18 ws-import from app.ws import old",
        ])
    }

    func testSourceRootsGiveTheModuleName() {
        XCTAssertEqual(findings("from ..ws.legacy import A\n", path: "src/app/routes/chat.py"), ["1:25 ws-import from app.ws.legacy import A"])
    }

    func testLazyImportsAsThePlainForms() {
        XCTAssertEqual(findings("lazy import app.ws.legacy\nlazy from app.ws.old import Y\n"), [
            "1:13 ws-import import app.ws.legacy", "2:29 ws-import from app.ws.old import Y",
        ])
    }

    func testAllowInExemptsTheRule() {
        XCTAssertEqual(findings("from app.ws.legacy import A\n", path: "app/ws/canonical.py"), [])
    }

    func testSingletonImportAndEveryUse() {
        XCTAssertEqual(findings("""
        from app.ws import get_manager
        from fastapi import Depends
        def handler(m=Depends(get_manager)):
            return get_manager().send()
        """), [
            "1:20 ws-singleton from app.ws import get_manager",
            "3:23 ws-singleton use app.ws.get_manager",
            "4:12 ws-singleton use app.ws.get_manager",
        ])
    }

    func testSingletonUseThroughModuleAttributeAndAlias() {
        XCTAssertEqual(findings("""
        import app.ws as w
        import app.ws
        from app.ws import get_manager as gm
        w.get_manager()
        app.ws.get_manager()
        gm()
        """), [
            "3:20 ws-singleton from app.ws import get_manager",
            "4:1 ws-singleton use app.ws.get_manager",
            "5:1 ws-singleton use app.ws.get_manager",
            "6:1 ws-singleton use app.ws.get_manager",
        ])
    }

    func testSingletonLookalikesAreNotUses() {
        XCTAssertEqual(findings("""
        def get_manager(): return None
        get_manager()
        self.get_manager()
        x = "get_manager()"  # get_manager()
        class H:
            def get_manager(self): pass
        H().get_manager()
        """), [])
    }

    func testTryExceptFallbackIsAnImportFindingButNotAUse() {
        XCTAssertEqual(findings("""
        try:
            from app.ws import get_manager
        except ImportError:
            get_manager = None
        get_manager()
        """), ["2:24 ws-singleton from app.ws import get_manager"])
    }

    func testDocstringsCommentsStringsAndFStringLiteralsNeverFind() {
        XCTAssertEqual(findings("""
        '''import app.ws.legacy'''
        # from app.ws.legacy import A
        s = "from app.ws.legacy import A"
        b = b'import app.ws.old'
        f = f"from app.ws.legacy import {name} get_manager()"
        t = t"import app.ws.old {x}"
        def f(a: "app.ws.legacy.A"): pass
        """), [])
    }

    func testFStringReplacementFieldsAreScanned() {
        XCTAssertEqual(findings("from app.ws import get_manager as g\nx = f\"{g()!r}\"\n"), [
            "1:20 ws-singleton from app.ws import get_manager", "2:8 ws-singleton use app.ws.get_manager",
        ])
    }

    func testReplacementsAndMessages() {
        let checker = FileChecker(config: config)
        let bytes = Array("from app.ws.legacy import A\nimport app.ws.old\nfrom app.ws import get_manager\n".utf8)
        let found = bytes.withUnsafeBufferPointer { checker.check(path: "x.py", bytes: $0) }.findings
        XCTAssertEqual(found.map(\.replacement), ["from app.ws.canonical import A", "import app.ws.canonical", "app.ws.create_manager(ctx)"])
        XCTAssertEqual(found.map(\.message), ["Use the canonical module.", "Use the canonical module.", "Legacy singleton."])
        XCTAssertEqual(found[0].sourceLine, "from app.ws.legacy import A")
    }

    func testColumnsCountCharactersNotBytes() {
        XCTAssertEqual(findings("é = 1; from app.ws.legacy import A\n"), ["1:34 ws-import from app.ws.legacy import A"])
    }

    func testTypeCheckingIgnore() throws {
        var ignoring = config
        ignoring.typeChecking = .ignore
        let source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.ws.legacy import A\n"
        XCTAssertEqual(findings(source), ["3:31 ws-import from app.ws.legacy import A"])
        XCTAssertEqual(findings(source, config: ignoring), [])
    }

    func testIncludeExcludeSelectFiles() throws {
        let c = try Config.parse("include = [\"**/*.py\"]\nexclude = [\"migrations\", \"gen/**\"]\n", file: "ssot.toml")!
        XCTAssertTrue(c.selects("app/a.py"))
        XCTAssertTrue(c.selects("a.py"))
        XCTAssertFalse(c.selects("app/a.pyi"))
        XCTAssertFalse(c.selects("app/migrations/0001.py"))
        XCTAssertFalse(c.selects("gen/x/y.py"))
        XCTAssertTrue(Config().selects("stubs/a.pyi"))
    }

    func testInlineIgnores() {
        var withIgnores = config
        withIgnores.inlineIgnores = true
        let checker = FileChecker(config: withIgnores)
        let source = """
        from app.ws.legacy import A  # ssot: ignore[ws-import] vendored shim, removed in Q3
        from app.ws.legacy import B  # ssot: ignore[ws-import]
        from app.ws.old import C  # ssot: ignore[ws-singleton] wrong rule
        x = 1  # ssot: ignore[ws-import] nothing here
        y = 2  # ssot: ignore[no-such-rule] typo
        """
        let report = Array(source.utf8).withUnsafeBufferPointer { checker.check(path: "a.py", bytes: $0) }
        XCTAssertEqual(report.findings.map(\.line), [3])
        XCTAssertEqual(report.messages.map { "\($0.line!): \($0.text)" }, [
            "2: ignore without a reason: say why after the bracket",
            "3: ignore[ws-singleton] suppresses nothing on this line",
            "4: ignore[ws-import] suppresses nothing on this line",
            "5: ignore names unknown rule \"no-such-rule\"",
        ])
    }

    func testIgnoreCommentsAreInertWithoutTheOption() {
        XCTAssertEqual(findings("from app.ws.legacy import A  # ssot: ignore[ws-import] reason\n"), ["1:27 ws-import from app.ws.legacy import A"])
    }

    func testBrokenFileIsScannedAsFarAsItCanBeWithAWarning() {
        let checker = FileChecker(config: config)
        let bytes: [UInt8] = Array("from app.ws.legacy import A\nx = '''\n".utf8)
        let report = bytes.withUnsafeBufferPointer { checker.check(path: "a.py", bytes: $0) }
        XCTAssertEqual(report.findings.count, 1)
        XCTAssertEqual(report.messages.map(\.severity), [.warning])
        XCTAssertTrue(report.messages[0].text.hasPrefix("unterminated triple-quoted string literal"))
    }
}
