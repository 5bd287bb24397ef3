/// Walks the token stream statement by statement. It builds no syntax tree:
/// it records imports, bindings and references into `Scopes` as it goes.
///
/// It is tolerant: every loop consumes at least one token, a statement that
/// makes no sense is skipped to its end, and nesting deeper than CPython
/// accepts is skipped with a warning instead of recursing without bound.
final class Parser {
    struct Reference {
        var scope: Int32
        var name: Int32
        var head: Int32
        var chainEnd: Int32
    }

    /// A call of a name an import binds (or of `__import__`): a dynamic
    /// import if the name resolves to `importlib.import_module` or an
    /// `__import__`, which is known only once the whole file is read.
    struct DynamicCall {
        var reference: Int32
        /// The call's `(`.
        var open: Int32
        var underTypeChecking: Bool
    }

    /// CPython refuses more than 200 nested brackets and 100 indentation levels.
    static let maxNesting = 200

    let t: UnsafeBufferPointer<Token>
    let src: UnsafeBufferPointer<UInt8>
    /// Where the file sits; only relative imports need it, so it is computed on first use.
    lazy var module: ModuleContext = moduleProvider()
    private let moduleProvider: () -> ModuleContext
    /// Built on first use: the fix's outline walker borrows the parser's token helpers and needs neither.
    lazy var candidates = Candidates(tokens: t, source: src)
    var match: [Int32]
    lazy var names = NameTable(src, capacity: t.count / 8 + 16)
    var scopes = Scopes()
    var references: [Reference] = []
    var dynamicCalls: [DynamicCall] = []
    var imports: [ScannedImport] = []
    /// The modules of `from M import *` statements at module level.
    var starModules: [String] = []
    var warnings: [ScanWarning] = []
    var cur: Int32 = 0
    var p = 0
    var typeChecking = false
    var nesting = 0
    var tooDeepWarned = false

    init(tokens: UnsafeBufferPointer<Token>, source: UnsafeBufferPointer<UInt8>, module: @escaping () -> ModuleContext) {
        self.t = tokens
        self.src = source
        self.moduleProvider = module
        self.match = Parser.matchBrackets(tokens)
    }

    /// For each bracket, the index of its partner. An unclosed bracket is
    /// matched with the last token (the end marker).
    static func matchBrackets(_ t: UnsafeBufferPointer<Token>) -> [Int32] {
        var match = [Int32](repeating: -1, count: t.count)
        var stack: [Int32] = []
        for k in 0..<t.count {
            let kind = t[k].kind
            if kind.isOpenBracket {
                stack.append(Int32(k))
            } else if kind.isCloseBracket {
                if let open = stack.popLast() {
                    match[Int(open)] = Int32(k)
                    match[k] = open
                } else {
                    match[k] = Int32(k)
                }
            }
        }
        for open in stack { match[Int(open)] = Int32(t.count - 1) }
        return match
    }

    // MARK: - Token helpers

    @inline(__always) func kind(_ k: Int) -> TokenKind { k < t.count ? t[k].kind : .endmarker }

    @inline(__always) func isName(_ k: Int, _ text: StaticString) -> Bool {
        guard k < t.count, t[k].kind == .name else { return false }
        let s = Int(t[k].start), n = Int(t[k].end) - s
        guard n == text.utf8CodeUnitCount else { return false }
        let q = text.utf8Start
        for i in 0..<n where src[s + i] != q[i] { return false }
        return true
    }

    func text(_ k: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: src[Int(t[k].start)..<Int(t[k].end)]), as: UTF8.self)
    }

    @inline(__always) func nameID(_ k: Int) -> Int32 { names.intern(Int(t[k].start), Int(t[k].end)) }

    /// Records a non-import binding of the name at `k`, if an import could bind it too.
    @inline(__always) func bindName(_ scope: Int32, _ k: Int) {
        if candidates.contains(k) { scopes.bindOther(scope, nameID(k)) }
    }

    /// The partner of the bracket at `k`, never beyond `hi`.
    @inline(__always) func close(of k: Int, within hi: Int) -> Int { min(Int(match[k]), hi) }

    /// The first index in `lo..<hi` at bracket depth 0 whose kind satisfies
    /// `stop`, or `hi`.
    func findTop(_ lo: Int, _ hi: Int, _ stop: (TokenKind) -> Bool) -> Int {
        var k = lo
        while k < hi {
            let kd = t[k].kind
            if stop(kd) { return k }
            if kd.isOpenBracket { k = close(of: k, within: hi) }
            k += 1
        }
        return hi
    }

    /// The colon that ends a compound statement's header: the first at depth 0
    /// that no `lambda` claims. Stops at the end of the line.
    func headerColon(_ lo: Int) -> Int {
        var k = lo
        var lambdas = 0
        while k < t.count {
            switch t[k].kind {
            case .colon:
                if lambdas == 0 { return k }
                lambdas -= 1
            case .kwLambda: lambdas += 1
            case .newline, .endmarker, .indent, .dedent: return k
            case let kd where kd.isOpenBracket: k = Int(match[k])
            default: break
            }
            k += 1
        }
        return t.count - 1
    }

    /// The end of the simple statement starting at `lo`: its `;` or NEWLINE.
    func statementEnd(_ lo: Int) -> Int {
        var k = lo
        while k < t.count {
            let kd = t[k].kind
            if kd == .semicolon || kd == .newline || kd == .endmarker || kd == .indent || kd == .dedent { return k }
            if kd.isOpenBracket { k = Int(match[k]) }
            k += 1
        }
        return t.count - 1
    }

    /// `runs`: CPython may still run what was not scanned. Brackets and blocks
    /// nested past 200 do not compile (its tokenizer's limits); lambdas nested
    /// in lambdas do, so there the gate must not vouch for the file.
    func warnTooDeep(_ k: Int, runs: Bool = false) {
        if runs && !warnings.contains(where: \.incomplete) {
            warnings.append(ScanWarning(offset: Int(t[k].start),
                                        message: "lambdas nested more than \(Parser.maxNesting) deep; the inside was not scanned",
                                        incomplete: true))
            return
        }
        guard !tooDeepWarned else { return }
        tooDeepWarned = true
        warnings.append(ScanWarning(offset: Int(t[k].start),
                                    message: "nested more than \(Parser.maxNesting) levels deep; the inside was not scanned"))
    }

    func inScope<R>(_ scope: Int32, _ body: () -> R) -> R {
        let saved = cur
        cur = scope
        defer { cur = saved }
        return body()
    }

    // MARK: - Statements

    func parseModule() {
        parseStatements(untilDedent: false)
    }

    func parseStatements(untilDedent: Bool) {
        var strayIndents = 0
        while p < t.count {
            switch t[p].kind {
            case .endmarker:
                return
            case .dedent:
                p += 1
                if strayIndents > 0 { strayIndents -= 1; continue }
                if untilDedent { return }
            case .indent:
                strayIndents += 1
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

    /// After a header's colon at `colon`: an indented block, or simple
    /// statements on the same line.
    func suite(_ colon: Int) {
        p = colon + 1
        guard kind(colon) == .colon else {
            p = statementEnd(colon) + 1
            return
        }
        if kind(p) == .newline {
            p += 1
            guard kind(p) == .indent else { return }
            p += 1
            nesting += 1
            defer { nesting -= 1 }
            if nesting > Parser.maxNesting {
                warnTooDeep(p)
                skipBlock()
                return
            }
            parseStatements(untilDedent: true)
        } else {
            simpleLine()
        }
    }

    /// Skips an indented block, counting INDENT and DEDENT, without recursion.
    func skipBlock() {
        var level = 1
        while p < t.count && level > 0 {
            switch t[p].kind {
            case .indent: level += 1
            case .dedent: level -= 1
            case .endmarker: return
            default: break
            }
            p += 1
        }
    }

    /// Simple statements separated by `;`, up to and including the NEWLINE.
    func simpleLine() {
        while p < t.count {
            let e = statementEnd(p)
            if e > p { simpleStatement(p, e) }
            switch kind(e) {
            case .semicolon:
                p = e + 1
                if kind(p) == .newline {
                    p += 1
                    return
                }
            case .newline:
                p = e + 1
                return
            default:
                p = e
                return
            }
        }
    }

    func statement() {
        let k = p
        switch t[k].kind {
        case .at:
            let e = statementEnd(k + 1)
            walk(k + 1, e, .load)
            p = e + 1
        case .kwDef: functionDef(k)
        case .kwClass: classDef(k)
        case .kwAsync:
            switch kind(k + 1) {
            case .kwDef: functionDef(k + 1)
            case .kwFor: forStatement(k + 1)
            case .kwWith: withStatement(k + 1)
            default: simpleLine()
            }
        case .kwIf: ifStatement(k)
        case .kwWhile:
            let colon = headerColon(k + 1)
            walk(k + 1, colon, .load)
            suite(colon)
            elseClause()
        case .kwFor: forStatement(k)
        case .kwWith: withStatement(k)
        case .kwTry: tryStatement(k)
        case .name where isName(k, "match") && isMatchStatement(k): matchStatement(k)
        default: simpleLine()
        }
    }

    func elseClause() {
        if kind(p) == .kwElse { suite(headerColon(p + 1)) }
    }

    func ifStatement(_ k: Int) {
        let colon = headerColon(k + 1)
        walk(k + 1, colon, .load)
        let saved = typeChecking
        if isTypeCheckingTest(k + 1, colon) { typeChecking = true }
        suite(colon)
        typeChecking = saved
        while kind(p) == .kwElif {
            let c = headerColon(p + 1)
            walk(p + 1, c, .load)
            suite(c)
        }
        elseClause()
    }

    /// `TYPE_CHECKING` or `<name>.TYPE_CHECKING`, alone.
    func isTypeCheckingTest(_ lo: Int, _ hi: Int) -> Bool {
        if hi - lo == 1 { return isName(lo, "TYPE_CHECKING") }
        if hi - lo == 3 { return kind(lo) == .name && kind(lo + 1) == .dot && isName(lo + 2, "TYPE_CHECKING") }
        return false
    }

    func forStatement(_ k: Int) {
        let colon = headerColon(k + 1)
        let inTok = findTop(k + 1, colon) { $0 == .kwIn }
        walk(k + 1, inTok, .target)
        if inTok < colon { walk(inTok + 1, colon, .load) }
        suite(colon)
        elseClause()
    }

    func withStatement(_ k: Int) {
        let colon = headerColon(k + 1)
        if kind(k + 1) == .lparen, Int(match[k + 1]) + 1 == colon,
           findTop(k + 2, colon - 1, { $0 == .kwAs }) < colon - 1 {
            withItems(k + 2, colon - 1)
        } else {
            withItems(k + 1, colon)
        }
        suite(colon)
    }

    func withItems(_ lo: Int, _ hi: Int) {
        var a = lo
        while a < hi {
            let b = findTop(a, hi) { $0 == .comma }
            let asTok = findTop(a, b) { $0 == .kwAs }
            walk(a, asTok, .load)
            if asTok < b { walk(asTok + 1, b, .target) }
            a = b + 1
        }
    }

    func tryStatement(_ k: Int) {
        suite(headerColon(k + 1))
        while true {
            switch kind(p) {
            case .kwExcept:
                let colon = headerColon(p + 1)
                let asTok = findTop(p + 1, colon) { $0 == .kwAs }
                walk(p + 1, asTok, .load)
                if asTok + 1 < colon && kind(asTok + 1) == .name { bindName(cur, asTok + 1) }
                suite(colon)
            case .kwElse, .kwFinally:
                suite(headerColon(p + 1))
            default:
                return
            }
        }
    }

    // MARK: - match

    /// `match` starts a match statement when its line ends in a colon that
    /// opens an indented block; anywhere else it is a name.
    func isMatchStatement(_ k: Int) -> Bool {
        let next = kind(k + 1)
        if next == .colon || next == .equal || next == .dot || next == .augAssign || next == .comma
            || next == .newline || next == .semicolon { return false }
        let colon = headerColon(k + 1)
        return kind(colon) == .colon && kind(colon + 1) == .newline && kind(colon + 2) == .indent
    }

    func matchStatement(_ k: Int) {
        let colon = headerColon(k + 1)
        walk(k + 1, colon, .load)
        p = colon + 3
        while p < t.count {
            switch t[p].kind {
            case .dedent:
                p += 1
                return
            case .endmarker:
                return
            case .newline:
                p += 1
            case .name where isName(p, "case"):
                let c = headerColon(p + 1)
                let guardTok = findTop(p + 1, c) { $0 == .kwIf }
                walk(p + 1, guardTok, .pattern)
                if guardTok < c { walk(guardTok + 1, c, .load) }
                suite(c)
            default:
                let before = p
                statement()
                if p <= before { p = before + 1 }
            }
        }
    }

    // MARK: - def, class, type

    func functionDef(_ k: Int) {
        var j = k + 1
        if kind(j) == .name {
            bindName(cur, j)
            j += 1
        }
        var annotationScope = cur
        if kind(j) == .lbracket {
            annotationScope = typeParameters(j)
            j = Int(match[j]) + 1
        }
        let function = scopes.open(.function, parent: annotationScope)
        if kind(j) == .lparen {
            let close = Int(match[j])
            parameters(j + 1, close, function: function, annotations: annotationScope)
            j = close + 1
        }
        let colon = headerColon(j)
        if kind(j) == .arrow { inScope(annotationScope) { walk(j + 1, colon, .load) } }
        inScope(function) { suite(colon) }
    }

    func classDef(_ k: Int) {
        var j = k + 1
        if kind(j) == .name {
            bindName(cur, j)
            j += 1
        }
        var annotationScope = cur
        if kind(j) == .lbracket {
            annotationScope = typeParameters(j)
            j = Int(match[j]) + 1
        }
        let colon = headerColon(j)
        inScope(annotationScope) { walk(j, colon, .load) }
        let body = scopes.open(.classBody, parent: annotationScope)
        inScope(body) { suite(colon) }
    }

    /// `[T: bound, *Ts, **P = default]`: each name binds in a new annotation
    /// scope, where bounds and defaults are evaluated too.
    func typeParameters(_ open: Int) -> Int32 {
        let scope = scopes.open(.annotation, parent: cur)
        let close = Int(match[open])
        var a = open + 1
        while a < close {
            let b = findTop(a, close) { $0 == .comma }
            var n = a
            while n < b && (kind(n) == .star || kind(n) == .doubleStar) { n += 1 }
            if n < b && kind(n) == .name { bindName(scope, n) }
            if n + 1 < b { inScope(scope) { walk(n + 1, b, .load) } }
            a = b + 1
        }
        return scope
    }

    /// Parameters of a def or lambda: names bind in `function`; annotations
    /// are evaluated in `annotations`, defaults in the current scope.
    func parameters(_ lo: Int, _ hi: Int, function: Int32, annotations: Int32?) {
        var a = lo
        while a < hi {
            let b = findTop(a, hi) { $0 == .comma }
            var n = a
            while n < b && (kind(n) == .star || kind(n) == .doubleStar) { n += 1 }
            if n < b && kind(n) == .name {
                bindName(function, n)
                n += 1
            }
            let eq = findTop(n, b) { $0 == .equal }
            if n < eq && kind(n) == .colon, let annotations {
                inScope(annotations) { walk(n + 1, eq, .load) }
            }
            if eq < b { walk(eq + 1, b, .load) }
            a = b + 1
        }
    }

    // MARK: - Simple statements

    func simpleStatement(_ s: Int, _ e: Int) {
        switch t[s].kind {
        case .kwImport: importStatement(s + 1, e)
        case .kwFrom: fromStatement(s + 1, e)
        case .kwGlobal, .kwNonlocal:
            let global = t[s].kind == .kwGlobal
            for k in (s + 1)..<max(e, s + 1) where kind(k) == .name {
                if candidates.contains(k) { scopes.declare(cur, nameID(k), global: global) }
            }
        case .kwDel: walk(s + 1, e, .delete)
        case .name:
            if isName(s, "lazy") && (kind(s + 1) == .kwImport || kind(s + 1) == .kwFrom) && s + 1 < e {
                simpleStatement(s + 1, e)
            } else if isName(s, "type") && kind(s + 1) == .name && (kind(s + 2) == .equal || kind(s + 2) == .lbracket) {
                typeAlias(s, e)
            } else {
                assignmentOrExpression(s, e)
            }
        default:
            assignmentOrExpression(s, e)
        }
    }

    func typeAlias(_ s: Int, _ e: Int) {
        bindName(cur, s + 1)
        var j = s + 2
        var scope = scopes.open(.annotation, parent: cur)
        if kind(j) == .lbracket {
            scope = typeParameters(j)
            j = Int(match[j]) + 1
        }
        if kind(j) == .equal { inScope(scope) { walk(j + 1, e, .load) } }
    }

    /// `a = b = value`, `a: T = value`, `a += value` or a bare expression.
    func assignmentOrExpression(_ s: Int, _ e: Int) {
        var equals: [Int] = []
        var annotation = -1, augmented = -1
        var lambdas = 0
        var k = s
        while k < e {
            let kd = t[k].kind
            if kd.isOpenBracket { k = close(of: k, within: e) + 1; continue }
            switch kd {
            case .kwLambda: lambdas += 1
            case .colon:
                if lambdas > 0 { lambdas -= 1 } else if annotation < 0 && equals.isEmpty && augmented < 0 { annotation = k }
            case .equal: if lambdas == 0 { equals.append(k) }
            case .augAssign: if augmented < 0 && equals.isEmpty && annotation < 0 { augmented = k }
            default: break
            }
            k += 1
        }
        if augmented >= 0 {
            walk(s, augmented, .target)
            walk(augmented + 1, e, .load)
        } else if annotation >= 0 {
            // `w: int` with no value binds nothing in a module or class body (only a
            // function's makes `w` local): walked as `del` walks, a bare name is neither
            // binding nor reference, `w.x: int` reads `w`. (Third hostile review.)
            // Nor does `(w): int` anywhere (CPython's `simple = 0`: not even a function's local).
            let kind = scopes.kind(cur)
            let binds = !equals.isEmpty || (kind != .module && kind != .classBody && t[s].kind != .lparen)
            walk(s, annotation, binds ? .target : .delete)
            let valueStart = equals.first ?? e
            walk(annotation + 1, valueStart, .load)
            if valueStart < e { walk(valueStart + 1, e, .load) }
        } else if !equals.isEmpty {
            var a = s
            for eq in equals {
                walk(a, eq, .target)
                a = eq + 1
            }
            walk(a, e, .load)
        } else {
            walk(s, e, .load)
        }
    }
}
