import CLibGit2

/// A libgit2 call that failed, with the function's name, libgit2's own
/// message (which can be NULL on 1.5, hence the fallback) and what kind of
/// failure it is, decided once where the error is made, so no caller reads
/// the message to find out.
public struct GitError: Error, CustomStringConvertible, Equatable {
    /// The failures ssot explains with a way out (SPEC 7, exit 3).
    public enum Kind: Equatable, Sendable {
        /// No repository at or above the folder.
        case notARepository
        /// The repository belongs to another user and libgit2 refused it.
        case ownership
        /// A split index (`core.splitIndex`, the `link` extension).
        case splitIndex
        /// A sparse index (`index.sparse`, the `sdir` extension).
        case sparseIndex
        /// `extensions.worktreeConfig`, which libgit2 1.5 cannot open.
        case worktreeConfig
        /// Another index or repository extension libgit2 1.5 does not support.
        case unsupportedExtension
        case other
    }

    public var function: String
    public var code: Int32
    public var message: String
    public var kind: Kind

    public init(function: String, code: Int32, message: String, kind: Kind? = nil) {
        self.function = function
        self.code = code
        self.message = message
        self.kind = kind ?? GitError.classify(code: code, message: message)
    }

    public var description: String {
        "\(function) failed: \(message)"
    }

    /// libgit2 1.5 says what went wrong only in words: its error class for
    /// all of these is the same. This is the one place they are read.
    static func classify(code: Int32, message: String) -> Kind {
        if code == GIT_EOWNER.rawValue || message.contains("safe.directory") || message.contains("not owned by current user") {
            return .ownership
        }
        let lower = message.lowercased()
        if lower.contains("'link'") { return .splitIndex }
        if lower.contains("'sdir'") { return .sparseIndex }
        if lower.contains("worktreeconfig") { return .worktreeConfig }
        if lower.contains("extension") { return .unsupportedExtension }
        return .other
    }
}

/// Passes every libgit2 return code through one place.
@discardableResult
func check(_ code: Int32, _ function: String) throws -> Int32 {
    guard code < 0 else { return code }
    var message = "error \(code)"
    if let last = git_error_last(), let text = last.pointee.message {
        message = String(cString: text)
    }
    throw GitError(function: function, code: code, message: message)
}

/// libgit2 must be initialised once per process before any call.
enum LibGit2 {
    static let initialised: Bool = {
        git_libgit2_init()
        // libgit2 re-hashes every object it reads, with the collision-detecting
        // SHA-1 (about 40 instructions a byte): most of the cost of reading the
        // baseline and HEAD's trees. git does not re-hash on read either; the
        // objects were hashed (with collision detection) when git wrote or
        // received them, and a corrupt object still fails to inflate.
        ssot_git_set_strict_hash_verification(0)
        return true
    }()
}
