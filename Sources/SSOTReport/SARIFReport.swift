import GitStore
import SSOTCore

/// SARIF 2.1.0, for code-scanning upload. New findings are errors with
/// `baselineState: "new"`; baselined ones are notes, `"unchanged"`, so a
/// dashboard can tell debt from regressions. The partial fingerprint is the
/// baseline key, which survives line moves as the baseline does.
public struct SARIFReport: Reporter {
    public init() {}

    public func render(_ verdict: Verdict, _ context: ReportContext) -> String {
        SARIFReport.render(verdict, rules: verdict.config?.rules ?? []) + "\n"
    }

    static func render(_ v: Verdict, rules: [Rule]) -> String {
        let q = JSONReport.quote
        var ruleIDs = rules.map(\.id)
        for f in v.findings where !ruleIDs.contains(f.rule) { ruleIDs.append(f.rule) }
        var descriptors = ruleIDs.map { id -> String in
            let rule = rules.first { $0.id == id }
            let text = rule?.message ?? id
            var help = text
            if let c = rule?.canonical { help += " Import from \(c)." }
            if let r = rule?.replacement { help += " Use \(r)." }
            return "{\"id\": \(q(id)), \"name\": \(q(id)), \"shortDescription\": {\"text\": \(q(text))}, "
                + "\"help\": {\"text\": \(q(help))}, \"defaultConfiguration\": {\"level\": \"error\"}}"
        }
        if !v.uncheckable.isEmpty {
            descriptors.append("{\"id\": \"cannot-check\", \"name\": \"cannot-check\", "
                + "\"shortDescription\": {\"text\": \"A changed file the gate cannot check.\"}, "
                + "\"help\": {\"text\": \"The gate fails closed: split the file below max-file-size, save it as UTF-8, or remove the link or bytecode.\"}, "
                + "\"defaultConfiguration\": {\"level\": \"error\"}}")
        }
        if !v.loosened.isEmpty {
            descriptors.append("{\"id\": \"config-loosened\", \"name\": \"config-loosened\", "
                + "\"shortDescription\": {\"text\": \"The proposed config loosens the rules.\"}, "
                + "\"help\": {\"text\": \"Rules may only tighten: revert the setting, or have it pushed through the audited server bypass.\"}, "
                + "\"defaultConfiguration\": {\"level\": \"error\"}}")
        }
        var results = v.findings.map { f -> String in
            var message = "\(f.message) (`\(f.fingerprint)`)"
            if let r = f.replacement { message += " Use `\(r)`." }
            return "{\"ruleId\": \(q(f.rule)), \"level\": \"\(f.new ? "error" : "note")\", "
                + "\"baselineState\": \"\(f.new ? "new" : "unchanged")\", \"message\": {\"text\": \(q(message))}, "
                + "\"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \(q(uri(f.path))), \"uriBaseId\": \"%SRCROOT%\"}, "
                + "\"region\": {\"startLine\": \(f.line), \"startColumn\": \(f.column), \"endColumn\": \(f.column + f.span)}}}], "
                + "\"partialFingerprints\": {\"ssotKey/v1\": \(q(f.path + "\t" + f.rule + "\t" + f.fingerprint))}}"
        }
        for u in v.uncheckable {
            results.append("{\"ruleId\": \"cannot-check\", \"level\": \"error\", \"message\": {\"text\": \(q(u.text))}, "
                + "\"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \(q(uri(u.path))), \"uriBaseId\": \"%SRCROOT%\"}}}]}")
        }
        for l in v.loosened {
            results.append("{\"ruleId\": \"config-loosened\", \"level\": \"error\", \"message\": {\"text\": \(q(l))}, "
                + "\"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \(q(uri(v.config?.file ?? "ssot.toml"))), "
                + "\"uriBaseId\": \"%SRCROOT%\"}}}]}")
        }
        return """
        {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [{
         "tool": {"driver": {"name": "ssot", "version": "\(SSOTVersion.current)", "rules": [\(descriptors.joined(separator: ", "))]}},
         "results": [\(results.joined(separator: ",\n  "))]}]}
        """
    }

    /// A relative URI of the file's own bytes (a path key's escapes undone),
    /// each percent-encoded where it must be.
    public static func uri(_ path: String) -> String {
        var out = ""
        for byte in PathKey.bytes(path) {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "-._~/".contains(c)) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

/// Zero-padded on the left, for the two hex digits of a percent escape.
extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
