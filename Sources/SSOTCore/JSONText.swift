/// A JSON string literal, for every JSON ssot writes (the reports, the
/// server's audit log): the repository's text can hold quotes, controls and
/// bidi characters, and none of them reach the output raw (SPEC 7).
public enum JSONText {
    public static func quote(_ s: String) -> String {
        // Nearly every string needs no escape: then it is copied whole, not scalar by scalar.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 >= 0x7F }) { return "\"" + s + "\"" }
        var out = "\""
        // A path key's byte that is not UTF-8 (NUL and three octal digits, GitStore's PathKey), in
        // text ssot composed around a path: shown as git shows it, `\377`, as TextEscape does.
        // Only text that holds a NUL is looked at that way: the rest is one pass, no copy.
        let scalars = s.utf8.contains(0) ? Array(s.unicodeScalars) : []
        for (k, u) in s.unicodeScalars.enumerated() {
            if u.value == 0, k + 3 < scalars.count, scalars[(k + 1)...(k + 3)].allSatisfy({ (0x30...0x37).contains($0.value) }) {
                out += "\\\\"
                continue
            }
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // Controls, C1 and the bidi and invisible format characters: never raw (SPEC 7).
                if TextEscape.isHostile(u) {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
