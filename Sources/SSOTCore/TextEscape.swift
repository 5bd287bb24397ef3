/// What reaches a person from a repository (paths, source lines,
/// fingerprints, messages, rule ids, config values) is escaped first, in
/// every format and in what a hook shows a pusher (SPEC 7): C0 and C1
/// controls and DEL as `\xNN`, so no file can move the cursor, set a title
/// or forge a line; the bidirectional and invisible format characters as
/// `\u{NNNN}`, so none can reorder or hide what a reviewer reads.
public enum TextEscape {
    /// Whether `u` is shown as an escape.
    @inline(__always)
    public static func isHostile(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v < 0x20 || (v >= 0x7F && v < 0xA0) || isFormat(v)
    }

    /// U+200B–U+200F, U+2028–U+202E (the line and paragraph separators too,
    /// which some viewers break lines at), U+2060–U+2064, U+2066–U+2069, U+FEFF.
    @inline(__always)
    static func isFormat(_ v: UInt32) -> Bool {
        (0x200B...0x200F).contains(v) || (0x2028...0x202E).contains(v) || (0x2060...0x2064).contains(v)
            || (0x2066...0x2069).contains(v) || v == 0xFEFF
    }

    public static func escape(_ s: String) -> String {
        // Nearly every string is plain ASCII text: then it is returned as it is.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 >= 0x7F }) { return s }
        guard s.unicodeScalars.contains(where: isHostile) else { return s }
        var out = ""
        let scalars = Array(s.unicodeScalars)
        var k = 0
        while k < scalars.count {
            let u = scalars[k]
            if u.value == 0 && k + 3 < scalars.count && scalars[(k + 1)...(k + 3)].allSatisfy({ (0x30...0x37).contains($0.value) }) {
                // A path's byte that is not UTF-8 (GitStore's PathKey), shown as git shows it.
                out += "\\"
            } else if !isHostile(u) {
                out.unicodeScalars.append(u)
            } else if u.value < 0xA0 {
                out += "\\x" + hex(u.value, 2)
            } else {
                out += "\\u{" + hex(u.value, 4) + "}"
            }
            k += 1
        }
        return out
    }

    /// Each line escaped, the line breaks kept: for a message ssot composed of
    /// several lines around text that came from a repository.
    public static func escapeLines(_ s: String) -> String {
        if !s.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A) || $0 >= 0x7F }) { return s }
        return s.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "\n")
    }

    static func hex(_ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16, uppercase: v >= 0xA0)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }
}
