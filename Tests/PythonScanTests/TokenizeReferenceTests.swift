import PythonScan
import TestSupport
import XCTest

/// Checks the lexer against CPython 3.12's own `tokenize` (the first with
/// PEP 701) on syntax this machine's default Python 3.11 cannot parse: the
/// names each one sees as code must be the same, in the same order.
final class TokenizeReferenceTests: XCTestCase {
    static let snippets = [
        #"x = f"{f"{a["k"]}"}" + f'{b!r:>{c}}' + f"{d=}" + f"{e = !s:^10}""#,
        "y = f\"{'\\n'.join(g)}\" + f\"\"\"{h +\n  i}\"\"\" + f\"{{j}} {k:{l}.{m}}\"",
        #"z = f"{lambda: n}" if o else f"{(p := q)}""#,
        "def f[T: int, *Ts, **P](x: T, *a: *Ts) -> T: return x",
        "class C[T = int](Base[T]): pass",
        "type Alias[K, V] = dict[K, V]",
        "type = 3; match = type; case = match",
        "match command.split():\n    case [verb, obj] if verb in VERBS:\n        act(obj)\n    case Point(x=0) | {'k': v, **rest}:\n        pass\n    case _:\n        pass",
        "async def g():\n    async with a as (b, c):\n        return [x async for x in aiter() if await x]",
        "café = naïve + 日本 - 1if x else 0x_ff",
        "r = rf'{path}\\{name}' + Rb'\\x' + u'\\N{DASH}' + f'\\N{DASH} {val}'",
        "w = f'{a!r}' f'{b!a}' f'{c!s:{d!r}}'",
    ]

    func testNamesMatchCPython312Tokenize() throws {
        guard let python = Pythons.find("3.12") else {
            throw XCTSkip("CPython 3.12 is not installed (pyenv); this reference check needs it")
        }
        let script = """
        import io, json, sys, tokenize
        out = []
        for src in json.load(sys.stdin):
            names, prev = [], None
            for tok in tokenize.generate_tokens(io.StringIO(src + "\\n").readline):
                if tok.type == tokenize.NAME and not (prev is not None and prev.type == tokenize.OP and prev.string == "!"):
                    names.append(tok.string)
                prev = tok
            out.append(names)
        print(json.dumps(out))
        """
        let input = String(decoding: try JSONSerialization.data(withJSONObject: TokenizeReferenceTests.snippets), as: UTF8.self)
        let result = runProcess(python, ["-c", script], stdin: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        let expected = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [[String]]
        for (snippet, names) in zip(TokenizeReferenceTests.snippets, expected) {
            let ours = PythonScanner.tokenDump(Array((snippet + "\n").utf8)).compactMap { line -> String? in
                let parts = line.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, parts[0] == "name" || parts[0].hasPrefix("kw") else { return nil }
                return String(parts[1])
            }
            XCTAssertEqual(ours, names, snippet)
        }
    }
}
