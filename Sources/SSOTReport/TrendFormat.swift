import SSOTCore

/// `ssot trend`'s formats (SPEC 10): CSV with one row per commit and rule
/// (a spreadsheet's input), versioned JSON with sorted keys, and a text
/// table of the commits where something changed.
public enum TrendFormat: String, CaseIterable, Sendable {
    case text, csv, json

    public func render(_ t: Trend, colour: Colour = Colour(on: false)) -> String {
        switch self {
        case .csv: return TrendFormat.csv(t)
        case .json: return TrendFormat.json(t)
        case .text: return TrendFormat.text(t, colour: colour)
        }
    }

    /// Written as bytes, each rule's cell and each commit's date made once:
    /// a long history has tens of thousands of rows.
    static func csv(_ t: Trend) -> String {
        var out = ByteBuffer(capacity: t.points.count * t.rules.count * 96 + 128)
        out.text("commit,date,rule,findings,files,canonical,compliance,file_compliance,allowance,unchecked\n")
        // Rule ids are kebab-case (SPEC 1), yet escaped: no quote, comma or formula can start a cell.
        let cells = t.rules.map { Array((csvCell($0.id) + ",").utf8) }
        // Most days hold several commits: a day is written out once.
        var day: (CalendarDay, [UInt8])?
        var head: [UInt8] = []
        for p in t.points {
            if day?.0 != p.day { day = (p.day, Array((p.day.description + ",").utf8)) }
            head.removeAll(keepingCapacity: true)
            head += p.commit.utf8
            head.append(0x2C)
            head += day!.1
            for (k, r) in t.rules.enumerated() {
                guard let c = p.rules[r.id] else { continue }
                out.bytes(head)
                out.bytes(cells[k])
                out.digits(c.findings)
                out.byte(0x2C)
                out.digits(c.files)
                out.byte(0x2C)
                out.digits(c.canonical)
                out.byte(0x2C)
                if let x = c.compliance { out.hundredths(x) }
                out.byte(0x2C)
                if let x = c.fileCompliance { out.hundredths(x) }
                out.byte(0x2C)
                if let a = c.allowance { out.digits(a) }
                out.byte(0x2C)
                out.digits(p.unchecked)
                out.byte(0x0A)
            }
        }
        return out.finish()
    }

    /// A cell as RFC 4180 quotes it, and never a formula a spreadsheet would run.
    static func csvCell(_ s: String) -> String {
        var s = TextEscape.escape(s)
        if let f = s.first, "=+-@".contains(f) { s = "'" + s }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
        return "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    static func json(_ t: Trend) -> String {
        let o = MigrationJSON.object, n = MigrationJSON.number
        let rules = t.rules.map { r in
            o([("goal_date", r.goalDate.map { JSONText.quote($0.description) } ?? "null"),
               ("goal_files", r.goalFiles.map(String.init) ?? "null"),
               ("estimate", t.estimate(r).map { JSONText.quote($0.description) } ?? "null"),
               ("id", JSONText.quote(r.id)), ("kind", JSONText.quote(r.kind.rawValue))])
        }
        let points = t.points.map { p in
            let rs = t.rules.compactMap { r in
                p.rules[r.id].map { c in
                    o([("allowance", c.allowance.map(String.init) ?? "null"), ("canonical", "\(c.canonical)"),
                       ("compliance", n(c.compliance)), ("file_compliance", n(c.fileCompliance)),
                       ("files", "\(c.files)"), ("findings", "\(c.findings)"), ("id", JSONText.quote(r.id)),
                       ("touching", "\(c.touching)")])
                }
            }
            return o([("commit", JSONText.quote(p.commit)), ("date", JSONText.quote(p.day.description)),
                      ("rules", "[" + rs.joined(separator: ",") + "]"), ("time", "\(p.time)"), ("unchecked", "\(p.unchecked)")])
        }
        return o([("commits", "[" + points.joined(separator: ",") + "]"), ("revision", JSONText.quote(t.revision)),
                  ("rules", "[" + rules.joined(separator: ",") + "]"), ("rules_at", JSONText.quote(t.rulesAt)),
                  ("shallow_at", t.shallowAt.map(JSONText.quote) ?? "null"), ("version", "\(Trend.version)")]) + "\n"
    }

    /// The first commit, each commit where a count changed, and the last.
    static func text(_ t: Trend, colour: Colour) -> String {
        var out = ""
        if let s = t.shallowAt { out += "A shallow clone: the history starts at \(s.prefix(12)); what came before was not fetched.\n" }
        guard let first = t.points.first, let last = t.points.last else { return out + "No commits to measure.\n" }
        out += "\(t.points.count) commits measured, \(first.day) to \(last.day), rules at \(t.rulesAt).\n\n"
        var rows: [[String]] = [["commit", "date", "rule", "findings", "files", "compliance", "allowance"]]
        var previous: Trend.Point?
        for (i, p) in t.points.enumerated() {
            defer { previous = p }
            if let q = previous, i != t.points.count - 1, !Trend.changed(q, p) { continue }
            for r in t.rules {
                guard let c = p.rules[r.id] else { continue }
                let before = previous?.rules[r.id]
                let delta = before.map { c.files - $0.files }.flatMap { $0 == 0 ? nil : " (\(Figures.signed($0)))" } ?? ""
                rows.append([String(p.commit.prefix(12)), p.day.description, r.id, "\(c.findings)", "\(c.files)\(delta)",
                             Figures.percent(c.compliance), c.allowance.map(String.init) ?? "–"])
            }
        }
        out += MigrationText.table(rows, colour: colour)
        for r in t.rules {
            guard let goal = r.goalFiles, let c = last.rules[r.id] else { continue }
            var line = "\(r.id): \(c.files) files with findings, goal \(goal)"
            if let d = r.goalDate { line += " by \(d)" }
            if c.files <= goal {
                line += ": reached."
            } else if let e = t.estimate(r) {
                line += "; at the recent rate reached about \(e)" + (r.goalDate.map { e <= $0 ? " (on track)." : " (behind)." } ?? ".")
            } else {
                line += "; not falling, no estimate."
            }
            out += "\n" + Terminal.escape(line) + "\n"
        }
        return out
    }
}
