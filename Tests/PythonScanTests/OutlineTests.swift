import Foundation
import PythonScan
import TestSupport
import XCTest

/// `ModuleOutline`: the module-level bindings the static resolver trusts,
/// and the outline's lighter forms (`dottedStrings: false`,
/// `functionScopes: false`), which must agree with the full one on
/// everything `ssot fix` and `ssot report` read of them.
final class OutlineTests: XCTestCase {
    let context = ModuleContext(moduleName: "pkg.mod", isPackage: false)

    func outline(_ text: String, light: Bool = false) -> ModuleOutline {
        ModuleOutline.of(Array(text.utf8), module: context, dottedStrings: !light, functionScopes: !light)
    }

    func testAnIfInAFunctionLeavesTheModuleNamesAsTheyWere() {
        let o = outline("""
            from m import a
            from m import kept
            if cond:
                b = 1
                from m import same
            else:
                b = 2
                from m import same
            def f():
                if x:
                    a = 2
                    kept = 3
                elif y:
                    from other import a
                return a
            class C:
                if z:
                    kept = 4
            """)
        XCTAssertEqual(o.bindings["a"], .imported(module: "m", name: "a"), "bound again only inside f")
        XCTAssertEqual(o.bindings["kept"], .imported(module: "m", name: "kept"))
        XCTAssertEqual(o.bindings["same"], .imported(module: "m", name: "same"), "both branches bind the same object")
        guard case .unknown? = o.bindings["b"] else { return XCTFail("b is bound differently by the branches: \(String(describing: o.bindings["b"]))") }
        XCTAssertEqual(o.functions.first?.names, ["a", "kept"])
        XCTAssertEqual(o.functions.count, 1)
    }

    func testAnOutlineWithoutScopesKeepsTheFunctionsRangesOnly() {
        let text = """
            import importlib
            X = "pkg.legacy.Thing"
            def f(a, *b, **c):
                y = [i for i in a]
                return lambda: y
            """
        let full = outline(text), light = outline(text, light: true)
        XCTAssertEqual(full.functions.map(\.range), light.functions.map(\.range))
        XCTAssertEqual(full.functions[0].parameters, ["a", "b", "c"])
        XCTAssertEqual(full.functions[0].innerScopes.count, 2)
        XCTAssertEqual(light.functions[0].parameters, [])
        XCTAssertEqual(light.functions[0].names, [])
        XCTAssertEqual(light.functions[0].innerScopes, [])
        XCTAssertEqual(full.dottedStrings.map(\.text), ["pkg.legacy.Thing"])
        XCTAssertEqual(light.dottedStrings.count, 0)
    }

    /// The light outline against the full one on every file of a sample of
    /// the machine's Python installation: the same bindings, import sites,
    /// loads, attribute writes and function ranges.
    func testTheLightOutlineAgreesWithTheFullOneOnThePythonInstallation() throws {
        let stdlib = runProcess(Pythons.python3, ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let walk = FileManager.default.enumerator(atPath: stdlib) else { throw XCTSkip("no Python installation") }
        var files: [String] = []
        while let path = walk.nextObject() as? String {
            if path.hasSuffix(".py") { files.append(path) }
        }
        files.sort()
        // Every 8th file: about 2,000 of the installation in a debug build's few seconds.
        let sample = stride(from: 0, to: files.count, by: 8).map { files[$0] }
        XCTAssertGreaterThan(sample.count, 100, "the installation at \(stdlib) has too few files to compare")
        var compared = 0
        for path in sample {
            guard let data = FileManager.default.contents(atPath: stdlib + "/" + path), data.count < 1 << 20 else { continue }
            let bytes = [UInt8](data)
            let full = ModuleOutline.of(bytes, module: context)
            let light = ModuleOutline.of(bytes, module: context, dottedStrings: false, functionScopes: false)
            XCTAssertEqual(full.bindings, light.bindings, path)
            XCTAssertEqual(String(describing: full.sites), String(describing: light.sites), path)
            XCTAssertEqual(String(describing: full.attributeWrites), String(describing: light.attributeWrites), path)
            XCTAssertEqual(full.loadImports, light.loadImports, path)
            XCTAssertEqual(full.loadsUnknown, light.loadsUnknown, path)
            XCTAssertEqual(full.dynamic, light.dynamic, path)
            XCTAssertEqual(full.openNames, light.openNames, path)
            XCTAssertEqual(full.definedNames, light.definedNames, path)
            XCTAssertEqual(full.functions.map(\.range), light.functions.map(\.range), path)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 100)
    }
}
