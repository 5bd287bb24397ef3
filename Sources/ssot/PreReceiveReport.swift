import Foundation
import SSOTCore

/// What the pusher reads. git shows a pre-receive hook's output prefixed with
/// `remote:`, so everything goes to stderr, one section per gated ref, with
/// control characters in paths escaped. On GitLab a `GL-HOOK-ERR:` line
/// carries the refusal into the web UI.
enum PreReceiveReport {
    static func write(_ outcomes: [PreReceiveCheck.RefOutcome], format: ReportFormat, rejected: Bool,
                      environment: [String: String]) {
        var out = ""
        for o in outcomes {
            let range = "\(o.update.old.prefix(7))..\(o.update.new.prefix(7))"
            let ref = Terminal.escape(o.update.ref)
            if let note = o.note {
                out += "ssot: \(ref) \(range): \(note)\n"
                continue
            }
            guard let verdict = o.verdict else { continue }
            if let bypass = o.bypass {
                if bypass.accepted {
                    out += "ssot: \(ref): baseline growth accepted by the bypass of \(Terminal.escape(bypass.user))"
                        + " (ssot.allow-growth); \(bypass.grown.count) grown entr\(bypass.grown.count == 1 ? "y" : "ies") audited\n"
                    for g in bypass.grown {
                        out += "  \(Terminal.escape(g.key.path))\t\(g.key.rule)\t\(g.key.fingerprint)\t\(g.before) → \(g.after)\n"
                    }
                } else {
                    let who = bypass.user.isEmpty ? "an unnamed user" : Terminal.escape(bypass.user)
                    out += "ssot: \(ref): ssot.allow-growth requested by \(who) was refused: not in server.bypass-users\n"
                }
            }
            let state = verdict.rejected ? "rejected" : "accepted"
            out += "ssot: \(ref) \(range): \(state)\n"
            switch format {
            case .json: out += JSONReport.render(verdict) + "\n"
            default:
                out += TextReport(verdict: verdict, colour: Colour(on: false), nextSteps: NextSteps.forPush(verdict),
                                  looseNote: true).render()
            }
            Report.writeMessages(verdict.messages)
        }
        if rejected {
            out += "ssot: the push is refused: every ref must pass (nothing was updated).\n"
            if environment["GL_ID"] != nil || environment["GL_USERNAME"] != nil {
                out += "GL-HOOK-ERR: ssot refused the push: new banned imports or singleton uses, or a grown baseline (details above).\n"
            }
        }
        Output.stderr(out)
    }
}
