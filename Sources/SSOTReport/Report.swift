import SSOTCore
import SSOTEngine

/// Writes what a check yielded in the format asked for. A verdict goes to
/// stdout; messages about files (warnings, notes) always go to stderr, so
/// stdout stays machine-readable. A push's report goes to stderr, which git
/// shows the pusher.
public enum Report {
    public static func write(_ outcome: CheckOutcome, format: ReportFormat, environment: [String: String]) {
        switch outcome {
        case let .verdict(verdict, _):
            writeMessages(verdict.messages)
            Output.stdout(format.reporter.render(verdict, .of(verdict, colour: format == .text ? Colour.enabled(forFD: 1) : Colour(on: false))))
            Output.flush()
        case let .push(push):
            Output.stderr(PreReceiveReport(format: format).render(push, environment: environment))
        }
    }

    public static func writeMessages(_ messages: [FileMessage]) {
        guard !messages.isEmpty else { return }
        Output.stderr(render(messages))
    }

    /// `path:line:col: severity: text`, one per line.
    public static func render(_ messages: [FileMessage]) -> String {
        var out = ""
        for m in messages {
            var place = Terminal.escape(m.path)
            if let line = m.line { place += ":\(line)" }
            if let column = m.column { place += ":\(column)" }
            out += "\(place): \(m.severity.rawValue): \(Terminal.escape(m.text))\n"
        }
        return out
    }
}
