import Foundation
import TestSupport
import XCTest

/// Issue 11's fuzz test: seeded random files of three kinds, random bytes,
/// random code with random Unicode identifiers, and random coding cookies,
/// scanned by ssot under a time limit (no crash, no hang) and compared with
/// CPython's `ast` on every file CPython parses (the reference drops the rest).
extension DifferentialTests {
    static let fuzzConfig = """
    source-roots = ["."]
    max-file-size = 10000000

    [[rule]]
    id = "ws-import"
    kind = "import"
    canonical = "app.core"
    banned = ["app.ws.unified_manager"]

    [[rule]]
    id = "ws-singleton"
    kind = "singleton"
    banned = ["app.ws.get_manager"]
    replacement = "create_manager(ctx)"

    """

    func testFuzzedFilesNeitherCrashNorHangAndAgreeWithCPython() throws {
        let dir = TempDir("ssot-fuzz")
        dir.write("fuzz.toml", DifferentialTests.fuzzConfig)
        var rng = SplitMix(seed: 0xF022)
        let fuzz = Fuzz()
        let files = 3_000
        for i in 0..<files {
            let bytes: [UInt8]
            switch i % 3 {
            case 0: bytes = fuzz.randomBytes(&rng)
            case 1: bytes = Array(fuzz.code(&rng).utf8)
            default: bytes = fuzz.withCookie(&rng)
            }
            // Files in and out of the package, so relative imports resolve both ways.
            let folder = ["", "app/", "app/ws/", "svc/"][i % 4]
            dir.write("\(folder)f\(i).py", Data(bytes))
        }
        for folder in ["app", "app/ws"] { dir.write("\(folder)/__init__.py", "") }
        let outcome = try compare(root: dir.path, python: Pythons.python3, config: dir.path + "/fuzz.toml", timeLimit: 300)
        XCTAssertEqual(outcome.files, files + 2)
        XCTAssertGreaterThan(outcome.files - outcome.unparsable, files / 3, "enough files parse to compare")
        XCTAssertGreaterThan(outcome.expected, 500, "the generator makes findings")
        XCTAssertEqual(outcome.missing, [], "findings CPython's ast has and ssot lacks")
        XCTAssertEqual(outcome.extra, [], "findings ssot has and CPython's ast lacks")
        print("fuzz: \(outcome.files) files, \(outcome.unparsable) unparsable by CPython, \(outcome.expected) findings, "
              + "\(outcome.missing.count) missing, \(outcome.extra.count) extra")
    }
}

/// The generator. Pieces are chosen to make findings, to hide them (strings,
/// comments, shadowing), and to stress the lexer (brackets, f-strings,
/// continuations, odd whitespace).
struct Fuzz {
    /// Spellings of the banned names' parts that NFKC folds to ASCII, and ones it does not.
    let letters: [String: [String]] = [
        "g": ["g", "ｇ", "𝐠", "𝗀"], "e": ["e", "ｅ", "𝐞"], "t": ["t", "ｔ"], "m": ["m", "ｍ", "𝑚"],
        "a": ["a", "ａ", "à"], "u": ["u", "ｕ", "ü"], "w": ["w", "ｗ"], "s": ["s", "ｓ", "ſ"], "f": ["f", "ﬀ"],
    ]
    let words = ["app", "ws", "get_manager", "unified_manager", "importlib", "import_module", "__import__", "x", "y", "w", "m"]

    /// A name, sometimes respelled letter by letter with lookalikes.
    func name(_ rng: inout SplitMix) -> String {
        let w = words[Int(rng.next() % UInt64(words.count))]
        guard rng.next() % 4 == 0 else { return w }
        return String(w.map { c -> String in
            let options = letters[String(c)] ?? [String(c)]
            return options[Int(rng.next() % UInt64(options.count))]
        }.joined())
    }

    func pick(_ rng: inout SplitMix, _ options: [String]) -> String { options[Int(rng.next() % UInt64(options.count))] }

    func statement(_ rng: inout SplitMix, depth: Int) -> String {
        func n(_ r: inout SplitMix) -> String { name(&r) }
        switch rng.next() % 24 {
        case 0: return "import app.ws.unified_manager"
        case 1: return "from app.ws import \(n(&rng)) as \(n(&rng))"
        case 2: return "from app.ws import get_manager"
        case 3: return "from \(pick(&rng, [".", "..", ".ws", "app"])) import \(n(&rng))"
        case 4: return "\(n(&rng))()"
        case 5: return "\(n(&rng)).\(n(&rng))(\(n(&rng)))"
        case 6: return "\(n(&rng)) = \(n(&rng))"
        case 7: return "import importlib"
        case 8: return "importlib.import_module(\(pick(&rng, [#""app.ws.unified_manager""#, #""app" ".ws.unified_manager""#, #"(("app.ws.unified\x5fmanager"))"#, #"".unified_manager", "app.ws""#, #"name="app.ws.unified_manager""#, #"f"app.ws.{x}""#])))"
        case 9: return "__import__(\(pick(&rng, [#""app.ws", fromlist=["get_manager"]"#, #""app.ws.unified_manager""#, #""", globals(), None, ["get_manager"], 1"#, #""ws", fromlist=("unified_manager",), level=1"#])))"
        case 10: return "from app.ws import *"
        case 11: return "x = f\"{\(n(&rng))()!r:>{\(n(&rng))}} {{\(n(&rng))}}\""
        case 12: return "s = '\(n(&rng))()'  # \(n(&rng))()"
        case 13: return "(\(n(&rng))).\(n(&rng)) = [\(n(&rng)) for \(n(&rng)) in \(n(&rng)) if \(n(&rng))]"
        case 14: return "y = lambda \(n(&rng))=\(n(&rng)): \(n(&rng))(\(n(&rng)))"
        case 15: return "global \(n(&rng))"
        case 16: return "del \(n(&rng))"
        case 17: return "\(n(&rng)) += (\(n(&rng)) := \(n(&rng)))"
        case 18: return "z = (\(n(&rng)),\\\n    \(n(&rng)))"
        case 19: return "\"\"\"\n\(n(&rng))()\n\"\"\""
        default:
            guard depth < 3 else { return "pass" }
            let header = pick(&rng, ["def \(n(&rng))(\(n(&rng)), *a, k=\(n(&rng))):", "class \(n(&rng))(\(n(&rng))):", "if TYPE_CHECKING:",
                                     "for \(n(&rng)) in \(n(&rng)):", "try:", "with \(n(&rng)) as \(n(&rng)):", "match \(n(&rng)):\n    case \(n(&rng)).\(n(&rng)):"])
            let indent = header.hasPrefix("match") ? "        " : "    "
            var body = ""
            for _ in 0..<(Int(rng.next() % 3) + 1) { body += indent + statement(&rng, depth: depth + 1).replacingOccurrences(of: "\n", with: "\n" + indent) + "\n" }
            let tail = header == "try:" ? "except ImportError:\n    \(n(&rng)) = None\n" : ""
            return header + "\n" + body + tail
        }
    }

    func code(_ rng: inout SplitMix) -> String {
        var text = ""
        for _ in 0..<(Int(rng.next() % 12) + 1) {
            text += statement(&rng, depth: 0)
            text += pick(&rng, ["\n", "\n", "\n", "; ", "\r\n", "\n\u{0C}"]).replacingOccurrences(of: "; ", with: "\n")
        }
        return text
    }

    func randomBytes(_ rng: inout SplitMix) -> [UInt8] {
        let n = Int(rng.next() % 400)
        let alphabet = Array("()[]{}:.,'\"\\#\n\t fr_import app.ws get_manager from =".utf8)
        return (0..<n).map { _ in rng.next() % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))] }
    }

    /// A cookie, then code in that encoding where ssot reads it (Latin-1) or random high bytes.
    func withCookie(_ rng: inout SplitMix) -> [UInt8] {
        let encoding = pick(&rng, ["utf-8", "latin-1", "iso-8859-1", "ISO_8859_1", "ascii", "utf-7", "cp1252", "euc-jp", "bogus", "utf8-sig"])
        let form = pick(&rng, ["# -*- coding: \(encoding) -*-\n", "# vim: set fileencoding=\(encoding) :\n", "#!/usr/bin/python\n# coding=\(encoding)\n",
                               "\n\n# coding: \(encoding)\n"])
        let body = code(&rng).replacingOccurrences(of: "ｇ", with: "g").replacingOccurrences(of: "ｅ", with: "e")
        var bytes = Array(form.utf8)
        for u in body.unicodeScalars {
            // Latin-1 text as its single bytes, the rest dropped; now and then a byte above 0x7F in a string.
            if u.value < 0x100 { bytes.append(UInt8(u.value)) }
        }
        if rng.next() % 2 == 0 { bytes += Array("s = '".utf8) + [0xE9, 0xFF, 0xA0] + Array("'\n".utf8) }
        return bytes
    }
}
