import GitStore

/// What git's environment says beyond what `Repository.open` reads.
public enum GitEnvironment {
    /// The index git is committing: `GIT_INDEX_FILE`, which a plain `git commit`
    /// gives relative to the work tree and `-a` or `git commit PATH` give absolute.
    public static func indexFile(_ environment: [String: String], relativeTo directory: String) -> String? {
        guard let file = environment["GIT_INDEX_FILE"], !file.isEmpty else { return nil }
        return Repository.absolute(file, relativeTo: directory)
    }
}
