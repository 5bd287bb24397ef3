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
            return !scopes.importedNames.contains(r.name) && !(r.head == r.chainEnd && isName(Int(r.head), "__import__"))
        }
        for call in dynamicCalls { interesting.insert(references[Int(call.reference)].name) }
        guard !interesting.isEmpty else { return }
        scopes.settle(interesting)
        for r in references where scopes.importedNames.contains(r.name) {
            if case let .imported(target) = scopes.resolve(r.name, from: r.scope) {
                result.uses.append(ScannedUse(dotted: dotted(target, r), targetLength: target.utf8.count,
                                              offset: Int(t[Int(r.head)].start)))
            }
        }
        for call in dynamicCalls {
            let r = references[Int(call.reference)]
            let isImport: Bool
            switch scopes.resolve(r.name, from: r.scope) {
            case let .imported(target): isImport = dotted(target, r) == "importlib.import_module"
            case .unbound: isImport = r.head == r.chainEnd && isName(Int(r.head), "__import__")
            case .other: isImport = false
            }
            guard isImport, let module = stringValue(Int(call.firstString), Int(call.lastString)),
                  !module.isEmpty, !module.hasPrefix(".") else { continue }
            result.imports.append(ScannedImport(form: .dynamic, module: module, offset: Int(t[Int(call.firstString)].start),
                                                underTypeChecking: call.underTypeChecking))
        }
    }

    func dotted(_ target: String, _ r: Reference) -> String {
        var s = target
        var k = Int(r.head) + 2
        while k <= Int(r.chainEnd) {
            s += "."
            s += text(k)
            k += 2
        }
        return s
    }

    /// The value of adjacent plain string literals, or nil when one is a
    /// bytes literal or holds a backslash escape.
    func stringValue(_ first: Int, _ last: Int) -> String? {
        var bytes: [UInt8] = []
        for k in first...last {
            var s = Int(t[k].start)
            let e = Int(t[k].end)
            while s < e && src[s] != 0x22 && src[s] != 0x27 {
                if src[s] | 0x20 == UInt8(ascii: "b") { return nil }
                s += 1
            }
            guard s < e else { return nil }
            let q = src[s]
            let width = (s + 2 < e && src[s + 1] == q && src[s + 2] == q && e - s >= 6) ? 3 : 1
            guard e - s >= 2 * width else { return nil }
            for i in (s + width)..<(e - width) {
                // A module name never holds a control character: such a literal names nothing
                // importable, and could forge lines where its fingerprint is written.
                if src[i] == 0x5C || src[i] < 0x20 || src[i] == 0x7F { return nil }
                bytes.append(src[i])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
