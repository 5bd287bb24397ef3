import GitStore
import SSOTCore

extension JSONText {
    /// A path key (GitStore's PathKey) as a JSON string: the path's own
    /// characters when its bytes are UTF-8 (a name in NFD, as macOS writes
    /// them, keeps its combining marks), else git's quoted form of its bytes
    /// (`"bad\377.py"`, quotes included, as `git ls-files` prints it). Never
    /// the key's NUL, which stands for a byte in ssot and for nothing in JSON.
    public static func path(_ key: String) -> String {
        guard key.utf8.contains(0) else { return quote(key) }
        let bytes = PathKey.bytes(key)
        if let text = String(validating: bytes, as: UTF8.self) { return quote(text) }
        return quote(CQuote.quotePath(key))
    }
}
