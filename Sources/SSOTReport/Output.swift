import SSOTCore
import SSOTEngine
import SSOTSystem

/// Buffered stdout and unbuffered stderr. A report of half a million findings
/// is built as one string and written once.
public enum Output {
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    public static func stdout(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count > 1 << 20 { flush() }
    }

    public static func flush() {
        guard !buffer.isEmpty else { return }
        _ = buffer.withUnsafeBytes { FileIO.writeAll(1, $0) }
        buffer.removeAll(keepingCapacity: true)
    }

    public static func stderr(_ s: String) {
        flush()
        _ = FileIO.writeAll(2, Array(s.utf8))
    }

    /// Errors and warnings quote repository text (a malformed baseline line, a
    /// path): escaped here, once for all of them (SPEC 7).
    public static func error(_ message: String) {
        stderr("ssot: error: \(TextEscape.escapeLines(message))\n")
    }

    public static func warning(_ message: String) {
        stderr("ssot: warning: \(TextEscape.escapeLines(message))\n")
    }
}
