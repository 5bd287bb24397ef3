import SSOTCore

/// A baseline entry as every message shows it: `path<TAB>rule<TAB>fingerprint`,
/// escaped, and for a change `<TAB>before → after`.
public enum EntryLine {
    public static func key(_ key: BaselineKey) -> String {
        "\(Terminal.escape(key.path))\t\(Terminal.escape(key.rule))\t\(Terminal.escape(key.fingerprint))"
    }

    public static func change(_ change: BaselineChange) -> String {
        key(change.key) + "\t\(change.before) → \(change.after)"
    }
}
