import PythonScan
import SSOTCore

/// The re-parse before a write (SPEC 8: it never writes a file that would
/// not parse): the rewritten file, read by ssot's own parser, must import
/// exactly what the original did with the moved names now from the canonical
/// module under the same local names, warn of nothing new, and carry the
/// findings it had minus the fixed ones.
enum FixVerification {
    struct Problem: Error { var text: String }

    /// The rewritten file's report, or why the rewrite is not what was meant.
    static func check(original: [UInt8], fixed: [UInt8], outline: ModuleOutline, moves: [Int: [Int: FilePlanner.Move]],
                      additions: [ReplacementCall] = [], path: String, config: Config, before: FileReport) -> Result<FileReport, Problem> {
        var expected = additions.filter { outline.bindings[$0.name] != .imported(module: $0.module, name: $0.name) }
            .map { triple($0.module, $0.name, $0.name) }
        var stars = 0
        for (s, site) in outline.sites.enumerated() {
            if site.star { stars += 1; continue }
            for (i, item) in site.items.enumerated() {
                if let m = moves[s]?[i] {
                    expected.append(triple(m.canonical, m.name, item.local))
                } else {
                    expected.append(triple(site.module ?? "", item.name, item.local))
                }
            }
        }
        let context = ModuleName.context(path: path, sourceRoots: config.sourceRoots)
        let after = ModuleOutline.of(fixed, module: context, dottedStrings: false, functionScopes: false)
        var found: [String] = []
        var starsAfter = 0
        for site in after.sites {
            if site.star { starsAfter += 1; continue }
            for item in site.items { found.append(triple(site.module ?? "", item.name, item.local)) }
        }
        if after.sites.filter({ !$0.wellFormed }).count > outline.sites.filter({ !$0.wellFormed }).count {
            return .failure(Problem(text: "a statement that does not parse"))
        }
        guard expected.sorted() == found.sorted(), stars == starsAfter else {
            return .failure(Problem(text: "the imports differ from those intended"))
        }
        let checker = FileChecker(config: config)
        let report = fixed.withUnsafeBufferPointer { checker.check(path: path, bytes: $0) }
        let warnings = { (r: FileReport) in r.messages.filter { $0.severity == .warning }.count }
        if warnings(report) > warnings(before) { return .failure(Problem(text: "a new warning: \(report.messages.last?.text ?? "")")) }
        if report.findings.count >= before.findings.count { return .failure(Problem(text: "no finding went away")) }
        return .success(report)
    }

    static func triple(_ module: String, _ name: String, _ local: String) -> String {
        module + "\u{0}" + name + "\u{0}" + local
    }
}
