/// SPEC section 4, step 5: rules may only tighten.
///
/// The baseline is a ratchet only while the rules that produce it hold
/// still: an `exclude` pushed first lets the violation through in the next
/// push, and a rule removed and added back again counts its debt as
/// "adoption". So every setting that makes a finding disappear without a fix
/// is compared between the rules side's config and the proposed one, and
/// each loosening is named the way a reviewer would say it.
public enum ConfigLoosening {
    /// Every way `after` (the proposed tree's effective config, nil when it
    /// has none) lets through something `before` would report. Adding a rule
    /// or a banned name, and any other key's change, is not a loosening.
    public static func between(_ before: Config, _ after: Config?) -> [String] {
        guard let after else { return ["the ssot config was removed (\(before.file) no longer configures ssot)"] }
        var out: [String] = []
        if after.baseline != before.baseline {
            out.append("baseline moved from \(before.baseline) to \(after.baseline)")
        }
        if Set(after.sourceRoots) != Set(before.sourceRoots) {
            out.append("source-roots changed from \(list(before.sourceRoots.map(root))) to \(list(after.sourceRoots.map(root)))")
        }
        for p in gained(before.include, by: after.include, reversed: true) { out.append("include lost \(p)") }
        for p in gained(before.exclude, by: after.exclude) { out.append("exclude gained \(p)") }
        if after.maxFileSize < before.maxFileSize {
            out.append("max-file-size lowered from \(before.maxFileSize) to \(after.maxFileSize)")
        }
        if before.typeChecking == .check && after.typeChecking == .ignore {
            out.append("type-checking turned to \"ignore\"")
        }
        if !before.inlineIgnores && after.inlineIgnores {
            out.append("inline-ignores turned on")
        }
        let proposed = Dictionary(after.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for rule in before.rules {
            guard let now = proposed[rule.id] else {
                out.append("rule \(rule.id) removed")
                continue
            }
            if now.kind != rule.kind {
                out.append("rule \(rule.id): kind changed from \(rule.kind.rawValue) to \(now.kind.rawValue)")
            }
            // An import rule's banned name may go when a broader one still covers it (`a.b.c` → `a.b`):
            // every import under the first is under the second. Not a singleton's: its uses are
            // references to exactly the banned callable, and `app` does not find `get_manager()`.
            let covered: (String) -> Bool = { name in
                now.kind == .import ? now.banned.contains(where: { name.isUnder($0) }) : now.banned.contains(name)
            }
            for name in rule.banned where !covered(name) {
                out.append("rule \(rule.id): banned name \(name) removed")
            }
            for p in gained(rule.allowIn, by: now.allowIn) { out.append("rule \(rule.id): allow-in gained \(p)") }
        }
        return out
    }

    /// The patterns of `after` that `before` lacks (with `reversed`, the
    /// patterns of `before` that `after` lacks), compared as matched.
    static func gained(_ before: [Glob], by after: [Glob], reversed: Bool = false) -> [String] {
        let (from, to) = reversed ? (after, before) : (before, after)
        let had = Set(from.map(\.normalized))
        var seen = Set<String>()
        return to.compactMap { g in had.contains(g.normalized) || !seen.insert(g.normalized).inserted ? nil : g.pattern }
    }

    static func root(_ r: String) -> String { r.isEmpty ? "." : r }

    static func list(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
}
