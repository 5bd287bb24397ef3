import GitStore
import SSOTCore
import SSOTSystem
#if canImport(Glibc)
import Glibc
#endif

/// Appends one JSON line per ref to the server's audit log (`ssot.auditLog`)
/// whenever a push asked for the bypass, accepted or refused. A bypass that
/// cannot be recorded is refused: the caller writes the log before anything
/// says the push was accepted.
///
/// The log is the server's file, named by the server's config only. It is
/// opened with `O_NOFOLLOW` (a symlink planted in its place is not followed)
/// and `O_NONBLOCK` (a FIFO cannot hold the hook), must be a regular file,
/// and every pushed text in a line (ref, user, paths, fingerprints) is
/// JSON-escaped, so no push can write a line of its own choosing.
public enum AuditLog {
    public static func append(_ outcome: PushOutcome) throws {
        let entries = outcome.refs.filter { $0.bypass != nil }
        guard !entries.isEmpty, let log = outcome.settings.auditLog else { return }
        let path = Repository.absolute(log, relativeTo: outcome.gitDir)
        let q = JSONText.quote
        let verdict = outcome.rejected ? "rejected" : "accepted"
        var text = ""
        for ref in entries {
            guard let bypass = ref.bypass else { continue }
            let grown = bypass.grown.map {
                "{\"path\": \(q($0.key.path)), \"rule\": \(q($0.key.rule)), "
                    + "\"fingerprint\": \(q($0.key.fingerprint)), \"before\": \($0.before), \"after\": \($0.after)}"
            }.joined(separator: ", ")
            text += "{\"time\": \"\(timestamp())\", \"user\": \(q(bypass.user)), \"ref\": \(q(ref.update.ref)), "
                + "\"old\": \(q(ref.update.old)), \"new\": \(q(ref.update.new)), "
                + "\"bypass\": \"\(bypass.accepted ? "accepted" : "refused")\", "
                + "\"reason\": \(bypass.reason.map(q) ?? "null"), \"grown\": [\(grown)], "
                + "\"loosened\": [\(bypass.loosened.map(q).joined(separator: ", "))], \"verdict\": \"\(verdict)\"}\n"
        }
        try write(text, to: path)
    }

    static func write(_ text: String, to path: String) throws {
        func failure(_ why: String) -> Failure {
            Failure.repository("cannot write the audit log \(TextEscape.escape(path)): \(why); the bypass is refused")
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw failure(errno == ELOOP ? "it is a symbolic link" : String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw failure("it is not a regular file") }
        guard FileIO.writeAll(fd, Array(text.utf8)) else { throw failure(String(cString: strerror(errno))) }
    }

    /// UTC, to the second, as ISO 8601 (`2026-12-01T22:30:54Z`).
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
