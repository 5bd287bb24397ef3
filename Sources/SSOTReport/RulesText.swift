import SSOTCore

/// `ssot rules`: the configured rules, explained in words.
public enum RulesText {
    public static func render(_ config: Config) -> String {
        var out = "Config: \(config.file); baseline: \(config.baseline); "
        out += "source roots: \(config.sourceRoots.map { $0.isEmpty ? "." : $0 }.joined(separator: ", "))\n"
        if config.rules.isEmpty { return out + "No rules are configured.\n" }
        for rule in config.rules {
            out += "\n\(rule.id) (\(rule.kind.rawValue))\n  \(rule.message)\n"
            switch rule.kind {
            case .import:
                out += "  Reports any import of, or from, these modules and the names under them:\n"
            case .singleton:
                out += "  Reports imports of these names and every use of them (calls and references):\n"
            }
            for name in rule.banned { out += "    \(name)\n" }
            if let canonical = rule.canonical { out += "  Import instead from: \(canonical)\n" }
            if let replacement = rule.replacement { out += "  Use instead: \(replacement)\n" }
            if !rule.allowIn.isEmpty {
                out += "  Does not apply in: \(rule.allowIn.map(\.pattern).joined(separator: ", "))\n"
            }
        }
        return out
    }
}
