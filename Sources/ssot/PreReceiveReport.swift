import Foundation
import SSOTCore

/// What the pusher reads. git shows a pre-receive hook's output prefixed with
/// `remote:`, so everything goes to stderr, one section per gated ref, with
/// control characters in paths escaped. On GitLab a `GL-HOOK-ERR:` line
/// carries the refusal into the web UI.
enum PreReceiveReport {
    static func write(_ outcome: PreReceiveCheck.Outcome, format: ReportFormat, environment: [String: String]) {
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
            if let bypass = o.bypass {
                let who = bypass.user.isEmpty ? "an unnamed user" : Terminal.escape(bypass.user)
                if bypass.accepted {
                    let n = bypass.grown.count + bypass.loosened.count
                    out += "ssot: \(ref): ssot.allow-growth accepted by the bypass of \(who);"
                        + " \(n) bypassed change\(n == 1 ? "" : "s") audited\n"
                    for g in bypass.grown {
                        out += "  baseline grows: \(Terminal.escape(g.key.path))\t\(Terminal.escape(g.key.rule))\t"
                            + "\(Terminal.escape(g.key.fingerprint))\t\(g.before) → \(g.after)\n"
                    }
                    for l in bypass.loosened { out += "  config loosened: \(Terminal.escape(l))\n" }
                } else {
                    out += "ssot: \(ref): ssot.allow-growth requested by \(who) was refused: \(bypass.reason ?? "not allowed")\n"
                }
            }
            let state = verdict.rejected ? "rejected" : "accepted"
            out += "ssot: \(ref) \(range): \(state)\n"
            // Every format is what was asked for, per ref (once `default:` printed text for sarif).
            switch format {
            case .text:
                out += TextReport(verdict: verdict, colour: Colour(on: false), nextSteps: NextSteps.forPush(verdict),
                                  looseNote: true).render()
            case .json: out += JSONReport.render(verdict) + "\n"
            case .sarif: out += SARIFReport.render(verdict, rules: verdict.config?.rules ?? []) + "\n"
            case .github: out += GitHubReport.render(verdict, baselinePath: verdict.config?.baseline ?? ".ssot-baseline")
            }
            Report.writeMessages(verdict.messages)
        }
        if outcome.rejected {
            out += "ssot: the push is refused: every ref must pass (nothing was updated).\n"
            if environment["GL_ID"] != nil || environment["GL_USERNAME"] != nil {
                out += "GL-HOOK-ERR: ssot refused the push: new banned imports or singleton uses, a grown baseline or a loosened config (details above).\n"
            }
        }
        Output.stderr(out)
    }
}
