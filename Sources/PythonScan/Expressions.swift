/// The expression walker: over a token range, it tells references from
/// bindings, opens the scopes of lambdas and comprehensions, and skips the
/// names that are neither (attributes, keyword arguments).
extension Parser {
    enum Mode {
        /// Names are references.
        case load
        /// Assignment-like targets: a bare name binds; `a.b`, `a[i]` are references.
        case target
        /// `del` targets: a bare name is neither; `a.b`, `a[i]` are references.
        case delete
        /// `case` patterns: a bare name captures; dotted names and class names are references.
        case pattern
    }

    func walk(_ lo: Int, _ hi: Int, _ mode: Mode) {
        var k = lo
        while k < hi { k = step(k, lo, hi, mode) }
    }

    /// One item at `k`; returns the index after it.
    @inline(__always)
    func step(_ k: Int, _ lo: Int, _ hi: Int, _ mode: Mode) -> Int {
        let kd = t[k].kind
        switch kd {
        case .name:
            if k > 0 && t[k - 1].kind == .dot { return k + 1 }
            return nameAt(k, hi, mode)
        case .lparen, .lbracket, .lbrace, .fieldOpen:
            let c = close(of: k, within: hi)
            let trailer = (kd == .lparen || kd == .lbracket) && k > lo && Parser.endsAtom(t[k - 1].kind)
            // `(a, b).x = 1` and `[w][0] = 1` store into an attribute or item: the names inside are read.
            let next = kind(c + 1)
            let atom = next == .dot || next == .lparen || next == .lbracket
            group(k, c, atom && kd != .fieldOpen ? .load : mode, trailer: trailer)
            return max(c + 1, k + 1)
        case .kwLambda:
            return lambda(k, hi)
        default:
            return k + 1
        }
    }

    static func endsAtom(_ kind: TokenKind) -> Bool {
        switch kind {
        case .name, .rparen, .rbracket, .rbrace, .string, .fstringEnd, .number, .kwNone, .kwTrue, .kwFalse, .ellipsis:
            return true
        default:
            return false
        }
    }

    func nameAt(_ k: Int, _ hi: Int, _ mode: Mode) -> Int {
        let next = k + 1 < hi ? t[k + 1].kind : .endmarker
        if next == .equal { return k + 2 }  // a keyword argument's name
        if next == .walrus {
            bindName(scopes.walrusScope(cur), k)
            return k + 2
        }
        var e = k
        while e + 2 < hi && t[e + 1].kind == .dot && t[e + 2].kind == .name { e += 2 }
        let (end, attributes) = parenthesizedChain(k, e)
        let after = end != e || e + 1 < hi ? kind(end + 1) : .endmarker
        if !attributes {
            switch mode {
            case .target where after != .lparen && after != .lbracket:
                bindName(cur, k)
                return k + 1
            case .delete where after != .lparen && after != .lbracket:
                return k + 1
            case .pattern where after != .lparen:
                if !isName(k, "_") { bindName(cur, k) }
                return k + 1
            default:
                break
            }
        }
        guard candidates.contains(k) else { return e + 1 }  // no import binds this name
        let ref = Int32(references.count)
        references.append(Reference(scope: cur, name: nameID(k), head: Int32(k), chainEnd: Int32(end)))
        if after == .lparen { dynamicCalls.append(DynamicCall(reference: ref, open: Int32(end + 1), underTypeChecking: typeChecking)) }
        return e + 1
    }

    /// The end of the reference starting with the name at `k` whose dotted
    /// chain ends at `e`, through parentheses: `(w).get` is `w.get` and
    /// `((w.a)).b` is `w.a.b` (SPEC 2: the same syntax tree), while `f(w).get`
    /// is a call's attribute. Returns the last token (a name or a `)`) and
    /// whether the reference has attributes.
    func parenthesizedChain(_ k: Int, _ e: Int) -> (end: Int, attributes: Bool) {
        var end = e
        var attributes = e != k
        var open = k - 1
        while open >= 0, t[open].kind == .lparen, Int(match[open]) == end + 1,
              open == 0 || !Parser.endsAtom(t[open - 1].kind) {
            end += 1
            open -= 1
            if kind(end + 1) == .dot && kind(end + 2) == .name {
                end = dottedEnd(end + 2, t.count)
                attributes = true
            }
        }
        return (end, attributes)
    }

    /// A bracketed group. A call or subscript holds expressions; a display
    /// (tuple, list, set, dict) keeps the mode it stands in, so `(a, b) = …`
    /// binds both names. A top-level `for` makes it a comprehension.
    func group(_ open: Int, _ close: Int, _ mode: Mode, trailer: Bool) {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Parser.maxNesting {
            warnTooDeep(open)
            return
        }
        let openKind = t[open].kind
        let inner: Mode
        if trailer {
            inner = mode == .pattern && openKind == .lparen ? .pattern : .load
        } else {
            inner = openKind == .fieldOpen ? .load : mode
        }
        let refStart = references.count
        let scopeStart = scopes.count
        var k = open + 1
        while k < close {
            let kd = t[k].kind
            if (kd == .kwFor || (kd == .kwAsync && kind(k + 1) == .kwFor)) && openKind != .fieldOpen {
                comprehension(k, close, refStart: refStart, scopeStart: scopeStart)
                return
            }
            k = step(k, open + 1, close, inner)
        }
    }

    /// From the first `for` of a comprehension to its closing bracket. The
    /// element, already walked, moves into the new scope; the first iterable
    /// is evaluated in the enclosing scope, everything else inside.
    func comprehension(_ forTok: Int, _ close: Int, refStart: Int, scopeStart: Int) {
        let outer = cur
        let comp = scopes.open(.comprehension, parent: outer)
        var r = refStart
        while r < references.count {
            if references[r].scope == outer { references[r].scope = comp }
            r += 1
        }
        scopes.reparent(from: scopeStart, outer, to: comp)
        let clauseStart: (TokenKind) -> Bool = { $0 == .kwFor || $0 == .kwIf || $0 == .kwAsync }
        var k = forTok
        var first = true
        while k < close {
            switch t[k].kind {
            case .kwAsync:
                k += 1
            case .kwFor:
                let inTok = findTop(k + 1, close) { $0 == .kwIn }
                inScope(comp) { walk(k + 1, inTok, .target) }
                guard inTok < close else { return }
                let end = findTop(inTok + 1, close, clauseStart)
                inScope(first ? outer : comp) { walk(inTok + 1, end, .load) }
                first = false
                k = end
            case .kwIf:
                let end = findTop(k + 1, close, clauseStart)
                inScope(comp) { walk(k + 1, end, .load) }
                k = end
            default:
                k += 1
            }
        }
    }

    /// `lambda params: body`. Defaults are evaluated outside; the body, up to
    /// the first token at its depth that ends an expression, inside.
    func lambda(_ k: Int, _ hi: Int) -> Int {
        // Counted before the parameters: their defaults may hold lambdas of their own
        // (`lambda a=lambda a=…:0:0`), which once recursed past the stack.
        nesting += 1
        defer { nesting -= 1 }
        var colon = k + 1
        var inner = 0
        while colon < hi {
            let kd = t[colon].kind
            if kd.isOpenBracket { colon = close(of: colon, within: hi) + 1; continue }
            if kd.isCloseBracket { break }
            if kd == .kwLambda { inner += 1 } else if kd == .colon {
                if inner == 0 { break }
                inner -= 1
            }
            colon += 1
        }
        if nesting > Parser.maxNesting {
            warnTooDeep(k, runs: true)
            return colon < hi && t[colon].kind == .colon ? lambdaEnd(colon + 1, hi) : max(colon, k + 1)
        }
        let scope = scopes.open(.function, parent: cur)
        parameters(k + 1, min(colon, hi), function: scope, annotations: nil)
        guard colon < hi, t[colon].kind == .colon else { return max(colon, k + 1) }
        let end = lambdaEnd(colon + 1, hi)
        inScope(scope) { walk(colon + 1, end, .load) }
        return end
    }

    func lambdaEnd(_ lo: Int, _ hi: Int) -> Int {
        var k = lo
        var pending = 0
        while k < hi {
            let kd = t[k].kind
            if kd.isOpenBracket { k = close(of: k, within: hi) + 1; continue }
            if kd.isCloseBracket { return k }
            switch kd {
            case .kwLambda: pending += 1
            case .colon:
                if pending == 0 { return k }
                pending -= 1
            case .comma, .kwFor, .equal, .newline, .semicolon: return k
            case .kwAsync where kind(k + 1) == .kwFor: return k
            default: break
            }
            k += 1
        }
        return hi
    }
}
