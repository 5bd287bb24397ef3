import SSOTCore
import SSOTEngine

/// What `ssot fix` says (SPEC 8): each finding it leaves and why, then the
/// migration plan: fixed N findings in F files, the rest by reason, and the
/// names the canonical module would have to export, by how many findings
/// each would unblock.
public enum FixReport {
    public static func text(_ outcome: FixRun.Outcome, colour: Colour) -> String {
        var out = ""
        var fixed = 0, fixedFiles = 0
        var left: [FixReason: (findings: Int, files: Set<String>)] = [:]
        var unexported: [Unexported: (findings: Int, files: Set<String>)] = [:]
        for file in outcome.files {
            var fixedHere = 0
            for d in file.decisions.sorted(by: { Finding.reportOrder($0.finding, $1.finding) }) {
                guard let reason = d.reason else { fixedHere += 1; continue }
                let f = d.finding
                out += colour.bold("\(Terminal.escape(f.path)):\(f.line):\(f.column):") + " "
                    + colour.yellow(reason.rawValue) + ": " + Terminal.escape(f.fingerprint)
                    + " (" + Terminal.escape(d.detail) + ") [\(f.rule)]\n"
                left[reason, default: (0, [])].findings += 1
                left[reason, default: (0, [])].files.insert(f.path)
                if let u = d.unexported {
                    unexported[u, default: (0, [])].findings += 1
                    unexported[u, default: (0, [])].files.insert(f.path)
                }
            }
            if fixedHere > 0 && (file.fixed != nil) {
                fixed += fixedHere
                fixedFiles += 1
            }
        }
        let mentions = outcome.files.flatMap(\.mentions)
        for m in mentions {
            out += colour.bold("\(Terminal.escape(m.path)):\(m.line):\(m.column):") + " note: the string \""
                + Terminal.escape(m.text) + "\" names a legacy module; it is not edited [\(m.rule)]\n"
        }
        if !out.isEmpty { out += "\n" }
        let verb = outcome.wrote ? "Fixed" : "Would fix"
        out += colour.bold("\(verb) \(plural(fixed, "finding")) in \(plural(fixedFiles, "file")).") + "\n"
        let leftCount = left.values.reduce(0) { $0 + $1.findings }
        if leftCount > 0 {
            let files = left.values.reduce(into: Set<String>()) { $0.formUnion($1.files) }
            out += "Left \(plural(leftCount, "finding")) in \(plural(files.count, "file")):\n"
            let width = FixReason.allCases.map(\.rawValue.count).max()!
            for reason in FixReason.allCases {
                guard let l = left[reason] else { continue }
                out += "  " + reason.rawValue.padding(width) + "  " + "\(l.findings)".leftPadding(6) + "  " + reason.meaning + "\n"
            }
        }
        if !unexported.isEmpty {
            let total = unexported.values.reduce(0) { $0 + $1.findings }
            out += "\nTo unblock \(plural(total, "finding")), export from the canonical module (findings, files):\n"
            let rows = unexported.sorted { a, b in
                a.value.findings != b.value.findings ? a.value.findings > b.value.findings
                    : Bytewise.less(a.key.name + a.key.definedIn, b.key.name + b.key.definedIn)
            }
            for (u, n) in rows {
                out += "  \(u.canonical): \(Terminal.escape(u.name)) (defined in \(u.definedIn))  \(n.findings) in \(plural(n.files.count, "file"))\n"
            }
        }
        if !mentions.isEmpty {
            out += "\n\(plural(mentions.count, "string")) in \(plural(Set(mentions.map(\.path)).count, "file")) name a legacy module (mock.patch and the like): edit them by hand.\n"
        }
        let refused = outcome.files.filter { $0.refused != nil }
        for f in refused { out += colour.yellow("warning") + ": \(Terminal.escape(f.path)): \(Terminal.escape(f.refused!))\n" }
        if outcome.overBaseline > 0 {
            out += colour.yellow("note") + ": \(plural(outcome.overBaseline, "finding")) left \(outcome.overBaseline == 1 ? "is" : "are") not allowed by "
                + "\(Terminal.escape(outcome.baselinePath)) (new before this run): `ssot check --all` fails on them.\n"
        }
        if let after = outcome.baselineAfter {
            let before = outcome.baselineBefore.counts.values.reduce(0, +), now = after.counts.values.reduce(0, +)
            let dropped = outcome.baselineBefore.counts.count - after.counts.count
            out += "\(outcome.wrote ? "Tightened" : "Would tighten") \(Terminal.escape(outcome.baselinePath)): "
                + "\(before - now) fewer allowed, \(plural(dropped, "entry", "entries")) dropped.\n"
        }
        return out
    }

    /// `--diff`: one unified diff per rewritten file, in path order.
    public static func diff(_ outcome: FixRun.Outcome) -> String {
        var out = ""
        for file in outcome.files.sorted(by: { Bytewise.less($0.path, $1.path) }) {
            if let fixed = file.fixed { out += UnifiedDiff.render(path: file.path, old: file.original, new: fixed) }
        }
        return out
    }

    static func plural(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(n) " + (n == 1 ? one : many ?? one + "s")
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadding(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
