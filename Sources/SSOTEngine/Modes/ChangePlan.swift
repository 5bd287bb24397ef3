import GitStore
import SSOTCore

/// Which changed paths the gate scans and which leave the baseline's view.
public struct ChangePlan {
    public var scanned: [FileChange] = []
    public var scannedByPath: [String: FileChange] = [:]
    public var removed: [String] = []
    public var renames: [String: String] = [:]
    /// Added or changed `.pyc` and `.pyo` files, `__pycache__` included: Python
    /// imports one outside `__pycache__` when no source stands beside it, one
    /// inside as a module of the `__pycache__` namespace package
    /// (`import app.__pycache__.evil`), and an unchecked-hash one (PEP 552)
    /// in place of its source. The gate cannot check any of them.
    public var strayBytecode: [String] = []

    public init(changes: [FileChange], config: Config) {
        for change in changes {
            if change.status != .deleted, change.newPath.hasSuffix(".pyc") || change.newPath.hasSuffix(".pyo"),
               !config.exclude.contains(where: { $0.matches(change.newPath) }) {
                strayBytecode.append(change.newPath)
            }
            let newSelected = change.status != .deleted && config.selects(change.newPath)
            let oldSelected = change.status != .added && config.selects(change.oldPath)
            if change.status == .renamed && oldSelected { renames[change.oldPath] = change.newPath }
            if newSelected {
                scanned.append(change)
                scannedByPath[change.newPath] = change
            } else if oldSelected {
                removed.append(change.oldPath)
            }
        }
    }
}
