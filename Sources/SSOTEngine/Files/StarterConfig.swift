import SSOTCore
import SSOTSystem

/// The config `ssot init` writes when the repository has none.
public enum StarterConfig {
    /// Writes it into `pyproject.toml` (appended) or a new `ssot.toml`, with
    /// a first rule when `rule` names a banned and a canonical module (else
    /// an example, commented out); returns the file written.
    public static func write(into tree: WorkingTree, rule first: (banned: String, canonical: String)?) throws -> String {
        var rule = """
        # [[tool.ssot.rule]]
        # id = "websocket-canonical-import"
        # kind = "import"
        # canonical = "app.websocket_core.canonical_imports"
        # banned = ["app.websocket_core.unified_manager"]
        # message = "Import WebSocket classes from the canonical module."
        """
        if let (banned, canonical) = first {
            rule = """
            [[tool.ssot.rule]]
            id = "canonical-import"
            kind = "import"
            canonical = "\(canonical)"
            banned = ["\(banned)"]
            message = "Import from \(canonical)."
            """
        }
        let roots = Paths.exists(tree.absolute("src")) ? "[\"src\", \".\"]" : "[\".\"]"
        let body = """
        [tool.ssot]
        baseline = ".ssot-baseline"
        source-roots = \(roots)

        \(rule)

        """
        if let existing = try tree.bytes(at: "pyproject.toml") {
            var text = String(decoding: existing, as: UTF8.self)
            if !text.hasSuffix("\n") { text += "\n" }
            try AtomicFile.write(Array((text + "\n" + body).utf8), root: tree.root, relative: "pyproject.toml")
            return "pyproject.toml"
        }
        let plain = body.replacing("[tool.ssot]\n", with: "").replacing("tool.ssot.rule", with: "rule")
        try AtomicFile.write(Array(("# ssot: single-source-of-truth rules. See `ssot rules`.\n" + plain).utf8), root: tree.root, relative: "ssot.toml")
        return "ssot.toml"
    }
}
