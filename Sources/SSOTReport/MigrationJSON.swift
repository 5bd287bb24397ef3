import SSOTCore

/// `ssot report --format json`: a `version`, keys in sorted order, no
/// timestamps, numbers in one fixed spelling, so two reports of the same
/// tree are byte-identical and a diff of two shows what moved.
enum MigrationJSON {
    static func render(_ r: MigrationReport) -> String {
        var rules: [String] = []
        for s in r.standings {
            var fields: [(String, String)] = [
                ("allowance", "\(s.allowance)"), ("canonical", "\(s.canonical)"),
                ("compliance", number(s.compliance)), ("file_compliance", number(s.fileCompliance)),
                ("files", "\(s.legacyFiles)"), ("findings", "\(s.legacy)"), ("fixable", "\(s.fixable)"),
                ("id", JSONText.quote(s.rule)), ("kind", JSONText.quote(s.kind.rawValue)), ("loose", "\(s.loose)"),
                ("touching", "\(s.touching)"),
            ]
            if let files = s.goalFiles {
                fields.append(("goal", object([("date", s.goalDate.map { JSONText.quote($0.description) } ?? "null"),
                                               ("files", "\(files)"),
                                               ("status", s.goal.map { JSONText.quote($0.rawValue) } ?? "null")])))
            }
            if let c = r.changes[s.rule] {
                fields.append(("change", object([("compliance_points", number(c.compliance)), ("files", "\(c.legacyFiles)"),
                                                 ("findings", "\(c.legacy)"), ("new_code_compliance", number(c.newCode)),
                                                 ("new_code_files", "\(c.newCodeFiles)")])))
            }
            rules.append(object(fields))
        }
        func places(_ list: [MigrationReport.Place], files: Bool) -> String {
            "[" + list.map { p in
                object((files ? [] : [("files", "\(p.files)")]) + [("findings", "\(p.findings)"), ("path", JSONText.path(p.path))])
            }.joined(separator: ",") + "]"
        }
        return object([
            ("base", r.base.map(JSONText.quote) ?? "null"), ("depth", "\(r.depth)"), ("files", places(r.files, files: true)),
            ("folders", places(r.folders, files: false)), ("revision", JSONText.quote(r.revision)),
            ("rules", "[" + rules.joined(separator: ",") + "]"), ("scanned", "\(r.scanned)"),
            ("unchecked", "[" + r.unchecked.map { object([("path", JSONText.path($0.path)), ("reason", JSONText.quote($0.reason))]) }
                .joined(separator: ",") + "]"),
            ("version", "\(MigrationReport.version)"),
        ]) + "\n"
    }

    /// Fields in sorted key order, whatever order they were given in.
    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.sorted { $0.0 < $1.0 }.map { JSONText.quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    static func number(_ x: Double?) -> String { x.map { Figures.fixed($0, 2) } ?? "null" }
}
