import PythonScan
import XCTest

/// Imports and resolved references, with expected positions marked in the
/// source itself by `1️⃣`, `2️⃣`, … so a test reads like the file it checks.
final class ScannerTests: XCTestCase {
    static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

    /// The source without markers, and the byte offset of each marker.
    func marked(_ text: String) -> (bytes: [UInt8], offsets: [Int]) {
        var bytes: [UInt8] = []
        var found: [(Int, Int)] = []
        var rest = Substring(text)
        outer: while !rest.isEmpty {
            for (i, m) in ScannerTests.markers.enumerated() where rest.hasPrefix(m) {
                found.append((i, bytes.count))
                rest = rest.dropFirst(m.count)
                continue outer
            }
            bytes += Array(String(rest.first!).utf8)
            rest = rest.dropFirst()
        }
        return (bytes, found.sorted { $0.0 < $1.0 }.map(\.1))
    }

    func scan(_ text: String, module: String = "pkg.sub.mod", isPackage: Bool = false) -> (ScanResult, [Int]) {
        let (bytes, offsets) = marked(text)
        return (PythonScanner.scan(bytes, module: ModuleContext(moduleName: module, isPackage: isPackage)), offsets)
    }

    func uses(_ text: String) -> [String] {
        let (result, offsets) = scan(text)
        XCTAssertEqual(result.uses.map(\.offset), offsets, "use positions")
        return result.uses.map(\.dotted)
    }

    // MARK: - Imports

    func testImportForms() {
        let (r, _) = scan("""
        import a.b as x, c
        from . import sib
        from ..up import (thing as t,
            other,)
        from z import *
        lazy from q import r
        lazy import s
        """)
        XCTAssertEqual(r.imports.map { "\($0.form) \($0.module) \($0.name ?? "")" }, [
            "importModule a.b ", "importModule c ", "fromImport pkg.sub sib", "fromImport pkg.up thing",
            "fromImport pkg.up other", "fromStar z ", "fromImport q r", "importModule s ",
        ])
    }

    func testImportPositionsAreAtModulePathAndImportedName() {
        let (r, offsets) = scan("import 1️⃣a.b, 2️⃣c as d\nfrom e \\\n  import 3️⃣f, 4️⃣g\nfrom h import 5️⃣*\n")
        XCTAssertEqual(r.imports.map(\.offset), offsets)
    }

    func testRelativeImportsInAPackageInit() {
        let (r, _) = scan("from . import a\nfrom .b import c\nfrom .. import d\n", module: "pkg.sub", isPackage: true)
        XCTAssertEqual(r.imports.map { "\($0.module).\($0.name!)" }, ["pkg.sub.a", "pkg.sub.b.c", "pkg.d"])
    }

    func testRelativeImportAboveTheTopPackageIsDropped() {
        let (r, _) = scan("from .. import a\nfrom ... import b\n")
        XCTAssertEqual(r.imports.map { "\($0.module).\($0.name!)" }, ["pkg.a"])
    }

    func testDynamicImports() {
        let (r, offsets) = scan("""
        import importlib
        from importlib import import_module as im
        importlib.import_module(1️⃣"a.b")
        im(2️⃣'c', package=None)
        __import__(3️⃣"d" "e")
        importlib.import_module(f"x{y}")
        importlib.import_module(4️⃣".rel", "pkg")
        def f(__import__): __import__("no")
        other.import_module("no")
        """)
        let dynamic = r.imports.filter { $0.form == .dynamic }
        XCTAssertEqual(dynamic.map(\.module), ["a.b", "c", "de", "pkg.rel"])
        XCTAssertEqual(dynamic.map(\.offset), offsets)
    }

    func testTypeCheckingBlocksAreMarked() {
        let (r, _) = scan("""
        if TYPE_CHECKING:
            from a import b
        else:
            from c import d
        if typing.TYPE_CHECKING:
            import e
        """)
        XCTAssertEqual(r.imports.map(\.underTypeChecking), [true, false, true])
    }

    func testImportTextInStringsAndCommentsIsNotAnImport() {
        let (r, _) = scan("""
        '''
        import a
        '''
        # from b import c
        x = f"import {y} from z" + rb'import q'
        """)
        XCTAssertEqual(r.imports, [])
    }

    // MARK: - References and scopes

    func testUsesResolveThroughAliasesAndAttributes() {
        XCTAssertEqual(uses("""
        from m import get as g
        import a.b as ab
        import c.d
        1️⃣g()
        2️⃣ab.f.x
        3️⃣c.d.e()
        x.g()
        """), ["m.get", "a.b.f.x", "c.d.e"])
    }

    func testAnyOtherBindingMakesANameNotAUse() {
        XCTAssertEqual(uses("""
        try:
            from m import g
        except ImportError:
            g = None
        g()
        from n import h
        def h(): pass
        h()
        """), [])
    }

    func testTwoImportsOfTheSameTargetStillResolve() {
        XCTAssertEqual(uses("from m import g\nfrom m import g\n1️⃣g()\n"), ["m.g"])
    }

    func testFunctionScopesParametersAndGlobals() {
        XCTAssertEqual(uses("""
        from m import g
        def f(g): return g()
        def k(x=1️⃣g): return x
        def l():
            global g
            return 2️⃣g()
        def n():
            return 3️⃣g()
        """), ["m.g", "m.g", "m.g"])
    }

    func testAssignmentInAFunctionMakesTheNameLocalThere() {
        XCTAssertEqual(uses("""
        from m import g
        def f():
            x = g
            g = 1
        """), [])
    }

    func testGlobalAssignmentInAFunctionIsAModuleBinding() {
        XCTAssertEqual(uses("""
        from m import g
        def f():
            global g
            g = None
        g()
        """), [])
    }

    func testClassBodyNamesAreInvisibleFromMethods() {
        XCTAssertEqual(uses("""
        from m import g
        class C:
            g = 1
            x = g
            def f(self): return 1️⃣g()
        """), ["m.g"])
    }

    func testComprehensionsAreScopes() {
        XCTAssertEqual(uses("""
        from m import g
        a = [g for g in range(3)]
        b = [x for x in 1️⃣g]
        c = {k: 2️⃣g(k) for k in y}
        """), ["m.g", "m.g"])
    }

    func testWalrusInComprehensionBindsInEnclosingScope() {
        XCTAssertEqual(uses("""
        from m import g
        def f():
            [(g := x) for x in y]
            return g
        """), [])
    }

    func testLambdas() {
        XCTAssertEqual(uses("""
        from m import g
        a = lambda g: g()
        b = lambda x=1️⃣g: 2️⃣g(x)
        """), ["m.g", "m.g"])
    }

    func testSelfAttributesAndKeywordNamesAreNotUses() {
        XCTAssertEqual(uses("""
        from m import g
        self.g()
        f(g=1)
        obj.g
        class C(metaclass=1️⃣g): pass
        """), ["m.g"])
    }

    func testFStringFieldsAreCodeButLiteralsAreNot() {
        XCTAssertEqual(uses("""
        from m import g
        s = f"g() {1️⃣g()!r:>{2️⃣g}} {{g}}"
        t = f'{f"{3️⃣g}"}'
        """), ["m.g", "m.g", "m.g"])
    }

    func testStringAnnotationsAreNotUsesButRealAnnotationsAre() {
        XCTAssertEqual(uses("""
        from m import G
        def f(a: "G", b: 1️⃣G) -> "G": pass
        x: 2️⃣G = 1
        """), ["m.G", "m.G"])
    }

    func testMatchPatterns() {
        XCTAssertEqual(uses("""
        from m import g, C
        match v:
            case 1️⃣C(x=1, y=[2]):
                pass
            case 2️⃣g.K:
                pass
        """), ["m.C", "m.g.K"])
    }

    func testClassPatternKeywordCapturesTheName() {
        XCTAssertEqual(uses("""
        from m import g, C
        match v:
            case 1️⃣C(x=g):
                pass
        g.K
        """), ["m.C"])
    }

    func testMatchCaptureBindsTheName() {
        XCTAssertEqual(uses("""
        from m import g
        match v:
            case [g, *rest]:
                pass
        g()
        """), [])
    }

    func testMatchAsANameIsStillAName() {
        XCTAssertEqual(uses("from m import match\nmatch(x)\nmatch = 1\n"), [])
        XCTAssertEqual(uses("from m import match\n1️⃣match(x)\n"), ["m.match"])
    }

    func testTypeParametersAndTypeAliases() {
        XCTAssertEqual(uses("""
        from m import T, U
        def f[T](x: T) -> T: pass
        class C[T]: pass
        type A[T] = list[T]
        type B = 1️⃣U
        """), ["m.U"])
    }

    func testNonlocalSendsTheBindingOutward() {
        XCTAssertEqual(uses("""
        from m import g
        def outer():
            g = None
            def inner():
                nonlocal g
                g = 1
                return g()
        """), [])
    }

    func testExceptAndWithAndForTargetsBind() {
        XCTAssertEqual(uses("""
        from m import a, b, c
        try: pass
        except E as a: pass
        with x as (b, y): pass
        for c in z: pass
        a(); b(); c()
        """), [])
    }

    func testDecoratorsAndBasesAreInTheEnclosingScope() {
        XCTAssertEqual(uses("""
        from m import g
        @1️⃣g
        def f(): pass
        class K(2️⃣g.Base): pass
        """), ["m.g", "m.g.Base"])
    }
}

/// PEP 263 cookies read as CPython's tokenize.detect_encoding reads them
/// (each expectation was checked against it).
final class CodingCookieTests: XCTestCase {
    func declared(_ text: String) -> SourceEncoding.Declared {
        Array(text.utf8).withUnsafeBufferPointer { SourceEncoding.declared($0) }
    }

    func testCookies() {
        XCTAssertEqual(declared("x = 1\n"), .utf8)
        XCTAssertEqual(declared("# -*- coding: utf-8 -*-\n"), .utf8)
        XCTAssertEqual(declared("# coding=UTF_8\n"), .utf8)
        XCTAssertEqual(declared("# coding: ascii\n"), .utf8)
        XCTAssertEqual(declared("#!/usr/bin/env python\n# -*- coding=latin_1 -*-\n"), .latin1)
        XCTAssertEqual(declared("# vim: set fileencoding=iso-8859-1 :\n"), .latin1)
        XCTAssertEqual(declared("\u{FEFF}# coding: latin-1\n"), .latin1)
        XCTAssertEqual(declared("# coding: utf-7\n"), .other("utf-7"))
        // A `coding:` with no name does not end the search, as CPython's regex backtracks.
        XCTAssertEqual(declared("# coding: # coding: utf-7\n"), .other("utf-7"))
        // Line 2 counts only after a comment or blank line.
        XCTAssertEqual(declared("x = 1\n# coding: utf-7\n"), .utf8)
        XCTAssertEqual(declared("\n# coding: unicode_escape\n"), .other("unicode_escape"))
        XCTAssertEqual(declared("#\n#\n# coding: utf-7\n"), .utf8, "only the first two lines")
    }
}

/// NFKC for identifiers (PEP 3131): the scan reads normalised names and
/// reports the file's own offsets.
final class IdentifierNFKCTests: XCTestCase {
    func testNormalisedNamesAtTheFilesOwnOffsets() {
        let text = "x = 'ｏ'; from ａ.b import ｃ as ｄ\nｄ.e()\ny = 'ｃ'\n"
        let bytes = Array(text.utf8)
        let scan = PythonScanner.scan(bytes, module: .unknown)
        XCTAssertEqual(scan.imports.map(\.module), ["a.b"])
        XCTAssertEqual(scan.imports.map(\.name), ["c"])
        let fromAt = Array("x = 'ｏ'; from ".utf8).count
        XCTAssertEqual(scan.imports[0].offset, fromAt + Array("ａ.b import ".utf8).count, "at ｃ in the file")
        XCTAssertEqual(scan.uses.map(\.dotted), ["a.b.c.e"])
        XCTAssertEqual(scan.uses[0].offset, Array("x = 'ｏ'; from ａ.b import ｃ as ｄ\n".utf8).count)
    }

    func testAnAlreadyNormalNonASCIINameIsScannedOnce() {
        let scan = PythonScanner.scan(Array("import café\ncafé.x()\n".utf8), module: .unknown)
        XCTAssertEqual(scan.imports.map(\.module), ["café"])
    }
}
