import SSOTCore
import Foundation

/// Buffered stdout and unbuffered stderr. A report of half a million findings
/// is built as one string and written once.
enum Output {
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    static func stdout(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count > 1 << 20 { flush() }
    }

    static func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = write(1, raw.baseAddress! + off, raw.count - off)
                if n <= 0 { break }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    static func stderr(_ s: String) {
        flush()
        var bytes = Array(s.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var off = 0
            while off < raw.count {
                let n = write(2, raw.baseAddress! + off, raw.count - off)
                if n <= 0 { break }
                off += n
            }
        }
    }

    /// Errors and warnings quote repository text (a malformed baseline line, a
    /// path): escaped here, once for all of them (SPEC 7).
    static func error(_ message: String) {
        stderr("ssot: error: \(TextEscape.escapeLines(message))\n")
    }

    static func warning(_ message: String) {
        stderr("ssot: warning: \(TextEscape.escapeLines(message))\n")
    }
}
