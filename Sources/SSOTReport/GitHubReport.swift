import SSOTCore

/// GitHub Actions workflow commands: an `::error` annotation per new finding
/// and per grown baseline entry, a `::notice` per loose entry.
public struct GitHubReport: Reporter {
    public init() {}

    public func render(_ verdict: Verdict, _ context: ReportContext) -> String {
        GitHubReport.render(verdict, baselinePath: verdict.config?.baseline ?? ".ssot-baseline")
    }

    static func render(_ v: Verdict, baselinePath: String) -> String {
        var out = ""
        for f in v.findings where f.new {
            var message = "\(f.message) (\(f.fingerprint))"
            if let r = f.replacement { message += " Use: \(r)" }
            out += "::error file=\(property(f.path)),line=\(f.line),col=\(f.column),title=\(property("ssot " + f.rule))::\(data(message))\n"
        }
        for g in v.grown {
            out += "::error file=\(property(baselinePath)),title=\(property("ssot baseline grows"))::"
                + data("\(g.key.path) \(g.key.rule) `\(g.key.fingerprint)`: allowed \(g.before), proposed \(g.after). The baseline may only shrink.") + "\n"
        }
        for l in v.loosened {
            out += "::error file=\(property(v.config?.file ?? "ssot.toml")),title=\(property("ssot config loosened"))::"
                + data("\(l). Rules may only tighten.") + "\n"
        }
        for u in v.uncheckable {
            out += "::error file=\(property(u.path)),title=\(property("ssot cannot check this file"))::" + data(u.text) + "\n"
        }
        for l in v.loose {
            out += "::notice file=\(property(baselinePath)),title=\(property("ssot baseline can shrink"))::"
                + data("\(l.key.path) \(l.key.rule) `\(l.key.fingerprint)`: allowed \(l.before), found \(l.after). Run `ssot baseline`.") + "\n"
        }
        out += "ssot: \(v.newCount) new finding\(v.newCount == 1 ? "" : "s"), \(v.grown.count) grown baseline entr\(v.grown.count == 1 ? "y" : "ies") (\(v.filesScanned) files scanned)\n"
        return out
    }

    static func data(_ s: String) -> String {
        // `%`, CR and LF as workflow commands encode them, after every other control is escaped.
        TextEscape.escape(s.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A"))
    }

    static func property(_ s: String) -> String {
        data(s).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
