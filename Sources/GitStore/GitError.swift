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
        return true
    }()
}
