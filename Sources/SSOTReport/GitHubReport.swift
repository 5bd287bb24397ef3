import SSOTCore

/// GitHub Actions workflow commands: an `::error` annotation per new finding,
/// grown baseline entry, loosened setting and file that cannot be checked,
/// and a `::notice` per loose entry. GitHub shows at most 10 annotations of
/// each kind per step (SPEC 7): past 10, the rest are plain log lines, and
/// one warning says how many were not annotated.
public struct GitHubReport: Reporter {
    /// Annotations of one kind that GitHub shows per step.
    public static let perKind = 10

    public init() {}

    public func render(_ verdict: Verdict, _ context: ReportContext) -> String {
        GitHubReport.render(verdict, baselinePath: verdict.config?.baseline ?? ".ssot-baseline")
    }

    /// One annotation: its properties, a title, a message; its place for the log line.
    struct Annotation {
        var file: String
        var line: Int?
        var column: Int?
        var title: String
        var message: String

        var command: String {
            // The file's own name (an NFD name keeps its characters), so that GitHub finds the file.
            var properties = "file=\(GitHubReport.property(JSONText.characters(ofPath: file) ?? file))"
            if let line { properties += ",line=\(line)" }
            if let column { properties += ",col=\(column)" }
            return "\(properties),title=\(GitHubReport.property(title))::\(GitHubReport.data(message))"
        }

        /// The same as a plain line of the job's log.
        var logLine: String {
            var place = TextEscape.escape(file)
            if let line { place += ":\(line)" }
            if let column { place += ":\(column)" }
            return "\(place): \(TextEscape.escape(title)): \(TextEscape.escape(message))"
        }
    }

    static func render(_ v: Verdict, baselinePath: String) -> String {
        var errors: [Annotation] = []
        for f in v.findings where f.new {
            var message = "\(f.message) (\(f.fingerprint))"
            if let r = f.replacement { message += " Use: \(r)" }
            errors.append(Annotation(file: f.path, line: f.line, column: f.column, title: "ssot " + f.rule, message: message))
        }
        for g in v.grown {
            errors.append(Annotation(file: baselinePath, title: "ssot baseline grows", message:
                "\(g.key.path) \(g.key.rule) `\(g.key.fingerprint)`: allowed \(g.before), proposed \(g.after). The baseline may only shrink."))
        }
        for l in v.loosened {
            errors.append(Annotation(file: v.config?.file ?? "ssot.toml", title: "ssot config loosened", message: "\(l). Rules may only tighten."))
        }
        for u in v.uncheckable {
            errors.append(Annotation(file: u.path, title: "ssot cannot check this file", message: u.text))
        }
        let notices = v.loose.map { l in
            Annotation(file: baselinePath, title: "ssot baseline can shrink",
                       message: "\(l.key.path) \(l.key.rule) `\(l.key.fingerprint)`: allowed \(l.before), found \(l.after). Run `ssot baseline`.")
        }
        var out = ""
        var unshown: [String] = []
        for (kind, list) in [("error", errors), ("notice", notices)] {
            for a in list.prefix(perKind) { out += "::\(kind) \(a.command)\n" }
            if list.count > perKind {
                for a in list.dropFirst(perKind) { out += "ssot: \(kind): \(a.logLine)\n" }
                unshown.append("\(list.count - perKind) \(kind)\(list.count - perKind == 1 ? "" : "s")")
            }
        }
        // A warning, a kind of its own: as the eleventh notice GitHub would drop it too.
        if !unshown.isEmpty {
            out += "::warning title=\(property("ssot: more than GitHub shows"))::"
                + data("\(unshown.joined(separator: " and ")) more than GitHub annotates per step are in the job log above (`--format sarif` lists them all).") + "\n"
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
