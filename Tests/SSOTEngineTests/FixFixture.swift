import SSOTCore
@testable import SSOTEngine

/// A tree in memory for `ssot fix`'s planner and rewrite, without a disk or
/// git: the shape of the backend this was built for (SPEC 8, issue 13), a
/// legacy module that re-exports through an alias chain, and worse.
struct FixFixture {
    static let config = """
        [[rule]]
        id = "ws-import"
        kind = "import"
        canonical = "app.ws.canonical"
        banned = ["app.ws.manager", "app.ws.websocket_manager"]
        allow-in = ["app/ws/**"]

        [[rule]]
        id = "ws-singleton"
        kind = "singleton"
        banned = ["app.ws.get_manager"]
        replacement = "app.ws.create_manager(ctx)"
        """

    static let tree: [String: String] = [
        "app/__init__.py": "",
        "app/ws/__init__.py": """
            from app.ws.unified import UnifiedWebSocketManager
            def get_manager(): ...
            def create_manager(ctx): ...
            """,
        "app/ws/unified.py": """
            class UnifiedWebSocketManager: ...
            class IsolatedWebSocketManager: ...
            def _helper(): ...
            """,
        // websocket_manager.py says WebSocketManager = UnifiedWebSocketManager ...
        "app/ws/websocket_manager.py": """
            from app.ws.unified import UnifiedWebSocketManager
            WebSocketManager = UnifiedWebSocketManager
            """,
        // ... and manager.py re-exports it under the same name, as the real backend does.
        "app/ws/manager.py": """
            from app.ws.websocket_manager import WebSocketManager
            WebSocketManager = WebSocketManager
            from app.ws.unified import IsolatedWebSocketManager, _helper
            from .unified import UnifiedWebSocketManager
            from app.ws.unified import UnifiedWebSocketManager as Unified
            class Connection: ...
            try:
                from app.ws.fast import Codec
            except ImportError:
                Codec = None
            if FLAG:
                Mode = 1
            else:
                Mode = 2
            if FLAG:
                from app.ws.unified import UnifiedWebSocketManager as Same
            else:
                from app.ws.unified import UnifiedWebSocketManager as Same
            Rebound = UnifiedWebSocketManager
            Rebound = IsolatedWebSocketManager
            if __name__ == "__main__":
                Main = 1
            def reset():
                global Reset
                Reset = None
            Reset = UnifiedWebSocketManager
            from app.ws.cycle_a import Loop
            __all__ = ["Connection"]
            """,
        "app/ws/cycle_a.py": "from app.ws.cycle_b import Loop\n",
        "app/ws/cycle_b.py": "from app.ws.cycle_a import Loop\n",
        "app/ws/canonical.py": """
            \"\"\"The one place to import WebSocket classes from.\"\"\"
            from app.ws.unified import UnifiedWebSocketManager, IsolatedWebSocketManager as _Isolated
            from app.ws.manager import Same
            from app.ws import create_manager
            class Connection: ...
            Reset = UnifiedWebSocketManager
            Loop = None
            __all__ = ["UnifiedWebSocketManager", "Connection"]
            """,
    ]

    var files: [String: String] = FixFixture.tree
    var configText = FixFixture.config
    var unsafeFixes = false

    /// The file after one fix, and each finding's reason at `line:column`
    /// (`fixed` for a rewrite).
    func fix(_ path: String, _ source: String) -> (text: String, decisions: [String: String], fix: FileFix) {
        var files = self.files
        files[path] = source
        let config = try! Config.parse(configText, file: "ssot.toml")!
        let resolver = FixRun.resolver(config, files: Array(files.keys)) { files[$0].map { Array($0.utf8) } }
        let bytes = Array(source.utf8)
        let report = bytes.withUnsafeBufferPointer { FileChecker(config: config).check(path: path, bytes: $0) }
        let fix = FixRun(paths: nil, write: false, unsafeFixes: unsafeFixes).fixFile(report, bytes, config, resolver)
        var decisions: [String: String] = [:]
        for d in fix.decisions {
            let key = "\(d.finding.line):\(d.finding.column)"
            decisions[key] = (decisions[key].map { $0 + "," } ?? "") + (d.reason?.rawValue ?? "fixed")
        }
        return (String(decoding: fix.fixed ?? bytes, as: UTF8.self), decisions, fix)
    }

    /// The source with each `1️⃣`… marker taken out, and where each was (`line:column`).
    static func markers(_ marked: String) -> (source: String, at: [String: String]) {
        var out = ""
        var at: [String: String] = [:]
        var line = 1, column = 1
        var pending: Character?
        for ch in marked {
            if "1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣9️⃣".contains(ch) {
                pending = ch
                continue
            }
            if let p = pending {
                at[String(p)] = "\(line):\(column)"
                pending = nil
            }
            out.append(ch)
            if ch == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (out, at)
    }
}
