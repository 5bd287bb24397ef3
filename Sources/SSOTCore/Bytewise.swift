import CPathKey
import CPrefilter

/// Byte comparisons of native Swift strings through their contiguous UTF-8,
/// for the orderings SPEC section 3 asks for (bytewise) and for the checks
/// a whole-tree scan makes once per file. The generic `UTF8View` algorithms
/// showed up in profiles; these are memcmp.
public enum Bytewise {
    @inlinable
    public static func less(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in ssot_bytes_compare(x.baseAddress, x.count, y.baseAddress, y.count) < 0 } }
    }

    /// Whether `s` ends with `suffix`.
    public static func hasSuffix(_ s: String, _ suffix: [UInt8]) -> Bool {
        var s = s
        return s.withUTF8 { x in
            guard x.count >= suffix.count else { return false }
            return suffix.withUnsafeBufferPointer { y in
                y.isEmpty || ssot_memcmp(x.baseAddress! + (x.count - y.count), y.baseAddress!, y.count) == 0
            }
        }
    }

    /// Whether `s` starts with `prefix`.
    public static func hasPrefix(_ s: String, _ prefix: [UInt8]) -> Bool {
        var s = s
        return s.withUTF8 { x in
            guard x.count >= prefix.count else { return false }
            return prefix.withUnsafeBufferPointer { y in
                y.isEmpty || ssot_memcmp(x.baseAddress!, y.baseAddress!, y.count) == 0
            }
        }
    }

    /// Whether `s` contains `needle`.
    public static func contains(_ s: String, _ needle: [UInt8]) -> Bool {
        var s = s
        return s.withUTF8 { x in
            guard x.count >= needle.count else { return false }
            return needle.withUnsafeBufferPointer { y in
                y.isEmpty || ssot_memmem(x.baseAddress!, x.count, y.baseAddress!, y.count) != nil
            }
        }
    }

    /// Whether two byte strings are equal.
    @inline(__always)
    public static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.isEmpty || ssot_memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// Whether dotted name `m` is `b` or below it (`a.b.c` under `a.b`, `a.bc` not).
    @inline(__always)
    public static func isUnder(_ m: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard m.count >= b.count, b.isEmpty || ssot_memcmp(m.baseAddress!, b.baseAddress!, b.count) == 0 else { return false }
        return m.count == b.count || m[b.count] == UInt8(ascii: ".")
    }
}
