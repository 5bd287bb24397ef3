import PythonScan

/// `# ssot: ignore[rule-id, …] reason` on a finding's line suppresses it
/// (with `inline-ignores = true`). An ignore with no reason, one naming an
/// unknown rule, or one that suppresses nothing is reported, so ignores
/// cannot quietly pile up.
enum InlineIgnores {
    struct Directive {
        var line: Int
        var column: Int
        var ids: [String]
        var reason: String
    }

    static func parse(_ comment: String) -> (ids: [String], reason: String)? {
        var s = Substring(comment)
        guard s.first == "#" else { return nil }
        s = s.dropFirst().drop { $0 == " " || $0 == "\t" }
        guard s.hasPrefix("ssot:") else { return nil }
        s = s.dropFirst(5).drop { $0 == " " || $0 == "\t" }
        guard s.hasPrefix("ignore") else { return nil }
        s = s.dropFirst(6)
        guard s.first == "[", let close = s.firstIndex(of: "]") else { return ([], String(s).trimmingSpaces()) }
        let ids = s[s.index(after: s.startIndex)..<close].split(separator: ",").map { String($0).trimmingSpaces() }
        return (ids.filter { !$0.isEmpty }, String(s[s.index(after: close)...]).trimmingSpaces())
    }

    static func apply(_ comments: [Range<Int>], bytes: UnsafeBufferPointer<UInt8>, lines: LineIndex,
                      ruleIDs: Set<String>, to report: inout FileReport) {
        var directives: [Directive] = []
        for range in comments {
            let text = SourceText.decode(bytes, range)
            guard let (ids, reason) = parse(text) else { continue }
            let (line, column) = lines.position(of: range.lowerBound, in: bytes)
            directives.append(Directive(line: line, column: column, ids: ids, reason: reason))
        }
        guard !directives.isEmpty else { return }
        var used = Array(repeating: Set<String>(), count: directives.count)
        report.findings.removeAll { finding in
            for (i, d) in directives.enumerated() where d.line == finding.line && d.ids.contains(finding.rule) {
                used[i].insert(finding.rule)
                return true
            }
            return false
        }
        for (i, d) in directives.enumerated() {
            func warn(_ text: String) {
                report.messages.append(FileMessage(.warning, path: report.path, line: d.line, column: d.column, text))
            }
            if d.ids.isEmpty {
                warn("`# ssot: ignore` needs a rule id, as in `# ssot: ignore[rule-id] reason`; it suppresses nothing")
                continue
            }
            if d.reason.isEmpty { warn("ignore without a reason: say why after the bracket") }
            for id in d.ids where !used[i].contains(id) {
                warn(ruleIDs.contains(id) ? "ignore[\(id)] suppresses nothing on this line"
                                          : "ignore names unknown rule \"\(id)\"")
            }
        }
    }
}
