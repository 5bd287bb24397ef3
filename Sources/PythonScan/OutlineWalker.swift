/// Builds a `ModuleOutline`: walks the statements as the `Parser` does, but
/// runs the module level in order, as CPython would on import, keeping what
/// each name is bound to. What cannot be decided from the text (a binding in
/// a `try`, a loop, a branch of an `if` the others disagree with, after a
/// star import) becomes `unknown`, never a guess: `ssot fix` edits only what
/// it can prove.
final class OutlineWalker {
    /// For its token helpers (brackets, statement ends, relative imports, literals).
    let q: Parser
    let t: UnsafeBufferPointer<Token>
    let src: UnsafeBufferPointer<UInt8>
    let comments: [Range<Int>]
    var outline = ModuleOutline()
    var p = 0
    /// The module level's names as run so far.
    var env: [String: BoundValue] = [:]
    /// Function and class bodies entered: 0 is the module level.
    var depth = 0
    /// The function whose body is being walked (an index of `outline.functions`), nil in a class body or the module.
    var function: Int?
    /// Suites entered inside the current function's body: 0 is the body itself.
    var nested = 0
    /// Indented blocks entered.
    var levels = 0

    /// Past an indented block, without recursion: the parser's own skip, from here.
    func skipBlock() {
        q.p = p
        q.skipBlock()
        p = q.p
    }

    /// Where the simple statement being read ends: a name it binds is bound from there on.
    var boundFrom = Int.max
    var inFunction = false
    var typeChecking = false
    /// Set inside a statement whose bindings may or may not happen (try, loops, with, match).
    var poison: String?
    var block = 0
    var blocks = 0
    /// Names a function declares `global`: any call may rebind them.
    var globals: Set<String> = []
    /// Whether `outline.dottedStrings` is filled.
    var collectsDottedStrings = true
    /// Whether each function's names, parameters and inner scopes are kept (only `--unsafe-fixes`
    /// reads them; the ranges are always kept): the names of every body were a fifth of an outline.
    var collectsFunctionScopes = true

    init(tokens: UnsafeBufferPointer<Token>, source: UnsafeBufferPointer<UInt8>, comments: [Range<Int>],
         module: ModuleContext) {
        self.t = tokens
        self.src = source
        self.comments = comments
        self.q = Parser(tokens: tokens, source: source, module: { module })
    }

    func run() {
        statements(untilDedent: false)
        for name in globals where env[name] != nil {
            env[name] = .unknown("rebound by a function that declares it `global`")
        }
        outline.bindings = env
        outline.comments = comments
        outline.dynamic = outline.dynamic ?? dynamicAccess()
        dynamicLoads()
        for i in outline.attributeWrites.indices { outline.attributeWrites[i].base = env[outline.attributeWrites[i].head] }
        if collectsDottedStrings { strings() }
    }

    /// Ways a module's names change that its statements do not show:
    /// `globals()` anywhere; at module level (where they act on the
    /// module itself) `vars()`, `locals()`, `exec`, a `__dict__` or
    /// `__class__`, `sys.modules`. Any of them makes every name of the
    /// module unknown (a guess would be worse). In a function body
    /// `setattr(self, …)`, `self.__class__` and `sys.modules.get(…)` are
    /// everyday code about other objects, and are not counted.
    func dynamicAccess() -> String? {
        let inFunction = tokensInFunctions()
        let moduleLevel: [StaticString] = ["vars", "locals", "exec", "__dict__", "__class__"]
        for k in 0..<t.count where t[k].kind == .name {
            // Compared in place: a String per name token was a tenth of the fix's time.
            let first = src[Int(t[k].start)]
            guard first == 0x67 || first == 0x76 || first == 0x6C || first == 0x65 || first == 0x5F || first == 0x6D else { continue }
            if q.isName(k, "globals") { return "it uses globals, which can rebind any of its names" }
            if q.isName(k, "modules") && kind(k - 1) == .dot && k >= 2 && q.isName(k - 2, "sys") && kind(k + 1) == .lbracket
                && q.isName(k + 2, "__name__") {
                return "it reaches itself through sys.modules[__name__], which can rebind or replace it"
            }
            if inFunction[k] { continue }
            for word in moduleLevel where q.isName(k, word) {
                return "it uses \(word) at module level, which can rebind any of its names"
            }
            if q.isName(k, "modules") && kind(k - 1) == .dot && k >= 2 && q.isName(k - 2, "sys") {
                return "it uses sys.modules at module level, which can replace the module"
            }
        }
        return nil
    }

    /// For each token, whether it is in a function's body.
    func tokensInFunctions() -> [Bool] {
        var marks = [Bool](repeating: false, count: t.count)
        guard !outline.functions.isEmpty else { return marks }
        func firstToken(at offset: Int) -> Int {
            var lo = 0, hi = t.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if Int(t[mid].start) < offset { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        for f in outline.functions.sorted(by: { $0.range.count > $1.range.count }) {
            var k = firstToken(at: f.range.lowerBound)
            while k < t.count && Int(t[k].start) < f.range.upperBound && !marks[k] {
                marks[k] = true
                k += 1
            }
        }
        return marks
    }

    /// `import_module("m")` and `__import__("m")` run when the module loads
    /// (outside any function): a literal name is a load like an import; any
    /// other argument loads what ssot cannot know.
    func dynamicLoads() {
        for k in 0..<t.count where t[k].kind == .name && kind(k + 1) == .lparen
            && (q.isName(k, "import_module") || q.isName(k, "__import__")) {
            let at = Int(t[k].start)
            if outline.functions.contains(where: { $0.range.contains(at) }) { continue }
            if kind(k + 2) == .string, kind(k + 3) == .rparen || kind(k + 3) == .comma,
               case let .text(name) = q.literalValue(k + 2, k + 3), name.first != 0x2E {
                outline.loadImports.append(String(decoding: name, as: UTF8.self))
            } else {
                outline.loadsUnknown = true
            }
        }
    }

    // MARK: - Token helpers

    func kind(_ k: Int) -> TokenKind { q.kind(k) }

    /// The identifier at `k` as CPython compares it (NFKC when not ASCII).
    func ident(_ k: Int) -> String {
        let s = q.text(k)
        return s.utf8.allSatisfy { $0 < 0x80 } ? s : IdentifierNFKC.normalize(s)
    }

    func dotted(_ k: Int, _ e: Int) -> String {
        var s = ident(k)
        var i = k + 2
        while i <= e {
            s += "." + ident(i)
            i += 2
        }
        return s
    }

    /// `straight`: a plain binding that surely happens when the statement runs (not a loop target, `as`, `:=`).
    func bind(_ name: String, _ value: BoundValue, straight: Bool = true) {
        if let f = function {
            guard collectsFunctionScopes else { return }
            outline.functions[f].names.insert(name)
            if straight && nested == 0 { outline.functions[f].straightBindings.append((name, boundFrom)) }
            return
        }
        guard depth == 0 else { return }
        env[name] = poison.map { .unknown($0) } ?? value
    }

    /// Module level or a function body: where target names are worth reading.
    var bindsNames: Bool { depth == 0 || function != nil }

    func newBlock<R>(_ body: () -> R) -> R {
        let saved = block
        blocks += 1
        block = blocks
        defer { block = saved }
        return body()
    }

    // MARK: - Statements

    func statements(untilDedent: Bool) {
        var stray = 0
        while p < t.count {
            switch t[p].kind {
            case .endmarker: return
            case .dedent:
                p += 1
                if stray > 0 { stray -= 1; continue }
                if untilDedent { return }
            case .indent:
                stray += 1
                p += 1
            case .newline, .semicolon:
                p += 1
            default:
                let before = p
                statement()
                if p <= before { p = before + 1 }
            }
        }
    }

    func suite(_ colon: Int) {
        nested += 1
        defer { nested -= 1 }
        newBlock {
            p = colon + 1
            guard kind(colon) == .colon else {
                p = q.statementEnd(colon) + 1
                return
            }
            if kind(p) == .newline {
                p += 1
                guard kind(p) == .indent else { return }
                p += 1
                levels += 1
                defer { levels -= 1 }
                if levels > Parser.maxNesting {
                    // CPython does not compile it; the walk does not recurse without bound (worker threads' stacks
                    // are small), and nothing in such a file is vouched for.
                    outline.dynamic = "it nests blocks deeper than CPython compiles"
                    skipBlock()
                    return
                }
                statements(untilDedent: true)
            } else {
                simpleLine()
            }
        }
    }

    func simpleLine() {
        while p < t.count {
            let e = q.statementEnd(p)
            if e > p { simple(p, e) }
            switch kind(e) {
            case .semicolon:
                p = e + 1
                if kind(p) == .newline { p += 1; return }
            case .newline:
                p = e + 1
                return
            default:
                p = e
                return
            }
        }
    }

    func poisoned(_ reason: String, _ body: () -> Void) {
        let saved = poison
        if poison == nil { poison = reason }
        body()
        poison = saved
    }

    func statement() {
        let k = p
        switch t[k].kind {
        case .at:
            p = q.statementEnd(k + 1) + 1
        case .kwDef: definition(k, function: true)
        case .kwClass: definition(k, function: false)
        case .kwAsync:
            switch kind(k + 1) {
            case .kwDef: definition(k + 1, function: true)
            case .kwFor, .kwWith: poisoned("bound inside a loop or `with`") { compound(k + 1) }
            default: simpleLine()
            }
        case .kwIf: ifStatement(k)
        case .kwWhile, .kwFor, .kwWith:
            poisoned("bound inside a loop or `with`") { compound(k) }
        case .kwTry: tryStatement()
        case .name where q.isName(k, "match") && q.isMatchStatement(k):
            poisoned("bound inside a `match`") { matchStatement(k) }
        default: simpleLine()
        }
    }

    /// A loop or `with`: its header may bind names too (`for x in`, `as x`).
    func compound(_ k: Int) {
        let colon = q.headerColon(k + 1)
        if bindsNames {
            if kind(k) == .kwFor {
                for n in targetNames(k + 1, q.findTop(k + 1, colon) { $0 == .kwIn }) { bind(n, .unknown(poison ?? ""), straight: false) }
            } else {
                for a in k + 1..<max(k + 1, colon) where kind(a) == .kwAs && kind(a + 1) == .name {
                    bind(ident(a + 1), .unknown(poison ?? ""), straight: false)
                }
            }
        }
        suite(colon)
        while kind(p) == .kwElse { suite(q.headerColon(p + 1)) }
    }

    func matchStatement(_ k: Int) {
        let colon = q.headerColon(k + 1)
        p = colon + 1
        guard kind(p) == .newline, kind(p + 1) == .indent else { suite(colon); return }
        p += 2
        while p < t.count {
            switch kind(p) {
            case .dedent: p += 1; return
            case .endmarker: return
            case .newline: p += 1
            default:
                let c = q.headerColon(p + 1)
                if bindsNames { for n in targetNames(p + 1, c) { bind(n, .unknown(poison ?? ""), straight: false) } }
                let before = p
                suite(c)
                if p <= before { p = before + 1 }
            }
        }
    }

    func definition(_ k: Int, function: Bool) {
        if kind(k + 1) == .name {
            let name = ident(k + 1)
            bind(name, .definition(offset: Int(t[k + 1].start)))
            if depth == 0 { outline.definedNames[Int(t[k + 1].start)] = name }
            if depth == 0 && function && name == "__getattr__" { outline.openNames = "its module __getattr__ may supply any name" }
        }
        let colon = q.headerColon(k + 1)
        let savedFunction = inFunction, savedScope = self.function, savedNested = nested
        depth += 1
        if function {
            inFunction = true
            let params = collectsFunctionScopes ? parameters(k, colon) : []
            var scope = FunctionScope(range: Int(t[colon].end)..<Int(t[colon].end), names: params)
            scope.parameters = params
            outline.functions.append(scope)
            self.function = outline.functions.count - 1
        } else {
            self.function = nil
        }
        nested = -1  // the body's own suite makes it 0
        suite(colon)
        if let f = self.function, function {
            let end = max(p - 1, colon)
            outline.functions[f].range = Int(t[colon].end)..<Int(t[end].end)
            if collectsFunctionScopes { outline.functions[f].innerScopes = innerScopes(colon + 1, end) }
        }
        depth -= 1
        nested = savedNested
        inFunction = savedFunction
        self.function = savedScope
    }

    /// Comprehensions (a bracket with a `for` at its top) and lambdas (to their statement's end) in `lo..<hi`.
    func innerScopes(_ lo: Int, _ hi: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var k = lo
        while k < hi {
            if t[k].kind.isOpenBracket {
                let close = q.close(of: k, within: hi)
                if q.findTop(k + 1, close, { $0 == .kwFor }) < close { out.append(Int(t[k].start)..<Int(t[close].end)) }
            } else if t[k].kind == .kwLambda {
                let end = q.statementEnd(k)
                out.append(Int(t[k].start)..<Int(t[min(end, hi)].start))
            }
            k += 1
        }
        return out
    }

    /// The parameter names of the `def` at `k`, whose header ends at `colon`.
    func parameters(_ k: Int, _ colon: Int) -> Set<String> {
        var open = k + 2
        if kind(open) == .lbracket { open = q.close(of: open, within: colon) + 1 }  // type parameters
        guard kind(open) == .lparen else { return [] }
        let close = q.close(of: open, within: colon)
        var names = Set<String>()
        var a = open + 1
        while a < close {
            let b = q.findTop(a, close) { $0 == .comma }
            var n = a
            while n < b && (kind(n) == .star || kind(n) == .doubleStar) { n += 1 }
            if n < b && kind(n) == .name { names.insert(ident(n)) }
            a = b + 1
        }
        return names
    }

    enum Branch { case taken, notTaken, undecided }

    /// Whether an `if` test is decided when the module is imported:
    /// `__name__ == "__main__"` is not, `True` and `1` are, `False` and `0` are not.
    func decide(_ lo: Int, _ hi: Int) -> Branch {
        if hi - lo == 1 {
            switch kind(lo) {
            case .kwTrue: return .taken
            case .kwFalse: return .notTaken
            case .number: return q.text(lo) == "0" ? .notTaken : (q.text(lo) == "1" ? .taken : .undecided)
            default: return .undecided
            }
        }
        if hi - lo == 3, kind(lo + 1) == .op, q.text(lo + 1) == "==" {
            for (a, b) in [(lo, lo + 2), (lo + 2, lo)] where q.isName(a, "__name__") && kind(b) == .string {
                if case let .text(v) = q.literalValue(b, b + 1), v == Array("__main__".utf8) { return .notTaken }
            }
        }
        return .undecided
    }

    func ifStatement(_ k: Int) {
        // Only the module level writes `env` (`bind` and the star import check `depth`): below
        // it every branch leaves `env` as it was, and merging the module's names at each `if`
        // of every function body was a fifth of an outline.
        let tracksEnv = depth == 0
        let before = env
        var outcomes: [[String: BoundValue]] = []
        var settled = false
        func branch(_ decision: Branch, _ colon: Int, typeCheck: Bool) {
            if tracksEnv { env = before }
            let saved = typeChecking
            if typeCheck { typeChecking = true }
            suite(colon)
            typeChecking = saved
            if !tracksEnv || settled || decision == .notTaken { return }
            outcomes.append(env)
            if decision == .taken { settled = true }
        }
        var colon = q.headerColon(k + 1)
        branch(decide(k + 1, colon), colon, typeCheck: q.isTypeCheckingTest(k + 1, colon))
        while kind(p) == .kwElif {
            colon = q.headerColon(p + 1)
            branch(decide(p + 1, colon), colon, typeCheck: false)
        }
        if kind(p) == .kwElse {
            branch(.taken, q.headerColon(p + 1), typeCheck: false)
        }
        guard tracksEnv else { return }
        if !settled { outcomes.append(before) }
        env = OutlineWalker.merge(outcomes)
    }

    /// After an `if` whose branch is not known: a name keeps its value only
    /// when every branch leaves it the same.
    static func merge(_ outcomes: [[String: BoundValue]]) -> [String: BoundValue] {
        guard let first = outcomes.first else { return [:] }
        if outcomes.count == 1 { return first }
        var names = Set<String>()
        for o in outcomes { names.formUnion(o.keys) }
        var merged: [String: BoundValue] = [:]
        for name in names {
            let values = outcomes.map { $0[name] }
            if let v = values[0], values.allSatisfy({ $0 == v }) {
                merged[name] = v
            } else {
                merged[name] = .unknown("bound differently by the branches of an `if`")
            }
        }
        return merged
    }

    func tryStatement() {
        let firstSite = outline.sites.count
        poisoned("bound inside a `try` statement") {
            suite(q.headerColon(p + 1))
            let bodySites = firstSite..<outline.sites.count
            var catchesImportError = false
            while true {
                switch kind(p) {
                case .kwExcept:
                    let colon = q.headerColon(p + 1)
                    let asTok = q.findTop(p + 1, colon) { $0 == .kwAs }
                    if catches(p + 1, asTok) { catchesImportError = true }
                    if asTok + 1 < colon && kind(asTok + 1) == .name {
                        bind(ident(asTok + 1), .unknown(poison ?? ""), straight: false)
                        // Python deletes the name when the handler ends.
                        if let f = function { outline.functions[f].unsettled.insert(ident(asTok + 1)) }
                    }
                    suite(colon)
                case .kwElse, .kwFinally:
                    suite(q.headerColon(p + 1))
                default:
                    if catchesImportError { for i in bodySites { outline.sites[i].guarded = true } }
                    return
                }
            }
        }
    }

    /// An `except` clause that an `ImportError` would land in.
    func catches(_ lo: Int, _ hi: Int) -> Bool {
        var k = lo
        if kind(k) == .star { k += 1 }  // except* ImportError
        if k >= hi { return true }      // bare except
        while k < hi {
            if kind(k) == .name {
                switch ident(k) {
                case "ImportError", "ModuleNotFoundError", "Exception", "BaseException": return true
                default: break
                }
            }
            k += 1
        }
        return false
    }

    // MARK: - Simple statements

    func simple(_ s: Int, _ e: Int) {
        boundFrom = Int(t[e].start)
        defer { boundFrom = Int.max }
        switch kind(s) {
        case .kwImport: importModules(s + 1, e)
        case .kwFrom: fromImport(s, s, e)
        case .name where q.isName(s, "lazy") && kind(s + 1) == .kwFrom: fromImport(s, s + 1, e)
        case .name where q.isName(s, "lazy") && kind(s + 1) == .kwImport: importModules(s + 2, e)
        case .kwGlobal, .kwNonlocal:
            if depth > 0 && kind(s) == .kwGlobal { for k in s + 1..<e where kind(k) == .name { globals.insert(ident(k)) } }
            if let f = function { for k in s + 1..<e where kind(k) == .name { outline.functions[f].unsettled.insert(ident(k)) } }
        case .kwDel:
            if depth == 0 && function == nil { for n in targetNames(s + 1, e) { env.removeValue(forKey: n) } }
            var a = s + 1
            while a < e {
                let b = q.findTop(a, e) { $0 == .comma }
                attributeWrite(a, b)
                if let f = function { for n in targetNames(a, b) { outline.functions[f].unsettled.insert(n) } }
                a = b + 1
            }
        case .name where q.isName(s, "type") && kind(s + 1) == .name:
            if depth == 0 && q.findTop(s + 2, e, { $0 == .equal }) < e { bind(ident(s + 1), .definition(offset: Int(t[s + 1].start))) }
        default:
            if bindsNames { assignment(s, e) }
        }
    }

    func importModules(_ lo: Int, _ hi: Int) {
        var k = lo
        while k < hi {
            guard kind(k) == .name else { k += 1; continue }
            let e = q.dottedEnd(k, hi)
            let module = dotted(k, e)
            if !inFunction { outline.loadImports.append(module) }
            if e + 2 < hi && kind(e + 1) == .kwAs && kind(e + 2) == .name {
                bind(ident(e + 2), .module(module))
                k = e + 3
            } else {
                bind(ident(k), .module(ident(k)))
                k = e + 1
            }
        }
    }

    /// `from [.]*M import …` starting at `s` (its `lazy`, if any), `from` at `f`.
    func fromImport(_ s: Int, _ f: Int, _ e: Int) {
        var k = f + 1
        var level = 0
        let moduleStart = Int(t[min(k, e)].start)
        while k < e && (kind(k) == .dot || kind(k) == .ellipsis) {
            level += kind(k) == .dot ? 1 : 3
            k += 1
        }
        var name = ""
        if k < e && kind(k) == .name {
            let end = q.dottedEnd(k, e)
            name = dotted(k, end)
            k = end + 1
        }
        guard k < e, kind(k) == .kwImport, k > f + 1 else { return }
        let module = level == 0 ? (name.isEmpty ? nil : name) : q.module.package.flatMap { Parser.resolve(level: level, name, in: $0) }
        var site = FromImportSite(range: Int(t[s].start)..<Int(t[e - 1].end), moduleRange: moduleStart..<Int(t[k - 1].end),
                                  level: level, module: module, block: block)
        site.inFunction = inFunction
        site.underTypeChecking = typeChecking
        site.lazy = s != f
        site.indent = indentation(before: Int(t[s].start))
        if kind(e) == .newline { site.lineBreak = Int(t[e].start)..<Int(t[e].end) }
        site.comments = commentsIn(site.range)
        k += 1
        if !inFunction, let module { outline.loadImports.append(module) }
        if k < e && kind(k) == .star {
            site.star = true
            site.wellFormed = k + 1 == e
            outline.sites.append(site)
            if depth == 0 {
                for key in env.keys { env[key] = .unknown("possibly rebound by a star import") }
                if outline.openNames == nil { outline.openNames = "a star import may supply any name" }
            }
            return
        }
        var end = e
        if kind(k) == .lparen {
            site.openParen = Int(t[k].start)
            end = q.close(of: k, within: e)
            if end < e && kind(end) == .rparen { site.closeParen = Int(t[end].start) } else { site.wellFormed = false }
            if end + 1 != e { site.wellFormed = false }
            k += 1
        }
        while k < end {
            guard kind(k) == .name else { site.wellFormed = false; k += 1; continue }
            var item = FromImportSite.Item(name: ident(k), local: ident(k), nameRange: Int(t[k].start)..<Int(t[k].end))
            if k + 2 < end && kind(k + 1) == .kwAs && kind(k + 2) == .name {
                item.local = ident(k + 2)
                item.asRange = Int(t[k + 1].start)..<Int(t[k + 2].end)
                k += 3
            } else {
                k += 1
            }
            if k < end && kind(k) == .comma {
                item.comma = Int(t[k].start)..<Int(t[k].end)
                k += 1
            } else if k < end {
                site.wellFormed = false
            }
            site.items.append(item)
            bind(item.local, module.map { .imported(module: $0, name: item.name) } ?? .unknown("a relative import above the top package"))
            if !inFunction, let module { outline.loadImports.append(module + "." + item.name) }
        }
        if site.items.isEmpty { site.wellFormed = false }
        outline.sites.append(site)
    }

    /// The comments starting inside `range`, found by binary search (a file of thousands of
    /// import statements and comments must not cost their product).
    func commentsIn(_ range: Range<Int>) -> [Range<Int>] {
        var lo = 0, hi = comments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if comments[mid].lowerBound < range.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        var out: [Range<Int>] = []
        while lo < comments.count && comments[lo].lowerBound < range.upperBound {
            out.append(comments[lo])
            lo += 1
        }
        return out
    }

    /// The white space between the line's start and `offset`, or nil when
    /// something else comes first on that line.
    func indentation(before offset: Int) -> Range<Int>? {
        var i = offset
        while i > 0 {
            let c = src[i - 1]
            if c == 0x0A || c == 0x0D { break }
            guard c == 0x20 || c == 0x09 || c == 0x0C else { return nil }
            i -= 1
        }
        if i == 0 && src.count >= 3 && src[0] == 0xEF && offset >= 3 { return 3..<offset }
        return i..<offset
    }

    /// The names a target list binds: `a`, `a, b`, `(a, *b)`; not `a.b` or `a[0]`.
    func targetNames(_ lo: Int, _ hi: Int) -> [String] {
        var names: [String] = []
        var k = lo
        while k < hi {
            let kd = kind(k)
            if kd == .name && kind(k - 1) != .dot && kind(k + 1) != .dot && kind(k + 1) != .lbracket
                && kind(k + 1) != .lparen {
                names.append(ident(k))
            }
            k += 1
        }
        return names
    }

    /// `a = b = value`, `a: T = value`, `a += 1`, or an expression (walrus targets).
    func assignment(_ s: Int, _ e: Int) {
        var equals: [Int] = []
        var annotation = -1
        var augmented = -1
        var k = s
        var lambdas = 0
        while k < e {
            switch kind(k) {
            case .kwLambda: lambdas += 1
            case .colon: if lambdas > 0 { lambdas -= 1 } else if annotation < 0 && equals.isEmpty { annotation = k }
            case .equal: if lambdas == 0 { equals.append(k) }
            case .augAssign: if augmented < 0 && equals.isEmpty { augmented = k }
            case .walrus: if kind(k - 1) == .name { bind(ident(k - 1), .unknown("bound by `:=`"), straight: false) }
            case let kd where kd.isOpenBracket:
                // Walrus targets inside brackets bind at module level too.
                let close = q.close(of: k, within: e)
                for w in k..<close where kind(w) == .walrus && kind(w - 1) == .name {
                    bind(ident(w - 1), .unknown("bound by `:=`"), straight: false)
                }
                k = close
            default: break
            }
            k += 1
        }
        if augmented >= 0 {
            attributeWrite(s, augmented)
            for n in targetNames(s, augmented) { bind(n, .unknown("rebound by an augmented assignment")) }
            return
        }
        var segment = s
        for eq in equals {
            attributeWrite(segment, annotation >= 0 && annotation < eq ? annotation : eq)
            segment = eq + 1
        }
        if annotation >= 0 {
            guard let eq = equals.first, annotation == s + 1, kind(s) == .name else { return }
            bind(ident(s), value(eq + 1, e))
            return
        }
        guard let last = equals.last else { return }
        let v = value(last + 1, e)
        var lo = s
        for eq in equals {
            if eq - lo == 1 && kind(lo) == .name {
                bind(ident(lo), v)
            } else {
                for n in targetNames(lo, eq) { bind(n, .unknown("bound by unpacking")) }
            }
            lo = eq + 1
        }
    }

    /// `a.b.c` alone in `lo..<hi`, written to: recorded with `a`'s module-level value.
    func attributeWrite(_ lo: Int, _ hi: Int) {
        guard hi - lo >= 3, kind(lo) == .name, q.dottedEnd(lo, hi) == hi - 1 else { return }
        var attrs: [String] = []
        var k = lo + 2
        while k < hi { attrs.append(ident(k)); k += 2 }
        outline.attributeWrites.append(AttributeWrite(head: ident(lo), base: nil, attributes: attrs, offset: Int(t[lo].start)))
    }

    /// The value of the expression `lo..<hi`: a dotted name is what it names
    /// now; anything else is an object made here.
    func value(_ lo: Int, _ hi: Int) -> BoundValue {
        guard lo < hi else { return .unknown("without a value") }
        if kind(lo) == .name && q.dottedEnd(lo, hi) == hi - 1 && kind(lo + 1) != .walrus {
            let head = ident(lo)
            guard let base = env[head] else { return .unknown("an alias of \(head), which the module does not bind there") }
            var attrs: [String] = []
            var k = lo + 2
            while k < hi { attrs.append(ident(k)); k += 2 }
            if attrs.isEmpty { return base }
            // Flat: `x = y.a; z = x.b` is y's value then `a.b`, so values never nest deeper than one.
            if case let .attribute(inner, first) = base { return .attribute(inner, first + attrs) }
            return .attribute(base, attrs)
        }
        return .definition(offset: Int(t[lo].start))
    }

    // MARK: - Strings

    func strings() {
        for k in 0..<t.count where t[k].kind == .string {
            guard case let .text(bytes) = q.literalValue(k, k + 1), bytes.count < 256, bytes.contains(0x2E) else { continue }
            let ok = bytes.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x5F || b == 0x2E || b == 0x3A
            }
            if ok { outline.dottedStrings.append(DottedString(text: String(decoding: bytes, as: UTF8.self), offset: Int(t[k].start))) }
        }
    }
}
