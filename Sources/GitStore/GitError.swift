import CLibGit2

/// A libgit2 call that failed, with the function's name and libgit2's own
/// message (which can be NULL on 1.5, hence the fallback).
public struct GitError: Error, CustomStringConvertible, Equatable {
    public var function: String
    public var code: Int32
    public var message: String

    public init(function: String, code: Int32, message: String) {
        self.function = function
        self.code = code
        self.message = message
    }

    public var description: String {
        "\(function) failed: \(message)"
    }

    /// The repository belongs to another user and libgit2 refused it.
    public var isOwnership: Bool {
        code == GIT_EOWNER.rawValue || message.contains("safe.directory") || message.contains("not owned by current user")
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
