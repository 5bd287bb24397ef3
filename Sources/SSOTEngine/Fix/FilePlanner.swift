import PythonScan
import SSOTCore

/// Decides, for each finding of one file, whether `ssot fix` may rewrite it
/// and into what (SPEC 8): the legacy name and the canonical module are
/// resolved through the tree, and only the same `Origin` on both sides
/// makes a rewrite.
struct FilePlanner {
    let path: String
    let bytes: [UInt8]
    let config: Config
    let resolver: StaticResolver
    /// `--unsafe-fixes`: singleton calls rewritten where the replacement's arguments are bound.
    var unsafeFixes = false
    /// Whether the plan lists the file's other mentions of legacy modules (`ssot fix` prints
    /// them; `ssot report` counts decisions only).
    var collectsMentions = true

    /// A move of one item of one statement: to `canonical`, under `name`.
    struct Move: Equatable {
        var canonical: String
        var name: String
    }

    struct Plan {
        var decisions: [FixDecision] = []
        var outline: ModuleOutline
        /// Site index → item index → move.
        var moves: [Int: [Int: Move]] = [:]
        var mentions: [ModuleMention] = []
        /// Singleton calls rewritten (`--unsafe-fixes`), and the imports their replacements need.
        var calls: [TextEdit] = []
        var additions: [ReplacementCall] = []
    }

    func plan(_ findings: [Finding]) -> Plan {
        let context = ModuleName.context(path: path, sourceRoots: config.sourceRoots)
        let ownModule = ModuleName.of(path: path, sourceRoots: config.sourceRoots)?.name
        let outline = ModuleOutline.of(bytes, module: context, dottedStrings: collectsMentions, functionScopes: unsafeFixes)
        var plan = Plan(outline: outline)
        let lines = bytes.withUnsafeBufferPointer { LineIndex($0) }
        func position(_ offset: Int) -> (Int, Int) { bytes.withUnsafeBufferPointer { lines.position(of: offset, in: $0) } }
        // The file is scanned again only when a finding is an import the outline does not hold
        // (`import M`, a star import, a dynamic one): most files with findings have from-imports only.
        var scanned: [Int: [ScannedImport]]?
        func importsAt(_ key: Int) -> [ScannedImport]? {
            if scanned == nil {
                var byPosition: [Int: [ScannedImport]] = [:]
                for imp in PythonScanner.scan(bytes, module: context).imports {
                    let (line, column) = position(imp.offset)
                    byPosition[line << 24 | column, default: []].append(imp)
                }
                scanned = byPosition
            }
            return scanned![key]
        }
        var siteOfName: [Int: (site: Int, item: Int)] = [:]
        for (s, site) in outline.sites.enumerated() {
            for (i, item) in site.items.enumerated() { siteOfName[item.nameRange.lowerBound] = (s, i) }
        }
        let rules = Dictionary(config.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // An item two rules would move to different places is moved by neither.
        var wanted: [Int: [Int: [Move]]] = [:]
        var pending: [(decision: FixDecision, site: Int, item: Int, move: Move)] = []
        for f in findings {
            guard let rule = rules[f.rule] else { continue }
            let key = f.line << 24 | f.column
            let imp = fromImport(f, rule, outline, siteOfName, lines)
                ?? (f.fingerprint.hasPrefix("use ") ? nil : importsAt(key)?.first { RuleMatch.fingerprint(of: $0, rule) == f.fingerprint })
            func decide(_ reason: FixReason, _ detail: String, _ unexported: Unexported? = nil) {
                plan.decisions.append(FixDecision(finding: f, reason: reason, detail: detail, unexported: unexported))
            }
            guard let imp else {
                if unsafeFixes, let offset = FilePlanner.offset(of: f, in: bytes, lines: lines) {
                    switch singletonCall(at: offset, rule, outline) {
                    case let .success((edit, call)):
                        plan.calls.append(edit)
                        if !plan.additions.contains(call) { plan.additions.append(call) }
                        plan.decisions.append(FixDecision(finding: f, reason: nil, detail: String(decoding: edit.text, as: UTF8.self)))
                    case let .failure(why):
                        decide(.singletonUse, "not rewritten: \(why.text); replace with \(rule.replacement ?? "the rule's replacement")")
                    }
                    continue
                }
                decide(.singletonUse, "replace with \(rule.replacement ?? "the rule's replacement")")
                continue
            }
            if rule.kind == .singleton {
                decide(.singletonUse, "the import of a retired singleton; replace its uses with \(rule.replacement ?? "the rule's replacement")")
                continue
            }
            guard let canonical = rule.canonical else { decide(.noCanonical, "add `canonical` to rule \(rule.id)"); continue }
            if imp.isCall { decide(.dynamic, "a call of __import__; write `from \(canonical) import \(imp.name ?? "…")`"); continue }
            switch imp.form {
            case .importModule:
                decide(.moduleImport, "uses of the module are not rewritten; import the names from \(canonical)")
                continue
            case .dynamic:
                decide(.dynamic, "a dynamic import; import from \(canonical)")
                continue
            case .fromStar:
                decide(.starImport, "list the names it uses and import them from \(canonical)")
                continue
            case .fromImport:
                break
            }
            guard let name = imp.name, let (s, i) = siteOfName[imp.offset] else {
                decide(.unresolved, "ssot could not find the statement's parts")
                continue
            }
            let site = outline.sites[s]
            guard site.wellFormed else { decide(.unresolved, "a statement ssot cannot edit token by token"); continue }
            if site.guarded { decide(.guarded, "a fallback under `except ImportError`; edit it by hand"); continue }
            if ownModule == canonical { decide(.unresolved, "this is the canonical module itself"); continue }
            if Set(site.items.map(\.local)).count != site.items.count {
                decide(.unresolved, "the statement binds one name twice: moving either would change which one wins")
                continue
            }
            if let loader = resolver.computedLoader(in: canonical) {
                decide(.unresolved, "\(canonical) loads \(loader), which imports modules by computed names: this file could be among them")
                continue
            }
            if let ownModule, let by = resolver.loaded(by: canonical)[ownModule] {
                decide(.unresolved, "\(canonical) loads this module (imported by \(by)): importing from it here would be circular")
                continue
            }
            let local = site.items[i].local
            switch resolver.resolve(imp.module, name) {
            case let .unknown(why):
                decide(.unresolved, why)
            case .notBound:
                decide(.unresolved, "\(imp.module) does not bind \(name): the import fails today")
            case .object(.module):
                decide(.moduleImport, "\(imp.module).\(name) is a module; its uses are not rewritten")
            case let .object(origin):
                if let exported = resolver.name(in: canonical, binding: origin, preferring: name) {
                    let move = Move(canonical: canonical, name: exported)
                    let text = "from \(canonical) import \(exported == local ? exported : exported + " as " + local)"
                    wanted[s, default: [:]][i, default: []].append(move)
                    pending.append((FixDecision(finding: f, reason: nil, detail: text), s, i, move))
                    continue
                }
                switch resolver.resolve(canonical, name) {
                case .object:
                    decide(.differentObject, "\(canonical).\(name) is another object than \(imp.module).\(name)")
                case let .unknown(why):
                    decide(.unresolved, why)
                case .notBound:
                    let detail = resolver.privateName(in: canonical, binding: origin).map { "\(canonical) binds it only as \($0), a private name" }
                    decide(.notExported, detail ?? "\(canonical) does not bind it",
                           Unexported(name: name, definedIn: origin.module, canonical: canonical))
                }
            }
        }
        for p in pending {
            let moves = wanted[p.site]![p.item]!
            if moves.allSatisfy({ $0 == moves[0] }) {
                plan.moves[p.site, default: [:]][p.item] = p.move
                plan.decisions.append(p.decision)
            } else {
                var d = p.decision
                d.reason = .unresolved
                d.detail = "rules with different canonical modules ban this import"
                plan.decisions.append(d)
            }
        }
        guard collectsMentions else { return plan }
        // A dynamic import's literal is its finding already.
        let found = Set(findings.map { $0.line << 24 | $0.column })
        plan.mentions = mentions(outline, position).filter { !found.contains($0.line << 24 | $0.column) }
        return plan
    }

    /// The `from M import n` a finding names, read from the outline: the
    /// item at the finding's position whose fingerprint it is.
    func fromImport(_ f: Finding, _ rule: Rule, _ outline: ModuleOutline, _ siteOfName: [Int: (site: Int, item: Int)],
                    _ lines: LineIndex) -> ScannedImport? {
        guard f.fingerprint.hasPrefix("from "), let offset = FilePlanner.offset(of: f, in: bytes, lines: lines),
              let (s, i) = siteOfName[offset], let module = outline.sites[s].module else { return nil }
        let imp = ScannedImport(form: .fromImport, module: module, name: outline.sites[s].items[i].name, offset: offset,
                                underTypeChecking: outline.sites[s].underTypeChecking)
        return RuleMatch.fingerprint(of: imp, rule) == f.fingerprint ? imp : nil
    }

    struct Refusal: Error { var text: String }

    /// The use at `offset` as a call of the replacement (SPEC 8, `--unsafe-fixes`): only
    /// `name()` with no arguments, inside a function that binds every name the replacement passes.
    func singletonCall(at offset: Int, _ rule: Rule, _ outline: ModuleOutline) -> Result<(TextEdit, ReplacementCall), Refusal> {
        guard let call = rule.replacement.flatMap(ReplacementCall.init) else {
            return .failure(Refusal(text: "the rule's replacement is not a call of a module's function with names for arguments"))
        }
        var i = offset
        while i < bytes.count && (bytes[i] == 0x5F || bytes[i] >= 0x80 || (bytes[i] | 0x20 >= 0x61 && bytes[i] | 0x20 <= 0x7A)
                                  || (bytes[i] >= 0x30 && bytes[i] <= 0x39)) { i += 1 }
        func blanks() { while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 } }
        blanks()
        guard i < bytes.count, bytes[i] == 0x28 else { return .failure(Refusal(text: "not a plain call `name()`")) }
        i += 1
        blanks()
        guard i < bytes.count, bytes[i] == 0x29 else { return .failure(Refusal(text: "a call with arguments")) }
        guard let function = FunctionScope.innermost(outline.functions, at: offset) else {
            return .failure(Refusal(text: "not inside a function, where a user context could be bound"))
        }
        // Bound for sure: a parameter, or a plain assignment of the body before the call; not deleted, caught,
        // global or nonlocal; and the call not inside a lambda or comprehension, whose names are their own.
        let missing = call.arguments.filter { !function.binds($0, at: offset) }
        guard missing.isEmpty else {
            return .failure(Refusal(text: "the enclosing function does not surely bind \(missing.joined(separator: ", ")) there"))
        }
        if function.names.contains(call.name) { return .failure(Refusal(text: "the enclosing function binds \(call.name) itself")) }
        if let bound = outline.bindings[call.name], bound != .imported(module: call.module, name: call.name) {
            return .failure(Refusal(text: "the module binds \(call.name) to something else"))
        }
        return .success((TextEdit(offset..<i + 1, call.text), call))
    }

    /// The byte offset of a finding's line and column.
    static func offset(of f: Finding, in bytes: [UInt8], lines: LineIndex? = nil) -> Int? {
        bytes.withUnsafeBufferPointer { b in
            let range = (lines ?? LineIndex(b)).lineRange(f.line, in: b)
            var i = range.lowerBound, column = 1
            while i < range.upperBound && column < f.column {
                i += 1
                while i < range.upperBound && b[i] & 0xC0 == 0x80 { i += 1 }
                column += 1
            }
            return i < range.upperBound ? i : nil
        }
    }

    /// Strings naming a banned module of an import rule that applies here.
    func mentions(_ outline: ModuleOutline, _ position: (Int) -> (Int, Int)) -> [ModuleMention] {
        var out: [ModuleMention] = []
        for s in outline.dottedStrings {
            let text = s.text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? s.text
            for rule in config.rules where rule.kind == .import && rule.applies(to: path) {
                if rule.banned.contains(where: { text == $0 || text.hasPrefix($0 + ".") }) {
                    let (line, column) = position(s.offset)
                    out.append(ModuleMention(path: path, line: line, column: column, text: s.text, rule: rule.id))
                    break
                }
            }
        }
        return out
    }
}

/// A singleton rule's `replacement` when it is `module.function(a, b)` with
/// plain names for arguments: the only shape `--unsafe-fixes` writes.
struct ReplacementCall: Equatable {
    var module: String
    var name: String
    var arguments: [String]

    init?(_ text: String) {
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else { return nil }
        let callee = text[..<open].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let args = text[text.index(after: open)..<text.index(before: text.endIndex)].split(separator: ",")
            .map { $0.trimmingCharacters() }
        func isName(_ s: String) -> Bool {
            guard let first = s.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
            return s.utf8.allSatisfy { $0 == 0x5F || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
        }
        guard callee.count >= 2, callee.allSatisfy(isName), args.allSatisfy(isName) else { return nil }
        module = callee.dropLast().joined(separator: ".")
        name = callee.last!
        arguments = args
    }

    var text: String { name + "(" + arguments.joined(separator: ", ") + ")" }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
