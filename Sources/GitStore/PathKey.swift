import CPathKey
import Glibc

/// The text ssot names a file by: git's path bytes when they are UTF-8 in
/// NFC (every ordinary path is its own key); otherwise each byte above 0x7F
/// written as NUL and three octal digits, which no real path can hold
/// (ssot_path_key, path_key.c). Swift's strings cannot hold bytes that are
/// not UTF-8 (decoding them replaced each with U+FFFD, so `x\377.py` and
/// `x\376.py` shared one baseline key: issue 11, item 11), and compare by
/// canonical equivalence (`é` and `e` + U+0301 were one key, two files to
/// git: the second hostile review). The key keeps the name's suffix (`.py`)
/// and folders; people see it as git's `\377` (TextEscape), and the
/// baseline holds git's quoted form (CQuote.quotePath).
public enum PathKey {
    public static func key(_ bytes: UnsafeRawBufferPointer) -> String {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), !bytes.isEmpty else { return "" }
        if ssot_path_is_plain(base, bytes.count) != 0 { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: 4 * bytes.count) { out in
            ssot_path_key(base, bytes.count, out.baseAddress!)
        }
    }

    public static func key(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { key($0) } }

    public static func key(cString: UnsafePointer<CChar>) -> String {
        key(UnsafeRawBufferPointer(start: cString, count: strlen(cString)))
    }

    /// The path's bytes, to open the file or compare with git's.
    public static func bytes(_ key: String) -> [UInt8] {
        var key = key
        return key.withUTF8 { k in
            guard let base = k.baseAddress, ssot_path_is_plain(base, k.count) == 0 else { return Array(k) }
            var out = [UInt8](repeating: 0, count: k.count)
            let n = out.withUnsafeMutableBufferPointer { ssot_path_bytes(base, k.count, $0.baseAddress!) }
            return Array(out.prefix(n))
        }
    }

    /// The path as a C string for open(2) and friends.
    public static func withCString<T>(_ key: String, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        var b = bytes(key)
        b.append(0)
        return try b.withUnsafeBufferPointer { try body(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }
    }
}
