import SSOTCore
import SSOTEngine

/// What the pusher reads. git shows a pre-receive hook's output prefixed with
/// `remote:`, so everything goes to stderr, one section per gated ref in the
/// format asked for, with control characters in paths escaped. On GitLab a
/// `GL-HOOK-ERR:` line carries the refusal into the web UI.
public struct PreReceiveReport {
    public let format: ReportFormat

    public init(format: ReportFormat) { self.format = format }

    /// The messages about files of every ref, then a section per ref.
    public func render(_ outcome: PushOutcome, environment: [String: String]) -> String {
        var messages = ""
        var out = ""
        for o in outcome.refs {
            let range = "\(o.update.old.prefix(7))..\(o.update.new.prefix(7))"
            let ref = Terminal.escape(o.update.ref)
            if let refusal = o.refusal {
                out += "ssot: \(ref) \(range): rejected: \(refusal)\n"
                continue
            }
            if let note = o.note {
                out += "ssot: \(ref) \(range): \(note)\n"
                continue
            }
            guard let verdict = o.verdict else { continue }
            for note in o.notes { out += "ssot: \(ref): note: \(note)\n" }
            if let bypass = o.bypass { out += PreReceiveReport.bypass(bypass, ref: ref) }
            out += "ssot: \(ref) \(range): \(verdict.rejected ? "rejected" : "accepted")\n"
            // Every format is what was asked for, per ref.
            out += format.reporter.render(verdict, .of(verdict, colour: Colour(on: false)))
            messages += Report.render(verdict.messages)
        }
        if outcome.rejected {
            out += "ssot: the push is refused: every ref must pass (nothing was updated).\n"
            if environment["GL_ID"] != nil || environment["GL_USERNAME"] != nil {
                out += "GL-HOOK-ERR: ssot refused the push: new banned imports or singleton uses, a grown baseline or a loosened config (details above).\n"
            }
        }
        return messages + out
    }

    static func bypass(_ bypass: Bypass, ref: String) -> String {
        let who = bypass.user.isEmpty ? "an unnamed user" : Terminal.escape(bypass.user)
        guard bypass.accepted else {
            return "ssot: \(ref): ssot.allow-growth requested by \(who) was refused: \(bypass.reason ?? "not allowed")\n"
        }
        let n = bypass.grown.count + bypass.loosened.count
        var out = "ssot: \(ref): ssot.allow-growth accepted by the bypass of \(who); \(n) bypassed change\(n == 1 ? "" : "s") audited\n"
        for g in bypass.grown { out += "  baseline grows: " + EntryLine.change(g) + "\n" }
        for l in bypass.loosened { out += "  config loosened: \(Terminal.escape(l))\n" }
        return out
    }
}
