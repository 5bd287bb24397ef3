import GitStore

/// Turns libgit2's failures into messages a user can act on (exit 3).
enum RepositoryProblem {
    static func explain(_ error: GitError) -> String {
        if error.isOwnership {
            return "\(error.message)\n  libgit2 refuses a repository owned by another user; if you trust it, run "
                + "`git config --global --add safe.directory <path>`, or run ssot as the repository's owner"
        }
        if error.message.contains("extension") {
            return "\(error.message)\n  libgit2 1.5 cannot read this repository (an index or repository extension it does not support)"
        }
        return error.description
    }

    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as GitError {
            throw Failure.repository(explain(error))
        }
    }
}
