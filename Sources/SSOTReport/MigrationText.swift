import SSOTCore

/// `ssot report`'s three formats (SPEC 9): a table a person reads at a
/// glance, versioned JSON that is byte-identical for the same tree, and
/// markdown for a pull request's summary, never over 1 MiB.
public enum MigrationFormat: String, CaseIterable, Sendable {
    case text, json, markdown

    public func render(_ r: MigrationReport, colour: Colour = Colour(on: false)) -> String {
        switch self {
        case .text: return MigrationText.render(r, colour: colour)
        case .json: return MigrationJSON.render(r)
        case .markdown: return MigrationMarkdown.render(r)
        }
    }
}

/// Numbers as every format prints them: one decimal, no locale.
enum Figures {
    static func fixed(_ x: Double, _ places: Int = 1) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let n = (abs(x) * scale).rounded()
        let whole = Int(n / scale)
        var frac = String(Int(n) - whole * Int(scale))
        while frac.count < places { frac = "0" + frac }
        return (x < 0 && n > 0 ? "-" : "") + "\(whole)" + (places > 0 ? "." + frac : "")
    }

    static func percent(_ x: Double?) -> String { x.map { fixed($0) + "%" } ?? "–" }

    static func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : "\(n)" }

    static func points(_ x: Double?) -> String {
        guard let x else { return "–" }
        return (x > 0 ? "+" : "") + fixed(x) + " pts"
    }

    static func goal(_ s: MigrationReport.Standing) -> String {
        guard let files = s.goalFiles else { return "–" }
        var text = "≤ \(files) files"
        if let date = s.goalDate { text += " by \(date)" }
        if let status = s.goal { text += ": " + status.rawValue }
        return text
    }
}

enum MigrationText {
    static func render(_ r: MigrationReport, colour: Colour) -> String {
        var out = colour.bold("ssot report: \(r.revision == "working tree" ? "the working tree" : r.revision)")
            + " (\(r.scanned) files scanned)\n\n"
        let head = ["rule", "legacy", "files", "canonical", "compliance", "file compl.", "allowed", "loose", "fixable", "goal"]
        var rows = [head]
        for s in r.standings {
            rows.append([s.rule, "\(s.legacy)", "\(s.legacyFiles)", "\(s.canonical)", Figures.percent(s.compliance),
                         Figures.percent(s.fileCompliance), "\(s.allowance)", "\(s.loose)", "\(s.fixable)", Figures.goal(s)])
        }
        out += table(rows, colour: colour)
        if let base = r.base {
            out += "\n" + colour.bold("Since \(base.prefix(12))") + "\n"
            var change = [["rule", "legacy", "files", "compliance", "new code", "changed files"]]
            for s in r.standings {
                guard let c = r.changes[s.rule] else { continue }
                change.append([s.rule, Figures.signed(c.legacy), Figures.signed(c.legacyFiles), Figures.points(c.compliance),
                               Figures.percent(c.newCode), "\(c.newCodeFiles)"])
            }
            out += table(change, colour: colour)
        }
        if !r.folders.isEmpty {
            out += "\n" + colour.bold("Most legacy findings, by folder (depth \(r.depth))") + "\n"
            for f in r.folders { out += "  " + "\(f.findings)".leftPadding(7) + "  \(Terminal.escape(f.path))  (\(f.files) file\(f.files == 1 ? "" : "s"))\n" }
            out += "\n" + colour.bold("… and by file") + "\n"
            for f in r.files { out += "  " + "\(f.findings)".leftPadding(7) + "  \(Terminal.escape(f.path))\n" }
        }
        if !r.unchecked.isEmpty {
            out += "\n" + colour.bold("\(r.unchecked.count) \(r.unchecked.count == 1 ? "file" : "files") could not be checked")
                + " (their findings are in no count above)\n"
            for u in r.unchecked { out += "  \(Terminal.escape(u.path)): \(Terminal.escape(u.reason))\n" }
        }
        return out
    }

    /// Columns padded to their widest cell: text left, numbers right.
    static func table(_ rows: [[String]], colour: Colour) -> String {
        guard let first = rows.first else { return "" }
        var widths = first.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for (n, row) in rows.enumerated() {
            var line = ""
            for (i, cell) in row.enumerated() {
                let numeric = i > 0 && i < row.count - 1 || (i > 0 && cell.first.map { $0.isNumber || $0 == "+" || $0 == "-" } ?? false)
                let padded = numeric ? cell.leftPadding(widths[i]) : (i == row.count - 1 ? cell : cell.padding(widths[i]))
                line += (i == 0 ? "" : "  ") + padded
            }
            out += (n == 0 ? colour.bold(line) : Terminal.escape(line)) + "\n"
        }
        return out
    }
}
