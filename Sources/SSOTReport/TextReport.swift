import SSOTCore
import SSOTEngine

/// ruff-style text: `path:line:col: rule message`, the source line with a
/// caret, the replacement, and a summary that says what to do next.
public struct TextReport: Reporter {
    /// Findings shown per file; JSON and SARIF list them all (SPEC 7).
    public static let perFile = 50

    public init() {}

    public func render(_ verdict: Verdict, _ context: ReportContext) -> String {
        TextRendering(verdict: verdict, colour: context.colour, nextSteps: context.nextSteps, looseNote: context.looseNote).render()
    }
}

/// One verdict's text.
struct TextRendering {
    let verdict: Verdict
    let colour: Colour
    let nextSteps: String
    let looseNote: Bool

    func render() -> String {
        var out = ""
        let shown = verdict.findings.filter(\.new)
        var k = 0
        while k < shown.count {
            var end = k
            while end < shown.count && shown[end].path == shown[k].path { end += 1 }
            for f in shown[k..<min(end, k + TextReport.perFile)] { out += finding(f) }
            if end - k > TextReport.perFile {
                out += "\(colour.bold(Terminal.escape(shown[k].path) + ":")) … and \(end - k - TextReport.perFile) more in this file"
                    + " (`--format json` lists them all)\n\n"
            }
            k = end
        }
        for g in verdict.grown { out += grown(g) }
        for l in verdict.loosened { out += loosened(l) }
        for u in verdict.uncheckable {
            out += "\(colour.bold(Terminal.escape(u.path) + ":")) \(colour.red("cannot-check")) \(Terminal.escape(u.text))\n"
        }
        out += summary(shown)
        return out
    }

    func finding(_ f: Finding) -> String {
        let place = "\(Terminal.escape(f.path)):\(f.line):\(f.column):"
        var out = "\(colour.bold(place)) \(colour.red(Terminal.escape(f.rule))) \(Terminal.escape(f.message))\n"
        let number = String(f.line)
        let gutter = String(repeating: " ", count: number.count)
        let line = (f.cutBefore ? "…" : "") + Terminal.escapeLine(f.sourceLine) + (f.cutAfter ? "…" : "")
        out += "\(colour.blue(gutter + " |"))\n"
        out += "\(colour.blue(number + " |")) \(line)\n"
        let caretPad = String(repeating: " ", count: max(0, displayColumn(f.sourceLine, f.column - f.sourceStart + 1) - 1 + (f.cutBefore ? 1 : 0)))
        out += "\(colour.blue(gutter + " |")) \(caretPad)\(colour.red(String(repeating: "^", count: f.span))) \(colour.red(Terminal.escape(f.fingerprint)))\n"
        out += "\(colour.blue(gutter + " |"))\n"
        if let r = f.replacement { out += "\(colour.blue(gutter + " ="))" + " \(colour.cyan("help")): use `\(Terminal.escape(r))`\n" }
        out += "\n"
        return out
    }

    /// The caret's column in the line as shown (`Terminal.escapeLine`): tabs
    /// and escaped control characters are wider. `column` counts Unicode
    /// scalars, as the finding's column does.
    func displayColumn(_ line: String, _ column: Int) -> Int {
        var before = String.UnicodeScalarView()
        before.append(contentsOf: line.unicodeScalars.prefix(max(0, column - 1)))
        return Terminal.escapeLine(String(before)).unicodeScalars.count + 1
    }

    func grown(_ g: BaselineChange) -> String {
        "\(colour.bold(Terminal.escape(g.key.path) + ":")) \(colour.red(Terminal.escape(g.key.rule))) baseline grows: "
            + "`\(Terminal.escape(g.key.fingerprint))` allowed \(g.before), proposed \(g.after)\n"
    }

    func loosened(_ text: String) -> String {
        "\(colour.bold(Terminal.escape(verdict.config?.file ?? "config") + ":")) \(colour.red("config-loosened")) \(Terminal.escape(text))\n"
    }

    func summary(_ shown: [Finding]) -> String {
        let allowed = verdict.findings.count - shown.count
        let files = Set(shown.map(\.path)).count
        var out = ""
        let scanned = "\(verdict.filesScanned) file\(verdict.filesScanned == 1 ? "" : "s") scanned"
        if !verdict.rejected {
            out += colour.green("All checks passed!") + " (\(scanned)"
            out += allowed > 0 ? ", \(allowed) finding\(allowed == 1 ? "" : "s") allowed by the baseline)\n" : ")\n"
        } else {
            if !shown.isEmpty {
                out += "Found \(shown.count) new finding\(shown.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s") (\(scanned)"
                out += allowed > 0 ? ", \(allowed) allowed by the baseline).\n" : ").\n"
            }
            if !verdict.grown.isEmpty {
                out += "The baseline grows by \(verdict.grown.count) entr\(verdict.grown.count == 1 ? "y" : "ies"): it may only shrink.\n"
            }
            if !verdict.uncheckable.isEmpty {
                let n = verdict.uncheckable.count
                out += "\(n) changed file\(n == 1 ? "" : "s") cannot be checked, so the gate refuses the change (it fails closed).\n"
            }
            if !verdict.loosened.isEmpty {
                let n = verdict.loosened.count
                out += "The config loosens the rules in \(n) way\(n == 1 ? "" : "s"): rules may only tighten.\n"
            }
            out += nextSteps
        }
        if looseNote && !verdict.loose.isEmpty {
            let n = verdict.loose.count
            out += colour.yellow("note:") + " \(n) baseline entr\(n == 1 ? "y allows" : "ies allow") more than was found; "
                + "`ssot baseline` tightens \(n == 1 ? "it" : "them").\n"
        }
        return out
    }
}
