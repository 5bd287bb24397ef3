import SSOTCore

/// What reaches a terminal from a repository is escaped (`TextEscape`, SPEC 7).
public enum Terminal {
    public static func escape(_ s: String) -> String { TextEscape.escape(s) }

    /// A source line for display: a tab shown as four spaces, other control
    /// characters escaped. A backslash and `t` in the source stay as written.
    public static func escapeLine(_ s: String) -> String {
        guard s.utf8.contains(0x09) else { return escape(s) }
        var spaced = ""
        for u in s.unicodeScalars {
            if u == "\t" { spaced += "    " } else { spaced.unicodeScalars.append(u) }
        }
        return escape(spaced)
    }
}
