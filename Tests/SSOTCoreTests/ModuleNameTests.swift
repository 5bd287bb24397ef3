@testable import SSOTCore
import XCTest

/// A file's dotted module name: the byte-level reading of ASCII paths gives
/// what the string-level one gives, on every shape of path and root.
final class ModuleNameTests: XCTestCase {
    func testTheByteReadingAgreesWithTheStringReading() {
        let paths = ["a.py", "a/b.py", "a/b/__init__.py", "__init__.py", "a//b.py", "a/b.pyi", "a/__init__.pyi", "src/x/y.py",
                     "src/x/__init__.py", "src/", "src", "srcx/y.py", "lib/src/y.py", "a.py.py", "a/.py", "a/b.txt", ".py",
                     "a/b/", "x/__init__/y.py", "src/src/z.py", "a/b.pyc", "/abs/c.py"]
        let rootSets: [[String]] = [[""], ["src"], ["", "src"], ["src", "lib/src"], ["lib"], ["src", ""], ["a", "a/b"]]
        for roots in rootSets {
            for path in paths {
                var p = path
                let fast = p.withUTF8 { ModuleName.ascii($0, roots) }
                let slow = ModuleName.unicode(path: path, sourceRoots: roots)
                XCTAssertEqual(fast?.name, slow?.name, "\(path) under \(roots)")
                if slow != nil { XCTAssertEqual(fast?.isPackage, slow?.isPackage, "\(path) under \(roots)") }
            }
        }
        XCTAssertEqual(ModuleName.of(path: "src/pkg/__init__.py", sourceRoots: ["src"])?.name, "pkg")
        XCTAssertEqual(ModuleName.of(path: "src/pkg/__init__.py", sourceRoots: ["src"])?.isPackage, true)
        // Not ASCII: the string reading.
        XCTAssertEqual(ModuleName.of(path: "src/café/m.py", sourceRoots: ["src"])?.name, "café.m")
    }
}
