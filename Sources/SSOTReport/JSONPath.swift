import GitStore
import SSOTCore

extension JSONText {
    /// A path key (GitStore's PathKey) as a JSON string: the path's own
    /// characters when its bytes are UTF-8 (a name in NFD, as macOS writes
    /// them, keeps its combining marks), else git's quoted form of its bytes
    /// (`"bad\377.py"`, quotes included, as `git ls-files` prints it). Never
    /// the key's NUL, which stands for a byte in ssot and for nothing in JSON.
    public static func path(_ key: String) -> String {
        quote(characters(ofPath: key) ?? CQuote.quotePath(key))
    }

    /// The path's own characters, when its bytes are UTF-8: what a consumer
    /// that names files by text (GitHub's annotations, JSON) must be given.
    public static func characters(ofPath key: String) -> String? {
        guard key.utf8.contains(0) else { return key }
        return String(validating: PathKey.bytes(key), as: UTF8.self)
    }
}
