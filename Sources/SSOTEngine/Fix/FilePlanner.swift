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
    }

    func plan(_ findings: [Finding]) -> Plan {
        let context = ModuleName.context(path: path, sourceRoots: config.sourceRoots)
        let ownModule = ModuleName.of(path: path, sourceRoots: config.sourceRoots)?.name
        let outline = ModuleOutline.of(bytes, module: context)
        var plan = Plan(outline: outline)
        let scan = PythonScanner.scan(bytes, module: context)
        let lines = bytes.withUnsafeBufferPointer { LineIndex($0) }
        func position(_ offset: Int) -> (Int, Int) { bytes.withUnsafeBufferPointer { lines.position(of: offset, in: $0) } }
        var importsAt: [Int: [ScannedImport]] = [:]
        var offsets: [Int: Int] = [:]
        for imp in scan.imports {
            let (line, column) = position(imp.offset)
            importsAt[line << 24 | column, default: []].append(imp)
            offsets[line << 24 | column] = imp.offset
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
            let imp = importsAt[key]?.first { RuleMatch.fingerprint(of: $0, rule) == f.fingerprint }
            func decide(_ reason: FixReason, _ detail: String, _ unexported: Unexported? = nil) {
                plan.decisions.append(FixDecision(finding: f, reason: reason, detail: detail, unexported: unexported))
            }
            guard let imp else {
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
                    decide(.unresolved, "\(canonical).\(name): \(why)")
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
        // A dynamic import's literal is its finding already.
        let found = Set(findings.map { $0.line << 24 | $0.column })
        plan.mentions = mentions(outline, position).filter { !found.contains($0.line << 24 | $0.column) }
        return plan
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
