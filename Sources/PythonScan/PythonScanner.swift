/// The scanner's front door: bytes of one Python file in, its imports and
/// resolved references out. It knows nothing of rules: the caller decides
/// which of them matter.
public enum PythonScanner {
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>, module: ModuleContext,
                            collectComments: Bool = false) -> ScanResult {
        scan(bytes, moduleContext: { module }, collectComments: collectComments)
    }

    /// As above, with the module context computed only if a relative import needs it.
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>, moduleContext: @escaping () -> ModuleContext,
                            collectComments: Bool = false) -> ScanResult {
        var lexer = Lexer(bytes, collectComments: collectComments)
        lexer.run()
        if SourceEncoding.hasNonASCII(bytes),
           let normal = withExtendedLifetime(lexer.tokens, { NormalizedSource(tokens: lexer.tokens.buffer, source: bytes) }) {
            // A name changes under NFKC (PEP 3131): scan what CPython sees, report the file's positions.
            var result = normal.bytes.withUnsafeBufferPointer {
                scan($0, moduleContext: moduleContext, collectComments: collectComments)
            }
            result.mapOffsets(normal.original)
            return result
        }
        var result = ScanResult()
        result.singleByteEncoding = SourceEncoding.declared(bytes) != .utf8
        if !result.singleByteEncoding, let bad = SourceEncoding.firstInvalidUTF8(bytes) {
            result.warnings.append(ScanWarning(offset: bad, message: "invalid UTF-8"))
        }
        result.warnings += lexer.warnings
        result.comments = lexer.comments
        let parser = Parser(tokens: lexer.tokens.buffer, source: bytes, module: moduleContext)
        parser.parseModule()
        parser.finish(into: &result)
        withExtendedLifetime(lexer.tokens) {}
        result.warnings.sort { $0.offset < $1.offset }
        return result
    }

    public static func scan(_ bytes: [UInt8], module: ModuleContext, collectComments: Bool = false) -> ScanResult {
        bytes.withUnsafeBufferPointer { scan($0, module: module, collectComments: collectComments) }
    }

    /// The token stream, for tests and debugging: `KIND text` per token.
    public static func tokenDump(_ bytes: [UInt8]) -> [String] {
        bytes.withUnsafeBufferPointer { b in
            var lexer = Lexer(b, collectComments: false)
            lexer.run()
            return lexer.tokens.buffer.map { tok in
                let text = String(decoding: UnsafeBufferPointer(rebasing: b[Int(tok.start)..<Int(tok.end)]), as: UTF8.self)
                let bare = text.isEmpty || tok.kind == .newline || tok.kind == .indent || tok.kind == .dedent
                return bare ? "\(tok.kind)" : "\(tok.kind) \(text)"
            }
        }
    }
}

extension Parser {
    /// Resolves every reference whose name an import binds, and confirms the
    /// dynamic imports, once the whole file has been read.
    func finish(into result: inout ScanResult) {
        result.imports = imports
        result.warnings += warnings
        var interesting = scopes.importedNames
        dynamicCalls.removeAll { call in
            let r = references[Int(call.reference)]
            return !scopes.importedNames.contains(r.name) && builtinImport(r) == nil
        }
        for call in dynamicCalls { interesting.insert(references[Int(call.reference)].name) }
        if !starModules.isEmpty { for r in references { interesting.insert(r.name) } }
        guard !interesting.isEmpty else { return }
        scopes.settle(interesting)
        for r in references where interesting.contains(r.name) {
            switch scopes.resolve(r.name, from: r.scope) {
            case let .imported(target):
                result.uses.append(ScannedUse(dotted: dotted(target, r), targetLength: target.utf8.count,
                                              offset: Int(t[Int(r.head)].start)))
            case .unbound:
                // After `from M import *`, an otherwise unbound `n` is `M.n` (SPEC 2).
                for module in starModules {
                    let target = module + "." + text(Int(r.head))
                    result.uses.append(ScannedUse(dotted: dotted(target, r), targetLength: target.utf8.count,
                                                  offset: Int(t[Int(r.head)].start)))
                }
            case .other:
                break
            }
        }
        for call in dynamicCalls { dynamicImport(call, into: &result) }
    }

    /// The dotted name a reference stands for: its target, then each
    /// attribute after the head (parentheses between them make no difference).
    func dotted(_ target: String, _ r: Reference) -> String {
        var s = target
        var k = Int(r.head) + 1
        while k <= Int(r.chainEnd) {
            if t[k].kind == .name && t[k - 1].kind == .dot {
                s += "."
                s += text(k)
            }
            k += 1
        }
        return s
    }
}
