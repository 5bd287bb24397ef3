import GitStore

/// Turns libgit2's failures into messages a user can act on (exit 3).
enum RepositoryProblem {
    static func explain(_ error: GitError) -> String {
        if error.isOwnership {
            return "\(error.message)\n  libgit2 refuses a repository owned by another user; if you trust it, run "
                + "`git config --global --add safe.directory <path>`, or run ssot as the repository's owner"
        }
        let lower = error.message.lowercased()
        if lower.contains("'link'") {
            return "the index is a split index (core.splitIndex), which ssot cannot read (\(error.message)).\n"
                + "  ssot and libgit2 1.5 (which stages a tightened baseline) cannot read split indexes; turn it off: "
                + "git config core.splitIndex false && git update-index --no-split-index"
        }
        if lower.contains("'sdir'") {
            return "the index is a sparse index (index.sparse), which ssot cannot read (\(error.message)).\n"
                + "  ssot and libgit2 1.5 (which stages a tightened baseline) cannot read sparse indexes; expand it: "
                + "git sparse-checkout set --no-sparse-index"
        }
        if lower.contains("worktreeconfig") {
            return "the repository uses extensions.worktreeConfig, which libgit2 1.5 cannot read (\(error.message)).\n"
                + "  libgit2 1.5 cannot open such a repository; ssot needs the extension unset"
        }
        if lower.contains("extension") {
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
