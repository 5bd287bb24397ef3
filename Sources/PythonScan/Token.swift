/// One token: a kind and a byte range into the source. Text is never copied;
/// a line index turns offsets into line and column only when a finding is reported.
public struct Token: Equatable {
    public var kind: TokenKind
    public var start: Int32
    public var end: Int32

    @inlinable public init(_ kind: TokenKind, _ start: Int, _ end: Int) {
        self.kind = kind
        self.start = Int32(truncatingIfNeeded: start)
        self.end = Int32(truncatingIfNeeded: end)
    }
}

/// Token kinds. Hard keywords get kinds of their own so the parser compares
/// one byte; soft keywords (`match`, `case`, `type`, `lazy`, `_`) stay names,
/// because they are names everywhere but a few statement starts.
public enum TokenKind: UInt8 {
    case name, number, string
    /// An f-string or t-string: `fstringStart`, then each replacement field as
    /// `fieldOpen` … code tokens … `fieldClose`, then `fstringEnd`. Literal text
    /// and format-spec text produce no tokens: they are never code.
    case fstringStart, fstringEnd, fieldOpen, fieldClose
    case lparen, rparen, lbracket, rbracket, lbrace, rbrace
    case comma, colon, semicolon, dot, ellipsis, equal, augAssign, walrus, arrow
    case star, doubleStar, at, pipe, op
    case newline, indent, dedent, endmarker
    case kwFalse, kwNone, kwTrue, kwAnd, kwAs, kwAssert, kwAsync, kwAwait, kwBreak
    case kwClass, kwContinue, kwDef, kwDel, kwElif, kwElse, kwExcept, kwFinally
    case kwFor, kwFrom, kwGlobal, kwIf, kwImport, kwIn, kwIs, kwLambda, kwNonlocal
    case kwNot, kwOr, kwPass, kwRaise, kwReturn, kwTry, kwWhile, kwWith, kwYield

    @inlinable public var isOpenBracket: Bool {
        self == .lparen || self == .lbracket || self == .lbrace || self == .fieldOpen
    }

    @inlinable public var isCloseBracket: Bool {
        self == .rparen || self == .rbracket || self == .rbrace || self == .fieldClose
    }
}

extension TokenKind {
    /// The hard keyword spelled by `bytes[start..<end]`, or `.name`.
    @inline(__always)
    static func keyword(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> TokenKind {
        let n = end - start
        guard n >= 2, n <= 8 else { return .name }
        @inline(__always) func eq(_ s: StaticString) -> Bool {
            guard s.utf8CodeUnitCount == n else { return false }
            let p = s.utf8Start
            for k in 0..<n where b[start + k] != p[k] { return false }
            return true
        }
        switch b[start] {
        case UInt8(ascii: "F"): return eq("False") ? .kwFalse : .name
        case UInt8(ascii: "N"): return eq("None") ? .kwNone : .name
        case UInt8(ascii: "T"): return eq("True") ? .kwTrue : .name
        case UInt8(ascii: "a"):
            if eq("and") { return .kwAnd }
            if eq("as") { return .kwAs }
            if eq("assert") { return .kwAssert }
            if eq("async") { return .kwAsync }
            if eq("await") { return .kwAwait }
            return .name
        case UInt8(ascii: "b"): return eq("break") ? .kwBreak : .name
        case UInt8(ascii: "c"):
            if eq("class") { return .kwClass }
            if eq("continue") { return .kwContinue }
            return .name
        case UInt8(ascii: "d"):
            if eq("def") { return .kwDef }
            if eq("del") { return .kwDel }
            return .name
        case UInt8(ascii: "e"):
            if eq("elif") { return .kwElif }
            if eq("else") { return .kwElse }
            if eq("except") { return .kwExcept }
            return .name
        case UInt8(ascii: "f"):
            if eq("for") { return .kwFor }
            if eq("from") { return .kwFrom }
            if eq("finally") { return .kwFinally }
            return .name
        case UInt8(ascii: "g"): return eq("global") ? .kwGlobal : .name
        case UInt8(ascii: "i"):
            if eq("if") { return .kwIf }
            if eq("import") { return .kwImport }
            if eq("in") { return .kwIn }
            if eq("is") { return .kwIs }
            return .name
        case UInt8(ascii: "l"): return eq("lambda") ? .kwLambda : .name
        case UInt8(ascii: "n"):
            if eq("nonlocal") { return .kwNonlocal }
            if eq("not") { return .kwNot }
            return .name
        case UInt8(ascii: "o"): return eq("or") ? .kwOr : .name
        case UInt8(ascii: "p"): return eq("pass") ? .kwPass : .name
        case UInt8(ascii: "r"):
            if eq("raise") { return .kwRaise }
            if eq("return") { return .kwReturn }
            return .name
        case UInt8(ascii: "t"): return eq("try") ? .kwTry : .name
        case UInt8(ascii: "w"):
            if eq("while") { return .kwWhile }
            if eq("with") { return .kwWith }
            return .name
        case UInt8(ascii: "y"): return eq("yield") ? .kwYield : .name
        default: return .name
        }
    }
}

/// Growable storage for tokens. The lexer appends one per few bytes of
/// source; Array's uniqueness and capacity checks per append showed in profiles.
final class TokenBuffer {
    private(set) var base: UnsafeMutablePointer<Token>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always) func append(_ token: Token) {
        if count == capacity { grow() }
        (base + count).initialize(to: token)
        count += 1
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<Token>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    var buffer: UnsafeBufferPointer<Token> { UnsafeBufferPointer(start: base, count: count) }
}
