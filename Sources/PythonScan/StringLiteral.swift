/// The value of a string literal as CPython decodes it, for the arguments of
/// a dynamic import: `import_module("a\x2eb")` imports `a.b` (SPEC 2: the
/// same syntax tree is the same finding), so the scanner must read escapes
/// as the compiler does, not the bytes as they are spelled.
enum LiteralValue: Equatable {
    /// The decoded text, as UTF-8.
    case text([UInt8])
    /// Not a plain string: a bytes or t-string literal, an f-string with a
    /// replacement field, a name, a call, an escape CPython refuses.
    case computed
    /// A `\N{…}` escape: a character by its Unicode name. ssot carries no name
    /// table, so it cannot say what the literal holds, and says so.
    case unreadable(offset: Int)
}

public enum StringLiteral {
    /// The control character of C's (and Python's, and git's) one-letter
    /// escapes: `\a \b \f \n \r \t \v`.
    public static func controlEscape(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "a"): return 0x07
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "v"): return 0x0B
        default: return nil
        }
    }

    /// Decodes the body of one literal (between its quotes) onto `out`.
    /// `formatted`: an f-string's literal part, where `{{` and `}}` are braces.
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, raw: Bool, formatted: Bool,
                       into out: inout [UInt8]) -> LiteralValue? {
        var i = lo
        while i < hi {
            let c = b[i]
            if formatted && (c == 0x7B || c == 0x7D) && i + 1 < hi && b[i + 1] == c {
                out.append(c)
                i += 2
                continue
            }
            guard c == 0x5C, !raw, i + 1 < hi else {
                out.append(c)
                i += 1
                continue
            }
            let d = b[i + 1]
            i += 2
            switch d {
            case 0x0A: continue  // a backslash-newline joins the lines
            case 0x0D:
                if i < hi && b[i] == 0x0A { i += 1 }
                continue
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(d)
            case let letter where controlEscape(letter) != nil: out.append(controlEscape(letter)!)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = UInt32(d - 0x30)
                var digits = 1
                while digits < 3 && i < hi && b[i] >= 0x30 && b[i] <= 0x37 {
                    value = value * 8 + UInt32(b[i] - 0x30)
                    i += 1
                    digits += 1
                }
                guard append(value, to: &out) else { return .computed }
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let width = d == UInt8(ascii: "x") ? 2 : d == UInt8(ascii: "u") ? 4 : 8
                guard i + width <= hi else { return .computed }
                var value: UInt32 = 0
                for k in i..<(i + width) {
                    guard let h = hex(b[k]) else { return .computed }
                    value = value &* 16 &+ h
                }
                i += width
                guard append(value, to: &out) else { return .computed }
            case UInt8(ascii: "N"):
                return .unreadable(offset: i - 2)
            default:
                // An unknown escape stays as it is spelled (CPython warns).
                out.append(0x5C)
                i -= 1
            }
        }
        return nil
    }

    private static func hex(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        default: return nil
        }
    }

    /// Appends a code point as UTF-8; false for a surrogate or a value past
    /// U+10FFFF, which name no importable module.
    private static func append(_ v: UInt32, to out: inout [UInt8]) -> Bool {
        guard let scalar = Unicode.Scalar(v) else { return false }
        out.append(contentsOf: UTF8.encode(scalar)!)
        return true
    }

    /// A module name never holds a control character (C0, DEL or C1): such a
    /// literal names nothing importable, and could forge lines where its
    /// fingerprint is written (SPEC 2).
    static func holdsControl(_ s: [UInt8]) -> Bool {
        var i = 0
        while i < s.count {
            let c = s[i]
            if c < 0x20 || c == 0x7F { return true }
            if c == 0xC2 && i + 1 < s.count && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F { return true }
            i += 1
        }
        return false
    }
}

extension Parser {
    /// The value of the expression `lo..<hi` when it is string literals
    /// only: adjacent ones concatenate, parentheses make no difference, an
    /// f-string without a replacement field is its text.
    func literalValue(_ lo: Int, _ hi: Int) -> LiteralValue {
        let (lo, hi) = literalRange(lo, hi)
        guard lo < hi else { return .computed }
        var out: [UInt8] = []
        var k = lo
        while k < hi {
            switch t[k].kind {
            case .string:
                guard let (bodyStart, bodyEnd, raw) = stringBody(k) else { return .computed }
                if let stop = StringLiteral.decode(src, bodyStart, bodyEnd, raw: raw, formatted: false, into: &out) {
                    return stop
                }
                k += 1
            case .fstringStart:
                guard kind(k + 1) == .fstringEnd, k + 1 < hi else { return .computed }
                var s = Int(t[k].start)
                var raw = false
                while s < Int(t[k].end) && src[s] != 0x22 && src[s] != 0x27 {
                    let p = src[s] | 0x20
                    if p == UInt8(ascii: "t") { return .computed }  // a t-string is a Template, not a str
                    if p == UInt8(ascii: "r") { raw = true }
                    s += 1
                }
                guard Int(t[k + 1].end) > Int(t[k + 1].start) else { return .computed }  // unterminated
                if let stop = StringLiteral.decode(src, Int(t[k].end), Int(t[k + 1].start), raw: raw, formatted: true,
                                                   into: &out) {
                    return stop
                }
                k += 2
            default:
                return .computed
            }
        }
        return .text(out)
    }

    /// The expression inside parentheses and walruses: `(("M"))` and
    /// `m := "M"` are the value `"M"`.
    func literalRange(_ lo: Int, _ hi: Int) -> (Int, Int) {
        var lo = lo, hi = hi
        while lo < hi {
            if kind(lo) == .lparen && Int(match[lo]) == hi - 1 {
                lo += 1
                hi -= 1
            } else if kind(lo) == .name && kind(lo + 1) == .walrus {
                lo += 2
            } else {
                break
            }
        }
        return (lo, hi)
    }

    /// The body of the plain string token at `k` and whether it is raw; nil
    /// for bytes or an unterminated literal.
    func stringBody(_ k: Int) -> (Int, Int, Bool)? {
        var s = Int(t[k].start)
        let e = Int(t[k].end)
        var raw = false
        while s < e && src[s] != 0x22 && src[s] != 0x27 {
            let p = src[s] | 0x20
            if p == UInt8(ascii: "b") { return nil }
            if p == UInt8(ascii: "r") { raw = true }
            s += 1
        }
        guard s < e else { return nil }
        let q = src[s]
        let width = (s + 2 < e && src[s + 1] == q && src[s + 2] == q && e - s >= 6) ? 3 : 1
        guard e - s >= 2 * width, src[e - 1] == q else { return nil }
        return (s + width, e - width, raw)
    }
}
