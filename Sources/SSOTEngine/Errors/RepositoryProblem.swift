import GitStore

/// What to tell a user about a libgit2 failure (exit 3): the failure, and
/// for the kinds ssot knows, the way out.
public enum RepositoryProblem {
    public static func explain(_ error: GitError) -> String {
        switch error.kind {
        case .ownership:
            return "\(error.message)\n  libgit2 refuses a repository owned by another user; if you trust it, run "
                + "`git config --global --add safe.directory <path>`, or run ssot as the repository's owner"
        case .splitIndex:
            return "the index is a split index (core.splitIndex), which ssot cannot read (\(error.message)).\n"
                + "  ssot and libgit2 1.5 (which stages a tightened baseline) cannot read split indexes; turn it off: "
                + "git config core.splitIndex false && git update-index --no-split-index"
        case .sparseIndex:
            return "the index is a sparse index (index.sparse), which ssot cannot read (\(error.message)).\n"
                + "  ssot and libgit2 1.5 (which stages a tightened baseline) cannot read sparse indexes; expand it: "
                + "git sparse-checkout set --no-sparse-index"
        case .worktreeConfig:
            return "the repository uses extensions.worktreeConfig, which libgit2 1.5 cannot read (\(error.message)).\n"
                + "  libgit2 1.5 cannot open such a repository; ssot needs the extension unset"
        case .unsupportedExtension:
            return "\(error.message)\n  libgit2 1.5 cannot read this repository (an index or repository extension it does not support)"
        case .notARepository, .other:
            return error.description
        }
    }
}
