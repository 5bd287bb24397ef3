import SSOTCore

/// SPEC section 7's JSON object, written by hand so the key order is stable
/// and a report of many findings costs one pass.
public struct JSONReport: Reporter {
    public init() {}

    public func render(_ verdict: Verdict, _ context: ReportContext) -> String {
        JSONReport.render(verdict) + "\n"
    }

    public static func render(_ v: Verdict) -> String {
        var out = "{\"version\": 1, \"mode\": \(quote(v.mode.rawValue)),\n \"findings\": ["
        for (i, f) in v.findings.enumerated() {
            out += i == 0 ? "\n  " : ",\n  "
            out += "{\"path\": \(JSONText.path(f.path)), \"line\": \(f.line), \"column\": \(f.column), \"rule\": \(quote(f.rule)), "
            out += "\"fingerprint\": \(quote(f.fingerprint)), \"message\": \(quote(f.message)), "
            out += "\"replacement\": \(f.replacement.map(quote) ?? "null"), \"new\": \(f.new)}"
        }
        out += v.findings.isEmpty ? "],\n" : "\n ],\n"
        out += " \"baseline\": {\"grown\": \(changes(v.grown, "parent", "proposed")), "
        out += "\"loose\": \(changes(v.loose, "allowed", "found"))},\n"
        out += " \"config\": {\"loosened\": [\(v.loosened.map(quote).joined(separator: ", "))]},\n"
        out += " \"uncheckable\": [\(v.uncheckable.map { "{\"path\": \(JSONText.path($0.path)), \"reason\": \(quote($0.text))}" }.joined(separator: ", "))],\n"
        out += " \"summary\": {\"files\": \(v.filesScanned), \"findings\": \(v.findings.count), \"new\": \(v.newCount)}}"
        return out
    }

    static func changes(_ list: [BaselineChange], _ before: String, _ after: String) -> String {
        "[" + list.map {
            "{\"path\": \(JSONText.path($0.key.path)), \"rule\": \(quote($0.key.rule)), \"fingerprint\": \(quote($0.key.fingerprint)), "
                + "\"\(before)\": \($0.before), \"\(after)\": \($0.after)}"
        }.joined(separator: ", ") + "]"
    }

    static func quote(_ s: String) -> String { JSONText.quote(s) }
}
