import SSOTCore

/// GitLab's Code Quality report (SPEC 7): a JSON array of issues, each with
/// `description`, `check_name`, `fingerprint`, `severity` and
/// `location.path`/`location.lines.begin`. Every finding is listed, so that
/// GitLab's own comparison with the target branch's report shows what a
/// merge request adds: new findings are `major`, baselined ones `info`; a
/// grown baseline, a loosened config and a file the gate cannot check are
/// `critical`, since each refuses the change.
///
/// A fingerprint must be unique in a report and the same in the next one for
/// the same issue: it hashes the baseline key and the occurrence's rank among
/// equal keys, not the line, so moving a finding keeps its fingerprint.
public struct GitLabReport: Reporter {
    public init() {}

    public func render(_ verdict: Verdict, _ context: ReportContext) -> String {
        let q = JSONText.quote
        var issues: [String] = []
        func issue(_ description: String, check: String, key: String, severity: String, path: String, line: Int) {
            // Escaped as the text report is (SPEC 7): GitLab shows a description as it is,
            // and a bidi control in it would reorder what a reviewer reads.
            issues.append("{\"description\": \(q(TextEscape.escape(description))), \"check_name\": \(q(check)), "
                + "\"fingerprint\": \"\(GitLabReport.fingerprint(key))\", \"severity\": \"\(severity)\", "
                + "\"location\": {\"path\": \(JSONText.path(path)), \"lines\": {\"begin\": \(line)}}}")
        }
        var rank: [BaselineKey: Int] = [:]
        for f in verdict.findings {
            let n = rank[f.key, default: 0]
            rank[f.key] = n + 1
            var description = "\(f.message) (`\(f.fingerprint)`)"
            if let r = f.replacement { description += " Use `\(r)`." }
            if !f.new { description += " Allowed by the baseline." }
            issue(description, check: f.rule, key: "finding\0\(f.path)\0\(f.rule)\0\(f.fingerprint)\0\(n)",
                  severity: f.new ? "major" : "info", path: f.path, line: f.line)
        }
        let baseline = verdict.config?.baseline ?? ".ssot-baseline"
        for g in verdict.grown {
            issue("The baseline grows: \(g.key.path) \(g.key.rule) `\(g.key.fingerprint)` allowed \(g.before), proposed \(g.after). It may only shrink.",
                  check: "baseline-grows", key: "grown\0\(g.key.path)\0\(g.key.rule)\0\(g.key.fingerprint)",
                  severity: "critical", path: baseline, line: 1)
        }
        for l in verdict.loosened {
            issue("The config loosens the rules: \(l). Rules may only tighten.", check: "config-loosened", key: "loosened\0\(l)",
                  severity: "critical", path: verdict.config?.file ?? "ssot.toml", line: 1)
        }
        for u in verdict.uncheckable {
            issue("The gate cannot check this file: \(u.text)", check: "cannot-check", key: "uncheckable\0\(u.path)",
                  severity: "critical", path: u.path, line: 1)
        }
        return issues.isEmpty ? "[]\n" : "[\n  " + issues.joined(separator: ",\n  ") + "\n]\n"
    }

    /// 128 bits, as hex: two FNV-1a passes with different offsets (stable
    /// across runs and machines, unlike Swift's seeded `Hasher`).
    static func fingerprint(_ key: String) -> String {
        func fnv(_ offset: UInt64) -> UInt64 {
            var h = offset
            for b in key.utf8 {
                h ^= UInt64(b)
                h = h &* 0x0000_0100_0000_01B3
            }
            return h
        }
        func hex(_ v: UInt64) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return hex(fnv(0xCBF2_9CE4_8422_2325)) + hex(fnv(0x84222325CBF29CE4))
    }
}
