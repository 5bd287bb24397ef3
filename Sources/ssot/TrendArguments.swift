import SSOTReport

/// `ssot trend`'s plain command lines, read without ArgumentParser.
///
/// A trend a CI job draws on every push is warm: its points come from the
/// cache in about 8 ms, and ArgumentParser's reflection over the command's
/// properties (Mirror, protocol conformance lookups, its check for a
/// completion-script request) cost 9 of the 58 million instructions of such
/// a run (callgrind). The forms read here are the options `--help` lists,
/// each given once, as `--name value` or `--name=value`, and one REV; any
/// other word (`-C`, `--config`, `--help`, `--`, a word starting with `-`
/// that is not one of them, a second REV) or a value `validate()` would
/// refuse returns nil, and ArgumentParser reads the line as usual, with its
/// own messages. `TrendCommandTests` holds the two readings equal.
enum TrendArguments {
    static func trend(_ arguments: ArraySlice<String>) -> TrendRequest? {
        guard arguments.first == "trend" else { return nil }
        var request = TrendRequest()
        var given = Set<String>()
        var rest = arguments.dropFirst()
        while let word = rest.popFirst() {
            guard word.hasPrefix("-") else {
                guard given.insert("REV").inserted else { return nil }
                request.revision = word
                continue
            }
            if word == "--no-cache" {
                guard given.insert(word).inserted else { return nil }
                request.noCache = true
                continue
            }
            let name: String, value: String
            if let eq = word.firstIndex(of: "=") {
                name = String(word[..<eq])
                value = String(word[word.index(after: eq)...])
                // `--svg=` is a missing value to ArgumentParser, not an empty one.
                guard !value.isEmpty else { return nil }
            } else {
                // A value that looks like an option is ArgumentParser's to judge (`--every -3`).
                guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
                name = word
                value = next
            }
            guard given.insert(name).inserted else { return nil }
            switch name {
            case "--since": request.since = value
            case "--every": request.every = value
            case "--rules-at": request.rulesAt = value
            case "--svg": request.svg = value
            case "--format":
                guard let f = TrendFormat(rawValue: value) else { return nil }
                request.format = f
            default: return nil
            }
        }
        return request.problem == nil ? request : nil
    }
}
