#if canImport(Glibc)
import Glibc
#endif

/// Something the scanner could not read as Python. The file is still scanned
/// as far as it can be; the warning says where it stopped making sense.
public struct ScanWarning: Equatable, Sendable {
    public var offset: Int
    public var message: String
    /// Part of the file was not scanned (nested too deep): a gate cannot vouch for it.
    public var incomplete: Bool

    public init(offset: Int, message: String, incomplete: Bool = false) {
        self.offset = offset
        self.message = message
        self.incomplete = incomplete
    }
}

/// A cursor over UTF-8 bytes that produces Python's token stream (PEP 701
/// f-strings included), with INDENT/DEDENT/NEWLINE as CPython's tokenizer
/// makes them. It never throws: errors are collected as warnings and the
/// lexer always moves forward, so hostile input cannot make it loop.
struct Lexer {
    /// Where the lexer is inside f-strings. Literal and format-spec text are
    /// scanned for `{`; replacement fields are ordinary code.
    private enum Frame {
        case literal(quote: UInt8, triple: Bool, raw: Bool)
        case field(openDepth: Int)
        case spec(quote: UInt8, triple: Bool, raw: Bool)
    }

    static let maxWarnings = 8

    private let b: UnsafeBufferPointer<UInt8>
    private let n: Int
    private var i = 0
    let tokens: TokenBuffer
    private(set) var comments: [Range<Int>] = []
    private(set) var warnings: [ScanWarning] = []
    private let collectComments: Bool
    private var indents: [Int] = [0]
    private var depth = 0
    private var lineHasTokens = false
    private var atLineStart = true
    private var frames: [Frame] = [] {
        didSet { fieldDepth = frames.last.flatMap { if case let .field(d) = $0 { return d } else { return nil } } ?? -1 }
    }
    /// The bracket depth of the replacement field on top of the stack, or -1:
    /// read for every operator, so kept apart from the stack.
    private var fieldDepth = -1

    init(_ bytes: UnsafeBufferPointer<UInt8>, collectComments: Bool) {
        self.b = bytes
        self.n = bytes.count
        self.collectComments = collectComments
        self.tokens = TokenBuffer(capacity: bytes.count / 5 + 16)
    }

    mutating func run() {
        if n >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        while true {
            if let top = frames.last {
                switch top {
                case let .literal(q, triple, raw):
                    lexLiteral(quote: q, triple: triple, raw: raw, spec: false)
                    continue
                case let .spec(q, triple, raw):
                    lexLiteral(quote: q, triple: triple, raw: raw, spec: true)
                    continue
                case .field:
                    break
                }
            }
            if atLineStart && depth == 0 { measureIndentation() }
            guard i < n else { break }
            let c = b[i]
            switch c {
            case 0x20, 0x09, 0x0C:
                i += 1
                while i < n && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
            case 0x0A, 0x0D:
                let s = i
                i += (c == 0x0D && i + 1 < n && b[i + 1] == 0x0A) ? 2 : 1
                if depth == 0 {
                    if lineHasTokens {
                        tokens.append(Token(.newline, s, i))
                        lineHasTokens = false
                    }
                    atLineStart = true
                }
            case UInt8(ascii: "#"):
                let s = i
                // memchr to the line end; a lone CR also ends a line.
                if let nl = memchr(b.baseAddress! + i, 0x0A, n - i) {
                    i = UnsafeRawPointer(nl).assumingMemoryBound(to: UInt8.self) - b.baseAddress!
                } else {
                    i = n
                }
                if let cr = memchr(b.baseAddress! + s, 0x0D, i - s) {
                    i = UnsafeRawPointer(cr).assumingMemoryBound(to: UInt8.self) - b.baseAddress!
                }
                if collectComments { comments.append(s..<i) }
            case UInt8(ascii: "\\"):
                if i + 1 < n && (b[i + 1] == 0x0A || b[i + 1] == 0x0D) {
                    i += (b[i + 1] == 0x0D && i + 2 < n && b[i + 2] == 0x0A) ? 3 : 2
                } else {
                    warn(i, i + 1 >= n ? "backslash continuation at end of file"
                                       : "unexpected character after line continuation")
                    i += 1
                }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                lexString(prefixStart: i, raw: false, formatted: false)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                lexNumber()
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "_"), 0x80...0xFF:
                lexName()
            case 0x00:
                warn(i, "NUL byte")
                i += 1
            default:
                lexOperator(c)
            }
        }
        finish()
    }

    // MARK: - Lines and indentation

    /// At the start of a logical line: measure its indentation (tabs to the next
    /// multiple of 8, a form feed resets) and emit INDENT or DEDENTs. Blank and
    /// comment-only lines change nothing, as in CPython.
    /// Skips spaces eight at a time: indentation is about a fifth of a
    /// Python file's bytes. Returns how many it skipped.
    @inline(__always) private mutating func skipSpaces() -> Int {
        let start = i
        guard let base = b.baseAddress else { return 0 }
        while i + 8 <= n {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let diff = word ^ 0x2020_2020_2020_2020
            if diff != 0 {
                i += diff.trailingZeroBitCount / 8
                return i - start
            }
            i += 8
        }
        while i < n && b[i] == 0x20 { i += 1 }
        return i - start
    }

    /// CPython's rule (tokenizer.c): indentation cannot be split over lines
    /// with backslashes; where blanks end in a backslash-newline, the column
    /// of the first such backslash is the indentation of what follows on the
    /// next line. (ssot once measured that next line afresh, so `    \\` then
    /// `w = None` moved a module-level binding into the block above it.)
    private mutating func measureIndentation() {
        var col = skipSpaces()
        var continuedAt = 0  // CPython's cont_line_col: 0 is "not set", so a backslash in column 0 sets nothing
        while i < n {
            switch b[i] {
            case 0x20: col += 1
            case 0x09: col = (col / 8 + 1) * 8
            case 0x0C: col = 0
            case UInt8(ascii: "\\") where i + 1 < n && (b[i + 1] == 0x0A || b[i + 1] == 0x0D):
                if continuedAt == 0 { continuedAt = col }
                i += (b[i + 1] == 0x0D && i + 2 < n && b[i + 2] == 0x0A) ? 3 : 2
                continue
            default: break
            }
            if b[i] != 0x20 && b[i] != 0x09 && b[i] != 0x0C { break }
            i += 1
        }
        guard i < n else { return }
        let c = b[i]
        if c == 0x0A || c == 0x0D || c == UInt8(ascii: "#") { return }
        if continuedAt != 0 { col = continuedAt }
        atLineStart = false
        if col > indents[indents.count - 1] {
            indents.append(col)
            tokens.append(Token(.indent, i, i))
        } else if col < indents[indents.count - 1] {
            while indents.count > 1 && col < indents[indents.count - 1] {
                indents.removeLast()
                tokens.append(Token(.dedent, i, i))
            }
            if col != indents[indents.count - 1] {
                warn(i, "unindent does not match any outer indentation level")
            }
        }
    }

    private mutating func finish() {
        if !frames.isEmpty { warn(n, "unterminated f-string at end of file") }
        while let top = frames.popLast() {
            switch top {
            case .literal: tokens.append(Token(.fstringEnd, n, n))
            case .field:
                tokens.append(Token(.fieldClose, n, n))
                depth -= 1
            case .spec: break
            }
        }
        if depth > 0 { warn(n, "unclosed bracket at end of file") }
        if lineHasTokens { tokens.append(Token(.newline, n, n)) }
        for _ in 1..<indents.count { tokens.append(Token(.dedent, n, n)) }
        tokens.append(Token(.endmarker, n, n))
    }

    private mutating func warn(_ offset: Int, _ message: String) {
        if warnings.count < Lexer.maxWarnings { warnings.append(ScanWarning(offset: offset, message: message)) }
    }

    @inline(__always) private mutating func emit(_ kind: TokenKind, _ s: Int, _ e: Int) {
        tokens.append(Token(kind, s, e))
        lineHasTokens = true
    }

    // MARK: - Names and numbers

    @inline(__always) private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c >= 0x80
    }

    private mutating func lexName() {
        let s = i
        i += 1
        while i < n && Lexer.isNameByte(b[i]) { i += 1 }
        let len = i - s
        if len <= 2, i < n, b[i] == 0x22 || b[i] == 0x27, let (raw, formatted) = stringPrefix(s, len) {
            lexString(prefixStart: s, raw: raw, formatted: formatted)
            return
        }
        emit(TokenKind.keyword(b, s, i), s, i)
    }

    /// Whether `b[s..<s+len]` is a string prefix: r u b f t and the two-letter
    /// mixes of r with b, f or t, in any case and order.
    private func stringPrefix(_ s: Int, _ len: Int) -> (raw: Bool, formatted: Bool)? {
        var raw = false, formatted = false, other = 0
        for k in s..<(s + len) {
            switch b[k] | 0x20 {
            case UInt8(ascii: "r"): if raw { return nil }; raw = true
            case UInt8(ascii: "f"), UInt8(ascii: "t"): if formatted || other > 0 { return nil }; formatted = true
            case UInt8(ascii: "b"): if formatted || other > 0 { return nil }; other += 1
            case UInt8(ascii: "u"): if len != 1 { return nil }; other += 1
            default: return nil
            }
        }
        return (raw, formatted)
    }

    private mutating func lexNumber() {
        let s = i
        @inline(__always) func digits(_ ok: (UInt8) -> Bool) {
            while i < n && (ok(b[i]) || b[i] == 0x5F) { i += 1 }
        }
        let isDec: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        if b[i] == 0x30, i + 1 < n, "xXoObB".utf8.contains(b[i + 1]) {
            i += 2
            digits { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }
        } else {
            digits(isDec)
            if i < n && b[i] == 0x2E { i += 1; digits(isDec) }
            if i < n, b[i] | 0x20 == 0x65 {
                var k = i + 1
                if k < n && (b[k] == 0x2B || b[k] == 0x2D) { k += 1 }
                if k < n && isDec(b[k]) { i = k; digits(isDec) }
            }
            if i < n, b[i] | 0x20 == 0x6A { i += 1 }
        }
        emit(.number, s, i)
    }

    // MARK: - Strings

    /// A string literal starting at its prefix; `i` is at the opening quote.
    /// Plain strings become one token; f- and t-strings open a literal frame.
    private mutating func lexString(prefixStart s: Int, raw: Bool, formatted: Bool) {
        let q = b[i]
        let triple = i + 2 < n && b[i + 1] == q && b[i + 2] == q
        i += triple ? 3 : 1
        if formatted {
            emit(.fstringStart, s, i)
            frames.append(.literal(quote: q, triple: triple, raw: raw))
            return
        }
        while i < n {
            let c = b[i]
            if c == 0x5C {
                i += (i + 2 < n && b[i + 1] == 0x0D && b[i + 2] == 0x0A) ? 3 : 2
                continue
            }
            if c == q {
                if !triple { i += 1; emit(.string, s, i); return }
                if i + 2 < n && b[i + 1] == q && b[i + 2] == q { i += 3; emit(.string, s, i); return }
            } else if !triple && (c == 0x0A || c == 0x0D) {
                warn(s, "unterminated string literal")
                emit(.string, s, i)
                return
            }
            i += 1
        }
        i = n
        warn(s, triple ? "unterminated triple-quoted string literal" : "unterminated string literal")
        emit(.string, s, n)
    }

    /// Literal text of an f-string, or the format spec of a replacement field.
    /// Stops at a replacement field's `{`, or at the end of the string or spec.
    private mutating func lexLiteral(quote q: UInt8, triple: Bool, raw: Bool, spec: Bool) {
        var j = i
        while j < n {
            let c = b[j]
            if c == 0x5C {
                if j + 1 < n {
                    let d = b[j + 1]
                    if !raw && d == UInt8(ascii: "N") && j + 2 < n && b[j + 2] == 0x7B {
                        j += 3
                        while j < n && b[j] != 0x7D && b[j] != q && b[j] != 0x0A { j += 1 }
                        if j < n && b[j] == 0x7D { j += 1 }
                        continue
                    }
                    if d == 0x7B || d == 0x7D { j += 1; continue }
                }
                j += (j + 2 < n && b[j + 1] == 0x0D && b[j + 2] == 0x0A) ? 3 : 2
                continue
            }
            if c == 0x7B {
                if !spec && j + 1 < n && b[j + 1] == 0x7B { j += 2; continue }
                emit(.fieldOpen, j, j + 1)
                depth += 1
                frames.append(.field(openDepth: depth))
                i = j + 1
                return
            }
            if c == 0x7D {
                if spec {
                    closeField(at: j, length: 1)
                    i = j + 1
                    return
                }
                j += (j + 1 < n && b[j + 1] == 0x7D) ? 2 : 1
                continue
            }
            if c == q && (!triple || (j + 2 < n && b[j + 1] == q && b[j + 2] == q)) {
                if spec {
                    warn(j, "f-string: expecting '}'")
                    closeField(at: j, length: 0)
                }
                let end = j + (triple ? 3 : 1)
                frames.removeLast()
                emit(.fstringEnd, j, end)
                i = end
                return
            }
            if !triple && (c == 0x0A || c == 0x0D) {
                warn(j, "unterminated f-string literal")
                if spec { closeField(at: j, length: 0) }
                frames.removeLast()
                emit(.fstringEnd, j, j)
                i = j
                return
            }
            j += 1
        }
        i = n
        warn(n, "unterminated f-string at end of file")
        if spec {
            closeField(at: n, length: 0)
        } else {
            frames.removeLast()
            emit(.fstringEnd, n, n)
        }
    }

    /// Ends a replacement field whose format spec is being read: pops the spec
    /// and field frames and closes the field's bracket.
    private mutating func closeField(at j: Int, length: Int) {
        frames.removeLast()
        frames.removeLast()
        depth -= 1
        emit(.fieldClose, j, j + length)
    }

    // MARK: - Operators

    private mutating func lexOperator(_ c: UInt8) {
        let s = i
        @inline(__always) func at(_ k: Int) -> UInt8 { s + k < n ? b[s + k] : 0 }
        if depth == fieldDepth {
            switch c {
            case UInt8(ascii: "}"):
                i += 1
                frames.removeLast()
                depth -= 1
                emit(.fieldClose, s, i)
                return
            case UInt8(ascii: ":"):
                i += 1
                pushSpec()
                return
            case UInt8(ascii: "!") where at(1) != UInt8(ascii: "="):
                i += 1
                while i < n && Lexer.isNameByte(b[i]) { i += 1 }
                return
            case UInt8(ascii: "=") where at(1) != UInt8(ascii: "="):
                i += 1
                return
            case UInt8(ascii: ")"), UInt8(ascii: "]"):
                warn(s, "closing bracket does not match the replacement field")
                i += 1
                return
            default:
                break
            }
        }
        var kind = TokenKind.op
        var len = 1
        switch c {
        case UInt8(ascii: "("): kind = .lparen
        case UInt8(ascii: "["): kind = .lbracket
        case UInt8(ascii: "{"): kind = .lbrace
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            kind = c == 0x29 ? .rparen : c == 0x5D ? .rbracket : .rbrace
            if depth == 0 {
                warn(s, "unmatched '\(Character(Unicode.Scalar(c)))'")
                i += 1
                return
            }
        case UInt8(ascii: ","): kind = .comma
        case UInt8(ascii: ";"): kind = .semicolon
        case UInt8(ascii: "~"): kind = .op
        case UInt8(ascii: ":"):
            if at(1) == UInt8(ascii: "=") { kind = .walrus; len = 2 } else { kind = .colon }
        case UInt8(ascii: "="):
            if at(1) == UInt8(ascii: "=") { len = 2 } else { kind = .equal }
        case UInt8(ascii: "."):
            if at(1) >= 0x30 && at(1) <= 0x39 { lexNumber(); return }
            if at(1) == 0x2E && at(2) == 0x2E { kind = .ellipsis; len = 3 } else { kind = .dot }
        case UInt8(ascii: "-"):
            if at(1) == UInt8(ascii: ">") { kind = .arrow; len = 2 }
            else if at(1) == UInt8(ascii: "=") { kind = .augAssign; len = 2 }
        case UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            if at(1) == c {
                len = 2
                if at(2) == UInt8(ascii: "=") { kind = .augAssign; len = 3 }
                else if c == UInt8(ascii: "*") { kind = .doubleStar }
            } else if at(1) == UInt8(ascii: "=") {
                len = 2
                kind = (c == UInt8(ascii: "*") || c == UInt8(ascii: "/")) ? .augAssign : .op
            } else if c == UInt8(ascii: "*") {
                kind = .star
            } else if c == UInt8(ascii: "<") && at(1) == UInt8(ascii: ">") {
                len = 2
            }
        case UInt8(ascii: "+"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "|"),
             UInt8(ascii: "^"), UInt8(ascii: "@"):
            if at(1) == UInt8(ascii: "=") { kind = .augAssign; len = 2 }
            else if c == UInt8(ascii: "|") { kind = .pipe }
            else if c == UInt8(ascii: "@") { kind = .at }
        case UInt8(ascii: "!"):
            if at(1) == UInt8(ascii: "=") { len = 2 }
        default:
            warn(s, c < 0x20 || c == 0x7F ? "control character in source" : "invalid character '\(Character(Unicode.Scalar(c)))'")
            i += 1
            return
        }
        i += len
        if kind.isOpenBracket { depth += 1 } else if kind.isCloseBracket { depth -= 1 }
        emit(kind, s, i)
    }

    /// Enters the format spec of the replacement field on top of the stack;
    /// the spec is literal text of the f-string that encloses the field.
    private mutating func pushSpec() {
        for frame in frames.reversed() {
            if case let .literal(q, triple, raw) = frame {
                frames.append(.spec(quote: q, triple: triple, raw: raw))
                return
            }
        }
    }
}
