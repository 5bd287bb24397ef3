import Foundation
import SSOTCore

/// Writes a verdict in the format asked for. Messages about files (warnings,
/// notes) always go to stderr, so stdout stays machine-readable.
enum Report {
    static func write(_ verdict: Verdict, format: ReportFormat, nextSteps: String, looseNote: Bool = true) {
        writeMessages(verdict.messages)
        switch format {
        case .text:
            Output.stdout(TextReport(verdict: verdict, colour: Colour.enabled(forFD: 1), nextSteps: nextSteps,
                                     looseNote: looseNote).render())
        case .json: Output.stdout(JSONReport.render(verdict) + "\n")
        case .sarif: Output.stdout(SARIFReport.render(verdict, rules: verdict.config?.rules ?? []) + "\n")
        case .github: Output.stdout(GitHubReport.render(verdict, baselinePath: verdict.config?.baseline ?? ".ssot-baseline"))
        }
        Output.flush()
    }

    static func writeMessages(_ messages: [FileMessage]) {
        guard !messages.isEmpty else { return }
        var out = ""
        for m in messages {
            var place = Terminal.escape(m.path)
            if let line = m.line { place += ":\(line)" }
            if let column = m.column { place += ":\(column)" }
            out += "\(place): \(m.severity.rawValue): \(Terminal.escape(m.text))\n"
        }
        Output.stderr(out)
    }
}

/// Colour only on a terminal, and never with NO_COLOR (no-color.org) or TERM=dumb.
struct Colour {
    let on: Bool

    static func enabled(forFD fd: Int32) -> Colour {
        let env = ProcessEnvironment.current
        if let noColor = env["NO_COLOR"], !noColor.isEmpty { return Colour(on: false) }
        if env["TERM"] == "dumb" { return Colour(on: false) }
        return Colour(on: isatty(fd) == 1)
    }

    func bold(_ s: String) -> String { on ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func red(_ s: String) -> String { on ? "\u{1B}[1;31m\(s)\u{1B}[0m" : s }
    func cyan(_ s: String) -> String { on ? "\u{1B}[36m\(s)\u{1B}[0m" : s }
    func blue(_ s: String) -> String { on ? "\u{1B}[1;34m\(s)\u{1B}[0m" : s }
    func green(_ s: String) -> String { on ? "\u{1B}[1;32m\(s)\u{1B}[0m" : s }
    func yellow(_ s: String) -> String { on ? "\u{1B}[1;33m\(s)\u{1B}[0m" : s }
}

/// What reaches a terminal from a repository is escaped (`TextEscape`, SPEC 7).
enum Terminal {
    static func escape(_ s: String) -> String { TextEscape.escape(s) }

    /// A source line for display: a tab shown as four spaces, other control
    /// characters escaped. A backslash and `t` in the source stay as written.
    static func escapeLine(_ s: String) -> String {
        guard s.utf8.contains(0x09) else { return escape(s) }
        var spaced = ""
        for u in s.unicodeScalars {
            if u == "\t" { spaced += "    " } else { spaced.unicodeScalars.append(u) }
        }
        return escape(spaced)
    }
}
